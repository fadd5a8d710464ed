"""The files imported (sheets, questionnaires, packages), by their sha256: a file imported before adds nothing.
Owner of the `imports` table."""

from __future__ import annotations

from dataclasses import dataclass

from workbench.db.store import Store, now


@dataclass(frozen=True)
class Imported:
    """One file's import: what it was, where it went, and what it did."""

    sha256: str
    file_name: str
    sheet: str
    layout: str  # "template", "long", "wide", "package", "survey-<form>"
    period_id: int
    rows: int
    added: int
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0


class ImportLog:
    """Which files were imported, by whom and when."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def seen(self) -> set[str]:
        """The sha256 of every file imported so far."""
        return {row[0] for row in self._store.execute("SELECT sha256 FROM imports")}

    def has(self, sha256: str) -> bool:
        """Whether the file with this sha256 was imported before."""
        return self._store.value("SELECT 1 FROM imports WHERE sha256 = ?", (sha256,)) is not None

    def note(self, entry: Imported) -> None:
        """Record a file's import (inside the transaction that merges it), in the current actor's name."""
        self._store.execute(
            "INSERT INTO imports (sha256, file_name, sheet, layout, period_id, rows, added, updated, unchanged, "
            "skipped, imported_by, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (entry.sha256, entry.file_name, entry.sheet, entry.layout, entry.period_id, entry.rows, entry.added,
             entry.updated, entry.unchanged, entry.skipped, self._store.actor, now()))
