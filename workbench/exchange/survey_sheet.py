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
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from workbench.domain import values
from workbench.domain.instrument import Questionnaire, Unsur
from workbench.errors import Location, NotFound, Problem, SheetError, WorkbenchError
from workbench.exchange.sheets import SYNONYMS, Book, column_letter, display, normalize_header
from workbench.i18n import tr
from workbench.registry import Registry
from workbench.surveys import PROFILE, Incoming, packed, profile_value

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


def _checked(value: object, item: Unsur, inst: Questionnaire) -> int | str:
    """A cell's answer, or why it is none: "" when blank, else the reason in the user's language."""
    if str(value).strip() == "":
        return ""
    given = answer(value, item.options, inst.scale_min, inst.scale_max)
    if given is not None:
        return given
    return tr("{value} bukan jawaban skala {lo}-{hi}{labels}", value=display(value), lo=inst.scale_min,
              hi=inst.scale_max, labels=f" ({', '.join(item.options)})" if item.options else "")


def _profile_of(keys: Sequence[str], cells: Sequence[object]) -> tuple[dict[str, str], str, list[tuple[str, str]]]:
    """(profile, as packed, [(field, problem)]) of a row's profile cells."""
    profile, faults = {}, []
    for key, raw in zip(keys, cells, strict=True):
        try:
            if text := profile_value(key, display(raw)):
                profile[key] = text
        except ValueError as exc:
            faults.append((key, str(exc)))
    return profile, packed(profile), faults


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

    # a CSV has no sheets and no column letters: its cells are named by their header
    text_file = path.suffix.lower() in (".csv", ".txt")
    sheet = None if text_file else found.sheet
    headers = rows[index]

    def where(row_number: int, key: str) -> Location:
        col = found.columns[key]
        name = display(headers[col])[:40] if text_file else column_letter(col)
        return Location(path.name, sheet, row_number, f"{name} ({key})")

    # a sheet repeats the same few answers, units and profiles thousands of times: each column is checked over
    # its distinct cells once, then read through what those checks found
    items.sort(key=lambda u: u.key)  # the order `packed` writes them in
    keys = [u.key for u in items]
    data = rows[index + 1:]
    widest = max(found.columns.values()) + 1
    if data and min(map(len, data)) < widest:
        data = [row if len(row) >= widest else [*row, *([""] * (widest - len(row)))] for row in data]
    first = index + 2  # the sheet's row number of data[0]
    faults: dict[int, list[Problem]] = defaultdict(list)  # data index -> its problems, in column order
    blanks: Counter[int] = Counter()  # data index -> questions left blank

    answer_columns = []
    for item in items:
        column = [row[found.columns[item.key]] for row in data]
        checked = {value: _checked(value, item, inst) for value in set(column)}
        if bad := {value for value, result in checked.items() if isinstance(result, str)}:
            for n, value in enumerate(column):
                if value in bad:
                    blanks[n] += checked[value] == ""
                    faults[n].append(Problem(where(first + n, item.key), display(value),
                                             str(checked[value]) or tr("jawaban kosong")))
        answer_columns.append([checked[value] for value in column])
    skipped = {n for n, count in blanks.items() if count == len(items)}  # blank lines

    unit_ids: list[int | None] = [default_unit] * len(data)
    if (unit_column := found.columns.get("kode_unit")) is not None:
        column = [row[unit_column] for row in data]
        known = {raw: values.code(raw) for raw in set(column)}
        ids = {raw: units.get(code.casefold()) if code else default_unit for raw, code in known.items()}
        unit_ids = [ids[raw] for raw in column]
        for n, raw in enumerate(column):
            if known[raw] and ids[raw] is None:
                faults[n].append(Problem(where(first + n, "kode_unit"), known[raw], str(NotFound(
                    "Kode unit tidak dikenal: {code}{hint}", code=known[raw], hint=""))))
    for n, unit_id in enumerate(unit_ids):
        if unit_id is None and n not in faults:
            faults[n].append(Problem(Location(path.name, sheet, first + n), "", tr(
                "unit tidak disebut: beri kolom kode_unit atau pilih unitnya (--unit)")))

    profile_keys = [key for key in PROFILE if key in found.columns]
    profile_cells = list(zip(*([row[found.columns[key]] for row in data] for key in profile_keys), strict=True)) \
        if profile_keys else [()] * len(data)
    profiles = {cells: _profile_of(profile_keys, cells) for cells in set(profile_cells)}
    if any(faulty for _, _, faulty in profiles.values()):
        for n, cells in enumerate(profile_cells):
            faults[n] += [Problem(where(first + n, key), "", fault) for key, fault in profiles[cells][2]]

    numbers: list[int | None] = [None] * len(data)
    if (number_column := found.columns.get("nomor")) is not None:
        for n, row in enumerate(data):
            if str(row[number_column]).strip():
                try:
                    numbers[n] = values.score(row[number_column], 1, 10**9)
                except ValueError as exc:
                    faults[n].append(Problem(where(first + n, "nomor"), display(row[number_column]), str(exc)))

    for n in sorted(faults.keys() - skipped):
        found.problems += faults[n]
        found.invalid_rows += 1
    template = "{" + ",".join(f"{json.dumps(k, ensure_ascii=False)}:%d" for k in keys) + "}"
    for n, (answers, unit_id, cells, number) in enumerate(zip(zip(*answer_columns, strict=True), unit_ids,
                                                              profile_cells, numbers, strict=True)):
        if n in faults or unit_id is None:
            continue
        profile, packed_profile, _ = profiles[cells]
        found.rows.append(Incoming(first + n, unit_id, dict(zip(keys, answers, strict=True)), profile, number,
                                   template % answers, packed_profile))
    return found
