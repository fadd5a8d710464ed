"""What every part of the main window shares: the open database, the screens, and the small helpers."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLockFile, QStandardPaths
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QLabel, QMainWindow, QTabWidget

from ui.conflicts_page import ConflictsPage
from ui.database import Database
from ui.entry_page import EntryPage
from ui.identity import Identity
from ui.results_page import ResultsPage
from ui.settings import Settings, default_database
from ui.survey_page import SurveyPage
from ui.team_page import TeamPage
from ui.warning import warn
from workbench import Workbook

DB_FILTER = "SQLite (*.sqlite *.db);;*"


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
    entry: EntryPage
    results: ResultsPage
    conflicts: ConflictsPage
    team: TeamPage
    surveys: SurveyPage

    def _build(self, keep: tuple[str | None, str | None] = (None, None)) -> None:
        """(Re)create the menus and screens; MainWindow's."""
        raise NotImplementedError

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
        self.settings.set("persist/entry_splitter", self.entry.splitter.saveState())
        self.settings.set("persist/results_splitter", self.results.splitter.saveState())
        self.settings.set("setting/evaluator", self.entry.evaluator)
        self.settings.set("persist/tab", self.tabs.currentIndex())
