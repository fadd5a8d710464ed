"""Observations: an evaluator's score of one indicator of one unit in a period, with its audit trail."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from workbench.errors import Incomplete, NotFound, ReasonRequired, WorkbenchError
from workbench.instrument import Instrument
from workbench.registry import Period, Registry, did_you_mean
from workbench.store import file_sha256, new_uuid, now

STATUSES = ("draft", "final", "verified")
METHODS = ("desk", "field", "interview")
EDITABLE = ("score", "claim", "notes", "recommendation", "method", "observed_on", "status")
AUDITED = ("score", "status")


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


_OBS_SQL = ("SELECT o.uuid, u.code, e.name, i.code, o.score, o.claim, o.notes, o.recommendation, o.method, "
            "o.observed_on, o.status, o.version, o.source, o.updated_at FROM observations o "
            "JOIN units u ON u.id = o.unit_id JOIN evaluators e ON e.id = o.evaluator_id "
            "JOIN indicators i ON i.id = o.indicator_id")


class Observations(Registry):
    """Entering, changing and finalising scores; consensus; evidence files."""

    def _scored_instrument(self, period: Period) -> Instrument:
        inst = self.instrument(period.instrument_id)
        assert isinstance(inst, Instrument)
        return inst

    def _indicator_id(self, period: Period, code: str) -> int:
        ids = self.indicator_ids(period.instrument_id)
        if code not in ids:
            raise NotFound("indicator_unknown", code=code, hint=did_you_mean(code, list(ids)))
        return ids[code]

    def observations(self, *, period: str | None = None, unit: str | None = None,
                     evaluator: str | None = None) -> list[Observation]:
        """Observations of a period (newest by default), optionally of one unit and/or evaluator,
        in the instrument's order."""
        p = self.period(period)
        sql, params = _OBS_SQL + " WHERE o.period_id = ?", [p.id]
        if unit is not None:
            sql, params = sql + " AND o.unit_id = ?", [*params, self.unit(unit).id]
        if evaluator is not None:
            sql, params = sql + " AND e.name = ?", [*params, evaluator]
        return [Observation(*r) for r in self.conn.execute(sql + " ORDER BY u.code, e.name, i.position", params)]

    def observation(self, *, unit: str, indicator: str, evaluator: str, period: str | None = None
                    ) -> Observation | None:
        """One observation, or None when nothing was recorded yet."""
        p = self.period(period)
        row = self.one(_OBS_SQL + " WHERE o.period_id = ? AND o.unit_id = ? AND e.name = ? AND o.indicator_id = ?",
                       (p.id, self.unit(unit).id, evaluator, self._indicator_id(p, indicator)))
        return Observation(*row) if row else None

    def save_observation(self, *, unit: str, indicator: str, evaluator: str, period: str | None = None,
                         reason: str | None = None, actor: str | None = None, **changes: object) -> Observation:
        """Create or change one observation; only the given fields change.

        Fields: score, claim, notes, recommendation, method, observed_on, status. Changes of score and
        status go to the audit log; any change to a final or verified observation needs a `reason`.
        Example: ``wb.save_observation(unit="U1", indicator="1.a.Ak", evaluator="Ani", score=4)``.
        """
        unknown = set(changes) - set(EDITABLE)
        if unknown:
            raise TypeError(f"not editable: {', '.join(sorted(unknown))}")
        p = self.period(period)
        inst = self._scored_instrument(p)
        for field in ("score", "claim"):
            value = changes.get(field)
            if value is not None and (not isinstance(value, int) or not inst.scale_min <= value <= inst.scale_max):
                raise WorkbenchError("score_out_of_range", score=value, lo=inst.scale_min, hi=inst.scale_max)
        if changes.get("status", "draft") not in STATUSES:
            raise WorkbenchError("bad_status", status=changes["status"])
        if changes.get("method") not in (None, *METHODS):
            raise WorkbenchError("bad_method", method=changes["method"])
        unit_row = self.unit(unit)
        indicator_id = self._indicator_id(p, indicator)
        evaluator_id = self.evaluator_id(evaluator)
        with self.transaction():
            current = self.observation(unit=unit, indicator=indicator, evaluator=evaluator, period=p.name)
            if current is None:
                self.conn.execute(
                    "INSERT INTO observations (uuid, period_id, unit_id, evaluator_id, indicator_id, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?)", (new_uuid(), p.id, unit_row.id, evaluator_id, indicator_id, now()))
                current = self.observation(unit=unit, indicator=indicator, evaluator=evaluator, period=p.name)
                assert current is not None
                created = True
            else:
                created = False
            changed = {k: v for k, v in changes.items() if getattr(current, k) != v}
            if not changed:
                return current
            if current.status != "draft" and not (reason and reason.strip()):
                raise ReasonRequired("reason_required", code=f"{unit_row.code}/{indicator}")
            assignments = ", ".join(f"{k} = ?" for k in changed)
            self.conn.execute(f"UPDATE observations SET {assignments}, version = version + ?, updated_at = ? "
                              "WHERE uuid = ?", (*changed.values(), 0 if created else 1, now(), current.uuid))
            if "score" in changed:
                self.mark_stale(p.id)
            for field in AUDITED:
                if field in changed:
                    self.audit(entity="observation", entity_uuid=current.uuid, field=field,
                               old=getattr(current, field), new=changed[field], reason=reason, actor=actor)
        result = self.observation(unit=unit, indicator=indicator, evaluator=evaluator, period=p.name)
        assert result is not None
        return result

    def missing_indicators(self, *, unit: str, evaluator: str, period: str | None = None) -> list[str]:
        """Codes of scored indicators this evaluator has not scored yet for the unit."""
        p = self.period(period)
        done = {o.indicator for o in self.observations(period=p.name, unit=unit, evaluator=evaluator)
                if o.score is not None}
        return [i.code for i in self._scored_instrument(p).scored_indicators if i.code not in done]

    def set_unit_status(self, *, unit: str, evaluator: str, status: str, period: str | None = None,
                        reason: str | None = None, actor: str | None = None) -> int:
        """Mark all of an evaluator's observations of a unit draft, final or verified.

        Finalising checks that every scored indicator has a score (Incomplete names those that don't).
        Returns the number of observations whose status changed.
        """
        p = self.period(period)
        if status in ("final", "verified"):
            missing = self.missing_indicators(unit=unit, evaluator=evaluator, period=p.name)
            if missing:
                raise Incomplete("unscored_left", unit=unit, count=len(missing), codes=", ".join(missing))
        count = 0
        with self.transaction():
            for obs in self.observations(period=p.name, unit=unit, evaluator=evaluator):
                if obs.status != status:
                    self.save_observation(unit=unit, indicator=obs.indicator, evaluator=evaluator, period=p.name,
                                          status=status, reason=reason or ("finalisasi" if obs.status == "draft"
                                                                           else None), actor=actor)
                    count += 1
        return count

    def unit_progress(self, *, period: str | None = None, evaluator: str | None = None) -> dict[str, UnitProgress]:
        """Scored count and lowest status per unit code, for one evaluator or for everyone."""
        p = self.period(period)
        total = len(self._scored_instrument(p).scored_indicators)
        sql = ("SELECT u.code, count(DISTINCT CASE WHEN o.score IS NOT NULL AND i.scored THEN o.indicator_id END), "
               "min(CASE o.status WHEN 'draft' THEN 0 WHEN 'final' THEN 1 WHEN 'verified' THEN 2 END) "
               "FROM observations o JOIN units u ON u.id = o.unit_id JOIN indicators i ON i.id = o.indicator_id "
               "JOIN evaluators e ON e.id = o.evaluator_id WHERE o.period_id = ?")
        params: list[object] = [p.id]
        if evaluator is not None:
            sql, params = sql + " AND e.name = ?", [*params, evaluator]
        result = {u.code: UnitProgress(u.code, 0, total, "draft") for u in self.units()}
        for code, scored, status in self.conn.execute(sql + " GROUP BY u.id", params):
            result[code] = UnitProgress(code, scored, total, STATUSES[status or 0])
        return result

    # --- consensus -------------------------------------------------------------------------

    def set_consensus(self, *, unit: str, indicator: str, score: int, reason: str, period: str | None = None,
                      actor: str | None = None) -> None:
        """Record the agreed score of a unit's indicator when evaluators differ (audited, reason required)."""
        p = self.period(period)
        inst = self._scored_instrument(p)
        if not inst.scale_min <= score <= inst.scale_max:
            raise WorkbenchError("score_out_of_range", score=score, lo=inst.scale_min, hi=inst.scale_max)
        if not reason.strip():
            raise ReasonRequired("reason_required", code=f"{unit}/{indicator}")
        unit_row, indicator_id = self.unit(unit), self._indicator_id(p, indicator)
        with self.transaction():
            old = self.one("SELECT score FROM consensus WHERE period_id = ? AND unit_id = ? AND indicator_id = ?",
                           (p.id, unit_row.id, indicator_id))
            self.conn.execute(
                "INSERT INTO consensus (period_id, unit_id, indicator_id, score, decided_by, reason, decided_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET score = excluded.score, "
                "decided_by = excluded.decided_by, reason = excluded.reason, decided_at = excluded.decided_at",
                (p.id, unit_row.id, indicator_id, score, actor or self.actor, reason, now()))
            self.audit(entity="consensus", entity_uuid=f"{p.name}/{unit_row.code}/{indicator}", field="score",
                       old=old[0] if old else None, new=score, reason=reason, actor=actor)

    # --- evidence --------------------------------------------------------------------------

    @property
    def evidence_dir(self) -> Path:
        """Content-addressed store beside the database: <name>.evidence/ab/abcdef..."""
        return self.path.with_name(self.path.name + ".evidence")

    def evidence_path(self, sha256: str) -> Path:
        return self.evidence_dir / sha256[:2] / sha256

    def add_evidence(self, observation_uuid: str, file: str | Path) -> str:
        """Copy a file into the evidence store and link it to an observation; returns its sha256."""
        file = Path(file)
        size = file.stat().st_size
        limit = int(self.setting("evidence_max_bytes"))
        if size > limit:
            raise WorkbenchError("evidence_too_large", file=file.name, size=size, limit=limit)
        sha = file_sha256(file)
        target = self.evidence_path(sha)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_suffix(".part")
            shutil.copyfile(file, partial)
            partial.replace(target)  # atomic: a crash never leaves a half file under the real name
        obs_id = self.one("SELECT id FROM observations WHERE uuid = ?", (observation_uuid,))
        if obs_id is None:
            raise NotFound("indicator_unknown", code=observation_uuid, hint="")
        with self.transaction():
            self.conn.execute("INSERT OR IGNORE INTO evidence (sha256, original_name, size, added_at) "
                              "VALUES (?, ?, ?, ?)", (sha, file.name, size, now()))
            self.conn.execute("INSERT OR IGNORE INTO observation_evidence (observation_id, sha256) VALUES (?, ?)",
                              (obs_id[0], sha))
        return sha

    def evidence(self, observation_uuid: str) -> list[dict]:
        """Evidence linked to an observation: sha256, original_name, size."""
        return list(self.db.query(
            "SELECT e.sha256, e.original_name, e.size FROM evidence e JOIN observation_evidence oe "
            "ON oe.sha256 = e.sha256 JOIN observations o ON o.id = oe.observation_id WHERE o.uuid = ? "
            "ORDER BY e.original_name", [observation_uuid]))

    def remove_evidence(self, observation_uuid: str, sha256: str) -> None:
        """Unlink evidence from an observation; the stored file stays for other links and backups."""
        with self.transaction():
            self.conn.execute("DELETE FROM observation_evidence WHERE sha256 = ? AND observation_id = "
                              "(SELECT id FROM observations WHERE uuid = ?)", (sha256, observation_uuid))

