"""SKM survey responses read from a sheet and turned into IKM per unit."""

from __future__ import annotations

from pathlib import Path

from workbench import instrument as instruments
from workbench.errors import NotFound, Problem, SheetError, ValidationFailed
from workbench.instrument import SkmInstrument
from workbench.messages import text
from workbench.results import Results
from workbench.scoring import SkmResult, skm
from workbench.sheets import SYNONYMS, display, find_table, normalize_header, read_rows

SKM_INSTRUMENT = "skm-2017"


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


class Survey(Results):
    """IKM from SKM responses."""

    def skm(self, path: str | Path, *, mode: str | None = None) -> dict[str | None, SkmResult]:
        """IKM per unit code (None for a sheet without a unit column) from one row per respondent.

        Columns are the unsur (by key, name or U1-U9 in the order of skm-2017), optionally kode_unit.
        Every answer is checked first; any problem raises ValidationFailed listing all of them.
        """
        inst = instruments.load(SKM_INSTRUMENT)
        assert isinstance(inst, SkmInstrument)
        synonyms = unsur_synonyms(inst)
        sheet, rows = read_rows(path)
        headers = {normalize_header(c) for row in rows[:30] for c in row}
        present = [u.key for u in inst.unsur if {normalize_header(s) for s in (u.key, *synonyms[u.key])} & headers]
        if not present:
            raise SheetError("skm_no_unsur", file=Path(path).name, sheet=sheet)
        table = find_table(path, present, ["kode_unit"], synonyms={**synonyms, "kode_unit": SYNONYMS["kode_unit"]})
        problems: list[Problem] = []
        groups: dict[str | None, list[dict[str, int]]] = {}
        for row_number, row in table.records():
            answers: dict[str, int] = {}
            for key in present:
                value = table.get(row, key)
                if value in ("", None):
                    continue
                answer = number_in_scale(value, inst.scale_min, inst.scale_max)
                if answer is None:
                    problems.append(Problem(table.where(row_number, key), value, text(
                        "value_out_of_range", value=display(value), lo=inst.scale_min, hi=inst.scale_max)))
                else:
                    answers[key] = answer
            unit = str(table.get(row, "kode_unit") or "").removesuffix(".0") or None
            try:
                groups.setdefault(self.unit(unit).code if unit else None, []).append(answers)
            except NotFound as exc:
                problems.append(Problem(table.where(row_number, "kode_unit"), unit, str(exc)))
        if problems:
            raise ValidationFailed(problems)
        mode = mode or self.setting("skm_weight_mode")
        return {unit: skm(responses, inst, mode) for unit, responses in groups.items()}
