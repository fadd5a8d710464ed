"""Disagreements between evaluators on a unit's indicator, and the consensus that settles them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from workbench.agreement import krippendorff_alpha_ordinal
from workbench.observations import Observations


@dataclass(frozen=True)
class Conflict:
    """Evaluators whose scores of one indicator of one unit differ by at least the threshold."""

    unit: str
    indicator: str
    scores: dict[str, int]  # evaluator -> score
    notes: dict[str, str]  # evaluator -> notes

    @property
    def spread(self) -> int:
        return max(self.scores.values()) - min(self.scores.values())


@dataclass(frozen=True)
class Agreement:
    """Agreement between evaluators over the (unit, indicator) items that two or more of them scored."""

    overall: float | None
    aspects: dict[str, float | None]
    indicators: dict[str, float | None]
    evaluators: dict[str, float]  # mean absolute distance from the other evaluators' mean
    items: int


# (unit, indicator) pairs scored by several evaluators whose spread reaches the threshold, with no consensus
_OPEN_SQL = """
SELECT o.unit_id, o.indicator_id FROM observations o
WHERE o.period_id = :period AND o.score IS NOT NULL
GROUP BY o.unit_id, o.indicator_id
HAVING count(*) > 1 AND max(o.score) - min(o.score) >= :threshold
   AND NOT EXISTS (SELECT 1 FROM consensus c WHERE c.period_id = :period AND c.unit_id = o.unit_id
                   AND c.indicator_id = o.indicator_id)
"""


class Conflicts(Observations):
    """Finding open conflicts."""

    def conflict_count(self, period: str | None = None) -> int:
        """How many (unit, indicator) conflicts of a period are open."""
        threshold = int(self.setting("conflict_threshold"))
        return self.one(f"SELECT count(*) FROM ({_OPEN_SQL})", {"period": self.period(period).id,
                                                                  "threshold": threshold})[0]

    def conflicts(self, period: str | None = None, *, unit: str | None = None, limit: int | None = None
                  ) -> list[Conflict]:
        """Open conflicts of a period (newest by default), optionally of one unit, in unit and form order;
        at most `limit` of them when given."""
        p = self.period(period)
        threshold = int(self.setting("conflict_threshold"))
        pairs = _OPEN_SQL + (f" ORDER BY o.unit_id, o.indicator_id LIMIT {int(limit)}" if limit else "")
        sql = ("SELECT u.code, i.code, e.name, o.score, o.notes FROM observations o "
               "JOIN units u ON u.id = o.unit_id JOIN indicators i ON i.id = o.indicator_id "
               "JOIN evaluators e ON e.id = o.evaluator_id "
               f"WHERE o.period_id = :period AND o.score IS NOT NULL AND (o.unit_id, o.indicator_id) IN ({pairs})")
        params: dict[str, object] = {"period": p.id, "threshold": threshold}
        if unit is not None:
            sql, params["unit"] = sql + " AND o.unit_id = :unit", self.unit(unit).id
        grouped: dict[tuple[str, str], Conflict] = {}
        for unit_code, indicator, evaluator, score, notes in self.conn.execute(
                sql + " ORDER BY u.code, i.position, e.name", params):
            conflict = grouped.setdefault((unit_code, indicator), Conflict(unit_code, indicator, {}, {}))
            conflict.scores[evaluator] = score
            conflict.notes[evaluator] = notes
        return list(grouped.values())

    def consensus(self, period: str | None = None, *, unit: str) -> dict[str, dict]:
        """Agreed scores of a unit: indicator code -> {score, decided_by, reason, decided_at}."""
        p = self.period(period)
        rows = self.db.query(
            "SELECT i.code, c.score, c.decided_by, c.reason, c.decided_at FROM consensus c "
            "JOIN indicators i ON i.id = c.indicator_id WHERE c.period_id = ? AND c.unit_id = ?",
            [p.id, self.unit(unit).id])
        return {row.pop("code"): row for row in rows}

    def agreement(self, period: str | None = None) -> Agreement:
        """Krippendorff's alpha (ordinal) overall, per aspect and per indicator, and each evaluator's mean
        distance from the others' mean on the indicators they share."""
        p = self.period(period)
        rows = self.conn.execute(
            "SELECT o.unit_id, i.code, a.code, e.name, o.score FROM observations o "
            "JOIN indicators i ON i.id = o.indicator_id JOIN aspects a ON a.id = i.aspect_id "
            "JOIN evaluators e ON e.id = o.evaluator_id WHERE o.period_id = ? AND o.score IS NOT NULL AND i.scored",
            (p.id,))
        items: dict[tuple[int, str], dict[str, int]] = defaultdict(dict)
        aspect_of: dict[str, str] = {}
        for unit_id, indicator, aspect, evaluator, score in rows:
            items[(unit_id, indicator)][evaluator] = score
            aspect_of[indicator] = aspect
        shared = {key: scores for key, scores in items.items() if len(scores) > 1}
        by_aspect: dict[str, list[list[int]]] = defaultdict(list)
        by_indicator: dict[str, list[list[int]]] = defaultdict(list)
        distances: dict[str, list[float]] = defaultdict(list)
        for (_, indicator), scores in shared.items():
            values = list(scores.values())
            by_aspect[aspect_of[indicator]].append(values)
            by_indicator[indicator].append(values)
            for evaluator, score in scores.items():
                others = [s for name, s in scores.items() if name != evaluator]
                distances[evaluator].append(abs(score - sum(others) / len(others)))
        return Agreement(
            overall=krippendorff_alpha_ordinal(list(map(list, (s.values() for s in shared.values())))),
            aspects={a: krippendorff_alpha_ordinal(v) for a, v in sorted(by_aspect.items())},
            indicators={i: krippendorff_alpha_ordinal(v) for i, v in by_indicator.items()},
            evaluators={e: sum(d) / len(d) for e, d in sorted(distances.items())},
            items=len(shared))
