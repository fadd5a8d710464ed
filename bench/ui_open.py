"""Time from process start to the results table showing 5,000 units x 31 indicators x 3 evaluators (kept
current by every write, so read, not computed), beside a bare PySide6 window started in the same run."""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._data import make_large_db  # noqa: E402

BARE = """
import sys
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
app = QApplication(sys.argv)
window = QMainWindow()
window.setCentralWidget(QLabel("halo"))
window.resize(1280, 800)
window.show()
app.processEvents()
print("shown", flush=True)
"""

APP = """
import sys
sys.path.insert(0, {root!r})
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from ui.main_window import MainWindow
from ui.settings import Settings
app = QApplication(sys.argv)
settings = Settings.from_file({ini!r})
settings.set("persist/tab", 1)
settings.set("setting/user", "Ketua")
settings.set("persist/last_database", str(__import__("pathlib").Path({db!r}).resolve()))  # reopening: tab kept
window = MainWindow(settings, __import__("pathlib").Path({db!r}))
window.resize(1280, 800)
window.show()

def ready():  # polled by the event loop, which sleeps between events as it does for a user
    if window.results.model.rowCount() and window.wb.results.is_fresh():
        assert window.results.model.index(0, 1).data()
        print("shown", window.results.model.rowCount(), flush=True)
        app.quit()

timer = QTimer()
timer.timeout.connect(ready)
timer.start(5)
app.exec()
"""


def until_shown(code: str) -> float:
    """Seconds from starting a Python process to it printing 'shown'."""
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True,
                               env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"})
    line = process.stdout.readline()
    elapsed = time.perf_counter() - start
    process.wait()
    assert line.startswith("shown"), line
    return elapsed


def fresh(path: Path) -> Path:
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    shutil.rmtree(Path(str(path) + ".backups"), ignore_errors=True)
    return path


def main() -> None:
    folder = Path(tempfile.gettempdir()) / "workbench-bench"
    folder.mkdir(exist_ok=True)
    db = make_large_db(fresh(folder / "ui-open-5000x31x3.sqlite"))
    ini = str(folder / "ui-open.ini")
    firsts = []
    for n in range(3):  # files never opened before: the writer takes a rolling backup of each (100 MB)
        copy = fresh(folder / f"ui-open-first-{n}.sqlite")
        shutil.copyfile(db, copy)
        firsts.append(until_shown(APP.format(root=str(ROOT), ini=ini, db=str(copy))))
        fresh(copy)
    first = statistics.median(firsts)
    app = APP.format(root=str(ROOT), ini=ini, db=str(db))
    until_shown(app)  # its backup taken: the reopens below are of a file opened before
    bare = statistics.median(until_shown(BARE) for _ in range(5))
    cached = statistics.median(until_shown(app) for _ in range(5))
    print(f"bare PySide6 window shown: {bare:.3f} s (median of 5)")
    print(f"workbench, first open of a file (its rolling backup taken once the window is up), median of 3: "
          f"{first:.3f} s, ratio {first / bare:.2f}x (aim <= 2x)")
    print(f"workbench, reopen (median of 5): {cached:.3f} s, ratio {cached / bare:.2f}x (aim <= 1.5x)")


if __name__ == "__main__":
    main()
