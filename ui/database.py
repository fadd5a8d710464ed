"""The app's access to one workbook: reads on the GUI thread, every write on the one writer thread,
and the core's change events delivered to the screens on the GUI thread.

Three connections to the same file: `reader` for the GUI thread (it refuses writes, so that no screen
can write by mistake), the writer used only on the "writer" pool, and a background reader used only on
the "reader" pool. SQLite in WAL mode lets readers go on while the writer commits: the GUI never waits
for a lock.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from ui.ops import PoolName, pool, run_op
from workbench import Workbook
from workbench.events import Changes
from workbench.progress import CancelToken, ProgressUpdate

Job = Callable[[Workbook, Callable[[ProgressUpdate], None], CancelToken], Any]
WATCH_MS = 1000


class Database(QObject):
    """One open workbook in the app; screens read `reader`, write through `write`, and listen to `changed`."""

    # Changes, and the object that asked for the write (None for another program's), on the GUI thread,
    # after the write has committed: a screen that showed its own edit already need not read it back
    changed = Signal(object, object)
    failed = Signal(str)  # a background write that failed and that nobody else handles
    busy = Signal(str)  # the writer waits for another program's write to finish (said on the GUI thread)

    def __init__(self, path: Path, *, passphrase: str | None = None, read_only: bool = False,
                 actor: str | None = None) -> None:
        super().__init__()
        self._writer: Workbook | None = None
        self._busy_notes: deque[str] = deque()  # appended on the writer thread, said by the watch timer
        if not read_only:
            self._writer = Workbook(path, passphrase=passphrase, actor=actor)
            self._writer.events.connect(self._on_core_changed)
            self._writer.store.on_busy = self._busy_notes.append
        self.reader = Workbook(path, passphrase=passphrase, read_only=read_only, query_only=True, actor=actor)
        self._background = self.reader.reopen(query_only=True)
        # (changes, who asked): appended on the writer thread while a job runs, drained on the GUI thread
        self._pending: deque[tuple[Changes, QObject | None]] = deque()
        self._asking: QObject | None = None  # who asked for the write the writer thread is running
        self._jobs = 0
        self.closed = False
        # set once the app's event loop runs, or when closing: work that should not slow the opening waits
        self.started = threading.Event()
        QTimer.singleShot(0, self.started.set)
        self._seen_version = self._watched().store.data_version()
        self._watch = QTimer(self)
        self._watch.setInterval(WATCH_MS)
        self._watch.timeout.connect(self._on_watch_timeout)
        self._watch.start()

    @property
    def path(self) -> Path:
        return self.reader.path

    @property
    def read_only(self) -> bool:
        return self._writer is None

    @property
    def passphrase(self) -> str | None:
        return self.reader.passphrase

    @property
    def actor(self) -> str:
        """Who the writes are recorded as in the audit log."""
        return self.reader.actor

    @actor.setter
    def actor(self, name: str) -> None:
        for wb in (self._writer, self.reader, self._background):
            if wb is not None:
                wb.store.actor = name  # a plain attribute; the writer reads it in its next job

    @property
    def idle(self) -> bool:
        """Whether no job of this database is queued or running."""
        return self._jobs == 0

    # --- running work -------------------------------------------------------------------------

    def write(self, job: Job, *, parent: QObject | None = None, on_success: Callable[[Any], None] | None = None,
              on_failure: Callable[[BaseException], object] | None = None, label: str | None = None) -> CancelToken:
        """Run `job(writer, progress, cancel)` on the writer thread; callbacks come on the GUI thread.

        Writes run one after the other in the order given. Without `on_failure`, a failure is sent to `failed`.
        """
        if self._writer is None:
            raise RuntimeError("this database is open read-only")
        return self._run(job, self._writer, "writer", parent, on_success, on_failure, label)

    def read(self, job: Job, *, parent: QObject | None = None, on_success: Callable[[Any], None] | None = None,
             on_failure: Callable[[BaseException], object] | None = None, label: str | None = None) -> CancelToken:
        """Run `job(reader, progress, cancel)` on the background reader thread (it never delays a write)."""
        return self._run(job, self._background, "reader", parent, on_success, on_failure, label)

    def _run(self, job: Job, wb: Workbook, pool_name: PoolName, parent: QObject | None,
             on_success: Callable[[Any], None] | None, on_failure: Callable[[BaseException], object] | None,
             label: str | None) -> CancelToken:
        self._jobs += 1

        def work(progress: Callable[[ProgressUpdate], None], cancel: CancelToken) -> Any:
            self._asking = parent  # read by the core's listener, on this same thread
            try:
                return job(wb, progress, cancel)
            finally:
                self._asking = None

        def finished() -> None:
            self._jobs -= 1
            self._deliver()

        def failed(exc: BaseException) -> None:
            if on_failure is not None:
                on_failure(exc)
            else:
                self.failed.emit(str(exc))

        return run_op(parent or self, work, on_success=on_success, on_failure=failed, label=label,
                      pool_name=pool_name, on_finished=finished)

    # --- change events ------------------------------------------------------------------------

    def _on_core_changed(self, changes: Changes) -> None:
        self._pending.append((changes, self._asking))  # the writer thread: only hand over, the GUI thread emits

    def _deliver(self) -> None:
        if self.closed:
            return  # the window is going away: nobody reads any more
        while self._pending:  # one signal per asker, in the order the writes committed
            changes, asking = self._pending.popleft()
            while self._pending and self._pending[0][1] is asking:
                changes = changes | self._pending.popleft()[0]
            self.changed.emit(changes, asking)

    def _watched(self) -> Workbook:
        """The connection on which another program's commits show: the writer, or, read-only, the reader."""
        return self._writer or self.reader

    def _on_watch_timeout(self) -> None:
        """Notice writes made by another program (the command line, another window) and announce them."""
        if self.closed:
            return
        if self._busy_notes:
            note = self._busy_notes.pop()
            self._busy_notes.clear()
            self.busy.emit(note)
        if self._writer is None:
            self._check_version(self.reader.store.data_version())
        elif self.idle:
            self.write(lambda wb, progress, cancel: wb.store.data_version(), on_success=self._check_version)

    def _check_version(self, version: int) -> None:
        if version != self._seen_version and not self.closed:
            self._seen_version = version
            self.changed.emit(Changes.everything(), None)

    # --- closing ------------------------------------------------------------------------------

    def close(self) -> None:
        """Finish queued work, then close every connection."""
        self.closed = True
        self.started.set()  # a job still waiting for the event loop goes ahead, so closing never stalls
        self._watch.stop()
        pool("writer").waitForDone()
        pool("reader").waitForDone()
        for wb in (self._writer, self.reader, self._background):
            if wb is not None and not wb.closed:
                wb.close()
