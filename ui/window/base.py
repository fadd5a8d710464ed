"""What every part of the main window shares: the open database, the screens, and the small helpers."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QLockFile, QStandardPaths
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QLabel, QMainWindow, QTabWidget, QWidget

from ui.database import Database
from ui.identity import Identity
from ui.settings import Settings, default_database
from ui.warning import warn
from workbench import Workbook

if TYPE_CHECKING:
    from ui.conflicts_page import ConflictsPage
    from ui.entry_page import EntryPage
    from ui.results_page import ResultsPage
    from ui.survey_page import SurveyPage
    from ui.team_page import TeamPage

DB_FILTER = "SQLite (*.sqlite *.db);;*"
ENTRY, RESULTS, CONFLICTS, TEAM, SURVEYS = range(5)  # the tabs, in order


class WindowBase(QMainWindow):
    """The state the window's parts read and write; MainWindow builds it (see ui.main_window)."""

    settings: Settings
    db: Database
    lock: QLockFile | None
    identity: Identity
    chosen_read_only: bool
    score_history: QUndoStack
    save_label: QLabel
    tabs: QTabWidget
    _pages: dict[int, QWidget]  # the screens built so far, by tab

    def _build(self, keep: tuple[str | None, str | None] = (None, None), tab: int | None = None) -> None:
        """(Re)create the menus and screens; MainWindow's."""
        raise NotImplementedError

    def _make_page(self, tab: int) -> QWidget:
        """Make the screen of a tab; MainWindow's."""
        raise NotImplementedError

    def page(self, tab: int) -> QWidget:
        """The screen of a tab, made the first time it is shown or asked for: only the screen in front is built
        when a workbook opens, so that the window is up sooner."""
        made = self._pages.get(tab)
        if made is None:
            made = self._pages[tab] = self._make_page(tab)
            shown, title, blocked = self.tabs.currentIndex(), self.tabs.tabText(tab), self.tabs.blockSignals(True)
            stand_in = self.tabs.widget(tab)
            self.tabs.removeTab(tab)
            self.tabs.insertTab(tab, made, title)
            self.tabs.setCurrentIndex(shown)
            self.tabs.blockSignals(blocked)
            if stand_in is not None:
                stand_in.deleteLater()
            self._placed(tab, made)
        return made

    def _placed(self, tab: int, page: QWidget) -> None:
        """What a screen takes from the settings once it is in its tab (its splitter's sizes); MainWindow's."""

    def built(self, tab: int) -> QWidget | None:
        """The screen of a tab when it has been built, else None (nothing of it to save or keep)."""
        return self._pages.get(tab)

    @property
    def entry(self) -> EntryPage:
        return cast("EntryPage", self.page(ENTRY))

    @property
    def results(self) -> ResultsPage:
        return cast("ResultsPage", self.page(RESULTS))

    @property
    def conflicts(self) -> ConflictsPage:
        return cast("ConflictsPage", self.page(CONFLICTS))

    @property
    def team(self) -> TeamPage:
        return cast("TeamPage", self.page(TEAM))

    @property
    def surveys(self) -> SurveyPage:
        return cast("SurveyPage", self.page(SURVEYS))

    def commit_entry(self) -> None:
        """Store a score still being typed on the entry screen, when it is built."""
        if self.built(ENTRY) is not None:
            self.entry.form.commit_pending()

    @property
    def example(self) -> bool:
        """Whether the open database is the example data (made by "Coba data contoh")."""
        return self.db.path.resolve() == default_database().resolve()

    @property
    def user(self) -> str:
        """Who works in this window, for the audit log (see ui.identity)."""
        return self.db.actor

    @property
    def wb(self) -> Workbook:
        """The open workbook, for reading (writes go through `db.write`)."""
        return self.db.reader

    def notify(self, text: str, milliseconds: int = 8000) -> None:
        """Say in the status bar what was done."""
        self.statusBar().showMessage(text, milliseconds)

    def _warn(self, title: str, text: str) -> None:
        warn(self, title, text)

    def _folder(self) -> str:
        """Where file dialogs open: the last folder used, else the database's own folder, except for the example
        data, which lives in a hidden data folder: then the user's documents; always a folder that exists (a
        dialog given a missing one offers its name as a file name)."""
        documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        candidates = [self.settings.text("persist/last_folder"),
                      documents if self.example else str(self.db.path.parent), str(Path.home()), "."]
        return next(folder for folder in candidates if folder and Path(folder).is_dir())

    def _save_state(self) -> None:
        self.settings.set("persist/geometry", self.saveGeometry())
        self.settings.set("persist/window_state", self.saveState())
        if self.built(ENTRY) is not None:
            self.settings.set("persist/entry_splitter", self.entry.splitter.saveState())
            self.settings.set("setting/evaluator", self.entry.evaluator)
        if self.built(RESULTS) is not None:
            self.settings.set("persist/results_splitter", self.results.splitter.saveState())
        self.settings.set("persist/tab", self.tabs.currentIndex())
