"""When scores of a unit that already has a certificate change (an import, a corrected final score): the
certificate may no longer say what the scores give, so the user chooses to revoke it (and issue it again
from the certificates dialog) or to keep it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from ui.database import Database
from workbench import Workbook
from workbench.certificates.service import Certificate
from workbench.i18n import tr


def offer_revocation(parent: QWidget, db: Database, certificates: list[Certificate],
                     reason: str) -> QMessageBox | None:
    """Ask, without blocking, whether to revoke the certificates of units whose scores just changed."""
    if not certificates:
        return None
    listed = "\n".join(f"• {c.number} · {c.unit} · {c.unit_name} · {c.category}" for c in certificates)
    box = QMessageBox(QMessageBox.Icon.Warning, tr("Piagam mungkin tidak sesuai lagi"), tr(
        "Nilai unit berikut berubah, padahal unit itu sudah menerima piagam:\n{listed}\n\nCabut piagamnya "
        "(lalu terbitkan ulang bila masih memenuhi syarat), atau biarkan?", listed=listed), parent=parent)
    revoke = box.addButton(tr("Cabut piagam ini"), QMessageBox.ButtonRole.DestructiveRole)
    box.addButton(tr("Biarkan"), QMessageBox.ButtonRole.RejectRole)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    numbers = [c.number for c in certificates]

    def revoke_all(wb: Workbook, progress: object, cancel: object) -> None:
        with wb.transaction():
            for number in numbers:
                wb.certificates.revoke(number, reason)

    def answered() -> None:
        if box.clickedButton() is revoke:
            db.write(revoke_all, parent=parent)

    box.finished.connect(lambda _: answered())
    box.open()
    return box
