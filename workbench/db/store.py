"""The one SQLite connection of a workbook: opening, transactions, named rows and change events."""

from __future__ import annotations

import errno
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar, cast

from uuid_utils import uuid7

from workbench.db.schema import SCHEMA_VERSION, foreign_objects, migrate
from workbench.errors import Busy, DiskFull, NotAWorkbench, NotFound, WorkbenchError, foreign_schema
from workbench.events import Changes, Events
from workbench.i18n import tr

T = TypeVar("T")
Params = Sequence[object] | dict[str, object]


def now() -> str:
    """The current UTC time as ISO 8601 text, to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def new_uuid() -> str:
    """A time-ordered UUID (version 7): new rows append to the end of the uuid index."""
    return str(uuid7())


def connect(path: str | Path, passphrase: str | None = None, *, read_only: bool = False) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are explicit) with foreign keys on and WAL for writers.

    With a passphrase the file is opened with SQLCipher. Raises sqlite3.DatabaseError for a wrong key.
    """
    target = f"{Path(path).resolve().as_uri()}?mode=ro" if read_only else str(path)
    if passphrase is None:
        conn = sqlite3.connect(target, isolation_level=None, check_same_thread=False, timeout=10, uri=read_only)
    else:
        import sqlcipher3  # SQLCipher-compatible encryption, a DB-API drop-in for sqlite3

        conn = cast(sqlite3.Connection, sqlcipher3.connect(target, isolation_level=None, check_same_thread=False,
                                                          timeout=10, uri=read_only))  # the same DB-API
        conn.execute("PRAGMA cipher_log_level = NONE")  # a wrong key is our message, not SQLCipher's log line
        conn.execute("PRAGMA key = '" + passphrase.replace("'", "''") + "'")  # PRAGMA takes no parameters
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute(f"PRAGMA busy_timeout = {BUSY_STEP_MS}")
        if str(path) != ":memory:" and not read_only:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
    except BaseException:
        conn.close()  # a wrong key fails here; an open handle would keep the file locked
        raise
    return conn


def _disk_full(exc: BaseException) -> bool:
    """Whether SQLite (or SQLCipher, with its own error types) or the system ran out of space (a file size
    limit, or a write the disk refused, included)."""
    return ((type(exc).__name__ == "OperationalError" and ("full" in str(exc) or "disk I/O error" in str(exc)))
            or (isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT)))


def _locked(exc: BaseException) -> bool:
    return type(exc).__name__ == "OperationalError" and "locked" in str(exc)


def busy_wait() -> float:
    """How long a write waits for another program's write to finish: WORKBENCH_BUSY_WAIT seconds, else 60."""
    try:
        return max(0.0, float(os.environ.get("WORKBENCH_BUSY_WAIT", "60")))
    except ValueError:
        return 60.0


BUSY_STEP_MS = 1000  # SQLite's own wait between two notes to the user that the file is busy


# What runs around the COMMIT of every outermost write, in this order, whichever service registered first: the
# results the writes made stale are recomputed, then the audit log's anchor is signed over all that was written;
# once committed, the log remembers where it ends.
BEFORE_COMMIT = ("settle results", "sign audit")
AFTER_COMMIT = ("remember audit end",)


