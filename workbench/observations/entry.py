"""Entering and changing scores, and making them final."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from workbench.db.audit import Change
from workbench.db.store import new_uuid, now
from workbench.domain.values import METHODS, STATUSES, field_text
from workbench.errors import Incomplete, ReasonRequired, WorkbenchError
from workbench.events import Changes
from workbench.i18n import source, tr
from workbench.observations.base import Base
from workbench.observations.records import (
    AUDITED,
    EDITABLE,
    KEY_SQL,
    ROWS_SQL,
    Finalized,
    Observation,
)
from workbench.registry import Period


class Entry(Base):
    """Entering and changing scores, and making them final."""

    def find(self, *, period: str | None = None, unit: str | None = None,
             evaluator: str | None = None) -> list[Observation]:
        """Observations of a period (newest by default), optionally of one unit and/or evaluator, in form order."""
        return self._store.rows(Observation, *self._found(period, unit, evaluator))

    def records(self, *, period: str | None = None, evaluator: str | None = None) -> list[dict[str, Any]]:
        """The observations `find` gives, as dictionaries of their fields: what is written out in bulk (a
        package) without building an object for each."""
        return self._store.dicts(*self._found(period, None, evaluator))

    def _found(self, period: str | None, unit: str | None, evaluator: str | None) -> tuple[str, list[object]]:
        p = self._registry.period(period)
        params: list[object] = [p.id]
        sql = ROWS_SQL + " WHERE o.period_id = ?"
        if unit is not None:
            sql, params = sql + " AND o.unit_id = ?", [*params, self._registry.unit(unit).id]
        if evaluator is not None:
            sql, params = sql + " AND e.name = ?", [*params, evaluator]
        return sql + " ORDER BY u.code, e.name, i.position", params

    def evaluators(self, period: str | None = None) -> list[str]:
        """The names of the evaluators who have observations in a period (the newest by default), sorted."""
        return [name for (name,) in self._store.execute(
            "SELECT name FROM evaluators WHERE id IN (SELECT DISTINCT evaluator_id FROM observations "
            "WHERE period_id = ?) ORDER BY name", (self._registry.period(period).id,))]

    def get(self, *, unit: str, indicator: str, evaluator: str, period: str | None = None) -> Observation | None:
        """One observation, or None when nothing was recorded yet."""
        p = self._registry.period(period)
        found = self._store.rows(
            Observation, ROWS_SQL + " WHERE o.period_id = ? AND o.unit_id = ? AND e.name = ? AND o.indicator_id = ?",
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
                self._store.execute(
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
            self._store.execute(f"UPDATE observations SET {assignments}, version = version + ?, updated_at = ? "
                                     "WHERE uuid = ?", (*changed.values(), 0 if created else 1, now(), current.uuid))
            if "score" in changed:
                self._store.mark_results_dirty(p.id, [unit_row.id])
            # a draft's score and status are logged; a final observation's every change, with its reason
            logged = AUDITED if current.status == "draft" else tuple(changed)
            self._audit.append([Change("observation", current.uuid, f, getattr(current, f), changed[f], reason)
                                for f in logged if f in changed], actor=actor)
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
                [missing] = done.refused.values()  # the one pair asked for
                raise Incomplete("Unit {unit} belum lengkap: {count} indikator belum dinilai ({codes})", unit=unit,
                                 count=len(missing), codes=", ".join(missing))
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
        for unit, name, indicator in self._store.execute(sql, params):
            present.setdefault((unit, name), set()).add(indicator)
        if units is not None and evaluator is not None:  # a unit asked for by name and not scored at all
            for code in codes:
                present.setdefault((code, evaluator), set())
        refused = {pair: [c for c in scored if c not in done]
                   for pair, done in sorted(present.items()) if len(done) < len(scored)}
        ready = [key for key, done in present.items() if len(done) == len(scored)]
        rows = []
        for unit, name in ready:
            rows += self._store.execute(
                "SELECT o.id, o.uuid FROM observations o JOIN units u ON u.id = o.unit_id JOIN evaluators e "
                "ON e.id = o.evaluator_id WHERE o.period_id = ? AND u.code = ? AND e.name = ? AND o.status = 'draft' "
                "AND o.score IS NOT NULL", (p.id, unit, name)).fetchall()
        with self._store.transaction():
            self._store.executemany("UPDATE observations SET status = 'final', version = version + 1, "
                                         "updated_at = ? WHERE id = ?", [(now(), row[0]) for row in rows])
            self._audit.append([Change("observation", uuid, "status", "draft", "final", reason or source("finalisasi"))
                                for _, uuid in rows], actor=actor)
            if rows:
                self._store.changed(Changes(observation=True, units=frozenset(unit for unit, _ in ready)))
        return Finalized(len(rows), len(ready), refused)
