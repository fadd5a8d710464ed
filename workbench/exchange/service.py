"""Spreadsheets in and out of a workbook: observation sheets and unit registers in, templates and results out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from workbench.conflicts import Conflicts
from workbench.db.settings import Settings
from workbench.db.store import Store
from workbench.domain.instrument import SkmInstrument
from workbench.domain.respondents import PROFILE
from workbench.errors import Location, NotFound, Problem, WorkbenchError
from workbench.evidence import file_sha256
from workbench.exchange.import_log import Imported, ImportLog
from workbench.exchange.observation_sheets import (
    FileCheck,
    Lookup,
    Preview,
    parse_mapping,
    preview,
    read_observation_file,
    template_meta,
)
from workbench.exchange.report import ImportReport
from workbench.exchange.sheets import Book, normalize_header
from workbench.exchange.skm_sheet import Responses, read_responses
from workbench.exchange.survey_sheet import SurveyFile, SurveyImport, read_survey, survey_mapping
from workbench.exchange.units_sheet import read_assignments, read_units
from workbench.i18n import source, tr
from workbench.observations import Observations, Source
from workbench.progress import CancelToken, ProgressCallback, report
from workbench.registry import Registry, UnitsImport
from workbench.results import Results
from workbench.surveys import Surveys
from workbench.team import Assigned, Team

Mapping = dict[str, str] | list[str] | None


@dataclass(eq=False)
class Exchange:
    """Reads files into the workbook through its services, and writes the workbook's data out as files."""

    _store: Store
    _registry: Registry
    _observations: Observations
    _conflicts: Conflicts
    _results: Results
    _settings: Settings
    _surveys: Surveys
    _team: Team
    _imports: ImportLog

    # --- column mappings -----------------------------------------------------------------------

    def column_mapping(self) -> dict[str, str]:
        """Header -> field mappings the user made before (remembered for the next import)."""
        return dict(self._store.execute("SELECT header, field FROM column_maps"))

    def remember_mapping(self, mapping: dict[str, str]) -> None:
        with self._store.transaction():
            self._store.executemany("INSERT INTO column_maps (header, field) VALUES (?, ?) ON CONFLICT (header) "
                                         "DO UPDATE SET field = excluded.field",
                                         [(normalize_header(h), f) for h, f in mapping.items()])

    def preview(self, path: str | Path) -> Preview:
        """The first rows of a file and the field each header seems to be, with remembered mappings."""
        return preview(path, self.column_mapping())

    # --- observation sheets ----------------------------------------------------------------------

    def check_files(self, paths: Sequence[str | Path], *, period: str | None = None, evaluator: str | None = None,
                    mapping: Mapping = None, progress: ProgressCallback | None = None,
                    cancel: CancelToken | None = None) -> list[FileCheck]:
        """Read and check files without writing; a file that cannot be read raises SheetError.

        A template names its own period; other files go to `period` (the newest by default).
        """
        given = parse_mapping(mapping) if isinstance(mapping, list) else dict(mapping or {})
        headers = {**self.column_mapping(), **{normalize_header(h): f for h, f in given.items()}}
        default = self._registry.period(period).name
        imported = self._imports.seen()
        units = self._registry.unit_ids()
        checks = []
        for n, path in enumerate(paths):
            if cancel:
                cancel.check()
            report(progress, n, len(paths), tr("membaca {file}", file=Path(path).name))
            book = Book(path)
            meta = template_meta(book)
            try:
                p = self._registry.period(meta.get("period") or default)
            except NotFound as exc:
                check = FileCheck(book.path, "", period=meta.get("period", ""), layout="template")
                check.problems.append(Problem(Location(book.name), meta.get("period"), str(exc)))
                checks.append(check)
                continue
            lookup = Lookup(units, self._registry.indicator_ids(p.instrument_id))
            check = read_observation_file(book, meta, lookup, self._registry.scored_instrument(p), period=p.name,
                                          evaluator=evaluator, mapping=headers)
            check.already_imported = check.sha256 in imported
            checks.append(check)
        return checks

    def import_observations(self, paths: Sequence[str | Path], *, period: str | None = None,
                            evaluator: str | None = None, mapping: Mapping = None, skip_invalid: bool = False,
                            dry_run: bool = False, final: bool = False, progress: ProgressCallback | None = None,
                            cancel: CancelToken | None = None) -> ImportReport:
        """Check every file, then merge all of them in one transaction, or write nothing.

        Nothing is written when any file has a problem, unless `skip_invalid` (then invalid rows are left
        out), or on a `dry_run` (which counts what the valid rows would do). A file imported before (same
        sha256) adds nothing. The key is (period, unit, evaluator, indicator): an identical row is skipped, a
        changed one updates the observation (audited, with the file as reason). With `final` the scores
        arrive final, for a lead who takes the sheets as they are.
        """
        checks = self.check_files(paths, period=period, evaluator=evaluator, mapping=mapping, progress=progress,
                                  cancel=cancel)
        result = ImportReport(checks, dry_run=dry_run, skipped_rows=sum(len(c.invalid_rows) for c in checks))
        if result.problems and not skip_invalid and not dry_run:  # a dry run still counts the valid rows
            return result
        given = parse_mapping(mapping) if isinstance(mapping, list) else dict(mapping or {})
        with self._store.transaction(dry_run=dry_run):
            if given:
                self.remember_mapping(given)
            for check in checks:
                if final:
                    for row in check.rows:
                        if row.values.get("score") is not None:
                            row.values["status"] = "final"
                if not check.already_imported and check.sha256:
                    self._merge(check, result, progress, cancel)
        if dry_run:
            return result
        result.written = True
        if checks:
            result.conflicts = self._conflicts.count(checks[0].period)
            agreement = self._conflicts.agreement(checks[0].period)
            result.agreement = {"overall": agreement.overall,
                                **{f"aspect {code}": alpha for code, alpha in agreement.aspects.items()}}
        return result

    def _merge(self, check: FileCheck, result: ImportReport, progress: ProgressCallback | None,
               cancel: CancelToken | None) -> None:
        p = self._registry.period(check.period)
        counts = self._observations.merge(p, check.rows, Source(check.sha256, check.name, check.sheet),
                                          reason=source("impor {file}", file=check.name), progress=progress,
                                          cancel=cancel)
        self._imports.note(Imported(check.sha256, check.name, check.sheet, check.layout, p.id, len(check.rows),
                                    counts.added, counts.updated, counts.unchanged, len(check.invalid_rows)))
        result.add(counts)

    # --- other sheets in ---------------------------------------------------------------------------

    def import_units(self, path: str | Path) -> UnitsImport:
        """Register institutions and units from a sheet (kode_unit, nama_unit, instansi, optional
        jenis_instansi, wilayah, alamat). All rows are checked first; any problem means nothing is written.
        """
        return self._registry.register_units(read_units(path))

    def import_assignments(self, path: str | Path, *, period: str | None = None) -> Assigned:
        """Assign units to evaluators from a sheet (kode_unit, evaluator; other columns are ignored). All rows
        are checked first (unknown unit codes, empty cells); any problem means nothing is written."""
        return self._team.assign(read_assignments(path, self._registry.unit_ids()), period=period)

    def skm_responses(self, path: str | Path) -> Responses:
        """SKM answers per unit code from a sheet (U1-U9 or unsur names, optionally kode_unit), all checked."""
        inst = self._surveys.instrument("skm")
        assert isinstance(inst, SkmInstrument)
        return read_responses(path, inst, self._registry)

    def import_survey(self, path: str | Path, *, form: str = "skm", unit: str | None = None,
                      period: str | None = None, mapping: Mapping = None, skip_invalid: bool = False,
                      dry_run: bool = False, entry: int = 1) -> SurveyImport:
        """Check a file of questionnaires (one row per respondent), then store every respondent, or nothing.
        Nothing is written when a row has a problem, unless `skip_invalid` (those rows are left out), or on a
        `dry_run`. A file imported before (same sha256) adds nothing. Mappings given are remembered, as for
        scoring sheets. The file is read, checked and stored a part at a time (each part one audited batch),
        inside one transaction: a million questionnaires take little memory, and a problem anywhere still
        writes nothing. `entry` 2 is a second keying of printed sheets (double entry): each row names its sheet
        in the nomor column."""
        inst = self._surveys.instrument(form)
        p = self._registry.period(period)
        self._registry.require_open(p)
        if entry == 2 and not self._surveys.double_entry(p.name):
            raise WorkbenchError("Entri ganda tidak aktif di periode {name} (pengaturan double_entry)", name=p.name)
        printed = self._surveys.printed(p, form, entry) if entry == 2 else {}
        given = survey_mapping(mapping or {}, inst)
        keys = {u.key for u in inst.unsur} | set(PROFILE) | {"kode_unit", "nomor"}
        remembered = {h: f for h, f in self.column_mapping().items() if f in keys}
        sha = file_sha256(Path(path))
        result = SurveyImport(SurveyFile(Path(path)), form, sha, dry_run=dry_run,
                              already_imported=self._imports.has(sha))
        if result.already_imported:
            return result
        found = result.file
        try:
            with self._store.transaction(dry_run=dry_run):
                if given:
                    self.remember_mapping(given)
                for part in read_survey(path, inst, self._registry, unit=unit, mapping={**remembered, **given}):
                    sheet_ids = _second_keying(part, printed) if entry == 2 else None
                    found.absorb(part)
                    if part.rows and (skip_invalid or not found.problems):
                        self._surveys.merge(part.rows, form=form, period=p, source=Path(path).name, sheet=part.sheet,
                                            entry=entry, sheet_ids=sheet_ids)
                        result.added += len(part.rows)
                if found.problems and not skip_invalid:
                    raise _Refused()
                self._imports.note(Imported(sha, Path(path).name, found.sheet, f"survey-{form}", p.id,
                                            result.added, result.added, skipped=found.invalid_rows))
        except _Refused:
            result.added = 0
            return result
        result.written = not dry_run
        return result

    # --- files out ---------------------------------------------------------------------------------

    def write_template(self, out: str | Path, *, evaluator: str, units: list[str] | None = None,
                       period: str | None = None) -> int:
        """An xlsx template for one evaluator (all units, or the given codes), prefilled with what that
        evaluator already recorded. Returns the number of entry rows."""
        from workbench.exchange.template import write_template  # openpyxl is imported when a file is written

        p = self._registry.period(period)
        chosen = [self._registry.unit(code) for code in units] if units else self._registry.units()
        existing = {(o.unit, o.indicator): {"score": o.score, "claim": o.claim, "notes": o.notes,
                                            "recommendation": o.recommendation, "method": o.method,
                                            "observed_on": o.observed_on}
                    for o in self._observations.find(period=p.name, evaluator=evaluator)}
        return write_template(out, instrument=self._registry.scored_instrument(p), period=p.name,
                              evaluator=evaluator, database=self._settings.identity(),
                              units=[(u.code, u.name) for u in chosen], existing=existing)

    def export_results(self, out: str | Path, period: str | None = None) -> Path:
        """The results workbook: recap per unit, a sheet per aspect with indicator scores, every conflict
        (open, or settled with the agreed score, the reason, who and when) and the agreement between evaluators."""
        from workbench.exchange.results_book import write_results_book  # openpyxl, as above

        p = self._registry.period(period)
        return write_results_book(out, period=p.name, instrument=self._registry.scored_instrument(p),
                                  results=self._results.scores(p.name),
                                  indicator_scores=self._results.indicator_scores(p.name),
                                  conflicts=self._conflicts.listed(p.name, which="all"),
                                  agreement=self._conflicts.agreement(p.name))


class _Refused(Exception):
    """Raised inside a transaction when a file had problems, so that what was stored of it goes too."""


def _second_keying(part: SurveyFile, printed: dict[tuple[int, int], tuple[int, bool]]) -> list[int]:
    """The printed sheet of each row of a second keying (its nomor); a row without one, or naming a sheet never
    printed for its unit or keyed twice already, is refused (and left out of `part.rows`)."""
    kept, sheets, seen = [], [], set()
    for row in part.rows:
        found = printed.get((row.unit_id, row.number or 0))
        if row.number is None:
            reason = tr("nomor lembar wajib untuk entri kedua")
        elif found is None:
            reason = tr("lembar {number} tidak pernah dicetak untuk unit ini", number=row.number)
        elif found[1] or found[0] in seen:
            reason = tr("lembar {number} sudah diketik untuk entri kedua", number=row.number)
        else:
            kept.append(row)
            sheets.append(found[0])
            seen.add(found[0])
            continue
        part.problems.append(Problem(Location(part.path.name, part.sheet, row.row, "nomor"), row.number or "", reason))
        part.invalid_rows += 1
    part.rows = kept
    return sheets
