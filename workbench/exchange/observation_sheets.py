"""Reading evaluators' observation sheets: our templates and foreign long or wide layouts.

Reading and checking never writes: `read_observation_file` turns one opened file into checked rows
(`Incoming`) and a list of every problem; `Exchange.import_observations` hands them to the
observations service to merge.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import TypeVar

from workbench.domain import values
from workbench.domain.instrument import Instrument
from workbench.errors import Location, Problem, SheetError, WorkbenchError
from workbench.evidence import file_sha256
from workbench.exchange.sheets import SYNONYMS, Book, Table, column_letter, find_header, normalize_header
from workbench.i18n import tr
from workbench.observations import Incoming
from workbench.registry import did_you_mean

T = TypeVar("T")
TEMPLATE_MARK = "pekppp-workbench-template"
META_SHEET = "_workbench"
ENTRY_SHEET = "Penilaian"
LONG_REQUIRED = ("kode_unit", "kode_indikator", "nilai")
LONG_OPTIONAL = ("evaluator", "catatan", "rekomendasi", "tanggal", "metode", "klaim_unit")
FIELDS = {"nilai": "score", "klaim_unit": "claim", "catatan": "notes", "rekomendasi": "recommendation",
          "metode": "method", "tanggal": "observed_on"}
NORMALISERS: dict[str, Callable[[object], object]] = {
    "score": values.score, "claim": values.score, "notes": values.note,
    "recommendation": values.note, "method": values.method, "observed_on": values.observed_date}


@dataclass
class FileCheck:
    """What reading and checking one file found."""

    path: Path
    sha256: str
    sheet: str = ""
    layout: str = ""  # template, long or wide
    period: str = ""
    rows: list[Incoming] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    already_imported: bool = False
    invalid_rows: set[int] = field(default_factory=set)

    @property
    def name(self) -> str:
        return self.path.name


def template_meta(book: Book) -> dict[str, str]:
    """The key/value pairs of a workbench template's hidden sheet, or {} for a foreign file."""
    if META_SHEET not in book.sheet_names:
        return {}
    _, rows = book.rows(META_SHEET)
    meta = {values.text(r[0]): values.text(r[1]) for r in rows if len(r) >= 2 and values.text(r[0])}
    return meta if meta.get("format") == TEMPLATE_MARK else {}


class Lookup:
    """Codes of one period's units and indicators, matched without regard to case or spaces."""

    def __init__(self, units: dict[str, int], indicators: dict[str, int]) -> None:
        self.units = {values.code(k).casefold(): v for k, v in units.items()}
        self.unit_codes = list(units)
        self.indicators = {values.code(k).casefold(): v for k, v in indicators.items()}
        self.indicator_codes = list(indicators)
        self._seen_units: dict[str, int] = {}  # raw unit text -> id: a sheet repeats each code many times
        self._seen_indicators: dict[str, int] = {}

    def unit(self, value: object) -> int:
        """The id of a unit code as typed; ValueError suggests the closest code."""
        found = self._find(value, self.units, self._seen_units)
        if found is None:
            if not values.code(value):
                raise ValueError(tr("diharapkan {expected}, tetapi sel kosong", expected="kode_unit"))
            raise ValueError(tr("Kode unit tidak dikenal: {code}{hint}", code=values.text(value),
                                hint=did_you_mean(values.code(value), self.unit_codes)))
        return found

    def indicator(self, value: object) -> int:
        """The id of an indicator code as typed; ValueError suggests the closest code."""
        found = self._find(value, self.indicators, self._seen_indicators)
        if found is None:
            if not values.code(value):
                raise ValueError(tr("diharapkan {expected}, tetapi sel kosong", expected="kode_indikator"))
            raise ValueError(tr("Kode indikator tidak dikenal: {code}{hint}", code=values.text(value),
                                hint=did_you_mean(values.code(value), self.indicator_codes)))
        return found

    @staticmethod
    def _find(value: object, ids: dict[str, int], seen: dict[str, int]) -> int | None:
        if isinstance(value, str) and value in seen:
            return seen[value]
        found = ids.get(values.code(value).casefold())
        if found is not None and isinstance(value, str):
            seen[value] = found
        return found


