"""How far each evaluator has scored each unit."""

from __future__ import annotations

from collections.abc import Collection

from workbench.domain.values import STATUSES
from workbench.observations.base import Base
from workbench.observations.records import (
    UnitProgress,
)


class Progress(Base):
    """How far each evaluator has scored each unit."""

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
        for code, scored, status in self._store.execute(sql + " GROUP BY u.id", params):
            result[code] = UnitProgress(code, scored, total, STATUSES[status or 0])
        return result

    def team_progress(self, *, period: str | None = None) -> dict[str, list[UnitProgress]]:
        """Each evaluator's progress on each unit: unit code -> one UnitProgress per evaluator (its `unit`
        field holds the evaluator's name), by name."""
        p = self._registry.period(period)
        total = len(self._registry.scored_instrument(p).scored_indicators)
        result: dict[str, list[UnitProgress]] = {}
        for code, name, scored, status in self._store.execute(
                "SELECT u.code, e.name, count(DISTINCT CASE WHEN o.score IS NOT NULL AND i.scored THEN o.indicator_id "
                "END), min(CASE o.status WHEN 'draft' THEN 0 WHEN 'final' THEN 1 WHEN 'verified' THEN 2 END) "
                "FROM observations o JOIN units u ON u.id = o.unit_id JOIN evaluators e ON e.id = o.evaluator_id "
                "JOIN indicators i ON i.id = o.indicator_id WHERE o.period_id = ? GROUP BY u.id, e.id "
                "ORDER BY e.name", (p.id,)):
            result.setdefault(code, []).append(UnitProgress(name, scored, total, STATUSES[status or 0]))
        return result
