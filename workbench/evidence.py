"""Evidence files (bukti dukung): stored once by their sha256 in a folder beside the database, linked to
observations."""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from workbench.db.settings import Settings
from workbench.db.store import Store, now
from workbench.errors import NotFound, PeriodClosed, WorkbenchError
from workbench.events import Changes


def file_sha256(path: str | Path) -> str:
    """The sha256 of a file's bytes, as hex."""
    with Path(path).open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


class Evidence:
    """A content-addressed store (<database>.evidence/ab/abcdef...) and the links of its files to observations."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self._store = store
        self._settings = settings

    @property
    def folder(self) -> Path:
        return self._store.path.with_name(self._store.path.name + ".evidence")

    @contextmanager
    def staging(self) -> Iterator[Path]:
        """A fresh folder inside the store for files on their way in (a rename away from their place);
        removed with whatever is left in it."""
        self.folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix=".incoming-", dir=self.folder) as folder:
            yield Path(folder)

    def place(self, staged: Path, sha256: str) -> None:
        """Move a checked file from the staging folder to its place in the store (kept when already there)."""
        target = self.path(sha256)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            staged.replace(target)

    def path(self, sha256: str) -> Path:
        """Where the file with this sha256 is stored."""
        return self.folder / sha256[:2] / sha256

    def add(self, observation_uuid: str, file: str | Path) -> str:
        """Copy a file into the store and link it to an observation; returns its sha256."""
        file = Path(file)
        observation = self._store.one("SELECT o.id, u.code, p.closed, p.name FROM observations o JOIN units u "
                                      "ON u.id = o.unit_id JOIN periods p ON p.id = o.period_id WHERE o.uuid = ?",
                                      (observation_uuid,))
        if observation is None:
            raise NotFound("Observasi tidak dikenal: {code}", code=observation_uuid)
        if observation[2]:
            raise PeriodClosed("Periode {name} sudah ditutup; buka kembali dengan alasan sebelum mengubah nilai",
                               name=observation[3])
        size = file.stat().st_size
        limit = self._settings.number("evidence_max_bytes")
        if size > limit:
            raise WorkbenchError("{file}: {size} bita melebihi batas {limit} bita", file=file.name, size=size,
                                 limit=limit)
        sha = file_sha256(file)
        target = self.path(sha)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_suffix(".part")
            shutil.copyfile(file, partial)
            partial.replace(target)  # atomic: a crash never leaves a half file under the real name
        with self._store.transaction():
            self._store.conn.execute("INSERT OR IGNORE INTO evidence (sha256, original_name, size, added_at) "
                                     "VALUES (?, ?, ?, ?)", (sha, file.name, size, now()))
            self._store.conn.execute("INSERT OR IGNORE INTO observation_evidence (observation_id, sha256) "
                                     "VALUES (?, ?)", (observation[0], sha))
            self._store.changed(Changes(evidence=True, units=frozenset({observation[1]})))
        return sha

    def link(self, *, period: str, unit: str, evaluator: str, indicator: str, sha256: str, original_name: str,
             size: int) -> None:
        """Link a file already in the store to an observation named by its key, inside the caller's write."""
        found = self._store.value(
            "SELECT o.id FROM observations o JOIN periods p ON p.id = o.period_id JOIN units u ON u.id = o.unit_id "
            "JOIN evaluators e ON e.id = o.evaluator_id JOIN indicators i ON i.id = o.indicator_id "
            "WHERE p.name = ? AND u.code = ? COLLATE NOCASE AND e.name = ? AND i.code = ? "
            "AND i.instrument_id = p.instrument_id", (period, unit, evaluator, indicator))
        if found is None:
            raise NotFound("Observasi tidak dikenal: {code}", code=f"{unit}/{indicator}/{evaluator}")
        self._store.conn.execute("INSERT OR IGNORE INTO evidence (sha256, original_name, size, added_at) "
                                 "VALUES (?, ?, ?, ?)", (sha256, original_name, size, now()))
        self._store.conn.execute("INSERT OR IGNORE INTO observation_evidence (observation_id, sha256) VALUES (?, ?)",
                                 (found, sha256))
        self._store.changed(Changes(evidence=True, units=frozenset({unit})))

    def of(self, observation_uuid: str) -> list[dict[str, Any]]:
        """Evidence linked to an observation: sha256, original_name, size."""
        return self._store.dicts(
            "SELECT e.sha256 AS sha256, e.original_name AS original_name, e.size AS size FROM evidence e "
            "JOIN observation_evidence oe ON oe.sha256 = e.sha256 JOIN observations o ON o.id = oe.observation_id "
            "WHERE o.uuid = ? ORDER BY e.original_name", (observation_uuid,))

    def remove(self, observation_uuid: str, sha256: str) -> None:
        """Unlink evidence from an observation; the stored file stays for other links and backups."""
        with self._store.transaction():
            self._store.conn.execute("DELETE FROM observation_evidence WHERE sha256 = ? AND observation_id = "
                                     "(SELECT id FROM observations WHERE uuid = ?)", (sha256, observation_uuid))
            self._store.changed(Changes(evidence=True))

    def files(self) -> list[tuple[str, str]]:
        """(sha256, original name) of every stored file."""
        return [(r[0], r[1]) for r in self._store.conn.execute("SELECT sha256, original_name FROM evidence")]
