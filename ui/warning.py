"""The one way the app warns: a message box opened, not run (the window stays responsive and tests are not
blocked), deleted when closed; the problems of a failed import listed under it."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from workbench.i18n import tr

SHOWN_PROBLEMS = 15  # of an import that failed, listed under Details


def warn(parent: QWidget, title: str, text: str, problems: Sequence[object] = ()) -> QMessageBox:
    """Say what went wrong; with `problems`, the first five below the text and the first fifteen (and how many
    more there are) under Details."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, parent)
    if problems:
        listed = [str(p) for p in problems[:SHOWN_PROBLEMS]]
        if len(problems) > SHOWN_PROBLEMS:
            listed.append(tr("… dan {count} masalah lain", count=len(problems) - SHOWN_PROBLEMS))
        box.setInformativeText("\n".join(listed[:5]))
        box.setDetailedText("\n".join(listed))
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box
