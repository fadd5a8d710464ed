"""Survey questionnaires read from a file: one row per respondent, a column per question.

Files come as typed by field teams (xlsx, xls, ods) or downloaded from Google Forms (xlsx, or CSV: from
Indonesian Excel with `;` and decimal commas, in Windows-1252 or UTF-8 with a BOM). Question columns are
found by the question's text (Google Forms puts it in the header), its name, its code, or U1-U9; answers
may be numbers or the answer labels ("Sangat sesuai"); a timestamp column is ignored.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from workbench.domain import values
from workbench.domain.instrument import Questionnaire, Unsur
from workbench.errors import Location, NotFound, Problem, SheetError, WorkbenchError
from workbench.exchange.sheets import SYNONYMS, Book, column_letter, display, normalize_header
from workbench.i18n import tr
from workbench.registry import Registry
from workbench.surveys import PROFILE, Incoming, packed

MAX_CSV_BYTES = 200 * 1024 * 1024
_UNSEEN, _BLANK = object(), object()  # a cell not checked yet; a cell left blank
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


def survey_mapping(given: Sequence[str] | Mapping[str, str], inst: Questionnaire) -> dict[str, str]:
    """Header -> field pairs ("Pertanyaan 1=U1" on the command line), each field named as a header could name
    it (U1, the item's key or name, a profile field, kode_unit, nomor) and returned as the field's key."""
    pairs = [item.partition("=")[::2] for item in given] if not isinstance(given, Mapping) else list(given.items())
    matchers = _matchers(inst)
    fields = {normalize_header(s): f for f, spellings in {**PROFILE_SYNONYMS, **OTHER_COLUMNS}.items()
              for s in (f, *spellings)}
    mapping = {}
    for header, target in pairs:
        field = _column_of(target, matchers) or fields.get(normalize_header(target))
        if not header.strip() or field is None:
            raise WorkbenchError("Pengaturan {name} tidak boleh '{value}' (pilihan: {choices})", name="--map",
                                 value=f"{header}={target}", choices=", ".join(
                                     [f"U1-U{len(inst.unsur)}", *(u.key for u in inst.unsur), *PROFILE_SYNONYMS,
                                      *OTHER_COLUMNS]))
        mapping[header.strip()] = field
    return mapping


def find_columns(rows: Sequence[Sequence[object]], inst: Questionnaire, mapping: dict[str, str] | None = None
                 ) -> tuple[int, dict[str, int]] | None:
    """(header row index, field -> column) of the first row among the first 30 naming at least half the items;
    `mapping` names a header's field where the names are not recognised (see `survey_mapping`)."""
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

    # a sheet repeats the same few answers, units and profiles thousands of times: each distinct cell is
    # checked once per column, and each distinct row of answers packed once
    item_columns: list[tuple[Unsur, int, dict[object, object]]] = [(item, found.columns[item.key], {})
                                                                    for item in items]
    unit_column = found.columns.get("kode_unit")
    unit_cache: dict[object, tuple[str, int | None]] = {}
    profile_columns: list[tuple[str, int, dict[object, str | ValueError]]] = [
        (key, found.columns[key], {}) for key in PROFILE if key in found.columns]
    number_column = found.columns.get("nomor")
    packed_rows: dict[tuple[object, ...], str] = {}
    # what `packed` makes of a full row of answers, as a template: json.dumps per row would cost more than the rest
    template = "{" + ",".join(f"{json.dumps(k, ensure_ascii=False)}:%d" for k in sorted(u.key for u in items)) + "}"
    order = [n for _, n in sorted((u.key, n) for n, u in enumerate(items))]
    for offset, row in enumerate(rows[index + 1:], start=index + 2):
        width = len(row)
        problems: list[Problem] = []
        answers: dict[str, int] = {}
        blank = 0
        for item, col, cache in item_columns:
            value = row[col] if col < width else ""
            given = cache.get(value, _UNSEEN)
            if given is _UNSEEN:
                given = _BLANK if str(value).strip() == "" else answer(value, item.options, inst.scale_min,
                                                                       inst.scale_max)
                cache[value] = given
            if given is _BLANK:
                blank += 1
                problems.append(Problem(where(offset, item.key), "", tr("jawaban kosong")))
            elif given is None:
                problems.append(Problem(where(offset, item.key), display(value), tr(
                    "{value} bukan jawaban skala {lo}-{hi}{labels}", value=display(value), lo=inst.scale_min,
                    hi=inst.scale_max, labels=f" ({', '.join(item.options)})" if item.options else "")))
            else:
                answers[item.key] = int(str(given))
        if blank == len(item_columns):
            continue  # a blank line
        unit_id = default_unit
        if unit_column is not None:
            raw = row[unit_column] if unit_column < width else ""
            if raw not in unit_cache:
                code = values.code(raw)
                unit_cache[raw] = (code, units.get(code.casefold()) if code else default_unit)
            code, unit_id = unit_cache[raw]
            if code and unit_id is None:
                problems.append(Problem(where(offset, "kode_unit"), code, str(NotFound(
                    "Kode unit tidak dikenal: {code}{hint}", code=code, hint=""))))
        if unit_id is None and not problems:
            problems.append(Problem(Location(path.name, found.sheet, offset), "", tr(
                "unit tidak disebut: beri kolom kode_unit atau pilih unitnya (--unit)")))
        profile: dict[str, str] = {}
        for key, col, seen in profile_columns:
            raw = row[col] if col < width else ""
            if raw not in seen:
                try:
                    seen[raw] = values.bounded(display(raw), "person")
                except ValueError as exc:
                    seen[raw] = exc
            text = seen[raw]
            if isinstance(text, ValueError):
                problems.append(Problem(where(offset, key), "", str(text)))
            elif text:
                profile[key] = text
        number = None
        if number_column is not None and number_column < width and str(row[number_column]).strip():
            try:
                number = values.score(row[number_column], 1, 10**9)
            except ValueError as exc:
                problems.append(Problem(where(offset, "nomor"), display(row[number_column]), str(exc)))
        if problems:
            found.problems += problems
            found.invalid_rows += 1
            continue
        assert unit_id is not None
        given = tuple(answers.values())
        packed_answers = template % tuple(given[n] for n in order)
        key_profile = tuple(profile.items())
        packed_profile = packed_rows.get(key_profile) or packed_rows.setdefault(key_profile, packed(profile))
        found.rows.append(Incoming(offset, unit_id, answers, profile, number, packed_answers, packed_profile))
    return found
