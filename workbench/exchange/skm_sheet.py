"""SKM survey responses read from a sheet: one row per respondent, a column per unsur (U1-U9 or its name)."""

from __future__ import annotations

from pathlib import Path

from workbench.domain.instrument import SkmInstrument
from workbench.errors import NotFound, Problem, SheetError, ValidationFailed
from workbench.exchange.sheets import SYNONYMS, Book, display, normalize_header
from workbench.i18n import tr
from workbench.registry import Registry

Responses = dict[str | None, list[dict[str, int]]]


def unsur_synonyms(inst: SkmInstrument) -> dict[str, tuple[str, ...]]:
    """Header spellings per unsur: its key, its name, and U<n> in the instrument's order."""
    return {u.key: (u.name, u.name_en, f"U{n}", f"unsur {n}") for n, u in enumerate(inst.unsur, start=1)}


def number_in_scale(value: object, lo: int, hi: int) -> int | None:
    """An answer as an int within [lo, hi], or None when it is not one ("3", 3.0 and " 3 " are 3)."""
    try:
        number = float(str(value).strip().replace(",", "."))
    except ValueError:
        return None
    return int(number) if number.is_integer() and lo <= number <= hi else None


def read_responses(path: str | Path, inst: SkmInstrument, registry: Registry) -> Responses:
    """Answers per unit code (None for a sheet without a kode_unit column), every answer checked first:
    ValidationFailed lists every answer outside the scale and every unknown unit."""
    book = Book(path)
    sheet, rows = book.rows(0)
    synonyms = unsur_synonyms(inst)
    headers = {normalize_header(c) for row in rows[:30] for c in row}
    present = [u.key for u in inst.unsur if {normalize_header(s) for s in (u.key, *synonyms[u.key])} & headers]
    if not present:
        raise SheetError("{file}, lembar '{sheet}': tidak ditemukan kolom unsur SKM (U1-U9 atau nama unsur)",
                         file=book.name, sheet=sheet)
    table = book.table(present, ["kode_unit"], synonyms={**synonyms, "kode_unit": SYNONYMS["kode_unit"]})
    problems: list[Problem] = []
    groups: Responses = {}
    for row_number, row in table.records():
        answers: dict[str, int] = {}
        for key in present:
            value = table.get(row, key)
            if value in ("", None):
                continue
            answer = number_in_scale(value, inst.scale_min, inst.scale_max)
            if answer is None:
                problems.append(Problem(table.where(row_number, key), value, tr(
                    "{value} di luar skala {lo}-{hi}", value=display(value), lo=inst.scale_min, hi=inst.scale_max)))
            else:
                answers[key] = answer
        unit = str(table.get(row, "kode_unit") or "").removesuffix(".0") or None
        try:
            groups.setdefault(registry.unit(unit).code if unit else None, []).append(answers)
        except NotFound as exc:
            problems.append(Problem(table.where(row_number, "kode_unit"), unit, str(exc)))
    if problems:
        raise ValidationFailed(problems)
    return groups
