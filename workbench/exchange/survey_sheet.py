"""Survey questionnaires read from a file: one row per respondent, a column per question.

Files come as typed by field teams (xlsx, xls, ods) or downloaded from Google Forms (xlsx, or CSV: from
Indonesian Excel with `;` and decimal commas, in Windows-1252 or UTF-8 with a BOM). Question columns are
found by the question's text (Google Forms puts it in the header), its name, its code, or U1-U9; answers
may be numbers or the answer labels ("Sangat sesuai"); a timestamp column is ignored.
"""

from __future__ import annotations

import csv
import json
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from workbench.domain import values
from workbench.domain.instrument import Questionnaire, Unsur
from workbench.domain.respondents import PROFILE, packed, profile_value
from workbench.errors import Location, NotFound, Problem, SheetError, WorkbenchError
from workbench.exchange.sheets import SYNONYMS, Book, column_letter, display, normalize_header
from workbench.i18n import tr
from workbench.registry import Registry
from workbench.surveys import Incoming

MAX_CSV_BYTES = 200 * 1024 * 1024
CHUNK = 20_000  # respondents checked and stored at a time
MAX_PROBLEMS = 10_000  # kept one by one for the report; the rest are counted
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
    respondents: int = 0  # rows read (of every part, when parts were absorbed)
    more_problems: int = 0  # beyond the MAX_PROBLEMS listed

    def absorb(self, part: SurveyFile) -> None:
        """Count in what reading one part found (its rows are stored, not kept): the file's header, the
        problems (the first MAX_PROBLEMS of them, then one line saying how many more), invalid rows."""
        self.sheet, self.header_row, self.columns = part.sheet, part.header_row, part.columns
        self.invalid_rows += part.invalid_rows
        self.respondents += len(part.rows)
        room = MAX_PROBLEMS - len(self.problems)
        if room > 0:
            self.problems += part.problems[:room]
        self.more_problems += max(0, len(part.problems) - max(room, 0))
        if self.more_problems:
            self.problems[MAX_PROBLEMS:] = [Problem(Location(self.path.name), "", tr(
                "… dan {count} masalah lain", count=self.more_problems))]


def open_rows(path: Path) -> tuple[str, Iterator[list[object]]]:
    """(sheet name, rows read lazily) of a spreadsheet's first sheet, or of a CSV file: a file of a million
    questionnaires is never held whole."""
    if path.suffix.lower() not in (".csv", ".txt"):
        return Book(path).iter_rows(0)
    if path.stat().st_size > MAX_CSV_BYTES:
        raise SheetError("{file}: berkas terlalu besar ({size} MB)", file=path.name, size=path.stat().st_size >> 20)
    with path.open("rb") as handle:
        sample = handle.read(1 << 20)
    if sample.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
    elif sample.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text": UTF-16 with its BOM, tab-separated
        encoding = "utf-16"
    else:
        try:
            sample.decode("utf-8")
            encoding = "utf-8"
        except UnicodeDecodeError as exc:  # cut in the middle of a character at the sample's end is still UTF-8
            encoding = "utf-8" if exc.start >= len(sample) - 3 else "cp1252"  # what Excel in Indonesia saves as CSV
    text = sample.decode(encoding, errors="replace")[:20000]
    delimiter = max(";,\t", key=lambda d: text.count(d))  # Indonesian Excel writes ";": the comma is decimal
    return path.stem, _csv_rows(path, encoding, delimiter)


def _csv_rows(path: Path, encoding: str, delimiter: str) -> Iterator[list[object]]:
    with path.open(encoding=encoding, errors="replace", newline="") as handle:
        yield from csv.reader(handle, delimiter=delimiter)


def _matchers(inst: Questionnaire) -> dict[str, set[str]]:
    """Header spellings per item: code, name, English name, U<n>, and the question's text."""
    found = {}
    for n, item in enumerate(inst.unsur, start=1):
        spellings = {item.key, *item.aliases, item.name, item.name_en, f"U{n}", f"unsur {n}", f"butir {n}",
                     item.question}
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
                mapping: dict[str, str] | None = None, chunk: int = CHUNK) -> Iterator[SurveyFile]:
    """Every respondent of the file, checked, in parts of `chunk` rows (so that a file of any length is checked
    and stored in bounded memory): answers on the scale (numbers or labels), no question left blank, a known
    unit (the file's kode_unit column, else `unit`), a readable profile. Each part lists its problems with
    their row and column; nothing is stored here. SheetError, before the first part, when the questions are
    not found."""
    path = Path(path)
    sheet, rows = open_rows(path)
    head = list(islice(rows, 30))
    header = find_columns(head, inst, mapping)
    if header is None:
        raise SheetError("{file}, lembar '{sheet}': tidak ditemukan kolom pertanyaan {form} (teks pertanyaan, "
                         "kode butir atau U1-U{count})", file=path.name, sheet=sheet, form=inst.id,
                         count=len(inst.unsur))
    index, columns = header
    missing = [u.key for u in inst.unsur if u.key not in columns]
    if missing:
        raise SheetError("{file}, lembar '{sheet}': kolom pertanyaan tidak ditemukan: {items}", file=path.name,
                         sheet=sheet, items=", ".join(missing))
    checker = _Checker(path, sheet, index + 1, columns, head[index], inst, registry, unit)
    data, first = head[index + 1:], index + 2  # first: the sheet's row number of data[0]
    while True:
        data += islice(rows, chunk - len(data))
        if not data:
            return
        yield checker.part(data, first)
        first += len(data)
        data = []


