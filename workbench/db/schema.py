"""The database schema: the migrations (workbench.db.migrations) applied forward-only, keyed on PRAGMA
user_version, and the objects a database of each version holds, to notice one changed outside the app."""

from __future__ import annotations

import re
import sqlite3

from workbench.db.migrations import FOREIGN_KEYS_OFF, MIGRATIONS

SCHEMA_VERSION = len(MIGRATIONS)


def statements(script: str) -> list[str]:
    """Split a script into complete statements (a trigger body holds semicolons of its own)."""
    result, pending = [], ""
    for piece in script.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \n;"):
                result.append(pending.strip())
            pending = ""
    return result


def migrate(conn: sqlite3.Connection, *, up_to: int = SCHEMA_VERSION) -> int:
    """Bring the schema up to `up_to` (this version's schema by default), each step in its own transaction;
    returns the old version.

    A step that rebuilds a table others refer to runs with foreign keys off (they cannot change inside a
    transaction), and checks them before it commits."""
    found = conn.execute("PRAGMA user_version").fetchone()[0]
    for version in range(found, up_to):
        script = MIGRATIONS[version]
        rebuild = script.startswith(FOREIGN_KEYS_OFF)
        if rebuild:
            conn.execute("PRAGMA foreign_keys = OFF")
        # executescript would commit on its own; run statements inside one explicit transaction instead
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in statements(script.removeprefix(FOREIGN_KEYS_OFF)):
                conn.execute(statement)
            if rebuild and conn.execute("PRAGMA foreign_key_check").fetchone() is not None:
                raise sqlite3.IntegrityError(f"migration {version + 1} leaves a foreign key broken")
            conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        finally:
            if rebuild:
                conn.execute("PRAGMA foreign_keys = ON")
    return found


Objects = dict[tuple[str, str], str]
_EXPECTED: dict[int, Objects] = {}
# SQLite's own statistics tables (ANALYZE) come and go; matched exactly (LIKE would let "sqlitexstat..." pass)
_OBJECTS_SQL = "SELECT type, name, sql FROM sqlite_master WHERE NOT (type = 'table' AND name GLOB 'sqlite_stat[1-4]')"
_SPACE = re.compile(r" ?([(),]) ?")  # "( a , b )" and "(a, b)" are the same statement


def _objects(conn: sqlite3.Connection) -> Objects:
    """(type, name) -> SQL with its white space collapsed, of every table, index, trigger and view."""
    return {(kind, name): _SPACE.sub(r"\1", " ".join(str(sql or "").split()))
            for kind, name, sql in conn.execute(_OBJECTS_SQL)}


def expected_objects(version: int) -> Objects:
    """What the migrations up to `version` create: made once per process in memory, the way they made it."""
    if version not in _EXPECTED:
        conn = sqlite3.connect(":memory:", isolation_level=None)
        try:
            migrate(conn, up_to=version)
            _EXPECTED[version] = _objects(conn)
        finally:
            conn.close()
    return _EXPECTED[version]


def foreign_objects(conn: sqlite3.Connection) -> list[str]:
    """The tables, indexes, triggers and views of a database that the migrations of its schema version do not
    make as they are there (added, changed, one kind standing in for another, or missing), "kind name" each:
    ["trigger ubah_nilai", "view package_signers"]. [] for a schema as this version makes it."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if not 0 < version <= SCHEMA_VERSION:
        return []
    expected, found = expected_objects(version), _objects(conn)
    names = {name for _, name in found}
    return [f"{kind} {name}" for (kind, name), sql in sorted(found.items()) if expected.get((kind, name)) != sql] + \
        [f"{kind} {name}" for kind, name in sorted(expected.keys() - found.keys()) if name not in names]
