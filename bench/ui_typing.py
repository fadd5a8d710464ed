"""The window while an evaluator types scores into a 2,500-unit database and the results are recomputed
beside it: the longest event-loop stall and the slowest key, beside the same heartbeat measured in the same run
on the window left idle (the floor: what the event loop itself gives)."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QElapsedTimer, Qt, QTimer  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from bench._data import make_large_db  # noqa: E402
from ui import process  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.settings import Settings  # noqa: E402

SECONDS = 3.0


def heartbeat(app: QApplication, work: object = None) -> tuple[int, float, int]:
    """Run the event loop for SECONDS with a 2 ms timer, calling `work()` every 40 ms when given: the longest
    gap between two beats (ms), the slowest call of `work` (ms), and how many calls."""
    beat, gaps = QElapsedTimer(), []
    timer = QTimer()
    timer.setInterval(2)
    timer.timeout.connect(lambda: gaps.append(beat.restart()))
    beat.start()
    timer.start()
    slowest, calls, started = 0.0, 0, time.perf_counter()
    while time.perf_counter() - started < SECONDS:
        if callable(work):
            began = time.perf_counter()
            work()
            slowest = max(slowest, time.perf_counter() - began)
            calls += 1
        QTest.qWait(40)
    timer.stop()
    return max(gaps[1:]), slowest * 1000, calls


def main() -> None:
    app = QApplication.instance() or QApplication(sys.argv)
    folder = Path(tempfile.mkdtemp(prefix="workbench-typing-"))
    path = make_large_db(folder / "besar.sqlite", units=2500, evaluators=2, unscored=1)
    settings = Settings.from_file(str(folder / "bench.ini"))
    settings.set("setting/user", "Evaluator 1")  # the app's user: nobody is asked who they are
    window = MainWindow(settings, path)
    window.show()
    QTest.qWait(1500)  # the first reads and the rolling backup
    process.settle()
    entry = window.entry
    entry.evaluator_box.setCurrentText("Evaluator 1")
    entry.reload()
    entry.select_unit("U00001")
    idle_stall, _, _ = heartbeat(app)

    def type_one() -> None:
        if not window.results._computing:
            window.results.recompute(force=True)  # the long work: 2,500 units, 155,000 observations
        entry.form.rubric.setFocus()
        for key in (Qt.Key.Key_3, Qt.Key.Key_N):
            QTest.keyClick(entry.form.rubric, key)

    stall, slowest_key, typed = heartbeat(app, type_one)
    window.close()
    print(f"idle window, longest event-loop gap: {idle_stall} ms (the floor)")
    ratio = stall / max(idle_stall, 1)
    print(f"typing {typed} scores while results recompute: longest gap {stall} ms, ratio {ratio:.1f}x (aim < 50 ms); "
          f"slowest score + N: {slowest_key:.1f} ms (aim < 50 ms)")


if __name__ == "__main__":
    main()
