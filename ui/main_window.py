"""The main window: menus, the entry, results and conflicts screens, and the status bar."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QLockFile, QStandardPaths, Qt, QTimer
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QGuiApplication,
    QKeySequence,
    QShowEvent,
    QUndoGroup,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QTabWidget,
)

from ui import identity as identities
from ui import qt_language
from ui.conflicts_page import ConflictsPage
from ui.database import Database
from ui.entry_page import EntryPage
from ui.identity import HOME_TAB, Identity, remember, remembered
from ui.ops import run_op
from ui.period_settings import PeriodSettingsDialog
from ui.results_page import ResultsPage
from ui.settings import Settings, default_database
from ui.survey_page import SurveyPage
from ui.team_page import TeamPage
from workbench import WorkbenchError, Workbook, i18n
from workbench.demo import add_demo_period
from workbench.domain.values import file_name_part
from workbench.errors import ForeignSchema, NotAWorkbench
from workbench.events import Changes
from workbench.exchange.kit import SUFFIX as KIT_SUFFIX
from workbench.exchange.kits import KitApplied
from workbench.i18n import tr
from workbench.maintenance import good_backups, recover
from workbench.usecases.kits import import_kit

DB_FILTER = "SQLite (*.sqlite *.db);;*"


def create_if_missing(path: Path, *, demo: bool) -> None:
    """Make a new workbook at `path` (with the demo period when asked) unless the file exists."""
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with Workbook.create(path) as wb:
        if demo:
            add_demo_period(wb)


def take_lock(path: Path) -> QLockFile | None:
    """The lock that makes this window the database's one writer, or None when another window holds it."""
    lock = QLockFile(str(path) + ".lock")
    return lock if lock.tryLock(200) else None


