"""Reading spreadsheets (xlsx, xlsm, xls, ods) with python-calamine and finding their columns.

Headers are matched without regard to case, spaces, underscores or punctuation, and with the header
synonyms seen in the field (`SYNONYMS`); the header row may sit below title rows.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

from workbench.errors import Location, SheetError

# canonical field -> header spellings seen in the field (normalised on use)
SYNONYMS: dict[str, tuple[str, ...]] = {
    "kode_unit": ("kode unit", "unit code", "kode upp", "kode unit layanan", "kode lokus", "unit_code"),
    "nama_unit": ("nama unit", "unit", "unit name", "nama upp", "unit penyelenggara", "unit lokus", "nama lokus"),
    "instansi": ("instansi", "institution", "nama instansi", "lembaga", "kementerian lembaga pemda", "opd"),
    "jenis_instansi": ("jenis instansi", "institution type", "jenis lembaga", "tipe instansi"),
    "wilayah": ("wilayah", "region", "provinsi", "kabupaten kota", "daerah"),
    "alamat": ("alamat", "address"),
    "kode_indikator": ("kode indikator", "indicator code", "indikator", "id soal", "kode soal", "indicator"),
    "nilai": ("nilai", "skor", "score", "nilai evaluator", "skor evaluator", "skala evaluator", "skala"),
    "evaluator": ("evaluator", "penilai", "peneliti", "nama evaluator", "nama penilai"),
    "catatan": ("catatan", "keterangan", "notes", "note", "catatan pengamatan", "pengamatan"),
    "rekomendasi": ("rekomendasi", "recommendation", "saran"),
    "tanggal": ("tanggal", "date", "tanggal observasi", "tanggal penilaian"),
    "metode": ("metode", "method", "cara penilaian"),
    "klaim_unit": ("klaim unit", "klaim", "skala responden", "unit claim", "skor klaim", "nilai mandiri"),
}


def normalize_header(value: object) -> str:
    """Lower-case letters and digits only: "Kode_Unit " and "kode-unit" both give "kodeunit"."""
    folded = unicodedata.normalize("NFKD", str(value)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", folded.lower())


def _spellings(field: str, synonyms: dict[str, tuple[str, ...]]) -> set[str]:
    return {normalize_header(field), *(normalize_header(s) for s in synonyms.get(field, ()))}


def display(value: object) -> str:
    """A cell value as a user would type it: 5.0 -> "5", "" stays ""."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def column_letter(index: int) -> str:
    """The letter of a 0-based column: 0 -> "A", 27 -> "AB" (openpyxl's, imported only when a problem is named)."""
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


@dataclass
class Table:
    """The rows below a sheet's header row, with the column index of each recognised field."""

    file: str
    sheet: str
    header_row: int  # 1-based row number of the header in the sheet
    headers: list[str]
    columns: dict[str, int]
    rows: list[list[object]]

    def records(self) -> list[tuple[int, list[object]]]:
        """(1-based sheet row number, cells) of every non-blank row."""
        # any(row) alone would drop a row of zeros
        return [(offset, row) for offset, row in enumerate(self.rows, start=self.header_row + 1)
                if any(row) or 0 in row]

    def get(self, row: list[object], field: str) -> object:
        """The cell of `field` in `row`, or "" when the column is absent or the row is short."""
        index = self.columns.get(field)
        if index is None or index >= len(row):
            return ""
        value = row[index]
        return value.strip() if isinstance(value, str) else value

    def where(self, row_number: int, field: str | None = None) -> Location:
        """Location of a row, and of the column of `field` when given."""
        column = None
        if field is not None and field in self.columns:
            index = self.columns[field]
            column = f"{column_letter(index)} ({self.headers[index] or field})"
        return Location(self.file, self.sheet, row_number, column)


# Limits that keep a hostile file from exhausting memory or time: calamine loads a whole sheet at once.
MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_UNCOMPRESSED = 400 * 1024 * 1024  # declared size of all parts of a zip-based workbook
MAX_RATIO = 100  # expansion of any part larger than 32 MB; real sheets compress about 5-20 times


