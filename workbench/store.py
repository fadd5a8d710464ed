"""The connection, transactions, settings and audit trail that every part of the Workbook shares."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Self

from workbench.errors import WorkbenchError
from workbench.schema import SCHEMA_VERSION, migrate

if TYPE_CHECKING:
    import sqlite_utils

GENESIS_HASH = "0" * 64


@dataclass(frozen=True)
class Setting:
    """A workbook setting stored in the database, declared once with its default and choices."""

    key: str
    default: str
    choices: tuple[str, ...] = ()
    doc: str = ""


SETTINGS: dict[str, Setting] = {s.key: s for s in (
    Setting("unit_score_rule", "consensus_or_mean", ("consensus_or_mean", "mean"),
            "How a unit's indicator score is formed when several evaluators scored it"),
    Setting("skm_weight_mode", "exact", ("exact", "0.111", "0.11"), "Weight of each SKM unsur"),
    Setting("evidence_max_bytes", str(50 * 1024 * 1024), (), "Largest evidence file accepted"),
    Setting("conflict_threshold", "2", (), "Evaluators whose scores of an indicator differ by this much disagree"),
)}


def now() -> str:
    """The current UTC time as ISO 8601 text, to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def file_sha256(path: Path) -> str:
    """The sha256 of a file, read in 1 MB blocks."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def new_uuid() -> str:
    return str(uuid.uuid4())


def new_uuids(count: int) -> list[str]:
    """`count` time-ordered UUIDs (version 7: milliseconds, then a counter, then random bits), made in bulk.

    Ordered ids go to the end of the uuid index instead of all over it: a 100,000-row import inserts
    about a quarter faster than with uuid4.
    """
    ms = time.time_ns() // 1_000_000
    noise = os.urandom(6 * count)
    result = []
    for n in range(count):
        tail = int.from_bytes(noise[6 * n:6 * n + 6], "big") >> 4  # 44 random bits
        value = (ms << 80) | (0x7 << 76) | ((n >> 18) & 0xFFF) << 64 | (0b10 << 62) | (n & 0x3FFFF) << 44 | tail
        h = f"{value:032x}"
        result.append(f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}")
    return result


def raw_connect(path: str | Path, passphrase: str | None = None, *, read_only: bool = False) -> sqlite3.Connection:
    """A plain connection, or an SQLCipher one unlocked with the passphrase."""
    target = f"{Path(path).resolve().as_uri()}?mode=ro" if read_only else str(path)
    if passphrase is None:
        return sqlite3.connect(target, isolation_level=None, check_same_thread=False, timeout=10, uri=read_only)
    import sqlcipher3  # SQLCipher-compatible encryption, a DB-API drop-in for sqlite3

    conn = sqlcipher3.connect(target, isolation_level=None, check_same_thread=False, timeout=10, uri=read_only)
    conn.execute("PRAGMA key = '" + passphrase.replace("'", "''") + "'")  # PRAGMA takes no parameters
    return conn


def connect(path: str | Path, passphrase: str | None = None, *, read_only: bool = False) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are explicit), WAL and foreign keys on."""
    conn = raw_connect(path, passphrase, read_only=read_only)
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA busy_timeout = 10000")
        if str(path) != ":memory:" and not read_only:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
    except BaseException:
        conn.close()  # a wrong key fails here; an open handle would keep the file locked
        raise
    return conn


