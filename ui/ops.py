"""Slow work off the GUI thread, with a progress dialog and Cancel.

`run_op` runs `fn(progress, cancel)` on a single worker thread (so only one thread writes to the
database at a time) and calls back on the GUI thread. Never touch widgets inside `fn`; open a
separate Workbook there, since a SQLite connection belongs to its thread.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from ui.i18n import tr
from workbench.progress import Cancelled, CancelToken, ProgressUpdate

_pool: QThreadPool | None = None
_running: set[_Task] = set()


def pool() -> QThreadPool:
    """The one worker thread for database work."""
    global _pool
    if _pool is None:
        _pool = QThreadPool()
        _pool.setMaxThreadCount(1)
    return _pool


class _Signals(QObject):
    progressed = Signal(object)
    succeeded = Signal(object)
    failed = Signal(object)


class _Task(QRunnable):
    def __init__(self, fn: Callable, cancel: CancelToken) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.fn, self.cancel, self.signals = fn, cancel, _Signals()

    def run(self) -> None:
        try:
            result = self.fn(self.signals.progressed.emit, self.cancel)
        except BaseException as exc:  # report every failure to the GUI thread, never die silently
            self.signals.failed.emit(exc)
        else:
            self.signals.succeeded.emit(result)


def run_op(parent: QWidget, fn: Callable[[Callable[[ProgressUpdate], None], CancelToken], object], *,
           on_success: Callable[[object], None], on_failure: Callable[[BaseException], None] | None = None,
           label: str | None = None) -> CancelToken:
    """Run `fn(progress, cancel)` in the worker; show a progress dialog with Cancel after 400 ms."""
    cancel = CancelToken()
    task = _Task(fn, cancel)
    dialog = QProgressDialog(label or tr("Sedang bekerja…"), tr("Batal"), 0, 0, parent)
    dialog.setWindowTitle(tr("Mohon tunggu"))
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(400)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.canceled.connect(cancel.cancel)

    def progressed(update: ProgressUpdate) -> None:
        dialog.setMaximum(update.total)
        dialog.setValue(update.current)
        if update.message:
            dialog.setLabelText(f"{label or ''}\n{update.message}".strip())

    def finish() -> None:
        dialog.canceled.disconnect(cancel.cancel)
        dialog.close()
        dialog.deleteLater()
        _running.discard(task)

    def succeeded(result: object) -> None:
        finish()
        on_success(result)

    def failed(exc: BaseException) -> None:
        finish()
        if isinstance(exc, Cancelled):
            return
        if on_failure is None:
            raise exc
        on_failure(exc)

    task.signals.progressed.connect(progressed)
    task.signals.succeeded.connect(succeeded)
    task.signals.failed.connect(failed)
    _running.add(task)
    pool().start(task)
    return cancel


def busy() -> bool:
    """Whether an operation is still running or waiting for its callback."""
    return bool(_running)
