"""Who and what is evaluated, and when: instruments, periods, institutions, units, evaluators."""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from workbench import instrument as instruments
from workbench.errors import NotFound, Problem, ValidationFailed, WorkbenchError
from workbench.instrument import Instrument, SkmInstrument
from workbench.messages import text
from workbench.progress import CancelToken, ProgressCallback, report
from workbench.sheets import find_table
from workbench.store import Store, new_uuid, now


@dataclass(frozen=True)
class Period:
    id: int
    name: str
    year: int | None
    instrument_id: str
    demo: bool


@dataclass(frozen=True)
class Unit:
    id: int
    code: str
    name: str
    institution: str
    institution_kind: str | None = None
    region: str | None = None
    address: str | None = None


@dataclass(frozen=True)
class UnitsImport:
    """What `import_units` did."""

    added: int
    updated: int
    unchanged: int


UNIT_FIELDS = ("kode_unit", "nama_unit", "instansi")
UNIT_OPTIONAL = ("jenis_instansi", "wilayah", "alamat")


def did_you_mean(code: str, known: list[str]) -> str:
    """" (maksud Anda X?)" for the closest known code, or "" when nothing is close."""
    close = difflib.get_close_matches(code, known, n=1, cutoff=0.6)
    return text("did_you_mean", guess=close[0]) if close else ""


