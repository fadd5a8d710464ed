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
    path = Path(argv[1]) if len(argv) > 1 else default_database()
    window = MainWindow(Settings.from_app(), path, demo=len(argv) <= 1)
    window.show()
    process.settle()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