class Store:
    """Owns one connection to a workbook database; every write of the core goes through `transaction()`.

    `read_only` opens the file without write access (a second window); `query_only` opens it normally but
    refuses writes on this connection (the app's reading connection, whose writes go to its one writer).
    A file holding tables, triggers, views or indexes its schema version does not have is refused
    (ForeignSchema), unless opened to `inspect` it (check, backup).
    Changes noted during a transaction are announced on `events` after it commits.
    """

    def __init__(self, path: str | Path, *, create: bool = False, actor: str | None = None,
                 passphrase: str | None = None, read_only: bool = False, query_only: bool = False,
                 inspect: bool = False) -> None:
        self.path = Path(path)
        if not create and not self.path.is_file():
            raise NotFound("{file}: basis data tidak ditemukan", file=str(path))
        if create and self.path.exists():
            raise WorkbenchError("{file}: sudah ada; pilih nama lain", file=str(path))
        if not create and self.path.stat().st_size == 0:  # SQLite would take it for a new, empty database
            raise NotAWorkbench("{file}: berkas kosong, bukan basis data workbench", file=self.path.name)
        if not create and not read_only and not (os.access(self.path, os.W_OK)
                                                 and os.access(self.path.resolve().parent, os.W_OK)):
            raise WorkbenchError("{file}: berkas atau foldernya hanya-baca; salin ke folder yang dapat ditulis "
                                 "(mis. Dokumen) lalu buka salinannya", file=self.path.name)
        self.actor = actor or "operator"
        self.passphrase = passphrase
        self.read_only = read_only
        self.query_only = query_only
        self.closed = False
        # told, while a write waits for another program's (the app importing, a script), that it waits
        self.on_busy: Callable[[str], None] | None = None
        self.events = Events()
        self._pending = Changes()
        self._commit_hooks: dict[str, Callable[[], None]] = {}  # by phase (see COMMIT_PHASES)
        try:
            self.conn = connect(self.path, passphrase, read_only=read_only)
        except Exception as exc:  # sqlite3 and sqlcipher3 raise their own DatabaseError types
            raise self._unreadable(exc) from exc
        try:
            found = self.conn.execute("PRAGMA user_version").fetchone()[0]
            if found > SCHEMA_VERSION:
                raise WorkbenchError("{file}: dibuat oleh versi yang lebih baru (skema {found} > {known})",
                                     file=self.path.name, found=found, known=SCHEMA_VERSION)
            if found == 0 and not create and self.value("SELECT count(*) FROM sqlite_master"):
                raise NotAWorkbench("{file}: bukan basis data workbench atau terenkripsi ({detail})",
                                    file=self.path.name, detail="user_version 0")
            strange = foreign_objects(self.conn)
            if strange and not inspect:
                raise foreign_schema(self.path.name, strange)
            if not read_only and not strange:
                migrate(self.conn)
            if query_only:
                self.conn.execute("PRAGMA query_only = ON")
        except WorkbenchError:
            self.conn.close()
            raise
        except Exception as exc:
            self.conn.close()
            raise self._unreadable(exc) from exc

    def _unreadable(self, exc: Exception) -> WorkbenchError:
        if self.passphrase:
            return NotAWorkbench("{file}: kata sandi basis data salah, atau bukan basis data terenkripsi",
                                 file=self.path.name)
        return NotAWorkbench("{file}: bukan basis data workbench atau terenkripsi ({detail})", file=self.path.name,
                             detail=str(exc))

    def close(self) -> None:
        self.conn.close()
        self.closed = True

    # --- transactions and changes ------------------------------------------------------------

    @contextmanager
    def transaction(self, *, dry_run: bool = False) -> Iterator[None]:
        """One all-or-nothing write; nested calls become savepoints of the outer one.

        The changes noted inside are emitted once the outermost transaction has committed. A `dry_run`
        does everything and then rolls it all back (to count what a write would do).
        """
        if self._in_transaction():
            name = f"sp{id(object())}"
            self.conn.execute(f"SAVEPOINT {name}")
            try:
                yield
            except BaseException:
                if self._in_transaction():  # SQLite ends the whole transaction itself on some errors (full disk)
                    self.conn.execute(f"ROLLBACK TO {name}")
                    self.conn.execute(f"RELEASE {name}")
                raise
            self.conn.execute(f"RELEASE {name}")
            return
        self._begin()
        self._pending = Changes()
        try:
            yield
        except BaseException as exc:
            self._abandon(exc)
            raise
        if dry_run:
            self.conn.execute("ROLLBACK")
            self._pending = Changes()
            return
        try:
            self._run_phases(BEFORE_COMMIT)
            self.conn.execute("COMMIT")
        except BaseException as exc:
            self._abandon(exc)
            raise
        self._run_phases(AFTER_COMMIT)
        changes, self._pending = self._pending, Changes()
        self.events.emit(changes)

    def _begin(self) -> None:
        """Take the write lock now, not half-way through; while another program holds it, say so (`on_busy`)
        and wait, up to `busy_wait()` seconds, then give up with Busy, nothing written."""
        waited = 0.0
        while True:
            try:
                self.conn.execute("BEGIN IMMEDIATE")
                return
            except Exception as exc:
                if not _locked(exc):
                    raise
                waited += BUSY_STEP_MS / 1000
                if waited > busy_wait():
                    raise Busy("{file}: basis data masih dipakai program lain setelah {seconds} detik; tidak ada "
                               "yang ditulis. Tunggu program itu selesai (mis. impor di aplikasi), lalu ulangi",
                               file=self.path.name, seconds=round(waited)) from exc
                if self.on_busy is not None:
                    self.on_busy(tr("{file}: basis data sedang dipakai program lain; mencoba lagi…",
                                    file=self.path.name))

    def on_commit(self, phase: str, hook: Callable[[], None]) -> None:
        """Run `hook` in its phase of every outermost write (see COMMIT_PHASES); registering a phase again
        replaces its hook, so that a second service on the same store does not run twice."""
        if phase not in (*BEFORE_COMMIT, *AFTER_COMMIT):
            raise ValueError(f"unknown commit phase: {phase}")
        self._commit_hooks[phase] = hook

    def _run_phases(self, phases: tuple[str, ...]) -> None:
        for phase in phases:
            hook = self._commit_hooks.get(phase)
            if hook is not None:
                hook()

    def _abandon(self, exc: BaseException) -> None:
        """A transaction that failed is rolled back and its changes forgotten; a full disk is said as such."""
        if self._in_transaction():
            self.conn.execute("ROLLBACK")
        self._pending = Changes()
        if _disk_full(exc):
            raise DiskFull("{file}: disk penuh; tidak ada yang ditulis. Kosongkan ruang lalu ulangi",
                           file=self.path.name) from exc

    def _in_transaction(self) -> bool:
        # a call, not the attribute: a type checker would take the attribute's first test for all later ones
        return self.conn.in_transaction

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Reads that see one consistent state of the database (a read transaction; no lock in WAL mode)."""
        if self._in_transaction():
            yield
            return
        self.conn.execute("BEGIN")
        try:
            yield
        finally:
            if self._in_transaction():
                self.conn.execute("COMMIT")

    def changed(self, changes: Changes) -> None:
        """Note what the current transaction changes; it is announced after the commit."""
        if not self._in_transaction():
            raise RuntimeError("changes are noted inside a transaction")
        self._pending = self._pending | changes

    def mark_results_dirty(self, period_id: int, unit_ids: Iterable[int]) -> None:
        """Note units whose results the current transaction changes; they are recomputed before it commits.
        Triggers do this for agreed scores, new units and periods and settings; writes of scores and
        questionnaires call it, once per unit, since a row trigger doubled the cost of a bulk import."""
        self.conn.executemany("INSERT OR IGNORE INTO dirty_results (period_id, unit_id) VALUES (?, ?)",
                              [(period_id, unit_id) for unit_id in unit_ids])

    def dirty_periods(self) -> list[int]:
        """The ids of the periods in which the current transaction changed units' results."""
        return [row[0] for row in self.conn.execute("SELECT DISTINCT period_id FROM dirty_results")]

    def clear_dirty(self, period_id: int) -> None:
        """Forget a period's changed units once their results are recomputed."""
        self.conn.execute("DELETE FROM dirty_results WHERE period_id = ?", (period_id,))

    def data_version(self) -> int:
        """A number that changes when another connection (or process) commits to the file."""
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0])

    # --- reading -----------------------------------------------------------------------------

    def execute(self, sql: str, params: Params = ()) -> sqlite3.Cursor:
        """Run one statement on the workbook's connection (the storage layer's own: services go through here)."""
        return self.conn.execute(sql, params)

    def executemany(self, sql: str, rows: Iterable[Params]) -> sqlite3.Cursor:
        """Run one statement for each of `rows`."""
        return self.conn.executemany(sql, rows)

    def copy_to(self, target: sqlite3.Connection) -> None:
        """Copy the whole database into `target` (SQLite's online backup: a consistent snapshot)."""
        self.conn.backup(target)

    def replace_with(self, source: sqlite3.Connection) -> None:
        """Put the whole of `source` in place of this database (a restore), through this connection."""
        source.backup(self.conn)

    def foreign_objects(self) -> list[str]:
        """Tables, indexes, triggers and views this schema version does not have (see schema.foreign_objects)."""
        return foreign_objects(self.conn)

    def one(self, sql: str, params: Params = ()) -> tuple[Any, ...] | None:
        """The first row of a query, or None."""
        row: tuple[Any, ...] | None = self.conn.execute(sql, params).fetchone()
        return row

    def value(self, sql: str, params: Params = ()) -> Any:
        """The first column of the first row of a query, or None."""
        row = self.one(sql, params)
        return None if row is None else row[0]

    def rows(self, cls: type[T], sql: str, params: Params = ()) -> list[T]:
        """Rows as `cls` instances built from the query's column names (`SELECT x AS field`).

        A column without a field of that name, or a missing field, raises TypeError at once.
        """
        cursor = self.conn.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [cls(**dict(zip(names, row, strict=True))) for row in cursor]

    def dicts(self, sql: str, params: Params = ()) -> list[dict[str, Any]]:
        """Rows as dictionaries keyed by column name."""
        cursor = self.conn.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor]
