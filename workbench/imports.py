"""Writing checked observation files into the database: merge by key, audit, remember the file."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from workbench.errors import Location, NotFound, Problem
from workbench.importer import FileCheck, Lookup, parse_mapping, read_observation_file
from workbench.instrument import Instrument
from workbench.messages import text
from workbench.progress import CancelToken, ProgressCallback, report
from workbench.sheets import normalize_header
from workbench.store import new_uuids, now
from workbench.survey import Survey

COLUMNS = ("score", "claim", "notes", "recommendation", "method", "observed_on")


@dataclass
class ImportReport:
    """What an import found and did; `written` is False after a dry run or when problems stopped it."""

    files: list[FileCheck]
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    written: bool = False
    dry_run: bool = False
    skipped_rows: int = 0
    conflicts: int = 0
    agreement: dict[str, float | None] = field(default_factory=dict)

    @property
    def problems(self) -> list[Problem]:
        return [p for f in self.files for p in f.problems]


class _DryRun(Exception):
    """Raised inside the write transaction of a dry run so that everything rolls back."""


class Imports(Survey):
    """Spreadsheet import and merge."""

    def column_mapping(self) -> dict[str, str]:
        """Header -> field mappings the user made before (remembered for the next import)."""
        return dict(self.conn.execute("SELECT header, field FROM column_maps"))

    def remember_mapping(self, mapping: dict[str, str]) -> None:
        with self.transaction():
            self.conn.executemany("INSERT INTO column_maps (header, field) VALUES (?, ?) ON CONFLICT (header) "
                                  "DO UPDATE SET field = excluded.field",
                                  [(normalize_header(h), f) for h, f in mapping.items()])

    def _lookup(self, period: str) -> tuple[Lookup, Instrument]:
        p = self.period(period)
        units = dict(self.conn.execute("SELECT code, id FROM units"))
        return Lookup(units, self.indicator_ids(p.instrument_id)), self._scored_instrument(p)

    def check_files(self, paths: Sequence[str | Path], *, period: str | None = None, evaluator: str | None = None,
                    mapping: dict[str, str] | list[str] | None = None, progress: ProgressCallback | None = None,
                    cancel: CancelToken | None = None) -> list[FileCheck]:
        """Read and check files without writing; a file that cannot be read raises SheetError."""
        given = parse_mapping(mapping) if isinstance(mapping, list) else dict(mapping or {})
        headers = {**self.column_mapping(), **{normalize_header(h): f for h, f in given.items()}}
        default = self.period(period).name
        imported = {r[0] for r in self.conn.execute("SELECT sha256 FROM imports")}
        checks = []
        for n, path in enumerate(paths):
            if cancel:
                cancel.check()
            report(progress, n, len(paths), Path(path).name)
            lookup, inst = self._lookup(default)
            check = read_observation_file(path, lookup, inst, period=default, evaluator=evaluator, mapping=headers)
            if check.period != default:  # a template knows its own period
                try:
                    lookup, inst = self._lookup(check.period)
                except NotFound as exc:
                    check.problems.append(Problem(Location(check.name, check.sheet), check.period, str(exc)))
                    checks.append(check)
                    continue
                check = read_observation_file(path, lookup, inst, period=check.period, evaluator=evaluator,
                                              mapping=headers)
            check.already_imported = check.sha256 in imported
            checks.append(check)
        return checks

    def import_observations(self, paths: Sequence[str | Path], *, period: str | None = None,
                            evaluator: str | None = None, mapping: dict[str, str] | list[str] | None = None,
                            skip_invalid: bool = False, dry_run: bool = False,
                            progress: ProgressCallback | None = None, cancel: CancelToken | None = None
                            ) -> ImportReport:
        """Check every file, then merge all of them in one transaction, or write nothing.

        Nothing is written when any file has a problem, unless `skip_invalid` (then invalid rows are left
        out), or on a `dry_run` (which counts what the valid rows would do). A file imported before (same sha256) adds
        nothing. The key is (period, unit, evaluator, indicator): an identical row is skipped, a changed
        one updates the observation (audited, with the file as reason).
        """
        checks = self.check_files(paths, period=period, evaluator=evaluator, mapping=mapping, progress=progress,
                                  cancel=cancel)
        result = ImportReport(checks, dry_run=dry_run, skipped_rows=sum(len(c.invalid_rows) for c in checks))
        if result.problems and not skip_invalid and not dry_run:  # a dry run still counts the valid rows
            return result
        given = parse_mapping(mapping) if isinstance(mapping, list) else dict(mapping or {})
        try:
            with self.transaction():
                if given:
                    self.remember_mapping(given)
                for check in checks:
                    if not check.already_imported:
                        self._merge(check, result, cancel)
                if dry_run:
                    raise _DryRun()
        except _DryRun:
            return result
        result.written = True
        if checks:
            result.conflicts = len(self.conflicts(checks[0].period))
            agreement = self.agreement(checks[0].period)
            result.agreement = {"overall": agreement.overall,
                                **{f"aspect {code}": alpha for code, alpha in agreement.aspects.items()}}
        return result

    def _merge(self, check: FileCheck, result: ImportReport, cancel: CancelToken | None) -> None:
        p = self.period(check.period)
        evaluators = {name: self.evaluator_id(name) for name in {r.evaluator for r in check.rows}}
        existing: dict[tuple[int, int, int], tuple] = {}
        if evaluators:
            marks = ",".join("?" * len(evaluators))
            for row in self.conn.execute(
                    f"SELECT unit_id, evaluator_id, indicator_id, id, uuid, {', '.join(COLUMNS)} FROM observations "
                    f"WHERE period_id = ? AND evaluator_id IN ({marks})", (p.id, *evaluators.values())):
                existing[row[:3]] = row[3:]
        stamp, reason = now(), text("import_reason", file=check.name)
        uuids = iter(new_uuids(len(check.rows)))
        inserts, updates, audits = [], [], []
        added = updated = unchanged = 0
        for n, row in enumerate(check.rows):
            if cancel and n % 5000 == 0:
                cancel.check()
            key = (row.unit_id, evaluators[row.evaluator], row.indicator_id)
            current = existing.get(key)
            if current is None:
                uuid = next(uuids)
                values = [row.values.get(c) for c in COLUMNS]
                inserts.append((uuid, p.id, *key, *values, stamp, check.sha256, check.sheet, row.number))
                if row.values.get("score") is not None:
                    audits.append(("observation", uuid, "score", None, row.values["score"], reason))
                added += 1
                continue
            old = dict(zip(COLUMNS, current[2:], strict=True))
            changed = {c: v for c, v in row.values.items() if old[c] != v}
            if not changed:
                unchanged += 1
                continue
            merged = [changed.get(c, old[c]) for c in COLUMNS]
            updates.append((*merged, stamp, check.sha256, check.sheet, row.number, current[0]))
            if "score" in changed:
                audits.append(("observation", current[1], "score", old["score"], changed["score"], reason))
            updated += 1
        self.conn.executemany(
            "INSERT INTO observations (uuid, period_id, unit_id, evaluator_id, indicator_id, score, claim, notes, "
            "recommendation, method, observed_on, updated_at, source, source_sha256, source_sheet, source_row) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, coalesce(?, ''), coalesce(?, ''), ?, ?, ?, 'file', ?, ?, ?)", inserts)
        self.conn.executemany(
            "UPDATE observations SET score = ?, claim = ?, notes = ?, recommendation = ?, method = ?, "
            "observed_on = ?, version = version + 1, updated_at = ?, source = 'file', source_sha256 = ?, "
            "source_sheet = ?, source_row = ? WHERE id = ?", updates)
        self.audit_many(audits)
        if inserts or updates:
            self.mark_stale(p.id)
        self.conn.execute(
            "INSERT INTO imports (sha256, file_name, sheet, layout, period_id, rows, added, updated, unchanged, "
            "skipped, imported_by, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (check.sha256, check.name, check.sheet, check.layout, p.id, len(check.rows), added, updated,
             unchanged, len(check.invalid_rows), self.actor, stamp))
        result.added += added
        result.updated += updated
        result.unchanged += unchanged


