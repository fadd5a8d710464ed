"""Observations: an evaluator's score of one indicator of one unit in a period, its notes and its status."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from dataclasses import field as dataclass_field
from typing import Any

from workbench.db.audit import AuditLog, Change
from workbench.db.store import Store, new_uuid, now
from workbench.domain.values import METHODS, STATUSES, field_text
from workbench.errors import Incomplete, ReasonRequired, WorkbenchError
from workbench.events import Changes
from workbench.i18n import source, tr
from workbench.progress import CancelToken, ProgressCallback, report
from workbench.registry import Period, Registry

EDITABLE = ("score", "claim", "notes", "recommendation", "method", "observed_on", "status")
AUDITED = ("score", "status")
# what an observation is about, as the audit log records it when the observation is made: a row moved to
# another unit, indicator, evaluator or period no longer matches it
KEY_SQL = ("SELECT o.uuid, p.uuid || '/' || u.uuid || '/' || i.code || '/' || e.uuid FROM observations o "
           "JOIN periods p ON p.id = o.period_id JOIN units u ON u.id = o.unit_id "
           "JOIN indicators i ON i.id = o.indicator_id JOIN evaluators e ON e.id = o.evaluator_id")
MERGED = ("score", "claim", "notes", "recommendation", "method", "observed_on", "status")
CONTENT = MERGED[:-1]


def member_line(uuid: str, key: str, score: object, status: object) -> str:
    """One observation of a batch as its digest covers it: uuid, what it is about, score and status."""
    return f"{uuid}|{key}|{'' if score is None else score}|{status}"


def lines_digest(lines: Sequence[str]) -> str:
    """The digest of a batch: sha256 over its members' lines, sorted."""
    return hashlib.sha256("\n".join(sorted(lines)).encode()).hexdigest()


@dataclass(frozen=True)
class BatchMember:
    """An observation born in a batch, with what it was when it came (the values before its first logged
    change since, else its current ones)."""

    uuid: str
    key: str
    score: int | None
    status: str

    @property
    def line(self) -> str:
        return member_line(self.uuid, self.key, self.score, self.status)


@dataclass(frozen=True)
class Observation:
    uuid: str
    unit: str
    evaluator: str
    indicator: str
    score: int | None
    claim: int | None
    notes: str
    recommendation: str
    method: str | None
    observed_on: str | None
    status: str
    version: int
    source: str
    updated_at: str


@dataclass(frozen=True)
class UnitProgress:
    """How far one evaluator (or everyone) has got with a unit: for the navigator."""

    unit: str
    scored: int
    total: int
    status: str  # the lowest status over the unit's observations, "draft" when none


@dataclass(slots=True)
class Incoming:
    """One checked observation from a file: ids resolved, only the fields the file gave, its row; and, when it
    comes from another workbook (a package), the uuid and version it has there, with every field given."""

    number: int
    unit_id: int
    indicator_id: int
    evaluator: str
    values: dict[str, object]
    uuid: str | None = None
    version: int | None = None


def _verdict(lineage: str | None, version: int | None, digest: str | None, mine: str, uuid: str | None,
             incoming_version: int, incoming: str) -> str:
    """What a package's row does to the observation of its key here: "older" (left as it is), "same"
    (nothing to take), "take" (it replaces it), or "conflict" (kept aside for the lead, never written over
    it): the same version saying something else, a newer version over a change made here since, another
    laptop's copy, or a first package over a row that says otherwise (typed here, from a sheet).

    `lineage`, `version`, `digest`: the evaluator's observation this one follows, the version and content it
    last took; `mine`: its content now; `uuid`, `incoming_version`, `incoming`: the package's row."""
    if lineage == uuid:
        if incoming_version < (version or 0):
            return "older"
        if incoming_version == version:
            return "same" if incoming == digest else "conflict"
        return "conflict" if mine != digest and incoming != mine else "take"
    if lineage is not None:
        return "same" if incoming == mine else "conflict"
    return "take" if incoming == mine else "conflict"


def content_digest(values: dict[str, object]) -> str:
    """The digest of what an observation says (every merged field but its status, which a lead may change by
    finalising), to tell two contents apart."""
    return hashlib.sha256("\x1f".join("" if values.get(f) is None else str(values.get(f)) for f in CONTENT)
                          .encode()).hexdigest()


