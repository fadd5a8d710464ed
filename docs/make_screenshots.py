"""Render the entry and results screens on the demo database to docs/*.png (offscreen)."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from ui.main_window import MainWindow  # noqa: E402
from ui.ops import busy  # noqa: E402
from ui.settings import Settings  # noqa: E402


def settle(app: QApplication) -> None:
    loop = QEventLoop()
    timer = QTimer()
    timer.timeout.connect(lambda: None if busy() else loop.quit())
    timer.start(20)
    loop.exec()
    app.processEvents()


def main() -> None:
    app = QApplication(sys.argv)
    folder = Path(tempfile.mkdtemp())
    window = MainWindow(Settings.from_file(folder / "s.ini"), folder / "demo.sqlite", demo=True)
    window.resize(1280, 800)
    window.show()
    entry = window.entry
    entry.select_unit("DEMO-02")
    entry.select_indicator("6.a.B")
    entry.form.notes.show_text("Laporan SKM 2025 ada, publikasi hanya di papan pengumuman.")
    settle(app)
    window.grab().save(str(ROOT / "docs" / "entry.png"))
    window.tabs.setCurrentIndex(1)
    settle(app)
    window.results.select_row(1)
    settle(app)
    window.grab().save(str(ROOT / "docs" / "results.png"))
    window.close()


if __name__ == "__main__":
    main()