def synonyms_with(mapping: dict[str, str]) -> dict[str, tuple[str, ...]]:
    """The standard header synonyms plus the user's own header -> field mappings."""
    extra: dict[str, list[str]] = {}
    for header, target in mapping.items():
        extra.setdefault(target, []).append(header)
    return {f: (*SYNONYMS.get(f, ()), *extra.get(f, ())) for f in {*SYNONYMS, *extra}}


def _wide_table(book: Book, sheet: str, rows: list[list[object]], lookup: Lookup,
                synonyms: dict[str, tuple[str, ...]]) -> tuple[Table, dict[int, int]] | None:
    """A wide layout: a kode_unit column and one column per indicator code (header may add the text)."""
    unit_names = {normalize_header(s) for s in ("kode_unit", *synonyms["kode_unit"])}
    for index, row in enumerate(rows[:30]):
        heads = [values.text(c) for c in row]
        unit_col = next((c for c, h in enumerate(heads) if normalize_header(h) in unit_names), None)
        indicator_cols = {}
        for col, head in enumerate(heads):
            token = head.split(" ")[0] if head else ""
            found = lookup.indicators.get(values.code(token).casefold()) if token else None
            if found is not None:
                indicator_cols[col] = found
        if unit_col is not None and len(indicator_cols) >= 2:
            columns = {"kode_unit": unit_col}
            for name in ("evaluator", "nama_unit"):
                spellings = {normalize_header(s) for s in (name, *synonyms.get(name, ()))}
                match = next((c for c, h in enumerate(heads) if normalize_header(h) in spellings), None)
                if match is not None:
                    columns[name] = match
            return Table(book.name, sheet, index + 1, heads, columns, rows[index + 1:]), indicator_cols
    return None


def _find_table(book: Book, sheet: str | int, lookup: Lookup, synonyms: dict[str, tuple[str, ...]]
                ) -> tuple[Table, dict[int, int], str]:
    """(table, wide indicator columns, layout) of the observation sheet; SheetError when neither layout fits."""
    sheet_name, rows = book.rows(sheet)
    found = find_header(rows, [*LONG_REQUIRED, *LONG_OPTIONAL], LONG_REQUIRED, synonyms)
    if found is not None:
        index, columns = found
        headers = [str(cell).strip() for cell in rows[index]]
        return Table(book.name, sheet_name, index + 1, headers, columns, rows[index + 1:]), {}, "long"
    wide = _wide_table(book, sheet_name, rows, lookup, synonyms)
    if wide is None:
        raise SheetError("{file}, lembar '{sheet}': tidak ditemukan baris judul dengan kolom {columns}",
                         file=book.name, sheet=sheet_name, columns=", ".join(LONG_REQUIRED))
    return wide[0], wide[1], "wide"