class Store:
    """Owns the SQLite connection of one workbook; subclasses add the domain operations."""

    def __init__(self, path: str | Path, *, create: bool = False, actor: str | None = None,
                 passphrase: str | None = None, read_only: bool = False) -> None:
        self.path = Path(path)
        if not create and not self.path.is_file():
            raise WorkbenchError("db_missing", file=str(path))
        if create and self.path.exists():
            raise WorkbenchError("db_exists", file=str(path))
        self.actor = actor or "operator"
        self.passphrase = passphrase
        self.read_only = read_only  # e.g. while another window has the database open for writing
        self.closed = False
        try:
            self.conn = connect(self.path, passphrase, read_only=read_only)
        except Exception as exc:  # sqlite3 and sqlcipher3 raise their own DatabaseError types
            raise WorkbenchError("bad_db_passphrase" if passphrase else "db_not_workbench", file=self.path.name,
                                 detail=str(exc)) from exc
        try:
            found = self.conn.execute("PRAGMA user_version").fetchone()[0]
            if found > SCHEMA_VERSION:
                raise WorkbenchError("db_too_new", file=self.path.name, found=found, known=SCHEMA_VERSION)
            if found == 0 and not create and self.conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
                raise WorkbenchError("db_not_workbench", file=self.path.name, detail="user_version 0")
            if not read_only:
                migrate(self.conn)
        except Exception as exc:
            self.conn.close()
            if isinstance(exc, WorkbenchError):
                raise
            raise WorkbenchError("bad_db_passphrase" if passphrase else "db_not_workbench", file=self.path.name,
                                 detail=str(exc)) from exc
        except WorkbenchError:
            self.conn.close()
            raise

    def reopen(self) -> Self:
        """Another connection to the same database (same passphrase and actor), e.g. for a worker thread."""
        return type(self)(self.path, actor=self.actor, passphrase=self.passphrase)

    @cached_property
    def db(self) -> sqlite_utils.Database:
        """The sqlite-utils view of the connection, made on first use (its import costs start-up time)."""
        import sqlite_utils

        return sqlite_utils.Database(self.conn)

    def close(self) -> None:
        self.conn.close()
        self.closed = True

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One all-or-nothing write; nested calls become savepoints of the outer one."""
        if self.conn.in_transaction:
            with self.db.atomic():
                yield
            return
        self.conn.execute("BEGIN IMMEDIATE")  # take the write lock now, not half-way through
        try:
            yield
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def one(self, sql: str, params: tuple | dict = ()) -> sqlite3.Row | tuple | None:
        return self.conn.execute(sql, params).fetchone()

    # --- settings --------------------------------------------------------------------------

    def setting(self, key: str) -> str:
        """The stored value of a declared setting, or its default."""
        declared = SETTINGS[key]
        row = self.one("SELECT value FROM settings WHERE key = ?", (key,))
        return row[0] if row else declared.default

    def set_setting(self, key: str, value: str) -> None:
        """Store a declared setting after checking it against its choices."""
        declared = SETTINGS[key]
        value = str(value)
        if declared.choices and value not in declared.choices:
            raise WorkbenchError("bad_setting", name=key, value=value, choices=", ".join(declared.choices))
        if not declared.choices and not value.isdigit():
            raise WorkbenchError("bad_setting", name=key, value=value, choices="0, 1, 2, ...")
        with self.transaction():
            self.conn.execute("INSERT INTO settings (key, value) VALUES (?, ?) "
                              "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (key, value))

    def mark_stale(self, period_id: int) -> None:
        """Note that a period's cached results no longer reflect its observations."""
        self.conn.execute("UPDATE results_state SET fresh = 0 WHERE period_id = ? AND fresh", (period_id,))

    def identity(self) -> str:
        """This database's own UUID, made on first use; templates carry it so imports know their origin."""
        row = self.one("SELECT value FROM settings WHERE key = 'workbook_uuid'")
        if row:
            return row[0]
        value = new_uuid()
        with self.transaction():
            self.conn.execute("INSERT INTO settings (key, value) VALUES ('workbook_uuid', ?)", (value,))
        return value

    # --- audit trail -----------------------------------------------------------------------

    def audit(self, *, entity: str, entity_uuid: str, field: str, old: object, new: object,
              reason: str | None = None, actor: str | None = None) -> None:
        """Append one hash-chained entry to the audit log; call inside a transaction."""
        self.audit_many([(entity, entity_uuid, field, old, new, reason)], actor=actor)

    def audit_many(self, changes: list[tuple[str, str, str, object, object, str | None]],
                   actor: str | None = None) -> None:
        """Append (entity, uuid, field, old, new, reason) entries, chained in order; inside a transaction."""
        row = self.one("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1")
        prev = row[0] if row else GENESIS_HASH
        stamp, who, rows = now(), actor or self.actor, []
        for entity, entity_uuid, field, old, new, reason in changes:
            entry = (stamp, who, entity, entity_uuid, field,
                     None if old is None else str(old), None if new is None else str(new), reason)
            link = audit_hash(prev, entry)
            rows.append((*entry, prev, link))
            prev = link
        self.conn.executemany(
            "INSERT INTO audit_log (at, actor, entity, entity_uuid, field, old, new, reason, prev_hash, hash) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)

    def audit_entries(self, entity_uuid: str | None = None) -> list[dict]:
        """Audit entries, oldest first, optionally for one entity."""
        if entity_uuid is None:
            return list(self.db.query("SELECT * FROM audit_log ORDER BY id"))
        return list(self.db.query("SELECT * FROM audit_log WHERE entity_uuid = ? ORDER BY id", [entity_uuid]))


def audit_hash(prev: str, entry: tuple) -> str:
    """The chain link: sha256 over the previous hash and the entry's fields."""
    payload = "\x1f".join([prev, *["" if v is None else str(v) for v in entry]])
    return hashlib.sha256(payload.encode()).hexdigest()
