"""Importing evaluators' observation sheets: our templates and foreign long or wide layouts.

Reading and checking (`read_observation_file`) never writes; `Importer.import_observations` writes
every checked file in one transaction, or nothing when any file has a problem (unless invalid rows
are to be skipped).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from python_calamine import CalamineWorkbook

from workbench import normalize
from workbench.errors import Location, Problem, SheetError, WorkbenchError
from workbench.instrument import Instrument
from workbench.messages import text
from workbench.registry import did_you_mean
from workbench.sheets import (
    SYNONYMS,
    Table,
    check_container,
    column_letter,
    find_table,
    normalize_header,
    read_rows,
)
from workbench.store import file_sha256

TEMPLATE_MARK = "pekppp-workbench-template"
META_SHEET = "_workbench"
LONG_REQUIRED = ("kode_unit", "kode_indikator", "nilai")
LONG_OPTIONAL = ("evaluator", "catatan", "rekomendasi", "tanggal", "metode", "klaim_unit")
FIELDS = {"nilai": "score", "klaim_unit": "claim", "catatan": "notes", "rekomendasi": "recommendation",
          "metode": "method", "tanggal": "observed_on"}
NORMALISERS: dict[str, Callable[[object], object]] = {
    "score": normalize.score, "claim": normalize.score, "notes": normalize.note,
    "recommendation": normalize.note, "method": normalize.method, "observed_on": normalize.observed_date}


@dataclass(slots=True)
class Row:
    """One checked observation from a file: ids resolved, only the fields the file gave."""

    number: int
    unit_id: int
    indicator_id: int
    evaluator: str
    values: dict[str, object]


@dataclass
class FileCheck:
    """What reading and checking one file found."""

    path: Path
    sha256: str
    sheet: str = ""
    layout: str = ""  # template, long or wide
    period: str = ""
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    already_imported: bool = False
    invalid_rows: set[int] = field(default_factory=set)

    @property
    def name(self) -> str:
        return self.path.name


def template_meta(path: Path) -> dict[str, str]:
    """The key/value pairs of a workbench template's hidden sheet, or {} for a foreign file."""
    check_container(path)
    try:
        if META_SHEET not in CalamineWorkbook.from_path(str(path)).sheet_names:
            return {}
    except Exception:  # unreadable files are reported by read_rows with a proper message
        return {}
    _, rows = read_rows(path, META_SHEET)
    meta = {normalize.text(r[0]): normalize.text(r[1]) for r in rows if len(r) >= 2 and normalize.text(r[0])}
    return meta if meta.get("format") == TEMPLATE_MARK else {}


class Lookup:
    """Codes of one period's units and indicators, matched without regard to case or spaces."""

    def __init__(self, units: dict[str, int], indicators: dict[str, int]) -> None:
        self.units = {normalize.code(k).casefold(): v for k, v in units.items()}
        self.unit_codes = list(units)
        self.indicators = {normalize.code(k).casefold(): v for k, v in indicators.items()}
        self.indicator_codes = list(indicators)
        self._seen: dict[str, int] = {}  # raw unit text -> id: a sheet repeats each code many times
        self._seen_indicators: dict[str, int] = {}

    def unit(self, value: object) -> int:
        """The id of a unit code as typed; ValueError suggests the closest code."""
        return self._find(value, self.units, self._seen, self.unit_codes, "unit_unknown")

    def indicator(self, value: object) -> int:
        """The id of an indicator code as typed; ValueError suggests the closest code."""
        return self._find(value, self.indicators, self._seen_indicators, self.indicator_codes, "indicator_unknown")

    @staticmethod
    def _find(value: object, ids: dict[str, int], seen: dict[str, int], codes: list[str], message: str) -> int:
        found = seen.get(value) if isinstance(value, str) else None
        if found is not None:
            return found
        found = ids.get(normalize.code(value).casefold())
        if found is None and not normalize.code(value):
            field_name = "kode_unit" if message == "unit_unknown" else "kode_indikator"
            raise ValueError(text("value_required", expected=field_name))
        if found is None:
            raise ValueError(text(message, code=normalize.text(value),
                                  hint=did_you_mean(normalize.code(value), codes)))
        if isinstance(value, str):
            seen[value] = found
        return found


def _synonyms(mapping: dict[str, str]) -> dict[str, tuple[str, ...]]:
    """The standard header synonyms plus the user's own header -> field mappings."""
    extra: dict[str, list[str]] = {}
    for header, target in mapping.items():
        extra.setdefault(target, []).append(header)
    return {f: (*SYNONYMS.get(f, ()), *extra.get(f, ())) for f in {*SYNONYMS, *extra}}


