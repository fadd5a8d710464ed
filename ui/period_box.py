"""The period chooser shared by the screens: newest period first, its name as data."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QWidget

from workbench import Workbook
from workbench.i18n import tr


class PeriodBox(QComboBox):
    """Lists the workbook's periods; a demo period is marked unless its name already says so."""

    def __init__(self, wb: Workbook, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.wb = wb
        self.setAccessibleName(tr("Periode"))
        self.refresh()

    def refresh(self) -> None:
        """List the periods again, keeping the chosen one when it still exists (without a change signal)."""
        chosen = self.currentData()
        self.blockSignals(True)
        self.clear()
        for period in self.wb.registry.periods():
            marked = period.demo and "contoh" not in period.name.lower()
            self.addItem(period.name + (" (" + tr("contoh") + ")" if marked else ""), period.name)
        if chosen is not None and self.findData(chosen) >= 0:
            self.setCurrentIndex(self.findData(chosen))
        self.blockSignals(False)

    @property
    def period(self) -> str:
        """The chosen period's name."""
        return str(self.currentData())
