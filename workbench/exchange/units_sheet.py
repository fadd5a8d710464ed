"""Reading a register of units from a sheet: kode_unit, nama_unit, instansi, and optionally jenis_instansi,
wilayah, alamat."""

from __future__ import annotations

from pathlib import Path

from workbench.errors import Problem, ValidationFailed
from workbench.exchange.sheets import Book
from workbench.i18n import tr
from workbench.registry import UnitRecord

UNIT_FIELDS = ("kode_unit", "nama_unit", "instansi")
UNIT_OPTIONAL = ("jenis_instansi", "wilayah", "alamat")


def read_units(path: str | Path) -> list[UnitRecord]:
    """Every unit of the sheet; ValidationFailed lists every empty required cell and repeated code."""
    table = Book(path).table(UNIT_FIELDS, UNIT_OPTIONAL)
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    records = []
    for row_number, row in table.records():
        cells = {f: str(table.get(row, f) or "").strip() for f in (*UNIT_FIELDS, *UNIT_OPTIONAL)}
        cells["kode_unit"] = cells["kode_unit"].removesuffix(".0")  # numeric codes read back as floats
        for field in UNIT_FIELDS:
            if not cells[field]:
                problems.append(Problem(table.where(row_number, field), "",
                                        tr("diharapkan {expected}, tetapi sel kosong", expected=field)))
        key = cells["kode_unit"].casefold()
        if key and key in seen:
            problems.append(Problem(table.where(row_number, "kode_unit"), cells["kode_unit"], tr(
                "kode '{code}' sudah ada di baris {first}", code=cells["kode_unit"], first=seen[key])))
        seen.setdefault(key, row_number)
        records.append(UnitRecord(cells["kode_unit"], cells["nama_unit"], cells["instansi"],
                                  cells["jenis_instansi"] or None, cells["wilayah"] or None, cells["alamat"] or None))
    if problems:
        raise ValidationFailed(problems)
    return records