class Registry(Store):
    """Instruments, periods and the units under evaluation."""

    # --- instruments -----------------------------------------------------------------------

    def add_instrument(self, inst: Instrument | SkmInstrument) -> None:
        """Store an instrument (idempotent for the same id and version)."""
        if self.one("SELECT 1 FROM instruments WHERE id = ?", (inst.id,)):
            return
        with self.transaction():
            self.conn.execute("INSERT INTO instruments (id, kind, name, version, definition, added_at) "
                              "VALUES (?, ?, ?, ?, ?, ?)",
                              (inst.id, inst.kind, inst.name, inst.version,
                               json.dumps(inst.definition, ensure_ascii=False), now()))
            if isinstance(inst, SkmInstrument):
                return
            indicator_position = 0
            for position, aspect in enumerate(inst.aspects):
                aspect_id = self.conn.execute(
                    "INSERT INTO aspects (instrument_id, code, name, weight, position) VALUES (?, ?, ?, ?, ?)",
                    (inst.id, aspect.code, aspect.name, aspect.weight, position)).lastrowid
                for ind in aspect.indicators:
                    self.conn.execute(
                        "INSERT INTO indicators (instrument_id, aspect_id, code, text, weight, global_weight, scored,"
                        " position) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        (inst.id, aspect_id, ind.code, ind.text, ind.weight, ind.global_weight, int(ind.scored),
                         indicator_position))
                    indicator_position += 1

    def instrument(self, ident: str) -> Instrument | SkmInstrument:
        """A stored instrument by id (rebuilt from its stored definition)."""
        cache = self._instrument_cache
        if ident not in cache:
            row = self.one("SELECT definition FROM instruments WHERE id = ?", (ident,))
            if row is None:
                raise NotFound("instrument_unknown", id=ident, known=", ".join(self.instrument_ids()))
            cache[ident] = instruments.from_dict(json.loads(row[0]))
        return cache[ident]

    @cached_property
    def _instrument_cache(self) -> dict[str, Instrument | SkmInstrument]:
        return {}

    def instrument_ids(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT id FROM instruments ORDER BY id")]

    def indicator_ids(self, instrument_id: str) -> dict[str, int]:
        """Indicator code -> row id for one instrument."""
        return dict(self.conn.execute("SELECT code, id FROM indicators WHERE instrument_id = ?", (instrument_id,)))

    # --- periods ---------------------------------------------------------------------------

    def add_period(self, name: str, *, instrument_id: str = instruments.DEFAULT_INSTRUMENT,
                   year: int | None = None, demo: bool = False) -> Period:
        """Open an evaluation period scored with a stored instrument."""
        if self.one("SELECT 1 FROM periods WHERE name = ?", (name,)):
            raise WorkbenchError("period_exists", name=name)
        self.instrument(instrument_id)
        with self.transaction():
            self.conn.execute("INSERT INTO periods (uuid, name, year, instrument_id, demo, created_at) "
                              "VALUES (?, ?, ?, ?, ?, ?)", (new_uuid(), name, year, instrument_id, int(demo), now()))
        return self.period(name)

    def periods(self) -> list[Period]:
        """All periods, newest first."""
        rows = self.conn.execute("SELECT id, name, year, instrument_id, demo FROM periods ORDER BY id DESC")
        return [Period(r[0], r[1], r[2], r[3], bool(r[4])) for r in rows]

    def period(self, name: str | None = None) -> Period:
        """The named period, or the newest one when `name` is None."""
        for period in self.periods():
            if name is None or period.name == name:
                return period
        if name is None:
            raise NotFound("no_period")
        raise NotFound("period_unknown", name=name)

    # --- institutions, units, evaluators ---------------------------------------------------

    def _institution_id(self, name: str, kind: str | None = None, region: str | None = None) -> int:
        row = self.one("SELECT id FROM institutions WHERE name = ?", (name,))
        if row:
            if kind or region:
                self.conn.execute("UPDATE institutions SET kind = coalesce(?, kind), region = coalesce(?, region) "
                                  "WHERE id = ?", (kind, region, row[0]))
            return row[0]
        return self.conn.execute("INSERT INTO institutions (uuid, name, kind, region) VALUES (?, ?, ?, ?)",
                                 (new_uuid(), name, kind, region)).lastrowid

    def add_unit(self, code: str, name: str, institution: str, *, institution_kind: str | None = None,
                 region: str | None = None, address: str | None = None) -> Unit:
        """Register a unit (or update the one with this code, matched without regard to case)."""
        with self.transaction():
            inst_id = self._institution_id(institution, institution_kind, region)
            self.conn.execute(
                "INSERT INTO units (uuid, code, name, institution_id, address) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (code) DO UPDATE SET name = excluded.name, institution_id = excluded.institution_id, "
                "address = coalesce(excluded.address, address)", (new_uuid(), code, name, inst_id, address))
        return self.unit(code)

    _UNIT_SQL = ("SELECT u.id, u.code, u.name, i.name, i.kind, i.region, u.address FROM units u "
                 "JOIN institutions i ON i.id = u.institution_id")

    def units(self) -> list[Unit]:
        """All units, by institution then unit name."""
        order = " ORDER BY i.name COLLATE NOCASE, u.name COLLATE NOCASE"
        return [Unit(*r) for r in self.conn.execute(self._UNIT_SQL + order)]

    def unit(self, code: str) -> Unit:
        """A unit by code (any case); NotFound suggests the closest code."""
        row = self.one(self._UNIT_SQL + " WHERE u.code = ? COLLATE NOCASE", (code.strip(),))
        if row is None:
            known = [r[0] for r in self.conn.execute("SELECT code FROM units")]
            raise NotFound("unit_unknown", code=code, hint=did_you_mean(code, known))
        return Unit(*row)

    def evaluator_id(self, name: str) -> int:
        """The id of an evaluator by name, registering a new one on first use."""
        name = name.strip() or self.actor
        row = self.one("SELECT id FROM evaluators WHERE name = ?", (name,))
        if row:
            return row[0]
        with self.transaction():
            return self.conn.execute("INSERT INTO evaluators (uuid, name) VALUES (?, ?)", (new_uuid(), name)).lastrowid

    def evaluators(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT name FROM evaluators ORDER BY name")]

    def import_units(self, path: str | Path, *, progress: ProgressCallback | None = None,
                     cancel: CancelToken | None = None) -> UnitsImport:
        """Register institutions and units from a sheet (kode_unit, nama_unit, instansi, optional
        jenis_instansi, wilayah, alamat). All rows are checked first; any problem means nothing is written.
        """
        table = find_table(path, UNIT_FIELDS, UNIT_OPTIONAL)
        problems: list[Problem] = []
        seen: dict[str, int] = {}
        rows = []
        for row_number, row in table.records():
            values = {f: str(table.get(row, f) or "").strip() for f in (*UNIT_FIELDS, *UNIT_OPTIONAL)}
            values["kode_unit"] = values["kode_unit"].removesuffix(".0")  # numeric codes read back as floats
            for field in UNIT_FIELDS:
                if not values[field]:
                    problems.append(Problem(table.where(row_number, field), "", text("value_required", expected=field)))
            key = values["kode_unit"].casefold()
            if key and key in seen:
                problems.append(Problem(table.where(row_number, "kode_unit"), values["kode_unit"],
                                        text("duplicate_key", code=values["kode_unit"], first=seen[key])))
            seen.setdefault(key, row_number)
            rows.append(values)
        if problems:
            raise ValidationFailed(problems)
        existing = {r[0].casefold(): r[1:] for r in self.conn.execute(
            "SELECT u.code, u.name, i.name, u.address FROM units u JOIN institutions i ON i.id = u.institution_id")}
        added = updated = unchanged = 0
        with self.transaction():
            for n, values in enumerate(rows):
                if cancel:
                    cancel.check()
                before = existing.get(values["kode_unit"].casefold())
                after = (values["nama_unit"], values["instansi"], values["alamat"] or (before[2] if before else None))
                if before == after:
                    unchanged += 1
                    continue
                self.add_unit(values["kode_unit"], values["nama_unit"], values["instansi"],
                              institution_kind=values["jenis_instansi"] or None, region=values["wilayah"] or None,
                              address=values["alamat"] or None)
                added, updated = (added + 1, updated) if before is None else (added, updated + 1)
                report(progress, n + 1, len(rows))
        return UnitsImport(added, updated, unchanged)
