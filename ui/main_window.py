"""The main window: menus, the entry, results and conflicts screens, and the status bar."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
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
    QApplication,
    QComboBox,
    QDialog,
    QLabel,
    QMenu,
    QMessageBox,
    QTabWidget,
    QWidget,
)

from ui import identity as identities
from ui import qt_language
from ui.database import Database
from ui.identity import HOME_TAB, Identity
from ui.settings import Settings, default_database
from ui.window.base import ENTRY, RESULTS, SURVEYS, TEAM
from ui.window.files import FileActions
from ui.window.periods import PeriodActions
from ui.window.session import Session, create_if_missing, take_lock
from workbench import i18n
from workbench.errors import ForeignSchema
from workbench.i18n import tr


class MainWindow(Session, FileActions, PeriodActions):
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
        # where this person's work starts; a restart comes back to the screen left
        self._build(tab=None if reopening else HOME_TAB[self.identity.role])
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

    def _build(self, keep: tuple[str | None, str | None] = (None, None), tab: int | None = None) -> None:
        """(Re)create menus and tabs in the current language for the open workbook, and the screen of `tab`
        (else of the tab last shown); the other screens are made when first shown. `keep` is the unit and
        evaluator to show again (a language switch), else the database's own default evaluator."""
        mark = tr("DATA CONTOH, bukan evaluasi sungguhan")
        example = f" · {mark}" if self.example else ""
        self.setWindowTitle(f"{tr('Meja Kerja Evaluasi Pelayanan Publik')} · {self.db.path.name}{example}")
        old = self.centralWidget()
        self._pages, self._keep = {}, keep
        self.tabs = QTabWidget()
        for title in (tr("Entri penilaian"), tr("Hasil"), tr("Konflik"), tr("Progres tim"), tr("Survei")):
            self.tabs.addTab(QWidget(), title)  # stands in for the screen until it is first shown
        self.tabs.setCurrentIndex(self.settings.number("persist/tab") if tab is None else tab)
        self.setCentralWidget(self.tabs)
        if old is not None:  # the screens of the last language go now, not at the next turn of the event loop
            old.setParent(None)
            old.deleteLater()
        self._build_menus()
        self.page(self.tabs.currentIndex())
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        self.db_label.setText(tr("Basis data:") + f" {self.db.path}"
                              + (" · " + tr("hanya baca") if self.db.read_only else "")
                              + " · " + tr("Pengguna: {name}", name=self.user)
                              + (" (" + tr("Ketua tim") + ")" if self.identity.role == "lead" else ""))
        self.save_label.setText(tr("Semua perubahan tersimpan"))
        if keep[0] is not None:  # a language switch keeps the unit in view
            self.entry.select_unit(keep[0])

    def _make_page(self, tab: int) -> QWidget:
        """The screen of a tab, its module imported only now (see `page`)."""
        if tab == ENTRY:
            from ui.entry_page import EntryPage

            entry = EntryPage(self.db, evaluator=self._keep[1] or self._evaluator(), undo_stack=self.score_history,
                              current=lambda: self.entry)
            entry.saved.connect(self._on_entry_saved)
            entry.form.folder = self._folder
            entry.setEnabled(not self.db.read_only)
            return entry
        if tab == RESULTS:
            from ui.results_page import ResultsPage

            return ResultsPage(self.db)
        if tab == TEAM:
            from ui.team_page import TeamPage

            team = TeamPage(self.db)
            team.folder = self._folder
            team.message.connect(lambda text: self.statusBar().showMessage(text, 15000))
            return team
        if tab == SURVEYS:
            from ui.survey_page import SurveyPage

            surveys = SurveyPage(self.db)
            surveys.folder = self._folder
            self.undo_group.addStack(surveys.undo_stack)
            return surveys
        from ui.conflicts_page import ConflictsPage

        return ConflictsPage(self.db)

    def _placed(self, tab: int, page: QWidget) -> None:
        if tab == ENTRY:
            self.entry.splitter.restoreState(self.settings.state("persist/entry_splitter"))
        elif tab == RESULTS:
            self.results.splitter.restoreState(self.settings.state("persist/results_splitter"))

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
        self._action(file, tr("Terbitkan &hasil untuk publik…"), self.publish_results)
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
        self.undo_group = QUndoGroup(self)  # the survey screen adds its own when it is made
        self.undo_group.addStack(self.score_history)
        self.undo_group.setActiveStack(self.score_history)
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
        shown = self.results.shown if self.built(RESULTS) else None
        survey = (self.surveys.unit, self.surveys.form) if self.built(SURVEYS) and self.surveys.units_filled \
            else (None, "skm")
        self._build(keep=(self.entry.unit, self.entry.evaluator) if self.built(ENTRY) else (None, None))
        if shown is not None:  # the other screens keep their unit in view too
            self.results.select_unit(shown)
        if survey[0] is not None:
            self.surveys.select(survey[0], survey[1])

    def show_guide(self) -> QDialog:
        from ui.help_dialog import GuideDialog

        dialog = GuideDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _about(self) -> QMessageBox:
        from ui.help_dialog import show_about

        return show_about(self, self.db.path)

    # --- events ----------------------------------------------------------------------------

    def _on_entry_saved(self, text: str) -> None:
        self.save_label.setText(text)

    def _on_tabs_current_changed(self, index: int) -> None:
        page = self.page(index)
        self.commit_entry()
        self.undo_group.setActiveStack(self.surveys.undo_stack if index == SURVEYS else self.score_history)
        # focus leaving a hidden screen lands on the next screen's first field, its period list, which the arrow
        # keys would then change: the screen's main list takes it instead
        focused = QApplication.focusWidget()
        if isinstance(focused, QComboBox) and page.isAncestorOf(focused):
            self._main_list(index).setFocus()

    def _main_list(self, tab: int) -> QWidget:
        """The list a screen's keyboard work starts in."""
        if tab == ENTRY:
            return self.entry.navigator
        if tab == RESULTS:
            return self.results.table
        if tab == SURVEYS:
            return self.surveys.grid
        return self.team.team if tab == TEAM else self.conflicts.table

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit_to_screen()  # the window system's frame is known once the window is shown

    def closeEvent(self, event: QCloseEvent) -> None:
        self.commit_entry()
        self._save_state()
        self.db.close()  # waits for the writes still queued
        if self.lock is not None:
            self.lock.unlock()
        super().closeEvent(event)
