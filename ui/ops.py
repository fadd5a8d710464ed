"""Slow work off the GUI thread, with a progress dialog and Cancel when it is long.

`run_op` runs `fn(progress, cancel)` on one of two single-thread pools: "writer" (the app's one
database writer) or "reader" (work that only reads: computing results, backups, exports), and calls
back on the GUI thread. Never touch widgets inside `fn`.

The worker only stores its progress and outcome; a timer on the GUI thread polls them. Emitting
Python objects through signals from a worker thread has crashed PySide6 here (a refcount bug).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Literal

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QRunnable, Qt, QThreadPool, QTimer
from PySide6.QtWidgets import QProgressDialog, QWidget

from workbench.i18n import tr
from workbench.progress import Cancelled, CancelToken, ProgressUpdate

POLL_MS = 15
Work = Callable[[Callable[[ProgressUpdate], None], CancelToken], object]
PoolName = Literal["writer", "reader"]
_pools: dict[str, QThreadPool] = {}


def pool(name: PoolName = "writer") -> QThreadPool:
    """The one worker thread for database writes ("writer"), or the one for work that only reads ("reader")."""
    if name not in _pools:
        _pools[name] = QThreadPool()
        _pools[name].setMaxThreadCount(1)
    return _pools[name]


class _Task(QRunnable):
    def __init__(self, fn: Work, cancel: CancelToken) -> None:
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


class _Running:
    """An operation on its way: its task, its dialog and its callbacks (delivered in the order started)."""

    def __init__(self, task: _Task, dialog: QProgressDialog | None, label: str | None, parent: QObject,
                 on_success: Callable[[object], None] | None, on_failure: Callable[[BaseException], object] | None,
                 on_finished: Callable[[], None] | None) -> None:
        self.task, self.dialog, self.label, self.parent = task, dialog, label, parent
        self.on_success, self.on_failure, self.on_finished = on_success, on_failure, on_finished

    def show_progress(self) -> None:
        update, dialog = self.task.progress, self.dialog
        if update is None or dialog is None or not shiboken6.isValid(dialog) or dialog.wasCanceled():
            return
        dialog.setMaximum(update.total)
        dialog.setValue(update.current)
        if update.message:
            dialog.setLabelText(f"{self.label or ''}\n{update.message}".strip())

    def finish(self) -> None:
        dialog, task = self.dialog, self.task
        if dialog is not None and shiboken6.isValid(dialog):
            dialog.canceled.disconnect(task.cancel.cancel)
            dialog.close()
            dialog.deleteLater()
        if self.on_finished is not None:
            self.on_finished()
        if not shiboken6.isValid(self.parent):
            return  # the window that asked is gone: nobody to tell
        if task.error is None:
            if self.on_success is not None:
                self.on_success(task.result)
        elif not isinstance(task.error, Cancelled):
            if self.on_failure is None:
                raise task.error
            self.on_failure(task.error)


_queue: list[_Running] = []
_timer: QTimer | None = None


def _poll() -> None:
    """Show progress, and finish every operation that is done, in the order the operations were started."""
    for running in list(_queue):
        running.show_progress()
        if running.task.done.is_set():
            _queue.remove(running)
            running.finish()
    if not _queue and _timer is not None:
        _timer.stop()


def run_op(parent: QObject, fn: Work, *, on_success: Callable[[object], None] | None = None,
           on_failure: Callable[[BaseException], object] | None = None, label: str | None = None,
           pool_name: PoolName = "writer", on_finished: Callable[[], None] | None = None) -> CancelToken:
    """Run `fn(progress, cancel)` in a worker; with a `label` (and a widget parent), show a progress dialog
    with Cancel after 400 ms.

    `on_finished` runs first on the GUI thread whatever happened, even when `parent` is gone; then
    `on_success` or `on_failure` (a cancelled operation calls neither), only while `parent` lives.
    """
    global _timer
    cancel = CancelToken()
    task = _Task(fn, cancel)
    dialog = None
    if label is not None and isinstance(parent, QWidget):
        dialog = QProgressDialog(label, tr("Batal"), 0, 0, parent)
        dialog.setWindowTitle(tr("Mohon tunggu"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(400)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(cancel.cancel)
    _queue.append(_Running(task, dialog, label, parent, on_success, on_failure, on_finished))
    if _timer is None:
        # the timer belongs to the application, so that an operation always ends even if its window went away
        _timer = QTimer(QCoreApplication.instance())
        _timer.setInterval(POLL_MS)
        _timer.timeout.connect(_poll)
    _timer.start()
    pool(pool_name).start(task)
    return cancel


def busy() -> bool:
    """Whether an operation is still running or waiting for its callback."""
    return bool(_queue)
