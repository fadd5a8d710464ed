"""Start the desktop app: `python main.py [DATABASE]` (default: the user's data folder).

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
    first_run = not settings.text("persist/last_database")
    path = Path(argv[1]) if len(argv) > 1 else default_database()
    window = MainWindow(settings, path, demo=len(argv) <= 1)
    window.show()
    if check_start:
        QTimer.singleShot(0, lambda: print(f"started: {window.windowTitle()}", flush=True) or app.quit())
    elif first_run and len(argv) <= 1:
        window.start()  # over the example data: a new user chooses what to do first
    process.settle()
    return app.exec()


if __name__ == "__main__":
    multiprocessing.freeze_support()  # a packaged build's certificate workers start through this file
    sys.exit(main())
