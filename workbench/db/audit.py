"""The audit log: who changed what, when, from what to what and why; each entry chained to the last by sha256."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from workbench.db.store import Store, now

GENESIS_HASH = "0" * 64


@dataclass(frozen=True)
class Change:
    """One audited change of one field of one entity (an observation's uuid, a consensus key, a number).

    Entries brought from another workbook (a package) keep when and by whom they were made there, and
    `origin`, their hash there.
    """

    entity: str
    entity_uuid: str
    field: str
    old: object
    new: object
    reason: str | None = None
    at: str | None = None
    actor: str | None = None
    origin: str | None = None


def link_hash(prev: str, entry: Sequence[object]) -> str:
    """The chain link: sha256 over the previous hash and the entry's fields."""
    payload = "\x1f".join([prev, *["" if v is None else str(v) for v in entry]])
    return hashlib.sha256(payload.encode()).hexdigest()


class AuditLog:
    """Appends to and reads the audit log of one workbook; `append` runs inside the caller's transaction."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def append(self, changes: Sequence[Change], actor: str | None = None) -> None:
        """Add entries in order, each chained to the one before; call inside a transaction."""
        if not changes:
            return
        prev = self._store.value("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1") or GENESIS_HASH
        stamp, who, rows = now(), actor or self._store.actor, []
        for c in changes:
            entry = (c.at or stamp, c.actor or who, c.entity, c.entity_uuid, c.field,
                     None if c.old is None else str(c.old), None if c.new is None else str(c.new), c.reason)
            link = link_hash(prev, entry)
            rows.append((*entry, prev, link, c.origin))
            prev = link
        self._store.conn.executemany(
            "INSERT INTO audit_log (at, actor, entity, entity_uuid, field, old, new, reason, prev_hash, hash, origin) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)

    def known_origins(self, origins: Sequence[str]) -> set[str]:
        """Which of these origin hashes were brought in before (by an earlier package)."""
        found: set[str] = set()
        for start in range(0, len(origins), 500):
            chunk = list(origins[start:start + 500])
            found |= {r[0] for r in self._store.conn.execute(
                f"SELECT origin FROM audit_log WHERE origin IN ({','.join('?' * len(chunk))})", chunk)}
        return found

    def of_entities(self, uuids: Sequence[str]) -> list[dict[str, Any]]:
        """Entries about any of these entities, oldest first."""
        entries: list[dict[str, Any]] = []
        for start in range(0, len(uuids), 500):
            chunk = list(uuids[start:start + 500])
            entries += self._store.dicts(f"SELECT * FROM audit_log WHERE entity_uuid IN ({','.join('?' * len(chunk))})",
                                         chunk)
        return sorted(entries, key=lambda e: e["id"])

    def entries(self, entity_uuid: str | None = None) -> list[dict[str, Any]]:
        """Entries, oldest first, optionally of one entity: at, actor, entity, field, old, new, reason, hashes."""
        if entity_uuid is None:
            return self._store.dicts("SELECT * FROM audit_log ORDER BY id")
        return self._store.dicts("SELECT * FROM audit_log WHERE entity_uuid = ? ORDER BY id", (entity_uuid,))

    def first_broken_link(self) -> int | None:
        """The id of the first entry whose chain link does not hold, or None when the chain is whole."""
        prev = GENESIS_HASH
        for row in self._store.conn.execute("SELECT id, at, actor, entity, entity_uuid, field, old, new, reason, "
                                            "prev_hash, hash FROM audit_log ORDER BY id"):
            if row[9] != prev or row[10] != link_hash(prev, row[1:9]):
                return int(row[0])
            prev = row[10]
        return None