class MainWindow(QMainWindow):
    """One open workbook at a time; language switches rebuild the widgets in place."""

    def __init__(self, settings: Settings, path: Path, *, demo: bool = False, passphrase: str | None = None,
                 identify: Callable[..., Identity | None] | None = None) -> None:
        super().__init__()
        self.settings = settings
        # replaceable so that tests can answer without a modal dialog
        self.ask_passphrase: Callable[[Path], str | None] = self._ask_passphrase
        # asks who the user is in a database someone else owns; replaceable so that tests can answer
        self.identify = identify or (lambda *question: identities.ask(*question))
        self.identity = Identity("")
        self.chosen_read_only = False
        reopening = settings.text("persist/last_database") == str(path.resolve())
        i18n.set_language(settings.text("setting/language"))
        qt_language.apply(i18n.language())
        create_if_missing(path, demo=demo)
        self.lock = take_lock(path)
        try:
            opened = Database(path, passphrase=passphrase, read_only=self.lock is None)
        except ForeignSchema as exc:  # changed outside the app: open the example data, then offer a backup
            if self.lock is not None:
                self.lock.unlock()
            fallback = default_database()
            create_if_missing(fallback, demo=True)
            self.lock = take_lock(fallback)
            opened = Database(fallback, read_only=self.lock is None)
            QTimer.singleShot(0, partial(self.offer_backup, path, exc))
        opened, self.lock = self._identified(opened, self.lock)
        self.db = self._connect(opened)
        self.settings.add_recent(self.db.path)
        self.db_label = QLabel()
        self.save_label = QLabel()
        self.statusBar().addWidget(self.db_label, 1)
        self.statusBar().addPermanentWidget(self.save_label)
        self.score_history = QUndoStack(self)  # kept when the screens are rebuilt (another language, user name)
        self._build()
        if not reopening:  # where this person's work starts; a restart comes back to the screen left
            self.tabs.setCurrentIndex(HOME_TAB[self.identity.role])
        if not self.restoreGeometry(settings.state("persist/geometry")):
            available = (self.screen() or QGuiApplication.primaryScreen()).availableGeometry()
            self.resize(min(1440, available.width()), min(900, available.height()))  # a laptop's whole screen
        self.restoreState(settings.state("persist/window_state"))
        self._fit_to_screen()
        self._after_open()

    def _fit_to_screen(self) -> None:
        """Keep the window within the screen it opens on (a 1366 x 768 laptop, or a screen smaller than the
        one the window was last closed on), so that the status bar with the save state stays in sight."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        available = screen.availableGeometry()
        frame = self.frameGeometry().size() - self.size()  # title bar and borders the window system adds
        width = min(self.width(), available.width() - frame.width())
        height = min(self.height(), available.height() - frame.height())
        if (width, height) != (self.width(), self.height()):
            self.resize(width, height)
        if not available.contains(self.frameGeometry()):
            self.move(available.topLeft())

    @property
    def example(self) -> bool:
        """Whether the open database is the example data (made by "Coba data contoh")."""
        return self.db.path.resolve() == default_database().resolve()

    @property
    def user(self) -> str:
        """Who works in this window, for the audit log (see ui.identity)."""
        return self.db.actor

    def _evaluator(self) -> str:
        """Whose scores the entry screen shows first: the last evaluator of this app when this database knows
        them, else the person working here."""
        last = self.settings.text("setting/evaluator")
        if last and last in self.db.reader.registry.evaluators():
            return last
        return self.identity.name

    def _identified(self, db: Database, lock: QLockFile | None) -> tuple[Database, QLockFile | None]:
        """Who works in the database just opened: remembered, or its owner when that is this app's user, or
        asked (once); the database comes back read-only when the user chose only to look."""
        path, app_user = db.path, self.settings.text("setting/user")
        owner = db.reader.settings.get("owner")
        role = db.reader.settings.get("owner_role") or "evaluator"
        known = remembered(self.settings, path)
        if known is None and path.resolve() == default_database().resolve():
            known = Identity(app_user or tr("Pengguna contoh"))  # the example data is nobody's: not remembered
        elif known is None and db.read_only:
            known = Identity(app_user or owner, role)
        elif known is None and app_user and app_user == owner:
            known = Identity(owner, role)
            remember(self.settings, path, known)
        elif known is None and app_user and not owner:
            known = Identity(app_user)
            remember(self.settings, path, known)
        elif known is None:
            guess = Identity(app_user, "lead" if owner else "evaluator") if app_user else None
            known = self.identify(self, path.name, owner, db.reader.registry.evaluators(), guess)
            if known is None:  # only to look: no name is needed, nothing is written
                passphrase = db.passphrase
                db.close()
                if lock is not None:
                    lock.unlock()
                db, lock = Database(path, passphrase=passphrase, read_only=True), None
                self.chosen_read_only = True
                known = Identity(app_user or owner, role)
            else:
                remember(self.settings, path, known)
        self.identity = known
        db.actor = known.name
        return db, lock

    @property
    def wb(self) -> Workbook:
        """The open workbook, for reading (writes go through `db.write`)."""
        return self.db.reader

    def _connect(self, db: Database) -> Database:
        db.failed.connect(lambda message: self.statusBar().showMessage(message, 10000))
        db.busy.connect(lambda message: self.statusBar().showMessage(message, 3000))
        db.changed.connect(self._on_db_changed)
        return db

    # --- building --------------------------------------------------------------------------

    def _build(self, keep: tuple[str | None, str | None] = (None, None)) -> None:
        """(Re)create menus and screens in the current language for the open workbook; `keep` is the unit and
        evaluator to show again (a language switch), else the database's own default evaluator."""
        mark = tr("DATA CONTOH, bukan evaluasi sungguhan")
        example = f" · {mark}" if self.example else ""
        self.setWindowTitle(f"{tr('Meja Kerja Evaluasi Pelayanan Publik')} · {self.db.path.name}{example}")
        old = self.centralWidget()
        self.entry = EntryPage(self.db, evaluator=keep[1] or self._evaluator(), undo_stack=self.score_history,
                               current=lambda: self.entry)
        self.results = ResultsPage(self.db)
        self.conflicts = ConflictsPage(self.db)
        self.team = TeamPage(self.db)
        self.team.folder = self._folder
        self.team.message.connect(lambda text: self.statusBar().showMessage(text, 15000))
        self.surveys = SurveyPage(self.db)
        self.entry.saved.connect(self._on_entry_saved)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.entry, tr("Entri penilaian"))
        self.tabs.addTab(self.results, tr("Hasil"))
        self.tabs.addTab(self.conflicts, tr("Konflik"))
        self.tabs.addTab(self.team, tr("Progres tim"))
        self.tabs.addTab(self.surveys, tr("Survei"))
        self.tabs.setCurrentIndex(self.settings.number("persist/tab"))
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        self.setCentralWidget(self.tabs)
        if old is not None:  # the screens of the last language go now, not at the next turn of the event loop
            old.setParent(None)
            old.deleteLater()
        self.entry.splitter.restoreState(self.settings.state("persist/entry_splitter"))
        self.results.splitter.restoreState(self.settings.state("persist/results_splitter"))
        self._build_menus()
        self.db_label.setText(tr("Basis data:") + f" {self.db.path}"
                              + (" · " + tr("hanya baca") if self.db.read_only else "")
                              + " · " + tr("Pengguna: {name}", name=self.user)
                              + (" (" + tr("Ketua tim") + ")" if self.identity.role == "lead" else ""))
        self.entry.setEnabled(not self.db.read_only)
        self.save_label.setText(tr("Semua perubahan tersimpan"))
        if keep[0] is not None:  # a language switch keeps the unit in view
            self.entry.select_unit(keep[0])

    def _action(self, menu: QMenu, text: str, slot: Callable[[], Any],
                shortcut: str | QKeySequence.StandardKey | None = None, *, writes: bool = False) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _=False: slot())
        action.setEnabled(not (writes and self.db.read_only))
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        for old in bar.findChildren(QMenu):  # clear() leaves the menus of the last language alive
            old.setParent(None)
            old.deleteLater()
        bar.clear()
        file = bar.addMenu(tr("&Berkas"))
        self._action(file, tr("&Mulai…"), self.start, "Ctrl+Shift+M")
        self._action(file, tr("Evaluasi &baru…"), self.new_evaluation, QKeySequence.StandardKey.New)
        self._action(file, tr("B&uka…"), self.open_database, QKeySequence.StandardKey.Open)
        self._action(file, tr("Buka &kit penugasan…"), self.open_kit, "Ctrl+Shift+O")
        self.recent_menu = file.addMenu(tr("Buka &terakhir"))
        self._fill_recent()
        file.addSeparator()
        self._action(file, tr("Imp&or daftar unit…"), self._on_import_units_triggered, writes=True)
        self._action(file, tr("&Impor lembar penilaian dan paket…"), self.import_sheets, "Ctrl+I", writes=True)
        self._action(file, tr("Kirim &paket…"), self.send_package, "Ctrl+K")
        self._action(file, tr("Templat e&valuator…"), self.write_template)
        self._action(file, tr("&Ekspor hasil…"), self.export_results, "Ctrl+E")
        self._action(file, tr("&Laporan evaluasi (PDF)…"), self.write_reports, "Ctrl+L")
        self._action(file, tr("Pia&gam penghargaan…"), self.open_certificates, "Ctrl+P", writes=True)
        file.addSeparator()
        self._action(file, tr("&Cadangkan…"), self.backup_database)
        self._action(file, tr("Pulihkan ca&dangan…"), self.restore_backup, writes=True)
        file.addSeparator()
        self._action(file, tr("&Nama pengguna…"), self.ask_user_name)
        roles = file.addMenu(tr("Pe&ran"))
        group = QActionGroup(self)
        for role, text in (("evaluator", tr("&Evaluator: menilai unit")),
                           ("lead", tr("&Ketua tim atau pejabat: menggabungkan, hasil, piagam"))):
            action = self._action(roles, text, partial(self.set_role, role))
            action.setCheckable(True)
            action.setChecked(self.identity.role == role)
            group.addAction(action)
        self._action(file, tr("Kelu&ar"), self.close, QKeySequence.StandardKey.Quit)
        edit = bar.addMenu(tr("&Sunting"))
        # one Undo for the screen in front: scores on Entri, questionnaires on Survei
        self.undo_group = QUndoGroup(self)
        for stack in (self.entry.undo_stack, self.surveys.undo_stack):
            self.undo_group.addStack(stack)
        self.undo_group.setActiveStack(self.surveys.undo_stack if self.tabs.currentWidget() is self.surveys
                                       else self.entry.undo_stack)
        undo = self.undo_group.createUndoAction(self, tr("&Urungkan"))
        undo.setShortcut(QKeySequence("Ctrl+Z"))
        redo = self.undo_group.createRedoAction(self, tr("U&lang"))
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        edit.addActions([undo, redo])
        self.undo_action, self.redo_action = undo, redo
        view = bar.addMenu(tr("&Tampilan"))
        self._action(view, tr("&Entri penilaian"), lambda: self.tabs.setCurrentIndex(0), "Ctrl+1")
        self._action(view, tr("&Hasil"), lambda: self.tabs.setCurrentIndex(1), "Ctrl+2")
        self._action(view, tr("&Konflik"), lambda: self.tabs.setCurrentIndex(2), "Ctrl+3")
        self._action(view, tr("&Progres tim"), lambda: self.tabs.setCurrentIndex(3), "Ctrl+4")
        self._action(view, tr("Sur&vei"), lambda: self.tabs.setCurrentIndex(4), "Ctrl+5")
        self._action(view, tr("Hitung &ulang hasil"), lambda: self.results.recompute(force=True), "F5")
        period = bar.addMenu(tr("&Periode"))
        self._action(period, tr("&Tambah periode…"), self.add_period, writes=True)
        self._action(period, tr("&Ganti nama periode…"), self.rename_period, writes=True)
        self._action(period, tr("&Pengaturan penilaian…"), self.period_settings, writes=True)
        period.addSeparator()
        self._action(period, tr("T&utup periode (setelah sidang)…"), partial(self.close_period, True), writes=True)
        self._action(period, tr("&Buka kembali periode…"), partial(self.close_period, False), writes=True)
        language = bar.addMenu(tr("Ba&hasa"))
        group = QActionGroup(self)
        for code, name in (("id", "Bahasa Indonesia"), ("en", "English")):
            action = self._action(language, name, partial(self.set_language, code))
            action.setCheckable(True)
            action.setChecked(i18n.language() == code)
            group.addAction(action)
        help_ = bar.addMenu(tr("Bant&uan"))
        self._action(help_, tr("&Panduan dan pintasan keyboard"), self.show_guide,
                     QKeySequence.StandardKey.HelpContents)
        self._action(help_, tr("&Tentang"), self._about)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for path in self.settings.paths("persist/recent_files"):
            self._action(self.recent_menu, path, partial(self.switch_database, Path(path)))
        self.recent_menu.setEnabled(bool(self.recent_menu.actions()))

    # --- opening and switching ---------------------------------------------------------------

    def set_language(self, code: str) -> None:
        """Switch language and rebuild the screens (the open workbook stays open)."""
        self._save_state()
        self.settings.set("setting/language", code)
        i18n.set_language(code)
        qt_language.apply(code)
        shown = self.results.shown
        survey = (self.surveys.unit, self.surveys.form) if self.surveys.units_filled else (None, "skm")
        self._build(keep=(self.entry.unit, self.entry.evaluator))
        if shown is not None:  # the other screens keep their unit in view too
            self.results.select_unit(shown)
        if survey[0] is not None:
            self.surveys.select(survey[0], survey[1])

    def switch_database(self, path: Path) -> bool:
        """Open another workbook in this window; says why not when it cannot."""
        self.entry.form.commit_pending()
        try:
            lock = take_lock(path)
        except WorkbenchError as exc:
            self._warn(tr("Tidak dapat membuka basis data"), str(exc))
            return False
        try:
            db = self._open(path, lock is None)
        except WorkbenchError as exc:
            if lock is not None:
                lock.unlock()
            if isinstance(exc, ForeignSchema):
                self.offer_backup(path, exc)
            else:
                self._warn(tr("Tidak dapat membuka basis data"), str(exc))
            return False
        self._save_state()
        self.chosen_read_only = False
        db, lock = self._identified(db, lock)
        self.db.close()
        if self.lock is not None:
            self.lock.unlock()
        self.db, self.lock = self._connect(db), lock
        self.settings.add_recent(path)
        self.settings.set("persist/last_folder", str(path.parent))
        self.score_history.clear()  # the scores of another workbook
        self._build()
        self.tabs.setCurrentIndex(HOME_TAB[self.identity.role])
        self._after_open()
        return True

    def _open(self, path: Path, read_only: bool) -> Database:
        """A plain workbook, or an encrypted one after asking for its passphrase."""
        try:
            return Database(path, read_only=read_only)
        except NotAWorkbench:
            passphrase = self.ask_passphrase(path)
            if passphrase is None:
                raise
            return Database(path, passphrase=passphrase, read_only=read_only)

    def offer_backup(self, path: Path, problem: WorkbenchError) -> QMessageBox:
        """A database changed outside the app (a trigger, a view of its own) is not opened: say what is wrong,
        and offer its last rolling backup that is whole, the changed file being kept beside it."""
        good = good_backups(path)
        box = QMessageBox(QMessageBox.Icon.Warning, tr("Basis data diubah di luar aplikasi"), str(problem),
                          QMessageBox.StandardButton.Cancel, self)
        if good:
            box.setInformativeText(tr("Cadangan otomatis terakhir yang utuh: {name}. Pulihkan dari cadangan itu? "
                                      "Berkas yang sekarang disimpan di sampingnya, tidak dihapus.",
                                      name=good[0].name))
            restore = box.addButton(tr("&Pulihkan cadangan"), QMessageBox.ButtonRole.AcceptRole)
            box.setDefaultButton(restore)
            box.accepted.connect(partial(self._recover, path, good[0]))
        else:
            box.setInformativeText(tr("Tidak ada cadangan otomatis yang utuh untuk berkas ini."))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return box

    def _recover(self, path: Path, backup: Path) -> None:
        try:
            aside = recover(path, backup)
        except (WorkbenchError, OSError) as exc:
            self._warn(tr("Pemulihan gagal"), str(exc))
            return
        if self.switch_database(path):
            self.statusBar().showMessage(tr("Dipulihkan dari {name}; berkas yang diubah disimpan sebagai {aside}",
                                            name=backup.name, aside=aside.name), 20000)

    def _after_open(self) -> None:
        """Keep a rolling backup of a database opened for writing; say so when it is read-only."""
        if self.chosen_read_only:
            self.statusBar().showMessage(tr("Dibuka hanya baca: tidak ada yang dapat diubah di sini"), 15000)
            return
        if self.db.read_only:
            self._warn(tr("Hanya baca"), tr("Basis data ini sedang dibuka untuk ditulis di jendela lain; "
                                            "di sini hanya dapat dibaca."))
            return
        if not self.example and self.wb.audit.strangers():
            QTimer.singleShot(0, self.offer_keys)
        # the first job of the writer, so the copy is taken before any write of this session; it waits for the
        # event loop to start (the window is up by then) rather than slow the opening down
        started = self.db.started

        def backup(wb: Workbook, progress: object, cancel: object) -> Path:
            started.wait(timeout=2)
            return wb.maintenance.rolling_backup(min_interval=600)

        self.db.write(backup, parent=self)

    def offer_keys(self) -> QMessageBox:
        """The database was changed on another computer (an official on the lead's file, say): its log carries
        keys this computer does not know. Say so, and accept them when the user knows why."""
        strangers = self.wb.audit.strangers()
        box = QMessageBox(QMessageBox.Icon.Question, tr("Diubah di komputer lain"), tr(
            "Log audit basis data ini memuat perubahan yang ditandatangani {count} kunci yang belum dikenal "
            "komputer ini ({keys}): berkas ini pernah dibuka dan diubah di komputer lain.", count=len(strangers),
            keys=", ".join(k[:12] for k in strangers)), QMessageBox.StandardButton.NoButton, self)
        box.setInformativeText(tr("Terima kunci itu bila Anda memang menyerahkan berkas ini kepada orang lain. "
                                  "Bila tidak, jangan terima: periksa dulu siapa yang mengubahnya (workbench check)."))
        accept = box.addButton(tr("&Terima kunci"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(tr("&Nanti"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(accept)
        box.accepted.connect(lambda: self.db.write(
            lambda wb, progress, cancel: wb.audit.accept_keys(), parent=self,
            on_success=lambda keys: self.statusBar().showMessage(tr("{count} kunci diterima", count=len(keys)), 8000),
            on_failure=lambda exc: self._warn(tr("Kunci tidak diterima"), str(exc))))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return box

    def restore_backup(self) -> None:
        """Choose one of the rolling backups and put it in place of the database (undoable: see backups)."""
        copies = self.wb.maintenance.backups()
        if not copies:
            self.statusBar().showMessage(tr("Belum ada cadangan"), 5000)
            return
        name, ok = QInputDialog.getItem(self, tr("Pulihkan cadangan"), tr("Cadangan (terbaru di atas):"),
                                        [p.name for p in copies], 0, False)
        if ok:
            self.restore_from(self.wb.maintenance.backup_dir / name)

    def restore_from(self, backup: Path) -> None:
        """Put a backup in place of the database, on the writer thread; every screen then shows it."""
        self.entry.form.commit_pending()
        self.db.write(lambda wb, progress, cancel: wb.maintenance.restore(backup), parent=self,
                      on_success=lambda _: self.statusBar().showMessage(tr("Dipulihkan dari {name}",
                                                                           name=backup.name), 8000),
                      on_failure=lambda exc: self._warn(tr("Pemulihan gagal"), str(exc)))

    def _ask_passphrase(self, path: Path) -> str | None:
        text, ok = QInputDialog.getText(self, tr("Basis data terenkripsi"), tr("Kata sandi untuk {name}:",
                                                                               name=path.name),
                                        QLineEdit.EchoMode.Password)
        return text if ok and text else None

    def start(self) -> QDialog:
        """Mulai: a new evaluation, a database to open, a recent one, or the example data."""
        from ui.start_dialog import StartDialog

        dialog = StartDialog(self.settings.paths("persist/recent_files"), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._on_start_chosen(*dialog.choice))
        dialog.open()
        return dialog

    def _on_start_chosen(self, choice: str, path: Path | None) -> None:
        if choice == "new":
            self.new_evaluation()
        elif choice == "kit":
            self.open_kit()
        elif choice == "open":
            self.open_database()
        elif choice == "recent" and path is not None:
            self.switch_database(path)
        elif choice == "demo":
            demo = default_database()
            create_if_missing(demo, demo=True)
            if demo.resolve() != self.db.path.resolve():
                self.switch_database(demo)

    def new_evaluation(self) -> QDialog:
        """The wizard for a new evaluation; the window then works in the database it made."""
        from ui.new_evaluation import NewEvaluationWizard

        wizard = NewEvaluationWizard(self._folder(), self.settings.text("setting/user"), self)
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard.accepted.connect(lambda: self._on_evaluation_created(wizard.created, wizard.plan().passphrase,
                                                                    Identity(wizard.plan().owner, wizard.plan().role)))
        wizard.open()
        return wizard

    def _on_evaluation_created(self, path: Path | None, passphrase: str | None, identity: Identity) -> None:
        if path is None:
            return
        remember(self.settings, path, identity)  # the wizard asked who works in it
        known = self.ask_passphrase
        if passphrase:
            self.ask_passphrase = lambda _: passphrase
        try:
            if self.switch_database(path):
                if identity.role == "evaluator":
                    self.entry.navigator.setFocus()
                units = len(self.wb.registry.units())
                self.statusBar().showMessage(tr("Evaluasi baru siap: {count} unit. Langkah berikutnya: tugaskan unit "
                                                "kepada evaluator di Progres tim, lalu kirim kit.", count=units)
                                             if units and identity.role == "lead" else
                                             tr("Evaluasi baru siap: {count} unit. Pilih unit di kiri untuk mulai "
                                                "menilai.", count=units) if units else
                                             tr("Evaluasi baru siap. Langkah berikutnya: Berkas → Impor daftar "
                                                "unit."), 20000)
        finally:
            self.ask_passphrase = known

    def open_kit(self, kit: Path | None = None, passphrase: str | None = None, target: Path | None = None) -> None:
        """Buka kit penugasan: this laptop's database made from the kit the lead's office sent (or the one made
        from an earlier kit brought up to date), then opened here. Asks for what is not given."""
        if kit is None:
            kind = tr("Kit penugasan")
            chosen, _ = QFileDialog.getOpenFileName(self, tr("Buka kit penugasan"), self._folder(),
                                                    f"{kind} (*{KIT_SUFFIX})")
            if not chosen:
                return
            kit = Path(chosen)
        if passphrase is None:
            text, ok = QInputDialog.getText(self, tr("Buka kit penugasan"), tr("Kata sandi kit (dari ketua tim):"),
                                            QLineEdit.EchoMode.Password)
            if not ok or not text:
                return
            passphrase = text
        if target is None:
            suggestion = Path(self._folder()) / f"evaluasi-{kit.stem.removeprefix('kit-')}.sqlite"
            title = tr("Basis data evaluasi Anda (baru, atau yang dibuat dari kit sebelumnya)")
            chosen, _ = QFileDialog.getSaveFileName(self, title, str(suggestion), DB_FILTER,
                                                    options=QFileDialog.Option.DontConfirmOverwrite)
            if not chosen:
                return
            target = Path(chosen)
        source, secret, made = kit, passphrase, target
        if made.exists() and made.resolve() == self.db.path.resolve():  # the open database: through its writer
            self.db.write(lambda wb, progress, cancel: wb.kits.import_(source, secret), parent=self,
                          label=tr("Membuka kit…"), on_success=lambda done: self._on_kit_opened(made, done),
                          on_failure=lambda exc: self._warn(tr("Kit tidak dapat dibuka"), str(exc)))
            return
        run_op(self, lambda progress, cancel: import_kit(made, source, secret), pool_name="reader",
               label=tr("Membuka kit…"), on_success=lambda done: self._on_kit_opened(made, done),
               on_failure=lambda exc: self._warn(tr("Kit tidak dapat dibuka"), str(exc)))

    def _on_kit_opened(self, path: Path, done: object) -> None:
        assert isinstance(done, KitApplied)
        remember(self.settings, path, Identity(done.evaluator))  # the kit names whose laptop this is
        if path.resolve() == self.db.path.resolve():
            self._become(Identity(done.evaluator))
        if path.resolve() == self.db.path.resolve() or self.switch_database(path):
            self.tabs.setCurrentIndex(0)
            self.entry.navigator.setFocus()
            self.statusBar().showMessage(tr(
                "Kit nomor {number} untuk {evaluator}: {units} unit, {claims} klaim. Pilih unit di kiri untuk mulai "
                "menilai; kirim hasilnya dengan Berkas → Kirim paket.", number=done.sequence, evaluator=done.evaluator,
                units=done.units, claims=done.claims), 30000)

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

    def open_database(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("Buka basis data"), self._folder(), DB_FILTER)
        if path:
            self.switch_database(Path(path))

    # --- files in and out ------------------------------------------------------------------

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

        dialog = ImportDialog(self.db, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def open_certificates(self) -> QDialog:
        """Certificate settings, issuing with preview and print, revoking and verifying."""
        from ui.certificates_dialog import CertificatesDialog  # imported when used: it brings reportlab

        dialog = CertificatesDialog(self.db, self.results.period, self.settings, self)
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

    def ask_user_name(self) -> None:
        """Ask who works in this database; every change from now on is recorded under that name."""
        name, ok = QInputDialog.getText(self, tr("Nama pengguna"), tr("Nama Anda (tercatat di log audit):"),
                                        text=self.user)
        if ok and name.strip():
            self.set_user(name.strip())

    def set_user(self, name: str) -> None:
        """Say who works here from now on (this computer's user, in this database); the database's owner stays."""
        self._become(Identity(name, self.identity.role))

    def set_role(self, role: str) -> None:
        """Work here as an evaluator or as the team lead: the role's first screen is shown; when the person is
        the database's owner, the database says so too (the reports name the lead)."""
        self._become(Identity(self.identity.name, role))
        if (not self.db.read_only and self.identity.name == self.wb.settings.get("owner")
                and self.wb.settings.get("owner_role") != role):
            self.db.write(lambda wb, progress, cancel: wb.settings.set("owner_role", role), parent=self)
        self.tabs.setCurrentIndex(HOME_TAB[role])

    def _become(self, identity: Identity) -> None:
        if self.example:
            self.settings.set("setting/user", identity.name)  # the example data is nobody's
        else:
            remember(self.settings, self.db.path, identity)
        evaluator = identity.name if self.entry.evaluator == self.identity.name else self.entry.evaluator
        self.identity = identity
        self.db.actor = identity.name
        self._save_state()
        self._build(keep=(self.entry.unit, evaluator))

    def _on_import_units_triggered(self) -> None:
        kind = tr("Lembar kerja")
        path, _ = QFileDialog.getOpenFileName(self, tr("Impor daftar unit"), self._folder(),
                                              f"{kind} (*.xlsx *.xlsm *.xls *.ods)")
        if path:
            self.import_units(Path(path))

    def import_units(self, path: Path) -> None:
        """Register institutions and units from a sheet; every problem is shown, nothing is half-done."""
        def failed(exc: BaseException) -> None:
            problems = getattr(exc, "problems", [])
            self._warn(tr("Impor unit gagal"), "\n".join([str(exc), *(str(p) for p in problems[1:20])]))

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

    def _folder(self) -> str:
        """Where file dialogs open: the last folder used, else the database's own folder, except for the example
        data, which lives in a hidden data folder: then the user's documents; always a folder that exists (a
        dialog given a missing one offers its name as a file name)."""
        documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        candidates = [self.settings.text("persist/last_folder"),
                      documents if self.db.path.resolve() == default_database().resolve() else str(self.db.path.parent),
                      str(Path.home()), "."]
        return next(folder for folder in candidates if folder and Path(folder).is_dir())

    def show_guide(self) -> QDialog:
        from ui.help_dialog import GuideDialog

        dialog = GuideDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _about(self) -> QMessageBox:
        from ui.help_dialog import show_about

        return show_about(self, self.db.path)

    def _warn(self, title: str, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    # --- events ----------------------------------------------------------------------------

    def _on_db_changed(self, changes: Changes, asking: object) -> None:
        if changes.external:
            self.statusBar().showMessage(tr("Basis data diubah dari luar aplikasi; tampilan diperbarui"), 8000)

    def _on_entry_saved(self, text: str) -> None:
        self.save_label.setText(text)

    def _on_tabs_current_changed(self, index: int) -> None:
        self.entry.form.commit_pending()
        self.undo_group.setActiveStack(self.surveys.undo_stack if self.tabs.widget(index) is self.surveys
                                       else self.entry.undo_stack)

    def _save_state(self) -> None:
        self.settings.set("persist/geometry", self.saveGeometry())
        self.settings.set("persist/window_state", self.saveState())
        self.settings.set("persist/entry_splitter", self.entry.splitter.saveState())
        self.settings.set("persist/results_splitter", self.results.splitter.saveState())
        self.settings.set("setting/evaluator", self.entry.evaluator)
        self.settings.set("persist/tab", self.tabs.currentIndex())

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit_to_screen()  # the window system's frame is known once the window is shown

    def closeEvent(self, event: QCloseEvent) -> None:
        self.entry.form.commit_pending()
        self._save_state()
        self.db.close()  # waits for the writes still queued
        if self.lock is not None:
            self.lock.unlock()
        super().closeEvent(event)