@dataclass(frozen=True)
class Source:
    """Where merged observations come from: a file's sha256, its name and the sheet read."""

    sha256: str
    name: str
    sheet: str


@dataclass(frozen=True)
class Unfinished:
    """An evaluator's unit that cannot be finalised yet, and the indicators it lacks."""

    unit: str
    evaluator: str
    missing: list[str]


@dataclass(frozen=True)
class Finalized:
    """What `Observations.finalize` did: observations made final, (unit, evaluator) pairs, pairs refused."""

    observations: int
    pairs: int
    refused: list[Unfinished]


@dataclass(frozen=True)
class VersionConflict:
    """A package's observation holding other content under a version merged before (two laptops with one
    kit, a restored backup): kept aside until the lead decides, never written over what is here."""

    id: int
    unit: str
    indicator: str
    evaluator: str
    here: dict[str, Any]  # the merged fields as they are here
    incoming: dict[str, Any]  # as the package has them
    version: int
    package: str
    received_at: str


@dataclass
class MergeCounts:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    older: int = 0  # a package's observations older than the version here: left as they are
    conflicted: int = 0  # other content under the version here: kept aside for the lead (package_conflicts)
    units: set[str] = dataclass_field(default_factory=set)  # codes of units whose observations were added, changed
    merged: set[str] = dataclass_field(default_factory=set)  # uuids (as they came) of rows here now as they came


_SELECT = ("SELECT o.uuid AS uuid, u.code AS unit, e.name AS evaluator, i.code AS indicator, o.score AS score, "
           "o.claim AS claim, o.notes AS notes, o.recommendation AS recommendation, o.method AS method, "
           "o.observed_on AS observed_on, o.status AS status, o.version AS version, o.source AS source, "
           "o.updated_at AS updated_at FROM observations o JOIN units u ON u.id = o.unit_id "
           "JOIN evaluators e ON e.id = o.evaluator_id JOIN indicators i ON i.id = o.indicator_id")