def read_observation_file(book: Book, meta: dict[str, str], lookup: Lookup, instrument: Instrument, *,
                          period: str, evaluator: str | None = None, mapping: dict[str, str] | None = None
                          ) -> FileCheck:
    """Read and check one opened file without writing anything; every problem is collected in the result.

    `meta` is the file's template identity (`template_meta`), {} for a foreign file. Raises SheetError
    when the file has no recognisable header at all.
    """
    check = FileCheck(book.path, file_sha256(book.path), period=period)
    synonyms = synonyms_with(mapping or {})
    sheet: str | int = ENTRY_SHEET if meta and ENTRY_SHEET in book.sheet_names else 0
    if meta:
        evaluator = meta.get("evaluator") or evaluator
    table, wide, layout = _find_table(book, sheet, lookup, synonyms)
    check.layout, check.sheet = "template" if meta else layout, table.sheet
    if evaluator is None and "evaluator" not in table.columns:
        check.problems.append(Problem(Location(book.name, table.sheet, table.header_row), "", tr(
            "diharapkan {expected}, tetapi sel kosong", expected=tr("evaluator (kolom atau --evaluator)"))))
        return check
    lo, hi = instrument.scale_min, instrument.scale_max
    normalisers = {**NORMALISERS, "score": lambda v: values.score(v, lo, hi),
                   "claim": lambda v: values.score(v, lo, hi)}
    # a sheet repeats the same few units, codes and values thousands of times: each column is checked over
    # its distinct cells once, then read through what those checks found
    width = max([*table.columns.values(), *wide], default=0) + 1
    records = table.records()
    if any(len(cells) < width for _, cells in records):  # calamine's rows are as wide as the sheet; others pad
        records = [(number, cells if len(cells) >= width else [*cells, *[""] * (width - len(cells))])
                   for number, cells in records]
    # record index -> its problems, each with its place in the order a reader meets them: the record's codes
    # first, then entry by entry (a wide row has one an indicator column) its values, then a repeated key
    faults: dict[int, list[tuple[tuple[int, int], Problem]]] = {}

    def fault(n: int, field_name: str, value: object, reason: str, column: int | None = None,
              order: tuple[int, int] = (-1, 0)) -> None:
        location = table.where(records[n][0], field_name)
        if column is not None:  # a wide layout's indicator column
            location = Location(location.file, location.sheet, records[n][0],
                                f"{column_letter(column)} ({table.headers[column]})")
        faults.setdefault(n, []).append((order, Problem(location, values.text(value), reason)))

    rows = [cells for _, cells in records]

    def column(index: int, at: list[int] | None = None) -> list[object]:
        """The cells of a column, of every record or of the records `at`."""
        return list(map(itemgetter(index), rows if at is None else map(rows.__getitem__, at)))

    units = _checked(column(table.columns["kode_unit"]), lookup.unit)
    for n, found in enumerate(units):
        if isinstance(found, ValueError):
            fault(n, "kode_unit", table.get(rows[n], "kode_unit"), str(found))
    # record index -> unit id, for the records whose unit is known
    unit_of = {n: found for n, found in enumerate(units) if not isinstance(found, ValueError)}
    who = [evaluator or ""] * len(records)
    if (evaluator_col := table.columns.get("evaluator")) is not None:
        who = [str(text) or default for text, default in
               zip(_checked(column(evaluator_col), values.text), who, strict=True)]
    # entries, in parallel lists: the record, the indicator and (wide layout) the column of each observation
    at: list[int] = []
    indicator_of: list[int] = []
    column_of: list[int | None] = []
    raw: dict[str, list[object]] = {}
    if wide:
        for n in range(len(records)):
            if n not in faults:
                at += [n] * len(wide)
                indicator_of += wide.values()
                column_of += wide.keys()
        raw["score"] = [rows[n][col] for n, col in zip(at, column_of, strict=True) if col is not None]
    else:
        indicator_ids = _checked(column(table.columns["kode_indikator"]), lookup.indicator)
        for n, ind_id in enumerate(indicator_ids):
            if isinstance(ind_id, ValueError):
                if n not in faults:
                    fault(n, "kode_indikator", table.get(rows[n], "kode_indikator"), str(ind_id))
            elif n not in faults:
                at.append(n)
                indicator_of.append(ind_id)
        column_of = [None] * len(at)
        raw = {FIELDS[f]: column(table.columns[f], at) for f in FIELDS if f in table.columns}
    names = list(raw)
    cleaned = [_checked(raw[name], normalisers[name]) for name in names]
    sources = {n: f for f, n in FIELDS.items()}
    refused: set[int] = set()  # entries with a value a normaliser refused
    for name, answers in zip(names, cleaned, strict=True):
        for e in [e for e, clean in enumerate(answers) if isinstance(clean, ValueError)]:
            fault(at[e], sources[name], raw[name][e], str(answers[e]), column_of[e], (e, 0))
            refused.add(e)
    folded = {name: name.casefold() for name in set(who)}
    keys = list(zip(map(unit_of.__getitem__, at), indicator_of, (folded[who[n]] for n in at), strict=True))
    if len(set(keys)) < len(keys):  # rare: name the repeats, in the order a reader meets them
        seen: dict[tuple[int, int, str], int] = {}
        for e, key in enumerate(keys):
            number, cells = records[at[e]]
            if key in seen:
                code = values.text(table.get(cells, "kode_unit"))
                fault(at[e], "kode_indikator" if not wide else "kode_unit", code,
                      tr("kode '{code}' sudah ada di baris {first}", code=code, first=seen[key]), column_of[e],
                      (e, 1))
                refused.add(e)
            else:
                seen[key] = number
    by_entry = zip(at, indicator_of, zip(*cleaned, strict=True), strict=True)  # every layout has a score column
    check.rows = [Incoming(records[n][0], unit_of[n], ind_id, who[n], given)
                  for e, (n, ind_id, row_values) in enumerate(by_entry) if e not in refused and n not in faults
                  and (given := {name: v for name, v in zip(names, row_values, strict=True)
                                 if v is not None and v != ""})]
    for n in sorted(faults):
        check.problems += [problem for _, problem in sorted(faults[n], key=lambda found: found[0])]
        check.invalid_rows.add(records[n][0])
    return check