class _Checker:
    """Checks the respondents of one file, a part at a time, against what its header row says."""

    def __init__(self, path: Path, sheet: str, header_row: int, columns: dict[str, int], headers: list[object],
                 inst: Questionnaire, registry: Registry, unit: str | None) -> None:
        self.path, self.sheet, self.header_row, self.columns, self.headers = path, sheet, header_row, columns, headers
        self.inst = inst
        # a sheet repeats the same few answers, units and profiles thousands of times: each column is checked
        # over its distinct cells once, then read through what those checks found
        self.items = sorted((u for u in inst.unsur if u.key in columns), key=lambda u: u.key)  # as `packed` writes
        self.keys = [u.key for u in self.items]
        self.default_unit = registry.unit(unit).id if unit else None
        self.units = {code.casefold(): unit_id for code, unit_id in registry.unit_ids().items()}
        self.text_file = path.suffix.lower() in (".csv", ".txt")  # no sheets and no column letters: by header
        self.template = "{" + ",".join(f"{json.dumps(k, ensure_ascii=False)}:%d" for k in self.keys) + "}"
        self.profile_keys = [key for key in PROFILE if key in columns]
        self.profiles: dict[tuple[object, ...], tuple[dict[str, str], str, list[tuple[str, str]]]] = {}

    def where(self, row_number: int, key: str) -> Location:
        col = self.columns[key]
        name = display(self.headers[col])[:40] if self.text_file else column_letter(col)
        return Location(self.path.name, None if self.text_file else self.sheet, row_number, f"{name} ({key})")

    def part(self, data: list[list[object]], first: int) -> SurveyFile:
        """The respondents of `data`, whose first row is the sheet's row `first`, with their problems."""
        found = SurveyFile(self.path, self.sheet, self.header_row, self.columns)
        widest = max(self.columns.values()) + 1
        if min(map(len, data)) < widest:
            data = [row if len(row) >= widest else [*row, *([""] * (widest - len(row)))] for row in data]
        faults: dict[int, list[Problem]] = defaultdict(list)  # data index -> its problems, in column order
        blanks: Counter[int] = Counter()  # data index -> questions left blank

        answer_columns = []
        for item in self.items:
            column = [row[self.columns[item.key]] for row in data]
            checked = {value: _checked(value, item, self.inst) for value in set(column)}
            if bad := {value for value, result in checked.items() if isinstance(result, str)}:
                for n, value in enumerate(column):
                    if value in bad:
                        blanks[n] += checked[value] == ""
                        faults[n].append(Problem(self.where(first + n, item.key), display(value),
                                                 str(checked[value]) or tr("jawaban kosong")))
            answer_columns.append([checked[value] for value in column])
        skipped = {n for n, count in blanks.items() if count == len(self.items)}  # blank lines

        unit_ids: list[int | None] = [self.default_unit] * len(data)
        if (unit_column := self.columns.get("kode_unit")) is not None:
            column = [row[unit_column] for row in data]
            known = {raw: values.code(raw) for raw in set(column)}
            ids = {raw: self.units.get(code.casefold()) if code else self.default_unit for raw, code in known.items()}
            unit_ids = [ids[raw] for raw in column]
            for n, raw in enumerate(column):
                if known[raw] and ids[raw] is None:
                    faults[n].append(Problem(self.where(first + n, "kode_unit"), known[raw], str(NotFound(
                        "Kode unit tidak dikenal: {code}{hint}", code=known[raw], hint=""))))
        for n, unit_id in enumerate(unit_ids):
            if unit_id is None and n not in faults:
                where = Location(self.path.name, None if self.text_file else self.sheet, first + n)
                faults[n].append(Problem(where, "", tr("unit tidak disebut: beri kolom kode_unit atau pilih unitnya "
                                                       "(--unit)")))

        profile_cells = list(zip(*([row[self.columns[key]] for row in data] for key in self.profile_keys),
                                 strict=True)) if self.profile_keys else [()] * len(data)
        for cells in set(profile_cells) - self.profiles.keys():
            self.profiles[cells] = _profile_of(self.profile_keys, cells)
        if any(self.profiles[cells][2] for cells in set(profile_cells)):
            for n, cells in enumerate(profile_cells):
                faults[n] += [Problem(self.where(first + n, key), "", fault) for key, fault in self.profiles[cells][2]]

        numbers: list[int | None] = [None] * len(data)
        if (number_column := self.columns.get("nomor")) is not None:
            for n, row in enumerate(data):
                if str(row[number_column]).strip():
                    try:
                        numbers[n] = values.score(row[number_column], 1, 10**9)
                    except ValueError as exc:
                        faults[n].append(Problem(self.where(first + n, "nomor"), display(row[number_column]),
                                                 str(exc)))

        for n in sorted(faults.keys() - skipped):
            found.problems += faults[n]
            found.invalid_rows += 1
        for n, (answers, unit_id, cells, number) in enumerate(zip(zip(*answer_columns, strict=True), unit_ids,
                                                                  profile_cells, numbers, strict=True)):
            if n in faults or unit_id is None:
                continue
            profile, packed_profile, _ = self.profiles[cells]
            found.rows.append(Incoming(first + n, unit_id, dict(zip(self.keys, answers, strict=True)), profile,
                                       number, self.template % answers, packed_profile))
        return found
