"""The Periode menu: add, rename, set up, close and reopen the period on screen."""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog

from ui.period_settings import PeriodSettingsDialog
from ui.window.base import WindowBase
from workbench import Workbook
from workbench.i18n import tr


class PeriodActions(WindowBase):
    """What the Periode menu does."""

    def add_period(self) -> None:
        """Another period in this database (e.g. next year's round), scored with the same instrument."""
        name, ok = QInputDialog.getText(self, tr("Tambah periode"), tr("Nama periode baru:"))
        if not ok or not name.strip():
            return
        current = self.wb.registry.period(self.entry.period)
        self.db.write(lambda wb, progress, cancel: wb.registry.add_period(name, instrument_id=current.instrument_id),
                      parent=self, on_failure=lambda exc: self._warn(tr("Periode tidak ditambahkan"), str(exc)),
                      on_success=lambda p: self.statusBar().showMessage(tr("Periode {name} ditambahkan",
                                                                           name=p.name), 8000))

    def rename_period(self) -> None:
        old = self.entry.period
        name, ok = QInputDialog.getText(self, tr("Ganti nama periode"), tr("Nama baru untuk {name}:", name=old),
                                        text=old)
        if ok and name.strip() and name.strip() != old:
            self.db.write(lambda wb, progress, cancel: wb.registry.rename_period(old, name), parent=self,
                          on_failure=lambda exc: self._warn(tr("Nama periode tidak diganti"), str(exc)))

    def period_settings(self) -> PeriodSettingsDialog:
        """How the period's results are formed: the unit score rule, SKM weights, disagreement, F-03 weight."""
        dialog = PeriodSettingsDialog(self.db, self.entry.period, self)
        dialog.open()
        return dialog

    def close_period(self, closing: bool) -> None:
        """Freeze the period after the panel, or open it again; a reason is asked and logged."""
        period = self.entry.period
        title = tr("Tutup periode") if closing else tr("Buka kembali periode")
        reason, ok = QInputDialog.getText(self, title, tr("Alasan (tercatat di log audit) untuk {name}:",
                                                          name=period))
        if not ok or not reason.strip():
            return

        def job(wb: Workbook, progress: object, cancel: object) -> object:
            if closing:
                return wb.registry.close_period(period, reason=reason)
            return wb.registry.reopen_period(period, reason=reason)

        self.db.write(job, parent=self, on_failure=lambda exc: self._warn(title, str(exc)),
                      on_success=lambda p: self.statusBar().showMessage(
                          tr("Periode {name} ditutup", name=period) if closing else
                          tr("Periode {name} dibuka kembali", name=period), 8000))
