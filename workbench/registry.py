"""Who and what is evaluated, and when: instruments, periods, institutions, units and evaluators."""

from __future__ import annotations

import difflib
import json
from collections.abc import Sequence
from dataclasses import dataclass

from workbench.db.audit import AuditLog, Change, digest
from workbench.db.store import Store, new_uuid, now
from workbench.domain import instrument as instruments
from workbench.domain.instrument import AnyInstrument, Instrument, SkmInstrument, SurveyInstrument
from workbench.domain.values import field_text, optional_text
from workbench.errors import NotFound, PeriodClosed, ReasonRequired, WorkbenchError
from workbench.events import Changes
from workbench.i18n import source, tr


@dataclass(frozen=True)
class Period:
    id: int
    uuid: str
    name: str
    year: int | None
    instrument_id: str
    demo: bool
    closed: bool  # after the panel: scores are frozen until the period is reopened

    def __post_init__(self) -> None:
        for flag in ("demo", "closed"):  # SQLite stores them as 0 or 1
            object.__setattr__(self, flag, bool(getattr(self, flag)))


@dataclass(frozen=True)
class UnitRecord:
    """A unit as a register sheet gives it: code, name and institution, the rest optional."""

    code: str
    name: str
    institution: str
    institution_kind: str | None = None
    region: str | None = None
    address: str | None = None


@dataclass(frozen=True, kw_only=True)
class Unit(UnitRecord):
    """A registered unit: its record, with its row id and the uuid that names it in packages and logs."""

    id: int
    uuid: str = ""


@dataclass(frozen=True)
class UnitsImport:
    """What `Registry.register_units` did."""

    added: int
    updated: int
    unchanged: int


def did_you_mean(code: str, known: Sequence[str]) -> str:
    """" (maksud Anda X?)" for the closest known code, or "" when nothing is close."""
    close = difflib.get_close_matches(code, list(known), n=1, cutoff=0.6)
    return tr(" (maksud Anda {guess}?)", guess=close[0]) if close else ""


# a unit as the audit log records it: what a certificate and a report print of it
RECORD_SQL = ("SELECT u.uuid, u.code || ' | ' || u.name || ' | ' || i.name FROM units u "
               "JOIN institutions i ON i.id = u.institution_id")
_UNIT_SQL = ("SELECT u.id AS id, u.code AS code, u.name AS name, i.name AS institution, i.kind AS institution_kind, "
             "i.region AS region, u.address AS address, u.uuid AS uuid FROM units u "
             "JOIN institutions i ON i.id = u.institution_id")


