"""Reading a register of units from a sheet (kode_unit, nama_unit, instansi, and optionally jenis_instansi,
wilayah, alamat), and who visits which of them (kode_unit, evaluator)."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from workbench.domain import values
from workbench.errors import Problem, ValidationFailed, WorkbenchError
from workbench.exchange.sheets import Book
from workbench.i18n import tr
from workbench.registry import UnitRecord, did_you_mean

UNIT_FIELDS = ("kode_unit", "nama_unit", "instansi")
UNIT_OPTIONAL = ("jenis_instansi", "wilayah", "alamat")
KINDS = {"kode_unit": "code", "nama_unit": "name", "instansi": "institution", "jenis_instansi": "kind",
         "wilayah": "region", "alamat": "address"}  # each column's limit (values.LIMITS)


def read_units(path: str | Path) -> list[UnitRecord]:
    """Every unit of the sheet; ValidationFailed lists every empty required cell and repeated code."""
    table = Book(path).table(UNIT_FIELDS, UNIT_OPTIONAL)
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    records = []
    for row_number, row in table.records():
        cells: dict[str, str] = {}
        too_long: set[str] = set()
        for field, kind in KINDS.items():
            try:
                cells[field] = values.bounded(table.get(row, field), kind)
            except ValueError as exc:
                problems.append(Problem(table.where(row_number, field), "", str(exc)))
                cells[field], too_long = "", too_long | {field}
        for field in UNIT_FIELDS:
            if not cells[field] and field not in too_long:
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


def read_assignments(path: str | Path, units: Collection[str]) -> list[tuple[str, str]]:
    """(unit code as registered, evaluator) of every row of an assignment sheet (kode_unit, evaluator; other
    columns are ignored); ValidationFailed lists every empty cell and unit code not among `units`."""
    table = Book(path).table(("kode_unit", "evaluator"))
    known = {code.casefold(): code for code in units}
    problems: list[Problem] = []
    pairs: dict[tuple[str, str], None] = {}
    for row_number, row in table.records():
        try:
            code = values.bounded(table.get(row, "kode_unit"), "code")
            evaluator = values.field_text(table.get(row, "evaluator"), "person", "evaluator")
        except (ValueError, WorkbenchError) as exc:
            problems.append(Problem(table.where(row_number), "", str(exc)))
            continue
        for field, value in (("kode_unit", code), ("evaluator", evaluator)):
            if not value:
                problems.append(Problem(table.where(row_number, field), "",
                                        tr("diharapkan {expected}, tetapi sel kosong", expected=field)))
        if code and code.casefold() not in known:
            problems.append(Problem(table.where(row_number, "kode_unit"), code, tr(
                "Kode unit tidak dikenal: {code}{hint}", code=code, hint=did_you_mean(code, list(units)))))
        elif code and evaluator:
            pairs[(known[code.casefold()], evaluator)] = None
    if problems:
        raise ValidationFailed(problems)
    return list(pairs)
