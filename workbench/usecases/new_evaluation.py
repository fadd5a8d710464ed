"""A new evaluation as the app's wizard makes it: a database with its period and instrument, the unit
register, and the name and role of the person who works in it."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from workbench.exchange.units_sheet import read_units
from workbench.registry import UnitRecord, UnitsImport
from workbench.workbook import Workbook

ROLES = ("evaluator", "lead")  # who works in a database: evaluators score, the lead merges and issues


@dataclass(frozen=True)
class NewEvaluation:
    """What the wizard asks: where, which period and instrument, which units, who."""

    path: Path
    period: str
    year: int
    instrument: str  # a shipped instrument's id, or a .json/.xlsx/.ods file
    owner: str
    role: str = "evaluator"
    units: Path | None = None  # a register sheet, or None to add units later
    passphrase: str | None = None  # encrypts the database (and its evidence) when given


def check_units(path: Path) -> list[UnitRecord]:
    """The units of a register sheet; ValidationFailed names every bad cell (nothing is created)."""
    return read_units(path)


def create_evaluation(plan: NewEvaluation) -> UnitsImport | None:
    """Make the evaluation's database, all or nothing: when any step fails, no file is left behind.
    Returns what the unit register brought (None without one)."""
    records = check_units(plan.units) if plan.units else None
    wb = Workbook.create(plan.path, instrument=plan.instrument, period=plan.period, year=plan.year,
                         actor=plan.owner or None, passphrase=plan.passphrase)
    try:
        with wb:
            wb.settings.set("owner", plan.owner)
            wb.settings.set("owner_role", plan.role)
            return wb.registry.register_units(records) if records else None
    except BaseException:
        for leftover in (plan.path, Path(f"{plan.path}-wal"), Path(f"{plan.path}-shm")):
            leftover.unlink(missing_ok=True)
        shutil.rmtree(plan.path.with_name(plan.path.name + ".backups"), ignore_errors=True)
        raise