class Registry:
    """Instruments, periods, the units under evaluation and the evaluators of one workbook."""

    def __init__(self, store: Store, audit: AuditLog) -> None:
        self._store = store
        self._audit = audit
        self._instruments: dict[str, AnyInstrument] = {}

    # --- instruments -----------------------------------------------------------------------

    def add_instrument(self, inst: AnyInstrument) -> None:
        """Store an instrument (nothing happens when one with this id is stored already)."""
        if self._store.one("SELECT 1 FROM instruments WHERE id = ?", (inst.id,)):
            return
        store = self._store
        definition = json.dumps(inst.definition, ensure_ascii=False)
        with self._store.transaction():
            store.execute("INSERT INTO instruments (id, kind, name, version, definition, added_at) "
                         "VALUES (?, ?, ?, ?, ?, ?)", (inst.id, inst.kind, inst.name, inst.version, definition, now()))
            self._audit.append([Change("instrument", inst.id, "definition", None, digest(definition))])
            if isinstance(inst, SkmInstrument | SurveyInstrument):  # questionnaires: no aspects or indicators
                return
            position = 0
            for aspect_position, aspect in enumerate(inst.aspects):
                aspect_id = store.execute(
                    "INSERT INTO aspects (instrument_id, code, name, weight, position) VALUES (?, ?, ?, ?, ?)",
                    (inst.id, aspect.code, aspect.name, aspect.weight, aspect_position)).lastrowid
                for ind in aspect.indicators:
                    store.execute("INSERT INTO indicators (instrument_id, aspect_id, code, text, weight, global_weight,"
                                 " scored, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                                 (inst.id, aspect_id, ind.code, ind.text, ind.weight, ind.global_weight,
                                  int(ind.scored), position))
                    position += 1

    def instrument(self, ident: str) -> AnyInstrument:
        """A stored instrument by id, rebuilt from its stored definition."""
        if ident not in self._instruments:
            definition = self._store.value("SELECT definition FROM instruments WHERE id = ?", (ident,))
            if definition is None:
                raise NotFound("Instrumen tidak dikenal: {id} (tersedia: {known})", id=ident,
                               known=", ".join(self.instrument_ids()))
            self._instruments[ident] = instruments.from_dict(json.loads(definition))
        return self._instruments[ident]

    def instrument_ids(self) -> list[str]:
        return [r[0] for r in self._store.execute("SELECT id FROM instruments ORDER BY id")]

    def scored_instrument(self, period: Period) -> Instrument:
        """The IPP instrument a period is scored with."""
        inst = self.instrument(period.instrument_id)
        if not isinstance(inst, Instrument):
            raise WorkbenchError("Instrumen {id} tidak sah: {problem}", id=inst.id, problem="kind skm")
        return inst

    def indicator_ids(self, instrument_id: str) -> dict[str, int]:
        """Indicator code -> row id for one instrument."""
        return dict(self._store.execute("SELECT code, id FROM indicators WHERE instrument_id = ?",
                                             (instrument_id,)))

    def indicator_id(self, period: Period, code: str) -> int:
        """The row id of an indicator of the period's instrument; NotFound suggests the closest code."""
        ids = self.indicator_ids(period.instrument_id)
        if code not in ids:
            raise NotFound("Kode indikator tidak dikenal: {code}{hint}", code=code, hint=did_you_mean(code, list(ids)))
        return ids[code]

    # --- periods ---------------------------------------------------------------------------

    def add_period(self, name: str, *, instrument_id: str = instruments.DEFAULT_INSTRUMENT,
                   year: int | None = None, demo: bool = False, uuid: str | None = None) -> Period:
        """Open an evaluation period scored with a stored instrument; `uuid` when it is the lead's period of a
        kit (packages find it by it)."""
        name = field_text(name, "period", tr("Nama periode"), required=True)
        if self._store.one("SELECT 1 FROM periods WHERE name = ?", (name,)):
            raise WorkbenchError("Periode '{name}' sudah ada", name=name)
        self.instrument(instrument_id)
        uuid = uuid or new_uuid()
        with self._store.transaction():
            self._store.execute("INSERT INTO periods (uuid, name, year, instrument_id, demo, created_at) "
                                     "VALUES (?, ?, ?, ?, ?, ?)", (uuid, name, year, instrument_id, int(demo), now()))
            self._audit.append([Change("period", uuid, "name", None, name)])
            self._store.changed(Changes(period=True))
        return self.period(name)

    def periods(self) -> list[Period]:
        """All periods, newest first."""
        return self._store.rows(Period, "SELECT id, uuid, name, year, instrument_id, demo, closed FROM periods "
                                        "ORDER BY id DESC")

    def period(self, name: str | None = None) -> Period:
        """The named period, or the newest one when `name` is None."""
        for period in self.periods():
            if name is None or period.name == name:
                return period
        if name is None:
            raise NotFound("Basis data belum punya periode evaluasi")
        raise NotFound("Periode tidak dikenal: {name}", name=name)

    def rename_period(self, name: str, new_name: str, *, actor: str | None = None) -> Period:
        """Give a period another name (audited). Agreed scores are recorded in the log under the period's
        name, so each is recorded again under the new one; packages find the period by its uuid."""
        p = self.period(name)
        new_name = field_text(new_name, "period", tr("Nama periode"), required=True)
        if new_name == p.name:
            return p
        if self._store.one("SELECT 1 FROM periods WHERE name = ?", (new_name,)):
            raise WorkbenchError("Periode '{name}' sudah ada", name=new_name)
        reason = source("nama periode diganti dari {old}", old=p.name)
        with self._store.transaction():
            self._store.execute("UPDATE periods SET name = ? WHERE id = ?", (new_name, p.id))
            agreed = self._store.execute(
                "SELECT u.code, i.code, c.score FROM consensus c JOIN units u ON u.id = c.unit_id "
                "JOIN indicators i ON i.id = c.indicator_id WHERE c.period_id = ? ORDER BY c.rowid", (p.id,))
            moved = [(f"{p.name}/{unit}/{indicator}", f"{new_name}/{unit}/{indicator}", score)
                     for unit, indicator, score in agreed]
            self._audit.append([Change("period", p.uuid, "name", p.name, new_name, reason),
                                *(change for old, new, score in moved for change in (
                                    Change("consensus", old, "score", score, None, reason),
                                    Change("consensus", new, "score", None, score, reason)))], actor=actor)
            self._store.changed(Changes(period=True))
        return self.period(new_name)

    def close_period(self, name: str, *, reason: str, actor: str | None = None) -> Period:
        """Freeze a period after the panel (sidang): no score, status or consensus of it changes until it is
        reopened. Audited; a reason is required."""
        return self._set_closed(name, True, reason, actor)

    def reopen_period(self, name: str, *, reason: str, actor: str | None = None) -> Period:
        """Allow changes to a closed period again (audited, with a reason)."""
        return self._set_closed(name, False, reason, actor)

    def _set_closed(self, name: str, closed: bool, reason: str, actor: str | None) -> Period:
        p = self.period(name)
        reason = field_text(reason, "reason", tr("Alasan"))
        if not reason:
            raise ReasonRequired("Menutup atau membuka periode {name} memerlukan alasan", name=p.name)
        if p.closed == closed:
            return p
        with self._store.transaction():
            self._store.execute("UPDATE periods SET closed = ? WHERE id = ?", (int(closed), p.id))
            self._audit.append([Change("period", p.uuid, "closed", int(p.closed), int(closed), reason)], actor=actor)
            self._store.changed(Changes(period=True))
        return self.period(p.name)

    def require_open(self, period: Period) -> None:
        """Refuse a change to a closed period, naming it."""
        if period.closed:
            raise PeriodClosed("Periode {name} sudah ditutup; buka kembali dengan alasan sebelum mengubah nilai",
                               name=period.name)

    # --- institutions, units, evaluators ---------------------------------------------------

    def _institution_id(self, name: str, kind: str | None = None, region: str | None = None) -> int:
        found = self._store.value("SELECT id FROM institutions WHERE name = ?", (name,))
        if found is not None:
            if kind or region:
                self._store.execute("UPDATE institutions SET kind = coalesce(?, kind), "
                                         "region = coalesce(?, region) WHERE id = ?", (kind, region, found))
            return int(found)
        cursor = self._store.execute("INSERT INTO institutions (uuid, name, kind, region) VALUES (?, ?, ?, ?)",
                                          (new_uuid(), name, kind, region))
        return int(cursor.lastrowid or 0)

    def add_unit(self, code: str, name: str, institution: str, *, institution_kind: str | None = None,
                 region: str | None = None, address: str | None = None, uuid: str | None = None) -> Unit:
        """Register a unit, or update the one with this code (matched without regard to case); a new one gets
        `uuid` when given (the lead's, from a kit)."""
        code = field_text(code, "code", tr("Kode unit"), required=True)
        name = field_text(name, "name", tr("Nama unit"), required=True)
        institution = field_text(institution, "institution", tr("Instansi"), required=True)
        institution_kind = optional_text(institution_kind, "kind", tr("Jenis instansi"))
        region = optional_text(region, "region", tr("Wilayah"))
        address = optional_text(address, "address", tr("Alamat"))
        with self._store.transaction():
            before = self._store.one(RECORD_SQL + " WHERE u.code = ? COLLATE NOCASE", (code,))
            institution_id = self._institution_id(institution, institution_kind, region)
            self._store.execute(
                "INSERT INTO units (uuid, code, name, institution_id, address) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (code) DO UPDATE SET name = excluded.name, institution_id = excluded.institution_id, "
                "address = coalesce(excluded.address, address)",
                (uuid or new_uuid(), code, name, institution_id, address))
            after = self._store.one(RECORD_SQL + " WHERE u.code = ? COLLATE NOCASE", (code,))
            assert after is not None
            if before is None or before[1] != after[1]:
                self._audit.append([Change("unit", after[0], "record", before[1] if before else None, after[1])])
            self._store.changed(Changes(unit=True))
        return self.unit(code)

    def register_units(self, records: Sequence[UnitRecord]) -> UnitsImport:
        """Add or update many units in one transaction; a unit whose fields are all the same is left alone."""
        existing = {r[0].casefold(): r[1:] for r in self._store.execute(
            "SELECT u.code, u.name, i.name, u.address FROM units u JOIN institutions i ON i.id = u.institution_id")}
        added = updated = unchanged = 0
        with self._store.transaction():
            for record in records:
                before = existing.get(record.code.casefold())
                after = (record.name, record.institution, record.address or (before[2] if before else None))
                if before == after:
                    unchanged += 1
                    continue
                self.add_unit(record.code, record.name, record.institution, institution_kind=record.institution_kind,
                              region=record.region, address=record.address)
                added, updated = (added + 1, updated) if before is None else (added, updated + 1)
        return UnitsImport(added, updated, unchanged)

    def units(self, *, dirty_in: int | None = None) -> list[Unit]:
        """All units, by institution then unit name; or those whose results a write in the period with this
        id changed (see Results.settle)."""
        where = " WHERE u.id IN (SELECT unit_id FROM dirty_results WHERE period_id = ?)" if dirty_in is not None else ""
        return self._store.rows(Unit, _UNIT_SQL + where + " ORDER BY i.name COLLATE NOCASE, u.name COLLATE NOCASE",
                                (dirty_in,) if dirty_in is not None else ())

    def unit(self, code: str) -> Unit:
        """A unit by code (any case); NotFound suggests the closest code."""
        found = self._store.rows(Unit, _UNIT_SQL + " WHERE u.code = ? COLLATE NOCASE", (code.strip(),))
        if not found:
            known = [r[0] for r in self._store.execute("SELECT code FROM units")]
            raise NotFound("Kode unit tidak dikenal: {code}{hint}", code=code, hint=did_you_mean(code, known))
        return found[0]

    def unit_ids(self) -> dict[str, int]:
        """Unit code -> row id."""
        return dict(self._store.execute("SELECT code, id FROM units"))

    def evaluator_id(self, name: str, *, uuid: str | None = None) -> int:
        """The id of an evaluator by name, registering a new one on first use (inside the caller's write), with
        `uuid` when given (the lead's, from a kit)."""
        name = field_text(name, "person", tr("Nama evaluator")) or self._store.actor
        found = self._store.value("SELECT id FROM evaluators WHERE name = ?", (name,))
        if found is not None:
            return int(found)
        uuid = uuid or new_uuid()
        with self._store.transaction():
            cursor = self._store.execute("INSERT INTO evaluators (uuid, name) VALUES (?, ?)", (uuid, name))
            self._audit.append([Change("evaluator", uuid, "name", None, name)])
            self._store.changed(Changes(evaluator=True))
        return int(cursor.lastrowid or 0)

    def evaluators(self) -> list[str]:
        """Names of everyone who has scored in this workbook, by name."""
        return [r[0] for r in self._store.execute("SELECT name FROM evaluators ORDER BY name")]