def check_container(path: Path) -> None:
    """Refuse, before parsing, a file too large or a zip that would expand beyond the limits."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise SheetError("{file}: terlalu besar untuk dibaca dengan aman ({detail} bila diurai); pecah berkasnya",
                         file=path.name, detail=f"{size // 2**20} MB")
    if not zipfile.is_zipfile(path):
        return
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise SheetError("{file}: bukan lembar kerja yang dapat dibaca ({detail})", file=path.name,
                         detail=str(exc)[:160]) from exc
    total = sum(i.file_size for i in infos)
    bomb = next((i for i in infos if i.file_size > 32 * 2**20 and i.file_size > MAX_RATIO * max(i.compress_size, 1)),
                None)
    if total > MAX_UNCOMPRESSED or bomb is not None or len(infos) > 10000:
        raise SheetError("{file}: terlalu besar untuk dibaca dengan aman ({detail} bila diurai); pecah berkasnya",
                         file=path.name, detail=f"{total // 2**20} MB")


class Book:
    """One spreadsheet file, checked against the limits and opened once; its sheets are read on demand."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise SheetError("{file}: berkas tidak ditemukan", file=self.path.name)
        check_container(self.path)
        try:
            self._book = CalamineWorkbook.from_path(str(self.path))
            self.visible = [m.name for m in self._book.sheets_metadata
                            if m.visible == SheetVisibleEnum.Visible and m.typ == SheetTypeEnum.WorkSheet]
        except Exception as exc:  # calamine raises many types for corrupt, encrypted or foreign files
            raise self._unreadable(exc) from exc

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def sheet_names(self) -> list[str]:
        """Every sheet, hidden ones included."""
        return list(self._book.sheet_names)

    def _unreadable(self, exc: Exception) -> SheetError:
        detail = str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__
        if "password" in detail.lower() or "encrypt" in detail.lower():
            return SheetError("{file}: berkas dilindungi kata sandi; buka, hapus sandinya, simpan, lalu impor lagi",
                              file=self.name)
        return SheetError("{file}: bukan lembar kerja yang dapat dibaca ({detail})", file=self.name, detail=detail)

    def _sheet(self, sheet: str | int) -> str:
        """A sheet's name, from its name or its position among the visible worksheets."""
        if isinstance(sheet, int):
            if len(self.visible) <= sheet:
                raise SheetError("{file}, lembar '{sheet}': lembar kosong", file=self.name, sheet="?")
            return self.visible[sheet]
        return sheet

    def rows(self, sheet: str | int = 0) -> tuple[str, list[list[object]]]:
        """(name, all rows) of one sheet; `sheet` is a name or a position among the visible worksheets."""
        sheet = self._sheet(sheet)
        try:
            # cells are str, int, float, bool, dates or times: read as plain objects from here on
            rows = cast(list[list[object]], self._book.get_sheet_by_name(sheet).to_python(skip_empty_area=False))
        except Exception as exc:
            raise self._unreadable(exc) from exc
        if not rows or not any(any(c not in ("", None) for c in r) for r in rows):
            raise SheetError("{file}, lembar '{sheet}': lembar kosong", file=self.name, sheet=sheet)
        return sheet, rows

    def iter_rows(self, sheet: str | int = 0) -> tuple[str, Iterator[list[object]]]:
        """(name, rows read lazily) of one sheet, numbered as `rows` numbers them (from the sheet's first row)."""
        sheet = self._sheet(sheet)
        try:
            found = self._book.get_sheet_by_name(sheet)
        except Exception as exc:
            raise self._unreadable(exc) from exc
        return sheet, self._padded(found.start, cast(Iterator[list[object]], found.iter_rows()))

    def _padded(self, start: tuple[int, int] | None, rows: Iterator[list[object]]) -> Iterator[list[object]]:
        top, left = start or (0, 0)
        yield from ([] for _ in range(top))
        try:
            for row in rows:
                yield [*([""] * left), *row] if left else list(row)
        except Exception as exc:  # calamine raises many types for a file damaged past its first rows
            raise self._unreadable(exc) from exc

    def table(self, required: Sequence[str], optional: Sequence[str] = (), *, sheet: str | int = 0,
              synonyms: dict[str, tuple[str, ...]] = SYNONYMS, search_rows: int = 30) -> Table:
        """The sheet's rows below the header row that names every `required` field.

        Example: ``Book("unit.xlsx").table(["kode_unit", "nama_unit", "instansi"])``.
        """
        sheet_name, rows = self.rows(sheet)
        found = find_header(rows, [*required, *optional], required, synonyms, search_rows)
        if found is None:
            raise SheetError("{file}, lembar '{sheet}': tidak ditemukan baris judul dengan kolom {columns}",
                             file=self.name, sheet=sheet_name, columns=", ".join(required))
        index, columns = found
        headers = [str(cell).strip() for cell in rows[index]]
        return Table(self.name, sheet_name, index + 1, headers, columns, rows[index + 1:])


def find_header(rows: Sequence[Sequence[object]], fields: Sequence[str], required: Sequence[str],
                synonyms: dict[str, tuple[str, ...]], search_rows: int = 30) -> tuple[int, dict[str, int]] | None:
    """(row index, field -> column) of the first row among the first `search_rows` naming every required field."""
    spellings = {field: _spellings(field, synonyms) for field in fields}
    for index, row in enumerate(rows[:search_rows]):
        normalised = [normalize_header(cell) for cell in row]
        columns: dict[str, int] = {}
        for field in fields:
            for col, name in enumerate(normalised):
                if name and name in spellings[field] and col not in columns.values():
                    columns[field] = col
                    break
        if all(field in columns for field in required):
            return index, columns
    return None