class Observations:
    """Entering, changing, merging and finalising scores; every change of a score or status is audited."""

    def __init__(self, store: Store, registry: Registry, audit: AuditLog) -> None:
        self._store = store
        self._registry = registry
        self._audit = audit

    def find(self, *, period: str | None = None, unit: str | None = None,
             evaluator: str | None = None) -> list[Observation]:
        """Observations of a period (newest by default), optionally of one unit and/or evaluator, in form order."""
        p = self._registry.period(period)
        params: list[object] = [p.id]
        sql = _SELECT + " WHERE o.period_id = ?"
        if unit is not None:
            sql, params = sql + " AND o.unit_id = ?", [*params, self._registry.unit(unit).id]
        if evaluator is not None:
            sql, params = sql + " AND e.name = ?", [*params, evaluator]
        return self._store.rows(Observation, sql + " ORDER BY u.code, e.name, i.position", params)

    def get(self, *, unit: str, indicator: str, evaluator: str, period: str | None = None) -> Observation | None:
        """One observation, or None when nothing was recorded yet."""
        p = self._registry.period(period)
        found = self._store.rows(
            Observation, _SELECT + " WHERE o.period_id = ? AND o.unit_id = ? AND e.name = ? AND o.indicator_id = ?",
            (p.id, self._registry.unit(unit).id, evaluator, self._registry.indicator_id(p, indicator)))
        return found[0] if found else None

    def save(self, *, unit: str, indicator: str, evaluator: str, period: str | None = None,
             reason: str | None = None, actor: str | None = None, **changes: object) -> Observation:
        """Create or change one observation; only the given fields change.

        Fields: score, claim, notes, recommendation, method, observed_on, status. Changes of score and
        status go to the audit log; any change to a final or verified observation needs a `reason`.
        Example: ``wb.observations.save(unit="U1", indicator="1.a.Ak", evaluator="Ani", score=4)``.
        """
        unknown = set(changes) - set(EDITABLE)
        if unknown:
            raise TypeError(f"not editable: {sorted(unknown)}")
        evaluator = field_text(evaluator, "person", tr("Nama evaluator"), required=True)
        for name in ("notes", "recommendation"):
            if isinstance(changes.get(name), str):
                changes[name] = field_text(changes[name], "note", name)
        reason = None if reason is None else field_text(reason, "reason", tr("Alasan"))
        p = self._registry.period(period)
        self._registry.require_open(p)
        self._check(p, changes)
        unit_row = self._registry.unit(unit)
        indicator_id = self._registry.indicator_id(p, indicator)
        with self._store.transaction():
            evaluator_id = self._registry.evaluator_id(evaluator)
            current = self.get(unit=unit_row.code, indicator=indicator, evaluator=evaluator, period=p.name)
            created = current is None
            if current is None:
                self._store.conn.execute(
                    "INSERT INTO observations (uuid, period_id, unit_id, evaluator_id, indicator_id, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?)", (new_uuid(), p.id, unit_row.id, evaluator_id, indicator_id, now()))
                current = self.get(unit=unit_row.code, indicator=indicator, evaluator=evaluator, period=p.name)
                assert current is not None
                key = self._store.one(KEY_SQL + " WHERE o.uuid = ?", (current.uuid,))
                assert key is not None
                self._audit.append([Change("observation", current.uuid, "key", None, key[1])], actor=actor)
            changed = {k: v for k, v in changes.items() if getattr(current, k) != v}
            if not changed:
                if created:
                    self._store.changed(Changes(observation=True, units=frozenset({unit_row.code})))
                return current
            if current.status != "draft" and not (reason and reason.strip()):
                raise ReasonRequired("Observasi {code} sudah final; perubahan memerlukan alasan",
                                     code=f"{unit_row.code}/{indicator}")
            assignments = ", ".join(f"{k} = ?" for k in changed)
            self._store.conn.execute(f"UPDATE observations SET {assignments}, version = version + ?, updated_at = ? "
                                     "WHERE uuid = ?", (*changed.values(), 0 if created else 1, now(), current.uuid))
            if "score" in changed:
                self._store.mark_results_dirty(p.id, [unit_row.id])
            self._audit.append([Change("observation", current.uuid, f, getattr(current, f), changed[f], reason)
                                for f in AUDITED if f in changed], actor=actor)
            self._store.changed(Changes(observation=True, units=frozenset({unit_row.code})))
        result = self.get(unit=unit_row.code, indicator=indicator, evaluator=evaluator, period=p.name)
        assert result is not None
        return result

    def _check(self, period: Period, changes: dict[str, object]) -> None:
        inst = self._registry.scored_instrument(period)
        for field in ("score", "claim"):
            value = changes.get(field)
            if value is not None and (not isinstance(value, int) or not inst.scale_min <= value <= inst.scale_max):
                raise WorkbenchError("Nilai {score} di luar skala {lo}-{hi}", score=value, lo=inst.scale_min,
                                     hi=inst.scale_max)
        if changes.get("status", "draft") not in STATUSES:
            raise WorkbenchError("Status tidak dikenal: {status} (draft, final, verified)", status=changes["status"])
        if changes.get("method") is not None and changes["method"] not in METHODS:
            raise WorkbenchError("Metode tidak dikenal: {method} (desk, field, interview)", method=changes["method"])

    def missing(self, *, unit: str, evaluator: str, period: str | None = None) -> list[str]:
        """Codes of scored indicators this evaluator has not scored yet for the unit."""
        p = self._registry.period(period)
        done = {o.indicator for o in self.find(period=p.name, unit=unit, evaluator=evaluator) if o.score is not None}
        return [i.code for i in self._registry.scored_instrument(p).scored_indicators if i.code not in done]

    def set_status(self, *, unit: str, evaluator: str, status: str, period: str | None = None,
                   reason: str | None = None, actor: str | None = None) -> int:
        """Mark all of an evaluator's observations of a unit draft, final or verified.

        Finalising checks that every scored indicator has a score (Incomplete names those that don't).
        Returns the number of observations whose status changed.
        """
        if status == "final":
            done = self.finalize(period=period, units=[unit], evaluator=evaluator, reason=reason, actor=actor)
            if done.refused:
                raise Incomplete("Unit {unit} belum lengkap: {count} indikator belum dinilai ({codes})", unit=unit,
                                 count=len(done.refused[0].missing), codes=", ".join(done.refused[0].missing))
            return done.observations
        p = self._registry.period(period)
        missing = self.missing(unit=unit, evaluator=evaluator, period=p.name) if status == "verified" else []
        if missing:
            raise Incomplete("Unit {unit} belum lengkap: {count} indikator belum dinilai ({codes})", unit=unit,
                             count=len(missing), codes=", ".join(missing))
        count = 0
        with self._store.transaction():
            for obs in self.find(period=p.name, unit=unit, evaluator=evaluator):
                if obs.status != status and obs.score is not None:
                    self.save(unit=unit, indicator=obs.indicator, evaluator=evaluator, period=p.name, status=status,
                              reason=reason, actor=actor)
                    count += 1
        return count

    def finalize(self, *, period: str | None = None, units: Collection[str] | None = None,
                 evaluator: str | None = None, reason: str | None = None, actor: str | None = None) -> Finalized:
        """Mark final the scored observations of every (unit, evaluator) whose scored indicators are all scored:
        of the given units (all by default) and evaluator (everyone by default), audited, in one transaction.

        The others are left as they are and listed in `refused` with the codes they lack.
        """
        p = self._registry.period(period)
        self._registry.require_open(p)
        scored = [i.code for i in self._registry.scored_instrument(p).scored_indicators]
        sql = ("SELECT u.code, e.name, i.code FROM observations o JOIN units u ON u.id = o.unit_id "
               "JOIN evaluators e ON e.id = o.evaluator_id JOIN indicators i ON i.id = o.indicator_id "
               "WHERE o.period_id = ? AND o.score IS NOT NULL AND i.scored")
        params: list[object] = [p.id]
        if units is not None:
            codes = [self._registry.unit(code).code for code in units]
            sql, params = sql + f" AND u.code IN ({','.join('?' * len(codes))})", [*params, *codes]
        if evaluator is not None:
            sql, params = sql + " AND e.name = ?", [*params, evaluator]
        present: dict[tuple[str, str], set[str]] = {}
        for unit, name, indicator in self._store.conn.execute(sql, params):
            present.setdefault((unit, name), set()).add(indicator)
        if units is not None and evaluator is not None:  # a unit asked for by name and not scored at all
            for code in codes:
                present.setdefault((code, evaluator), set())
        refused = [Unfinished(unit, name, [c for c in scored if c not in done])
                   for (unit, name), done in sorted(present.items()) if len(done) < len(scored)]
        ready = [key for key, done in present.items() if len(done) == len(scored)]
        rows = []
        for unit, name in ready:
            rows += self._store.conn.execute(
                "SELECT o.id, o.uuid FROM observations o JOIN units u ON u.id = o.unit_id JOIN evaluators e "
                "ON e.id = o.evaluator_id WHERE o.period_id = ? AND u.code = ? AND e.name = ? AND o.status = 'draft' "
                "AND o.score IS NOT NULL", (p.id, unit, name)).fetchall()
        with self._store.transaction():
            self._store.conn.executemany("UPDATE observations SET status = 'final', version = version + 1, "
                                         "updated_at = ? WHERE id = ?", [(now(), row[0]) for row in rows])
            self._audit.append([Change("observation", uuid, "status", "draft", "final", reason or source("finalisasi"))
                                for _, uuid in rows], actor=actor)
            if rows:
                self._store.changed(Changes(observation=True, units=frozenset(unit for unit, _ in ready)))
        return Finalized(len(rows), len(ready), refused)

    def progress(self, *, period: str | None = None, evaluator: str | None = None,
                 units: Collection[str] | None = None) -> dict[str, UnitProgress]:
        """Scored count and lowest status per unit code, for one evaluator or for everyone; every unit, or
        the given codes."""
        p = self._registry.period(period)
        total = len(self._registry.scored_instrument(p).scored_indicators)
        sql = ("SELECT u.code, count(DISTINCT CASE WHEN o.score IS NOT NULL AND i.scored THEN o.indicator_id END), "
               "min(CASE o.status WHEN 'draft' THEN 0 WHEN 'final' THEN 1 WHEN 'verified' THEN 2 END) "
               "FROM observations o JOIN units u ON u.id = o.unit_id JOIN indicators i ON i.id = o.indicator_id "
               "JOIN evaluators e ON e.id = o.evaluator_id WHERE o.period_id = ?")
        params: list[object] = [p.id]
        if evaluator is not None:
            sql, params = sql + " AND e.name = ?", [*params, evaluator]
        codes = [u.code for u in self._registry.units()] if units is None else list(units)
        if units is not None:
            sql, params = sql + f" AND u.code IN ({','.join('?' * len(codes))})", [*params, *codes]
        result = {code: UnitProgress(code, 0, total, "draft") for code in codes}
        for code, scored, status in self._store.conn.execute(sql + " GROUP BY u.id", params):
            result[code] = UnitProgress(code, scored, total, STATUSES[status or 0])
        return result

    def team_progress(self, *, period: str | None = None) -> dict[str, list[UnitProgress]]:
        """Each evaluator's progress on each unit: unit code -> one UnitProgress per evaluator (its `unit`
        field holds the evaluator's name), by name."""
        p = self._registry.period(period)
        total = len(self._registry.scored_instrument(p).scored_indicators)
        result: dict[str, list[UnitProgress]] = {}
        for code, name, scored, status in self._store.conn.execute(
                "SELECT u.code, e.name, count(DISTINCT CASE WHEN o.score IS NOT NULL AND i.scored THEN o.indicator_id "
                "END), min(CASE o.status WHEN 'draft' THEN 0 WHEN 'final' THEN 1 WHEN 'verified' THEN 2 END) "
                "FROM observations o JOIN units u ON u.id = o.unit_id JOIN evaluators e ON e.id = o.evaluator_id "
                "JOIN indicators i ON i.id = o.indicator_id WHERE o.period_id = ? GROUP BY u.id, e.id "
                "ORDER BY e.name", (p.id,)):
            result.setdefault(code, []).append(UnitProgress(name, scored, total, STATUSES[status or 0]))
        return result

    def hand_over(self, period: Period, evaluator: str) -> list[dict[str, Any]]:
        """One evaluator's observations as a kit carries them back to a laptop (a new laptop goes on from
        them), inside the caller's write: each under the uuid and version of the evaluator's observation it
        follows; a row that follows none yet (typed here, from a sheet) follows itself from now on, so that
        what the laptop sends back is merged as a later version of it. Each row also holds its `id` here."""
        rows = self._store.dicts(
            "SELECT o.id AS id, o.uuid AS uuid, o.origin_uuid AS origin_uuid, o.version AS version, "
            "o.origin_version AS origin_version, u.code AS unit, i.code AS indicator, "
            + ", ".join(f"o.{f} AS {f}" for f in MERGED) + " FROM observations o JOIN units u ON u.id = o.unit_id "
            "JOIN indicators i ON i.id = o.indicator_id JOIN evaluators e ON e.id = o.evaluator_id "
            "WHERE o.period_id = ? AND e.name = ? ORDER BY o.id", (period.id, evaluator))
        fresh = [r for r in rows if r["origin_uuid"] is None]
        self._store.conn.executemany(
            "UPDATE observations SET origin_uuid = uuid, origin_version = version, origin_digest = ? WHERE id = ?",
            [(content_digest(r), r["id"]) for r in fresh])
        return [{"id": r["id"], "uuid": r["origin_uuid"] or r["uuid"], "unit": r["unit"], "indicator": r["indicator"],
                 "version": r["origin_version"] or r["version"], **{f: r[f] for f in MERGED}} for r in rows]

    def version_conflicts(self, period: str | None = None, *, unit: str | None = None) -> list[VersionConflict]:
        """Open version conflicts of a period (see VersionConflict), by unit, indicator and arrival."""
        p = self._registry.period(period)
        sql = ("SELECT c.id, u.code, i.code, e.name, " + ", ".join(f"o.{f}" for f in MERGED) + ", c.incoming, "
               "c.version, c.package, c.received_at FROM package_conflicts c JOIN observations o ON "
               "o.id = c.observation_id JOIN units u ON u.id = o.unit_id JOIN indicators i ON i.id = o.indicator_id "
               "JOIN evaluators e ON e.id = o.evaluator_id WHERE c.resolved_at IS NULL AND o.period_id = ?")
        params: list[object] = [p.id]
        if unit is not None:
            sql, params = sql + " AND o.unit_id = ?", [*params, self._registry.unit(unit).id]
        found = []
        for row in self._store.conn.execute(sql + " ORDER BY u.code, i.position, c.id", params):
            ident, unit_code, indicator, evaluator = row[:4]
            here = dict(zip(MERGED, row[4:4 + len(MERGED)], strict=True))
            incoming, version, package, received = row[4 + len(MERGED):]
            found.append(VersionConflict(ident, unit_code, indicator, evaluator, here, json.loads(incoming), version,
                                         package, received))
        return found

    def settle_version(self, *, unit: str, indicator: str, evaluator: str, score: int, reason: str,
                       period: str | None = None, actor: str | None = None) -> int:
        """Decide the version conflicts of one evaluator's observation: its score becomes `score` (audited,
        with the reason) and its open conflicts are closed; returns how many were closed. WorkbenchError when
        it has none."""
        p = self._registry.period(period)
        open_ = [c for c in self.version_conflicts(p.name, unit=unit) if (c.indicator, c.evaluator) == (
            indicator, evaluator)]
        if not open_:
            raise WorkbenchError("Tidak ada versi bersaing untuk {code}", code=f"{unit}/{indicator}/{evaluator}")
        reason = field_text(reason, "reason", tr("Alasan"))
        if not reason:
            raise ReasonRequired("Kesepakatan {code} memerlukan alasan", code=f"{unit}/{indicator}")
        with self._store.transaction():
            self.save(unit=unit, indicator=indicator, evaluator=evaluator, period=p.name, score=score, reason=reason,
                      actor=actor)
            resolution = source("nilai {score}: {reason}", score=score, reason=reason)
            self._store.conn.executemany(
                "UPDATE package_conflicts SET resolved_at = ?, resolved_by = ?, resolution = ? WHERE id = ?",
                [(now(), actor or self._store.actor, resolution, c.id) for c in open_])
            self._store.changed(Changes(observation=True, units=frozenset({open_[0].unit})))
        return len(open_)

    def batch_members(self, batches: Collection[str] | None = None) -> dict[str, list[BatchMember]]:
        """The observations born in each batch (or in the given ones), as they were when they came: a field
        changed since has its first logged change after the batch's entry, whose `old` is what it was."""
        conn = self._store.conn
        logged = dict(conn.execute("SELECT entity_uuid, id FROM audit_log WHERE entity = 'observation_batch'"))
        where = " WHERE o.batch IS NOT NULL"
        params: tuple[str, ...] = ()
        if batches is not None:
            where = f" WHERE o.batch IN ({','.join('?' * len(batches))})"
            params = tuple(batches)
        rows = conn.execute(KEY_SQL.replace("SELECT o.uuid,", "SELECT o.batch, o.uuid, o.score, o.status,")
                            + where, params).fetchall()
        first_change: dict[tuple[str, str], tuple[int, str | None]] = {}
        if rows:
            members = {uuid: batch for batch, uuid, *_ in rows}
            for uuid, field, old, entry in conn.execute(
                    "SELECT entity_uuid, field, old, id FROM audit_log WHERE entity = 'observation' AND field IN "
                    "('key', 'score', 'status') ORDER BY id"):
                batch = members.get(uuid)
                if batch is not None and entry > logged.get(batch, 0) and (uuid, field) not in first_change:
                    first_change[(uuid, field)] = (entry, old)
        found: dict[str, list[BatchMember]] = {}
        for batch, uuid, score, status, key in rows:
            def was(field: str, now: object, uuid: str = uuid) -> Any:
                return first_change[(uuid, field)][1] if (uuid, field) in first_change else now

            old_score = was("score", score)
            found.setdefault(batch, []).append(BatchMember(uuid, str(was("key", key)),
                                                           None if old_score is None else int(old_score),
                                                           str(was("status", status))))
        return found

    def history(self, uuids: Sequence[str]) -> list[dict[str, Any]]:
        """The audit entries about these observations, oldest first, with the entries of their birth in a
        batch spelled out as if each had been logged alone (who brought it, when, why, what it was), so the
        history reads as it did before batches; a spelled-out entry's hash derives from its batch's."""
        entries = self._audit.of_entities(uuids)
        born = dict(self._store.conn.execute(
            f"SELECT uuid, batch FROM observations WHERE batch IS NOT NULL AND uuid IN ({','.join('?' * len(uuids))})",
            tuple(uuids))) if uuids else {}
        if born:
            batches = {e["entity_uuid"]: e for e in self._store.dicts(
                f"SELECT * FROM audit_log WHERE entity = 'observation_batch' AND entity_uuid IN "
                f"({','.join('?' * len(set(born.values())))})", tuple(set(born.values())))}
            for batch, members in self.batch_members(set(born.values())).items():
                entry = batches.get(batch)
                if entry is None:
                    continue
                for m in (m for m in members if m.uuid in born):
                    for field, old, new in (("key", None, m.key), ("score", None, m.score),
                                            ("status", "draft", m.status)):
                        if new is not None and new != old:
                            entries.append({**entry, "entity": "observation", "entity_uuid": m.uuid,
                                            "field": field, "old": old, "new": str(new),
                                            "hash": hashlib.sha256(f"{entry['hash']}|{m.uuid}|{field}".encode())
                                            .hexdigest()})
        return sorted(entries, key=lambda e: e["id"])

    def merge(self, period: Period, rows: Sequence[Incoming], source: Source, *, reason: str,
              history: Sequence[Change] = (), progress: ProgressCallback | None = None,
              cancel: CancelToken | None = None) -> MergeCounts:
        """Merge checked rows on (period, unit, evaluator, indicator), inside the caller's transaction.

        A new key is added (keeping the row's uuid when it brings one); a row equal to the stored observation
        is left alone; a changed one updates it (version + 1, score and status audited with `reason`). Every
        written row remembers the file, sheet and row it came from.

        A row from a package carries its version there, and is merged by it, not by the order packages
        arrive: an older version than the one merged before changes nothing (`older`); the same version with
        other content, or another laptop's observation of the same key that differs, is kept aside for the
        lead in package_conflicts (`conflicted`), never written over what is here. `history` holds audit
        entries made where the rows come from; those of the rows written here and not brought before are
        added first, under the rows' uuids here.
        """
        self._registry.require_open(period)
        conn = self._store.conn
        evaluators = {name: self._registry.evaluator_id(name) for name in {r.evaluator for r in rows}}
        existing: dict[tuple[int, int, int], tuple[Any, ...]] = {}
        if evaluators:
            marks = ",".join("?" * len(evaluators))
            for row in conn.execute(f"SELECT unit_id, evaluator_id, indicator_id, id, uuid, {', '.join(MERGED)}, "
                                    f"origin_uuid, origin_version, origin_digest FROM observations "
                                    f"WHERE period_id = ? AND evaluator_id IN ({marks})",
                                    (period.id, *evaluators.values())):
                existing[row[:3]] = row[3:]
        stamp, counts = now(), MergeCounts()
        unit_uuids = dict(conn.execute("SELECT id, uuid FROM units"))
        indicator_codes = dict(conn.execute("SELECT id, code FROM indicators"))
        evaluator_uuids = dict(conn.execute("SELECT id, uuid FROM evaluators"))
        inserts: list[tuple[object, ...]] = []
        updates: list[tuple[object, ...]] = []
        set_aside: list[tuple[object, ...]] = []
        audits: list[Change] = []
        batch, born = new_uuid(), []  # the new rows: one log entry with their digest
        here: dict[str, str] = {}  # uuid where a row was made -> uuid of the same observation here
        touched: set[int] = set()
        for n, row in enumerate(rows):
            if n % 5000 == 0:
                if cancel is not None:
                    cancel.check()
                report(progress, n, len(rows), tr("menggabungkan {file}", file=source.name))
            key = (row.unit_id, evaluators[row.evaluator], row.indicator_id)
            current = existing.get(key)
            origin = (row.uuid, row.version, content_digest(row.values)) if row.version is not None else (None,) * 3
            if current is None:
                uuid = row.uuid or new_uuid()
                values = {"status": "draft", **row.values}
                inserts.append((uuid, period.id, *key, *map(values.get, MERGED), stamp, source.sha256,
                                source.sheet, row.number, batch, *origin, row.version or 1))
                born.append(member_line(uuid, f"{period.uuid}/{unit_uuids[key[0]]}/{indicator_codes[key[2]]}/"
                                              f"{evaluator_uuids[key[1]]}", values.get("score"), values["status"]))
                if row.uuid:
                    here[row.uuid] = uuid
                counts.added += 1
                touched.add(row.unit_id)
                continue
            old = dict(zip(MERGED, current[2:2 + len(MERGED)], strict=True))
            changed = {c: v for c, v in row.values.items() if old[c] != v}
            if row.version is not None:
                lineage, version, digest = current[2 + len(MERGED):]
                verdict = _verdict(lineage, version, digest, content_digest(old), row.uuid, row.version,
                                   content_digest(row.values))
                if verdict == "older":
                    counts.older += 1
                    continue
                if verdict == "same":
                    counts.unchanged += 1
                    continue
                if verdict == "conflict":
                    set_aside.append((current[0], row.version, json.dumps(row.values, ensure_ascii=False),
                                      source.name, stamp))
                    counts.conflicted += 1
                    continue
                if row.uuid:
                    here[row.uuid] = str(current[1])
            if not changed:
                if row.version is not None:  # what was merged now follows the package's version
                    conn.execute("UPDATE observations SET origin_uuid = ?, origin_version = ?, origin_digest = ? "
                                 "WHERE id = ?", (*origin, current[0]))
                counts.unchanged += 1
                continue
            updates.append((*(changed.get(c, old[c]) for c in MERGED), stamp, source.sha256, source.sheet,
                            row.number, *origin, current[0]))
            audits += [Change("observation", str(current[1]), field, old[field], changed[field], reason)
                       for field in AUDITED if field in changed]
            counts.updated += 1
            touched.add(row.unit_id)
        conn.executemany(
            f"INSERT INTO observations (uuid, period_id, unit_id, evaluator_id, indicator_id, {', '.join(MERGED)}, "
            "updated_at, source, source_sha256, source_sheet, source_row, batch, origin_uuid, origin_version, "
            "origin_digest, version) VALUES (?, ?, ?, ?, ?, ?, ?, coalesce(?, ''), coalesce(?, ''), ?, ?, ?, ?, "
            "'file', ?, ?, ?, ?, ?, ?, ?, ?)", inserts)
        conn.executemany(
            "UPDATE observations SET score = ?, claim = ?, notes = ?, recommendation = ?, method = ?, "
            "observed_on = ?, status = ?, version = version + 1, updated_at = ?, source = 'file', source_sha256 = ?, "
            "source_sheet = ?, source_row = ?, origin_uuid = coalesce(?, origin_uuid), "
            "origin_version = coalesce(?, origin_version), origin_digest = coalesce(?, origin_digest) WHERE id = ?",
            updates)
        conn.executemany("INSERT INTO package_conflicts (observation_id, version, incoming, package, received_at) "
                         "VALUES (?, ?, ?, ?, ?)", set_aside)
        report(progress, len(rows), len(rows), tr("mencatat jejak audit {file}", file=source.name))
        # the history of what is here now (not of what was set aside or left as older); what a row was about
        # there is kept only for a row born here now (its key is the lead's own for a row that was here before)
        born_here = {uuid for uuid, mine in here.items() if uuid == mine}
        written = [c for c in history if c.entity_uuid in here and (c.field != "key" or c.entity_uuid in born_here)]
        known = self._audit.known_origins([c.origin for c in written if c.origin])
        self._audit.append([replace(c, entity_uuid=here[c.entity_uuid]) for c in written if c.origin not in known])
        if born:
            audits.append(Change("observation_batch", batch, "digest", None, lines_digest(born), reason))
        self._audit.append(audits)
        counts.merged = set(here)
        if touched:
            self._store.mark_results_dirty(period.id, touched)
            codes = {unit_id: code for code, unit_id in self._registry.unit_ids().items()}
            counts.units = {codes[u] for u in touched}
            self._store.changed(Changes(observation=True, units=frozenset(codes[u] for u in touched)))
        return counts
