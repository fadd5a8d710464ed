"""The period chooser shared by the screens: newest period first, its name as data."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QWidget

from ui.i18n import tr
from workbench import Workbook


class PeriodBox(QComboBox):
    """Lists the workbook's periods; a demo period is marked unless its name already says so."""

    def __init__(self, wb: Workbook, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(tr("Periode"))
        for period in wb.periods():
            marked = period.demo and "contoh" not in period.name.lower()
            self.addItem(period.name + (f" ({tr('contoh')})" if marked else ""), period.name)

    @property
    def period(self) -> str:
        """The chosen period's name."""
        return self.currentData()
