"""Slow work off the GUI thread, with a progress dialog and Cancel.

`run_op` runs `fn(progress, cancel)` on a single worker thread (so only one thread writes to the
database at a time) and calls back on the GUI thread. Never touch widgets inside `fn`; open a
separate Workbook there, since a SQLite connection belongs to its thread.

The worker only stores its progress and outcome; a timer on the GUI thread polls them. Emitting
Python objects through signals from a worker thread has crashed PySide6 here (a refcount bug).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QCoreApplication, QRunnable, Qt, QThreadPool, QTimer
from PySide6.QtWidgets import QProgressDialog, QWidget

from ui.i18n import tr
from workbench.progress import Cancelled, CancelToken, ProgressUpdate

POLL_MS = 30
_pools: dict[str, QThreadPool] = {}
_running: set[_Task] = set()


def pool(name: str = "writer") -> QThreadPool:
    """The one worker thread for database work ("writer"), or the one for work that only reads ("reader")."""
    if name not in _pools:
        _pools[name] = QThreadPool()
        _pools[name].setMaxThreadCount(1)
    return _pools[name]


class _Task(QRunnable):
    def __init__(self, fn: Callable, cancel: CancelToken) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.fn, self.cancel = fn, cancel
        self.progress: ProgressUpdate | None = None
        self.result: object = None
        self.error: BaseException | None = None
        self.done = threading.Event()

    def report(self, update: ProgressUpdate) -> None:
        self.progress = update  # a plain attribute write: read by the GUI thread's timer

    def run(self) -> None:
        try:
            self.result = self.fn(self.report, self.cancel)
        except BaseException as exc:  # every failure goes to the GUI thread, never dies silently
            self.error = exc
        finally:
            self.done.set()


def run_op(parent: QWidget, fn: Callable[[Callable[[ProgressUpdate], None], CancelToken], object], *,
           on_success: Callable[[object], None], on_failure: Callable[[BaseException], None] | None = None,
           label: str | None = None, reads_only: bool = False) -> CancelToken:
    """Run `fn(progress, cancel)` in the worker; show a progress dialog with Cancel after 400 ms.

    With `reads_only` (e.g. a backup: it reads the database and writes elsewhere) it runs on a second
    thread, so that it never delays the writer's queue, and shows no dialog.
    """
    cancel = CancelToken()
    task = _Task(fn, cancel)
    dialog = QProgressDialog(label or tr("Sedang bekerja…"), tr("Batal"), 0, 0, parent)
    dialog.setWindowTitle(tr("Mohon tunggu"))
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(2**30 if reads_only else 400)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.canceled.connect(cancel.cancel)
    # the timer belongs to the application, so that an operation always ends even if its window went away
    timer = QTimer(QCoreApplication.instance())
    timer.setInterval(POLL_MS)

    def poll() -> None:
        alive = shiboken6.isValid(parent) and shiboken6.isValid(dialog)
        update = task.progress
        if alive and update is not None and not dialog.wasCanceled():
            dialog.setMaximum(update.total)
            dialog.setValue(update.current)
            if update.message:
                dialog.setLabelText(f"{label or ''}\n{update.message}".strip())
        if not task.done.is_set():
            return
        timer.stop()
        timer.deleteLater()
        _running.discard(task)
        if not alive:
            return  # the window that asked is gone: nobody to tell
        dialog.canceled.disconnect(cancel.cancel)
        dialog.close()
        dialog.deleteLater()
        if task.error is None:
            on_success(task.result)
        elif not isinstance(task.error, Cancelled):
            if on_failure is None:
                raise task.error
            on_failure(task.error)

    timer.timeout.connect(poll)
    _running.add(task)
    pool("reader" if reads_only else "writer").start(task)
    timer.start()
    return cancel


def busy() -> bool:
    """Whether an operation is still running or waiting for its callback."""
    return bool(_running)