def _wide_table(path: Path, sheet: str, rows: list[list[object]], lookup: Lookup,
                synonyms: dict[str, tuple[str, ...]]) -> tuple[Table, dict[int, int]] | None:
    """A wide layout: a kode_unit column and one column per indicator code (header may add the text)."""
    unit_names = {normalize_header(s) for s in ("kode_unit", *synonyms["kode_unit"])}
    for index, row in enumerate(rows[:30]):
        heads = [normalize.text(c) for c in row]
        unit_col = next((c for c, h in enumerate(heads) if normalize_header(h) in unit_names), None)
        indicator_cols = {}
        for col, head in enumerate(heads):
            token = head.split(" ")[0] if head else ""
            found = lookup.indicators.get(normalize.code(token).casefold()) if token else None
            if found is not None:
                indicator_cols[col] = found
        if unit_col is not None and len(indicator_cols) >= 2:
            columns = {"kode_unit": unit_col}
            for name in ("evaluator", "nama_unit"):
                spellings = {normalize_header(s) for s in (name, *synonyms.get(name, ()))}
                match = next((c for c, h in enumerate(heads) if normalize_header(h) in spellings), None)
                if match is not None:
                    columns[name] = match
            return Table(path.name, sheet, index + 1, heads, columns, rows[index + 1:]), indicator_cols
    return None


def read_observation_file(path: str | Path, lookup: Lookup, instrument: Instrument, *, period: str,
                          evaluator: str | None = None, mapping: dict[str, str] | None = None) -> FileCheck:
    """Read and check one file without writing anything; every problem is collected in the result.

    Raises SheetError when the file cannot be read or has no recognisable header at all.
    """
    path = Path(path)
    if not path.is_file():
        raise SheetError("file_missing", file=path.name)
    check = FileCheck(path, file_sha256(path), period=period)
    meta = template_meta(path)
    synonyms = _synonyms(mapping or {})
    workbook_sheets = CalamineWorkbook.from_path(str(path)).sheet_names if meta else [0]
    sheet: str | int = "Penilaian" if meta and "Penilaian" in workbook_sheets else 0
    if meta:
        check.layout, check.period = "template", meta.get("period") or period
        evaluator = meta.get("evaluator") or evaluator
    table: Table | None
    wide: dict[int, int] = {}
    try:
        table = find_table(path, LONG_REQUIRED, LONG_OPTIONAL, sheet=sheet, synonyms=synonyms)
        check.layout = check.layout or "long"
    except SheetError as exc:
        if exc.key != "no_header":
            raise
        sheet_name, rows = read_rows(path, sheet)
        found = _wide_table(path, sheet_name, rows, lookup, synonyms)
        if found is None:
            raise
        table, wide = found
        check.layout = "wide"
    check.sheet = table.sheet
    if evaluator is None and "evaluator" not in table.columns:
        check.problems.append(Problem(Location(path.name, table.sheet, table.header_row), "",
                                      text("value_required", expected="evaluator (kolom atau --evaluator)")))
        return check
    seen: dict[tuple[int, int, str], int] = {}
    lo, hi = instrument.scale_min, instrument.scale_max
    normalisers = {**NORMALISERS, "score": lambda v: normalize.score(v, lo, hi),
                   "claim": lambda v: normalize.score(v, lo, hi)}
    present = [(FIELDS[f], table.columns[f], _memo(normalisers[FIELDS[f]])) for f in FIELDS if f in table.columns]
    unit_col, indicator_col = table.columns["kode_unit"], table.columns.get("kode_indikator")
    evaluator_col = table.columns.get("evaluator")
    evaluator_text = _memo(normalize.text)
    for number, cells in table.records():
        width = len(cells)
        who = evaluator or ""
        if evaluator_col is not None and evaluator_col < width:
            who = evaluator_text(cells[evaluator_col]) or who  # type: ignore[assignment]
        try:
            unit_id = lookup.unit(cells[unit_col] if unit_col < width else "")
        except ValueError as exc:
            _problem(check, table, number, "kode_unit", table.get(cells, "kode_unit"), str(exc))
            continue
        if wide:
            entries = [(ind_id, [("score", cells[col] if col < width else "", normalisers["score"])],
                        column_letter(col)) for col, ind_id in wide.items()]
        else:
            try:
                ind_id = lookup.indicator(cells[indicator_col] if indicator_col < width else "")  # type: ignore
            except ValueError as exc:
                _problem(check, table, number, "kode_indikator", table.get(cells, "kode_indikator"), str(exc))
                continue
            entries = [(ind_id, [(name, cells[col] if col < width else "", fn) for name, col, fn in present], None)]
        for ind_id, raw, letter in entries:
            values = {}
            for name, value, fn in raw:
                try:
                    clean = fn(value)
                except ValueError as exc:
                    source = next(f for f, n in FIELDS.items() if n == name)
                    _problem(check, table, number, source, value, str(exc), letter)
                    continue
                if clean is not None and clean != "":
                    values[name] = clean
            key = (unit_id, ind_id, who.casefold())
            if key in seen:
                _problem(check, table, number, "kode_indikator" if not wide else "kode_unit",
                         table.get(cells, "kode_unit"), text("duplicate_key", code=normalize.text(
                             table.get(cells, "kode_unit")), first=seen[key]), letter)
                continue
            seen[key] = number
            if values and number not in check.invalid_rows:
                check.rows.append(Row(number, unit_id, ind_id, who, values))
    check.rows = [r for r in check.rows if r.number not in check.invalid_rows]
    return check


