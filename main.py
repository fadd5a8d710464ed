"""Start the desktop app: `python main.py [DATABASE]` (default: the database used last, else the example data in
the user's data folder).

`--check-start` opens the database, shows the window, and quits with 0 once it is up (how `make dist-check`
tries a packaged build without a person at the screen).
"""

from __future__ import annotations

import multiprocessing
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from ui import crash, process
from ui.main_window import MainWindow
from ui.settings import APPLICATION, ORGANIZATION, Settings, default_database
from workbench.i18n import tr


def opening(settings: Settings, args: list[str]) -> tuple[Path, str | None]:
    """The database to open: the one named, else the one used last, else the example data; and, when Mulai
    should be shown over it, what to say (a first start, or a last database that went away)."""
    if args:
        return Path(args[0]), None
    last = settings.text("persist/last_database")
    if not last:
        return default_database(), ""
    if not Path(last).exists():  # moved, deleted, or on a drive not plugged in
        return default_database(), tr("Basis data terakhir tidak ditemukan: {path}", path=last)
    return Path(last), None


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv if argv is None else argv
    check_start = "--check-start" in argv
    argv = [a for a in argv if a != "--check-start"]
    process.tune()
    app = QApplication(argv)
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    crash.install(default_database().parent)
    settings = Settings.from_app()
    path, greeting = opening(settings, argv[1:])
    # a check has nobody to say who they are: a database someone owns is opened read-only, as "only to look"
    window = MainWindow(settings, path, demo=path == default_database(),
                        identify=(lambda *question: None) if check_start else None)
    window.show()
    if check_start:
        QTimer.singleShot(0, lambda: print(f"started: {window.windowTitle()}", flush=True) or app.quit())
    elif greeting is not None:
        window.start()  # over the example data: a new user (or one whose file went away) chooses what to do
        window.statusBar().showMessage(greeting, 30000)
    process.settle()
    return app.exec()


if __name__ == "__main__":
    multiprocessing.freeze_support()  # a packaged build's certificate workers start through this file
    sys.exit(main())
