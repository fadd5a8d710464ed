"""Start the desktop app: `python main.py [DATABASE]` (default: the user's data folder)."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from ui import crash, process
from ui.main_window import MainWindow
from ui.settings import APPLICATION, ORGANIZATION, Settings, default_database


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv if argv is None else argv
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
    if first_run and len(argv) <= 1:
        window.start()  # over the example data: a new user chooses what to do first
    process.settle()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