def _memo(fn: Callable[[object], object], limit: int = 50_000) -> Callable[[object], object]:
    """`fn` remembering its answers (and its ValueErrors): a column repeats the same few values many times."""
    cache: dict[tuple[type, object], tuple[bool, object]] = {}

    def cached(value: object) -> object:
        key = (type(value), value)  # 1, 1.0 and True must not share an answer
        try:
            ok, answer = cache[key]
        except KeyError:
            try:
                ok, answer = True, fn(value)
            except ValueError as exc:
                ok, answer = False, exc
            if len(cache) < limit:
                cache[key] = (ok, answer)
        except TypeError:  # an unhashable value
            return fn(value)
        if ok:
            return answer
        raise answer  # type: ignore[misc]

    return cached


def _problem(check: FileCheck, table: Table, number: int, field_name: str, value: object, reason: str,
             letter: str | None = None) -> None:
    location = table.where(number, field_name)
    if letter is not None:
        location = Location(location.file, location.sheet, number, f"{letter} ({table.headers[_col(letter)]})")
    check.problems.append(Problem(location, normalize.text(value), reason))
    check.invalid_rows.add(number)


def _col(letter: str) -> int:
    index = 0
    for char in letter:
        index = index * 26 + ord(char) - 64
    return index - 1


def parse_mapping(items: list[str]) -> dict[str, str]:
    """"Header=field" pairs from the command line, checked against the canonical field names."""
    known = (*LONG_REQUIRED, *LONG_OPTIONAL, "nama_unit")
    mapping = {}
    for item in items:
        header, _, target = item.partition("=")
        if not header.strip() or target.strip() not in known:
            raise WorkbenchError("bad_setting", name="--map", value=item, choices=", ".join(known))
        mapping[header.strip()] = target.strip()
    return mapping


@dataclass
class Preview:
    """The first rows of a file's sheet, its likely header row and the field each header seems to be."""

    sheet: str
    header_row: int  # 1-based
    headers: list[str]
    rows: list[list[str]]
    guessed: dict[str, str | None]


def preview(path: str | Path, mapping: dict[str, str] | None = None, *, limit: int = 12) -> Preview:
    """What the import wizard shows before mapping columns; raises SheetError for unreadable files."""
    meta = template_meta(Path(path))
    sheet_name, rows = read_rows(path, "Penilaian" if meta else 0)
    synonyms = _synonyms(mapping or {})
    fields = (*LONG_REQUIRED, *LONG_OPTIONAL, "nama_unit")
    spellings = {f: {normalize_header(s) for s in (f, *synonyms.get(f, ()))} for f in fields}

    def guess(header: str) -> str | None:
        key = normalize_header(header)
        return next((f for f in fields if key and key in spellings[f]), None)

    best, best_score = 0, (-1, -1)
    for index, row in enumerate(rows[:30]):  # most recognised headers, then most filled cells (not a title)
        texts = [normalize.text(cell) for cell in row]
        score = (sum(1 for t in texts if guess(t)), sum(1 for t in texts if t))
        if score > best_score:
            best, best_score = index, score
    headers = [normalize.text(c) for c in rows[best]]
    body = [[normalize.text(c) for c in row] for row in rows[best + 1: best + 1 + limit]]
    return Preview(sheet_name, best + 1, headers, body, {h: guess(h) for h in headers if h})