def _checked(cells: list[object], fn: Callable[[object], T]) -> list[T | ValueError]:
    """`fn` over a column, run once per distinct cell (1, 1.0 and True kept apart); a ValueError stands in
    for the answer of a cell `fn` refuses."""

    def answer(cell: object) -> T | ValueError:
        try:
            return fn(cell)
        except ValueError as exc:
            return exc

    if len(set(map(type, cells))) <= 1:  # cells of one kind (the usual column): their values tell them apart
        answers = {cell: answer(cell) for cell in set(cells)}
        return list(map(answers.__getitem__, cells))
    typed = {key: answer(key[1]) for key in {(cell.__class__, cell) for cell in cells}}
    return [typed[(cell.__class__, cell)] for cell in cells]


def parse_mapping(items: list[str]) -> dict[str, str]:
    """"Header=field" pairs from the command line, checked against the canonical field names."""
    known = (*LONG_REQUIRED, *LONG_OPTIONAL, "nama_unit")
    mapping = {}
    for item in items:
        header, _, target = item.partition("=")
        if not header.strip() or target.strip() not in known:
            raise WorkbenchError("Pengaturan {name} tidak boleh '{value}' (pilihan: {choices})", name="--map",
                                 value=item, choices=", ".join(known))
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
    book = Book(path)
    sheet_name, rows = book.rows(ENTRY_SHEET if template_meta(book) else 0)
    synonyms = synonyms_with(mapping or {})
    fields = (*LONG_REQUIRED, *LONG_OPTIONAL, "nama_unit")
    spellings = {f: {normalize_header(s) for s in (f, *synonyms.get(f, ()))} for f in fields}

    def guess(header: str) -> str | None:
        key = normalize_header(header)
        return next((f for f in fields if key and key in spellings[f]), None)

    best, best_score = 0, (-1, -1)
    for index, row in enumerate(rows[:30]):  # most recognised headers, then most filled cells (not a title)
        texts = [values.text(cell) for cell in row]
        score = (sum(1 for t in texts if guess(t)), sum(1 for t in texts if t))
        if score > best_score:
            best, best_score = index, score
    headers = [values.text(c) for c in rows[best]]
    body = [[values.text(c) for c in row] for row in rows[best + 1: best + 1 + limit]]
    return Preview(sheet_name, best + 1, headers, body, {h: guess(h) for h in headers if h})
