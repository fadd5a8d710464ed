"""The main window: menus, the entry and results screens, and the status bar."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QLockFile, Qt
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QTabWidget,
)

from ui import i18n
from ui.conflicts_page import ConflictsPage
from ui.entry_page import EntryPage
from ui.i18n import tr
from ui.ops import run_op
from ui.results_page import ResultsPage
from ui.settings import Settings
from workbench import WorkbenchError, Workbook
from workbench.demo import add_demo_period

DB_FILTER = "SQLite (*.sqlite *.db);;*"


def open_or_create(path: Path, *, demo: bool, passphrase: str | None = None, read_only: bool = False) -> Workbook:
    """Open a workbook, creating it (with the demo period when asked) if the file does not exist."""
    if path.exists():
        return Workbook(path, passphrase=passphrase, read_only=read_only)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = Workbook.create(path)
    if demo:
        add_demo_period(wb)
    return wb


def take_lock(path: Path) -> QLockFile | None:
    """The lock that makes this window the database's one writer, or None when another window holds it."""
    lock = QLockFile(str(path) + ".lock")
    return lock if lock.tryLock(200) else None


class MainWindow(QMainWindow):
    """One open workbook at a time; language switches rebuild the widgets in place."""

    def __init__(self, settings: Settings, path: Path, *, demo: bool = False, passphrase: str | None = None) -> None:
        super().__init__()
        self.settings = settings
        # replaceable so that tests can answer without a modal dialog
        self.ask_passphrase: Callable[[Path], str | None] = self._ask_passphrase
        i18n.set_language(str(settings.get("setting/language")))
        self.lock = take_lock(path)
        self.wb = open_or_create(path, demo=demo, passphrase=passphrase, read_only=self.lock is None)
        self.settings.add_recent(self.wb.path)
        self.db_label = QLabel()
        self.save_label = QLabel()
        self.statusBar().addWidget(self.db_label, 1)
        self.statusBar().addPermanentWidget(self.save_label)
        self.resize(1280, 800)
        self._build()
        self.restoreGeometry(settings.get("persist/geometry"))  # type: ignore[arg-type]
        self.restoreState(settings.get("persist/window_state"))  # type: ignore[arg-type]
        self._after_open()

    # --- building --------------------------------------------------------------------------

    def _build(self) -> None:
        """(Re)create menus and screens in the current language for the open workbook."""
        self.setWindowTitle(f"{tr('Meja Kerja Evaluasi Pelayanan Publik')} · {self.wb.path.name}")
        self.entry = EntryPage(self.wb, evaluator=str(self.settings.get("setting/evaluator")))
        self.results = ResultsPage(self.wb)
        self.entry.saved.connect(self._on_entry_saved)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.entry, tr("Entri penilaian"))
        self.tabs.addTab(self.results, tr("Hasil"))
        self.conflicts = ConflictsPage(self.wb)
        self.tabs.addTab(self.conflicts, tr("Konflik"))
        self.tabs.setCurrentIndex(int(self.settings.get("persist/tab")))  # type: ignore[call-overload]
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        old = self.centralWidget()
        self.setCentralWidget(self.tabs)
        if old is not None:
            old.deleteLater()
        self.entry.splitter.restoreState(self.settings.get("persist/entry_splitter"))  # type: ignore[arg-type]
        self.results.splitter.restoreState(self.settings.get("persist/results_splitter"))  # type: ignore[arg-type]
        self._build_menus()
        self.db_label.setText(tr("Basis data:") + f" {self.wb.path}"
                              + (" · " + tr("hanya baca") if self.wb.read_only else ""))
        self.entry.setEnabled(not self.wb.read_only)
        self.conflicts.setEnabled(not self.wb.read_only)
        self.save_label.setText(tr("Semua perubahan tersimpan"))

    def _action(self, menu: object, text: str, slot: object, shortcut: object = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)  # type: ignore[attr-defined]
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        bar.clear()
        file = bar.addMenu(tr("&Berkas"))
        self._action(file, tr("&Baru…"), self.new_database, QKeySequence.StandardKey.New)
        self._action(file, tr("B&uka…"), self.open_database, QKeySequence.StandardKey.Open)
        self.recent_menu = file.addMenu(tr("Buka &terakhir"))
        self._fill_recent()
        file.addSeparator()
        self._action(file, tr("Impor daftar &unit…"), self._on_import_units_triggered)
        self._action(file, tr("&Impor lembar penilaian…"), self.import_sheets, "Ctrl+I")
        self._action(file, tr("&Templat evaluator…"), self.write_template)
        self._action(file, tr("&Ekspor hasil…"), self.export_results, "Ctrl+E")
        self._action(file, tr("&Piagam penghargaan…"), self.open_certificates, "Ctrl+P")
        file.addSeparator()
        self._action(file, tr("&Cadangkan…"), self.backup_database)
        restore = self._action(file, tr("&Pulihkan cadangan…"), self.restore_backup)
        for action in (restore, *(a for a in file.actions() if a.text() in (
                tr("&Impor lembar penilaian…"), tr("&Piagam penghargaan…"), tr("Impor daftar &unit…")))):
            action.setEnabled(not self.wb.read_only)
        file.addSeparator()
        self._action(file, tr("&Keluar"), self.close, QKeySequence.StandardKey.Quit)
        edit = bar.addMenu(tr("&Sunting"))
        undo = self.entry.undo_stack.createUndoAction(self, tr("&Urungkan"))
        undo.setShortcut(QKeySequence("Ctrl+Z"))
        redo = self.entry.undo_stack.createRedoAction(self, tr("U&lang"))
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        edit.addActions([undo, redo])
        self.undo_action, self.redo_action = undo, redo
        view = bar.addMenu(tr("&Tampilan"))
        self._action(view, tr("&Entri penilaian"), lambda: self.tabs.setCurrentIndex(0), "Ctrl+1")
        self._action(view, tr("&Hasil"), lambda: self.tabs.setCurrentIndex(1), "Ctrl+2")
        self._action(view, tr("&Konflik"), lambda: self.tabs.setCurrentIndex(2), "Ctrl+3")
        self._action(view, tr("Hitung &ulang hasil"), lambda: self.results.recompute(force=True), "F5")
        language = bar.addMenu(tr("Ba&hasa"))
        group = QActionGroup(self)
        for code, name in (("id", "Bahasa Indonesia"), ("en", "English")):
            action = self._action(language, name, lambda _=False, code=code: self.set_language(code))
            action.setCheckable(True)
            action.setChecked(i18n.language() == code)
            group.addAction(action)
        help_ = bar.addMenu(tr("Ban&tuan"))
        self._action(help_, tr("&Tentang"), self._about)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for path in self.settings.get("persist/recent_files"):  # type: ignore[attr-defined]
            self._action(self.recent_menu, path, lambda _=False, p=path: self.switch_database(Path(p)))
        self.recent_menu.setEnabled(bool(self.recent_menu.actions()))

    # --- commands --------------------------------------------------------------------------

    def set_language(self, code: str) -> None:
        """Switch language and rebuild the screens (the open workbook stays open)."""
        self._save_state()
        self.settings.set("setting/language", code)
        i18n.set_language(code)
        self._build()

    def switch_database(self, path: Path, *, create: bool = False) -> bool:
        """Open (or create) another workbook in this window; says why not when it cannot."""
        self.entry.form.commit_pending()
        lock = take_lock(path)
        read_only = lock is None and not create
        try:
            wb = Workbook.create(path) if create else Workbook(path, read_only=read_only)
        except WorkbenchError as exc:
            passphrase = self.ask_passphrase(path) if exc.key == "db_not_workbench" else None
            try:
                if passphrase is None:
                    raise exc
                wb = Workbook(path, passphrase=passphrase, read_only=read_only)  # an encrypted database
            except WorkbenchError as final:
                if lock is not None:
                    lock.unlock()
                self._warn(tr("Tidak dapat membuka basis data"), str(final))
                return False
        self._save_state()
        self.wb.close()
        if self.lock is not None:
            self.lock.unlock()
        self.wb, self.lock = wb, lock
        self.settings.add_recent(path)
        self.settings.set("persist/last_folder", str(path.parent))
        self._build()
        self._after_open()
        return True

    def _after_open(self) -> None:
        """Keep a rolling backup of a database opened for writing; say so when it is read-only."""
        if self.wb.read_only:
            self._warn(tr("Hanya baca"), tr("Basis data ini sedang dibuka untuk ditulis di jendela lain; "
                                            "di sini hanya dapat dibaca."))
            return
        source = self.wb

        def backup(progress: object, cancel: object) -> Path:
            with source.reopen() as wb:
                return wb.rolling_backup(min_interval=600)

        run_op(self, backup, on_success=lambda _: None, reads_only=True,
               on_failure=lambda exc: self.statusBar().showMessage(str(exc), 8000))

    def restore_backup(self) -> None:
        """Choose one of the rolling backups and put it in place of the database (undoable: see backups)."""
        copies = self.wb.backups()
        if not copies:
            self.statusBar().showMessage(tr("Belum ada cadangan"), 5000)
            return
        name, ok = QInputDialog.getItem(self, tr("Pulihkan cadangan"), tr("Cadangan (terbaru di atas):"),
                                        [p.name for p in copies], 0, False)
        if ok:
            self.restore_from(self.wb.backup_dir / name)

    def restore_from(self, backup: Path) -> bool:
        try:
            self.wb.restore(backup)
        except WorkbenchError as exc:
            self._warn(tr("Pemulihan gagal"), str(exc))
            return False
        self._build()
        self.statusBar().showMessage(tr("Dipulihkan dari {name}").format(name=backup.name), 8000)
        return True

    def _ask_passphrase(self, path: Path) -> str | None:
        text, ok = QInputDialog.getText(self, tr("Basis data terenkripsi"),
                                        tr("Kata sandi untuk {name}:").format(name=path.name),
                                        QLineEdit.EchoMode.Password)
        return text if ok and text else None

    def new_database(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, tr("Basis data baru"), self._folder(), DB_FILTER)
        if path:
            self.switch_database(Path(path), create=True)

    def open_database(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("Buka basis data"), self._folder(), DB_FILTER)
        if path:
            self.switch_database(Path(path))

    def backup_database(self) -> None:
        suggestion = str(Path(self._folder()) / f"{self.wb.path.stem}-cadangan.sqlite")
        path, _ = QFileDialog.getSaveFileName(self, tr("Simpan cadangan"), suggestion, DB_FILTER)
        if path:
            try:
                self.wb.backup(path)
            except WorkbenchError as exc:
                self._warn(tr("Cadangan gagal"), str(exc))
                return
            self.statusBar().showMessage(tr("Cadangan disimpan: {path}").format(path=path), 8000)

    def import_sheets(self) -> QDialog:
        """Open the import wizard; after an import the screens show the new data."""
        from ui.import_dialog import ImportDialog  # imported when used: it brings openpyxl

        dialog = ImportDialog(self.wb, self)
        dialog.imported.connect(lambda _: self._refresh_after_import())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _refresh_after_import(self) -> None:
        self.entry.reload()
        self.conflicts.reload()
        if self.results.isVisible():
            self.results.recompute_if_stale()

    def open_certificates(self) -> QDialog:
        """Certificate settings, issuing with preview and print, revoking and verifying."""
        from ui.certificates_dialog import CertificatesDialog  # imported when used: it brings reportlab

        dialog = CertificatesDialog(self.wb, self.results.period, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _on_import_units_triggered(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("Impor daftar unit"), self._folder(),
                                              f"{tr('Lembar kerja')} (*.xlsx *.xlsm *.xls *.ods)")
        if path:
            self.import_units(Path(path))

    def import_units(self, path: Path) -> bool:
        """Register institutions and units from a sheet; every problem is shown, nothing is half-done."""
        try:
            done = self.wb.import_units(path)
        except WorkbenchError as exc:
            problems = getattr(exc, "problems", [])
            self._warn(tr("Impor unit gagal"), "\n".join([str(exc), *(str(p) for p in problems[1:20])]))
            return False
        self.entry.reload()
        self.statusBar().showMessage(tr("{added} unit baru, {updated} diperbarui, {same} tetap").format(
            added=done.added, updated=done.updated, same=done.unchanged), 8000)
        return True

    def write_template(self) -> None:
        name, ok = QInputDialog.getText(self, tr("Templat evaluator"), tr("Nama evaluator:"),
                                        text=self.entry.evaluator)
        if not ok or not name.strip():
            return
        suggestion = str(Path(self._folder()) / f"templat-{name.strip().replace(' ', '-').lower()}.xlsx")
        path, _ = QFileDialog.getSaveFileName(self, tr("Simpan templat"), suggestion, "Excel (*.xlsx)")
        if path:
            rows = self.wb.write_template(path, evaluator=name.strip(), period=self.entry.period)
            self.statusBar().showMessage(tr("Templat disimpan: {path} ({n} baris)").format(path=path, n=rows), 8000)

    def export_results(self) -> None:
        suggestion = str(Path(self._folder()) / f"rekap-{self.wb.path.stem}.xlsx")
        path, _ = QFileDialog.getSaveFileName(self, tr("Ekspor hasil"), suggestion, "Excel (*.xlsx)")
        if not path:
            return
        source, period = self.wb, self.results.period

        def work(progress: object, cancel: object) -> object:
            with source.reopen() as wb:
                return wb.export_results(path, period)

        run_op(self, work, label=tr("Mengekspor hasil…"), on_failure=lambda e: self._warn(tr("Ekspor gagal"), str(e)),
               on_success=lambda _: self.statusBar().showMessage(tr("Hasil diekspor: {path}").format(path=path), 8000))

    def _folder(self) -> str:
        return str(self.settings.get("persist/last_folder") or self.wb.path.parent)

    def _about(self) -> None:
        QMessageBox.about(self, tr("Tentang"), tr("Meja Kerja Evaluasi Pelayanan Publik") + "\n"
                          + tr("PEKPPP PermenPAN-RB 29/2022 · SKM PermenPAN-RB 14/2017. Bekerja tanpa jaringan."))

    def _warn(self, title: str, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    # --- events ----------------------------------------------------------------------------

    def _on_entry_saved(self, text: str) -> None:
        self.save_label.setText(text)

    def _on_tabs_current_changed(self, index: int) -> None:
        self.entry.form.commit_pending()

    def _save_state(self) -> None:
        self.settings.set("persist/geometry", self.saveGeometry())
        self.settings.set("persist/window_state", self.saveState())
        self.settings.set("persist/entry_splitter", self.entry.splitter.saveState())
        self.settings.set("persist/results_splitter", self.results.splitter.saveState())
        self.settings.set("setting/evaluator", self.entry.evaluator)
        self.settings.set("persist/tab", self.tabs.currentIndex())

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self.entry.form.commit_pending()
        self._save_state()
        self.wb.close()
        if self.lock is not None:
            self.lock.unlock()
        super().closeEvent(event)


