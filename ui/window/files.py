"""The Berkas menu's files in and out: imports, packages, templates, exports, reports, certificates and
backups, each run on the reader or writer thread with its outcome in the status bar."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog

from ui.warning import warn
from ui.window.base import DB_FILTER, WindowBase
from workbench import Workbook
from workbench.domain.values import file_name_part
from workbench.i18n import tr
from workbench.usecases.publish import Published, publish


class FileActions(WindowBase):
    """What the Berkas menu does with files."""

    def backup_database(self) -> None:
        suggestion = str(Path(self._folder()) / f"{self.db.path.stem}-cadangan.sqlite")
        path, _ = QFileDialog.getSaveFileName(self, tr("Simpan cadangan"), suggestion, DB_FILTER)
        if path:
            self.db.read(lambda wb, progress, cancel: wb.maintenance.backup(path), parent=self,
                         label=tr("Mencadangkan…"),
                         on_success=lambda _: self.statusBar().showMessage(tr("Cadangan disimpan: {path}",
                                                                              path=path), 8000),
                         on_failure=lambda exc: self._warn(tr("Cadangan gagal"), str(exc)))

    def import_sheets(self) -> QDialog:
        """Open the import wizard; the screens hear the import like any other change."""
        from ui.import_dialog import ImportDialog  # imported when used: it brings openpyxl

        dialog = ImportDialog(self.db, self, self._folder)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def open_certificates(self) -> QDialog:
        """Certificate settings, issuing with preview and print, revoking and verifying."""
        from ui.certificates_dialog import CertificatesDialog  # imported when used: it brings reportlab

        dialog = CertificatesDialog(self.db, self.results.period, self.settings, self, self._folder)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def send_package(self) -> QDialog:
        """Write this workbook's work (one evaluator's, or everyone's) as a package for the team lead."""
        from ui.package_dialog import PackageDialog

        dialog = PackageDialog(self.db, self.entry.period, self.entry.evaluator, self)
        dialog.sent.connect(lambda text: self.statusBar().showMessage(text, 15000))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _on_import_units_triggered(self) -> None:
        kind = tr("Lembar kerja")
        path, _ = QFileDialog.getOpenFileName(self, tr("Impor daftar unit"), self._folder(),
                                              f"{kind} (*.xlsx *.xlsm *.xls *.ods)")
        if path:
            self.import_units(Path(path))

    def import_units(self, path: Path) -> None:
        """Register institutions and units from a sheet; every problem is shown, nothing is half-done."""
        def failed(exc: BaseException) -> None:
            warn(self, tr("Impor unit gagal"), str(exc), getattr(exc, "problems", [])[1:])

        self.db.write(lambda wb, progress, cancel: wb.exchange.import_units(path), parent=self, on_failure=failed,
                      on_success=lambda done: self.statusBar().showMessage(tr(
                          "{added} unit baru, {updated} diperbarui, {same} tetap", added=done.added,
                          updated=done.updated, same=done.unchanged), 8000))

    def write_template(self) -> None:
        name, ok = QInputDialog.getText(self, tr("Templat evaluator"), tr("Nama evaluator:"),
                                        text=self.entry.evaluator)
        if not ok or not name.strip():
            return
        suggestion = str(Path(self._folder()) / f"templat-{name.strip().replace(' ', '-').lower()}.xlsx")
        path, _ = QFileDialog.getSaveFileName(self, tr("Simpan templat"), suggestion, "Excel (*.xlsx)")
        if path:
            evaluator, period = name.strip(), self.entry.period
            self.db.read(lambda wb, progress, cancel: wb.exchange.write_template(path, evaluator=evaluator,
                                                                                 period=period),
                         parent=self, label=tr("Menulis templat…"),
                         on_success=lambda rows: self.statusBar().showMessage(
                             tr("Templat disimpan: {path} ({n} baris)", path=path, n=rows), 8000),
                         on_failure=lambda exc: self._warn(tr("Templat gagal"), str(exc)))

    def export_results(self) -> None:
        suggestion = str(Path(self._folder()) / f"rekap-{self.db.path.stem}.xlsx")
        path, _ = QFileDialog.getSaveFileName(self, tr("Ekspor hasil"), suggestion, "Excel (*.xlsx)")
        if not path:
            return
        period = self.results.period
        self.db.read(lambda wb, progress, cancel: wb.exchange.export_results(path, period), parent=self,
                     label=tr("Mengekspor hasil…"), on_failure=lambda e: self._warn(tr("Ekspor gagal"), str(e)),
                     on_success=lambda _: self.statusBar().showMessage(tr("Hasil diekspor: {path}", path=path),
                                                                       8000))

    def publish_results(self, path: Path | None = None) -> None:
        """Terbitkan hasil: the period's public copy (results, surveys, certificate register; no names, notes
        or evidence) for Datasette, written on the reader thread; without `path`, where is asked."""
        period = self.results.period
        if path is None:
            suggestion = str(Path(self._folder()) / f"hasil-{file_name_part(period)}.sqlite")
            chosen, _ = QFileDialog.getSaveFileName(self, tr("Terbitkan hasil"), suggestion, DB_FILTER)
            if not chosen:
                return
            path = Path(chosen)
        target = path

        def job(wb: Workbook, progress: object, cancel: object) -> Published:
            return publish(wb, target, period=period)

        self.db.read(job, parent=self, label=tr("Menerbitkan hasil…"),
                     on_failure=lambda exc: self._warn(tr("Penerbitan gagal"), str(exc)),
                     on_success=lambda done: self.notify(tr(
                         "Hasil {period} diterbitkan: {file} ({units} unit, {certificates} piagam). Sajikan dengan "
                         "workbench serve {file}", period=done.period, file=done.path, units=done.units,
                         certificates=done.certificates) + (" · " + tr("SEMENTARA: periode belum ditutup")
                                                             if done.provisional else ""), 30000))

    def write_reports(self, folder: Path | None = None) -> QFileDialog | None:
        """Each scored unit's evaluation report (with its Berita Acara) and the period's recap, as PDFs in a
        folder chosen once (beside the certificates), written on the reader thread with progress and cancel.
        Without `folder`, the folder is asked: the one proposed exists (made now, removed again if unused)."""
        from ui.certificates_dialog import output_folder

        if folder is not None:
            self._write_reports(folder)
            return None
        proposed = output_folder(self.settings) / file_name_part(self.results.period)
        made = [p for p in (*reversed(proposed.parents), proposed) if not p.exists()]
        try:
            proposed.mkdir(parents=True, exist_ok=True)
        except OSError:  # a folder that cannot be made here: start from the documents
            proposed, made = Path(self._folder()), []

        def forget_unused() -> None:
            for leftover in reversed(made):
                if leftover.is_dir() and not any(leftover.iterdir()):
                    leftover.rmdir()

        dialog = QFileDialog(self, tr("Folder laporan"), str(proposed))
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly)
        dialog.fileSelected.connect(lambda chosen: self._write_reports(Path(chosen)))
        dialog.rejected.connect(forget_unused)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _write_reports(self, folder: Path) -> None:
        from workbench.usecases.reports import write_reports

        period = self.results.period
        self.db.read(lambda wb, progress, cancel: write_reports(wb, folder, period=period, progress=progress,
                                                                cancel=cancel),
                     parent=self, label=tr("Menulis laporan…"),
                     on_failure=lambda e: self._warn(tr("Laporan gagal"), str(e)),
                     on_success=lambda files: self.statusBar().showMessage(
                         tr("{count} laporan PDF di {folder}", count=len(files), folder=folder), 15000))
