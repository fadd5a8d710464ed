"""Survey questionnaires read from a file: one row per respondent, a column per question.

Files come as typed by field teams (xlsx, xls, ods) or downloaded from Google Forms (xlsx, or CSV: from
Indonesian Excel with `;` and decimal commas, in Windows-1252 or UTF-8 with a BOM). Question columns are
found by the question's text (Google Forms puts it in the header), its name, its code, or U1-U9; answers
may be numbers or the answer labels ("Sangat sesuai"); a timestamp column is ignored.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from workbench.domain import values
from workbench.domain.instrument import Questionnaire
from workbench.errors import Location, NotFound, Problem, SheetError
from workbench.exchange.sheets import SYNONYMS, Book, column_letter, display, normalize_header
from workbench.i18n import tr
from workbench.registry import Registry
from workbench.surveys import PROFILE, Incoming

MAX_CSV_BYTES = 200 * 1024 * 1024
PROFILE_SYNONYMS = {
    "jenis_kelamin": ("jenis kelamin", "jk", "kelamin", "gender", "sex", "l p"),
    "usia": ("usia", "umur", "age", "usia tahun"),
    "pendidikan": ("pendidikan", "pendidikan terakhir", "education"),
    "pekerjaan": ("pekerjaan", "pekerjaan utama", "occupation", "job"),
    "jenis_layanan": ("jenis layanan", "layanan", "layanan yang diterima", "service"),
}
OTHER_COLUMNS = {"kode_unit": SYNONYMS["kode_unit"], "nomor": ("nomor", "no", "no kuesioner", "nomor kuesioner",
                                                                "nomor responden", "responden")}


@dataclass
class SurveyImport:
    """What importing a survey file found and did."""

    file: SurveyFile
    form: str
    sha256: str
    already_imported: bool = False
    added: int = 0
    written: bool = False
    dry_run: bool = False

    @property
    def problems(self) -> list[Problem]:
        return self.file.problems


@dataclass
class SurveyFile:
    """What reading one survey file found: where the questions are, the respondents, and every problem."""

    path: Path
    sheet: str = ""
    header_row: int = 0
    columns: dict[str, int] = field(default_factory=dict)  # item or profile field -> 0-based column
    rows: list[Incoming] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    invalid_rows: int = 0


def read_rows(path: Path) -> tuple[str, list[list[object]]]:
    """(sheet name, rows) of a spreadsheet's first sheet, or of a CSV file."""
    if path.suffix.lower() not in (".csv", ".txt"):
        return Book(path).rows(0)
    if path.stat().st_size > MAX_CSV_BYTES:
        raise SheetError("{file}: berkas terlalu besar ({size} MB)", file=path.name, size=path.stat().st_size >> 20)
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        text = raw[3:].decode("utf-8", errors="replace")
    else:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("cp1252", errors="replace")  # what Excel in Indonesia saves as "CSV"
    sample = text[:20000]
    delimiter = max(";,\t", key=lambda d: sample.count(d))  # Indonesian Excel writes ";": the comma is decimal
    return path.stem, [list(row) for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _matchers(inst: Questionnaire) -> dict[str, set[str]]:
    """Header spellings per item: code, name, English name, U<n>, and the question's text."""
    found = {}
    for n, item in enumerate(inst.unsur, start=1):
        spellings = {item.key, item.name, item.name_en, f"U{n}", f"unsur {n}", f"butir {n}", item.question}
        found[item.key] = {normalize_header(s) for s in spellings if s}
    return found


def _column_of(header: str, matchers: dict[str, set[str]]) -> str | None:
    name = normalize_header(header)
    if not name:
        return None
    for key, spellings in matchers.items():
        if name in spellings:
            return key
    for key, spellings in matchers.items():  # a Google Forms header: "1. Kesesuaian persyaratan ..." or longer
        if any(len(s) > 8 and s in name for s in spellings):
            return key
    return None


def find_columns(rows: Sequence[Sequence[object]], inst: Questionnaire, mapping: dict[str, str] | None = None
                 ) -> tuple[int, dict[str, int]] | None:
    """(header row index, field -> column) of the first row among the first 30 naming at least half the items;
    `mapping` names a header's field where the names are not recognised (header -> item key or profile field)."""
    matchers = _matchers(inst)
    others = {f: {normalize_header(s) for s in (f, *spellings)} for f, spellings in
              {**PROFILE_SYNONYMS, **OTHER_COLUMNS}.items()}
    chosen = {normalize_header(h): f for h, f in (mapping or {}).items()}
    for index, row in enumerate(rows[:30]):
        columns: dict[str, int] = {}
        for col, cell in enumerate(row):
            name = normalize_header(cell)
            key = chosen.get(name) or _column_of(str(cell), matchers) or next(
                (f for f, spellings in others.items() if name in spellings), None)
            if key and key not in columns:
                columns[key] = col
        if sum(1 for item in inst.unsur if item.key in columns) * 2 >= len(inst.unsur):
            return index, columns
    return None


def answer(value: object, labels: Sequence[str], lo: int, hi: int) -> int | None:
    """An answer as a number on the scale: 3, "3", "3,0", or its label ("Sesuai"); None when it is neither."""
    try:
        number = float(str(value).strip().replace(",", "."))
    except ValueError:
        wanted = normalize_header(value)
        for n, label in enumerate(labels):
            if normalize_header(label) == wanted:
                return lo + n
        return None
    return int(number) if number.is_integer() and lo <= number <= hi else None


def read_survey(path: str | Path, inst: Questionnaire, registry: Registry, *, unit: str | None,
                mapping: dict[str, str] | None = None) -> SurveyFile:
    """Every respondent of the file, checked: answers on the scale (numbers or labels), no question left
    blank, a known unit (the file's kode_unit column, else `unit`), a readable profile. Problems are listed
    with their row and column; nothing is stored here."""
    path = Path(path)
    found = SurveyFile(path)
    found.sheet, rows = read_rows(path)
    header = find_columns(rows, inst, mapping)
    if header is None:
        raise SheetError("{file}, lembar '{sheet}': tidak ditemukan kolom pertanyaan {form} (teks pertanyaan, "
                         "kode butir atau U1-U{count})", file=path.name, sheet=found.sheet, form=inst.id,
                         count=len(inst.unsur))
    index, found.columns = header
    found.header_row = index + 1
    items = [u for u in inst.unsur if u.key in found.columns]
    missing = [u.key for u in inst.unsur if u.key not in found.columns]
    if missing:
        raise SheetError("{file}, lembar '{sheet}': kolom pertanyaan tidak ditemukan: {items}", file=path.name,
                         sheet=found.sheet, items=", ".join(missing))
    default_unit = registry.unit(unit).id if unit else None
    units = {code.casefold(): unit_id for code, unit_id in registry.unit_ids().items()}

    def where(row_number: int, key: str) -> Location:
        col = found.columns[key]
        return Location(path.name, found.sheet, row_number, f"{column_letter(col)} ({key})")

    for offset, row in enumerate(rows[index + 1:], start=index + 2):
        cells = {key: row[col] if col < len(row) else "" for key, col in found.columns.items()}
        if not any(str(v).strip() for k, v in cells.items() if k in {u.key for u in items}):
            continue  # a blank line
        problems: list[Problem] = []
        answers: dict[str, int] = {}
        for item in items:
            value = cells[item.key]
            if str(value).strip() == "":
                problems.append(Problem(where(offset, item.key), "", tr("jawaban kosong")))
                continue
            given = answer(value, item.options, inst.scale_min, inst.scale_max)
            if given is None:
                problems.append(Problem(where(offset, item.key), display(value), tr(
                    "{value} bukan jawaban skala {lo}-{hi}{labels}", value=display(value), lo=inst.scale_min,
                    hi=inst.scale_max, labels=f" ({', '.join(item.options)})" if item.options else "")))
            else:
                answers[item.key] = given
        unit_id = default_unit
        code = values.code(cells.get("kode_unit", "")) if "kode_unit" in cells else ""
        if code:
            unit_id = units.get(code.casefold())
            if unit_id is None:
                problems.append(Problem(where(offset, "kode_unit"), code, str(NotFound(
                    "Kode unit tidak dikenal: {code}{hint}", code=code, hint=""))))
        elif unit_id is None:
            problems.append(Problem(Location(path.name, found.sheet, offset), "", tr(
                "unit tidak disebut: beri kolom kode_unit atau pilih unitnya (--unit)")))
        profile = {}
        for key in PROFILE:
            if key in cells and str(cells[key]).strip():
                try:
                    profile[key] = values.bounded(display(cells[key]), "person")
                except ValueError as exc:
                    problems.append(Problem(where(offset, key), "", str(exc)))
        number = None
        if "nomor" in cells and str(cells["nomor"]).strip():
            try:
                number = values.score(cells["nomor"], 1, 10**9)
            except ValueError as exc:
                problems.append(Problem(where(offset, "nomor"), display(cells["nomor"]), str(exc)))
        if problems:
            found.problems += problems
            found.invalid_rows += 1
            continue
        assert unit_id is not None
        found.rows.append(Incoming(offset, unit_id, answers, profile, number))
    return found
