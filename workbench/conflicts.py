"""Disagreements between evaluators on a unit's indicator, the consensus that settles them, and agreement."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Literal

from workbench.db.audit import AuditLog, Change
from workbench.db.settings import Settings
from workbench.db.store import Store, now
from workbench.domain.agreement import krippendorff_alpha_ordinal
from workbench.domain.values import field_text
from workbench.errors import ReasonRequired, WorkbenchError
from workbench.events import Changes
from workbench.i18n import tr
from workbench.registry import Registry


@dataclass(frozen=True)
class Agreed:
    """The score the team agreed on for a conflict, why, who decided and when (UTC, ISO 8601)."""

    score: int
    reason: str
    decided_by: str
    decided_at: str


@dataclass(frozen=True)
class Conflict:
    """Evaluators whose scores of one indicator of one unit differ by at least the threshold, and the agreed
    score once there is one."""

    unit: str
    indicator: str
    scores: dict[str, int]  # evaluator -> score
    notes: dict[str, str]  # evaluator -> notes
    agreed: Agreed | None = None

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


# (unit, indicator) pairs scored by several evaluators whose spread reaches the threshold: the per-indicator
# totals every write keeps hold how many evaluators scored and how far apart they are; an indicator that does
# not count in the index (weight 0, such as additional information) has no conflict
_DIFFER_SQL = """
SELECT o.unit_id, o.indicator_id FROM indicator_totals o JOIN indicators i ON i.id = o.indicator_id AND i.scored
WHERE o.period_id = :period AND o.scores > 1 AND o.spread >= :threshold"""
_SETTLED_SQL = "SELECT c.unit_id, c.indicator_id FROM consensus c WHERE c.period_id = :period"
Which = Literal["open", "settled", "all"]
_PAIRS: dict[str, str] = {  # which conflicts: open (no agreed score yet), settled (agreed), or both
    "open": _DIFFER_SQL + " AND NOT EXISTS (SELECT 1 FROM consensus c WHERE c.period_id = :period "
                          "AND c.unit_id = o.unit_id AND c.indicator_id = o.indicator_id)",
    "settled": _SETTLED_SQL,
    "all": f"{_DIFFER_SQL} UNION {_SETTLED_SQL}",
}


class Conflicts:
    """Open conflicts, the agreed scores that close them, and how well evaluators agree."""

    def __init__(self, store: Store, registry: Registry, settings: Settings, audit: AuditLog) -> None:
        self._store = store
        self._registry = registry
        self._settings = settings
        self._audit = audit

    def count(self, period: str | None = None, *, which: Which = "open") -> int:
        """How many (unit, indicator) conflicts of a period are open, settled or either (`which`)."""
        p = self._registry.period(period)
        return int(self._store.value(f"SELECT count(*) FROM ({_PAIRS[which]})", {
            "period": p.id, "threshold": self._settings.number("conflict_threshold", p)}))

    def open(self, period: str | None = None, *, unit: str | None = None, limit: int | None = None
             ) -> list[Conflict]:
        """Open conflicts of a period (newest by default), optionally of one unit, in unit and form order;
        at most `limit` of them when given."""
        return self.listed(period, which="open", unit=unit, limit=limit)

    def listed(self, period: str | None = None, *, which: Which = "all", unit: str | None = None,
               limit: int | None = None) -> list[Conflict]:
        """Conflicts of a period that are open, settled (with the agreed score) or either, optionally of one
        unit, in unit and form order; at most `limit` of them when given."""
        p = self._registry.period(period)
        pairs = f"SELECT unit_id, indicator_id FROM ({_PAIRS[which]})" + (
            f" ORDER BY unit_id, indicator_id LIMIT {int(limit)}" if limit else "")
        sql = ("SELECT u.code, i.code, e.name, o.score, o.notes, c.score, c.reason, c.decided_by, c.decided_at "
               "FROM observations o JOIN units u ON u.id = o.unit_id JOIN indicators i ON i.id = o.indicator_id "
               "JOIN evaluators e ON e.id = o.evaluator_id LEFT JOIN consensus c ON c.period_id = o.period_id "
               "AND c.unit_id = o.unit_id AND c.indicator_id = o.indicator_id "
               f"WHERE o.period_id = :period AND o.score IS NOT NULL AND (o.unit_id, o.indicator_id) IN ({pairs})")
        params: dict[str, object] = {"period": p.id, "threshold": self._settings.number("conflict_threshold", p)}
        if unit is not None:
            sql, params["unit"] = sql + " AND o.unit_id = :unit", self._registry.unit(unit).id
        grouped: dict[tuple[str, str], Conflict] = {}
        for unit_code, indicator, evaluator, score, notes, *agreed in self._store.execute(
                sql + " ORDER BY u.code, i.position, e.name", params):
            conflict = grouped.get((unit_code, indicator))
            if conflict is None:
                settled = Agreed(*agreed) if agreed[0] is not None else None
                conflict = grouped[(unit_code, indicator)] = Conflict(unit_code, indicator, {}, {}, settled)
            conflict.scores[evaluator] = score
            conflict.notes[evaluator] = notes
        return list(grouped.values())

    def resolve(self, *, unit: str, indicator: str, score: int, reason: str, period: str | None = None,
                actor: str | None = None) -> None:
        """Record the agreed score of a unit's indicator when evaluators differ (audited, reason required)."""
        p = self._registry.period(period)
        self._registry.require_open(p)
        inst = self._registry.scored_instrument(p)
        if not inst.scale_min <= score <= inst.scale_max:
            raise WorkbenchError("Nilai {score} di luar skala {lo}-{hi}", score=score, lo=inst.scale_min,
                                 hi=inst.scale_max)
        reason = field_text(reason, "reason", tr("Alasan"))
        if not reason:
            raise ReasonRequired("Kesepakatan {code} memerlukan alasan", code=f"{unit}/{indicator}")
        unit_row, indicator_id = self._registry.unit(unit), self._registry.indicator_id(p, indicator)
        who = actor or self._store.actor
        with self._store.transaction():
            old = self._store.value("SELECT score FROM consensus WHERE period_id = ? AND unit_id = ? "
                                    "AND indicator_id = ?", (p.id, unit_row.id, indicator_id))
            self._store.execute(
                "INSERT INTO consensus (period_id, unit_id, indicator_id, score, decided_by, reason, decided_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET score = excluded.score, "
                "decided_by = excluded.decided_by, reason = excluded.reason, decided_at = excluded.decided_at",
                (p.id, unit_row.id, indicator_id, score, who, reason, now()))
            self._audit.append([Change("consensus", f"{p.name}/{unit_row.code}/{indicator}", "score", old, score,
                                       reason)], actor=who)
            self._store.changed(Changes(consensus=True, units=frozenset({unit_row.code})))

    def agreed(self, period: str | None = None, *, unit: str) -> dict[str, dict[str, Any]]:
        """Agreed scores of a unit: indicator code -> {score, decided_by, reason, decided_at}."""
        p = self._registry.period(period)
        rows = self._store.dicts(
            "SELECT i.code AS code, c.score AS score, c.decided_by AS decided_by, c.reason AS reason, "
            "c.decided_at AS decided_at FROM consensus c JOIN indicators i ON i.id = c.indicator_id "
            "WHERE c.period_id = ? AND c.unit_id = ?", (p.id, self._registry.unit(unit).id))
        return {row.pop("code"): row for row in rows}

    def agreement(self, period: str | None = None) -> Agreement:
        """Krippendorff's alpha (ordinal) overall, per aspect and per indicator, and each evaluator's mean
        distance from the others' mean on the indicators they share."""
        p = self._registry.period(period)
        rows = self._store.execute(
            "SELECT o.unit_id, i.code, a.code, e.name, o.score FROM observations o "
            "JOIN indicators i ON i.id = o.indicator_id JOIN aspects a ON a.id = i.aspect_id "
            "JOIN evaluators e ON e.id = o.evaluator_id JOIN indicator_totals t ON t.period_id = o.period_id "
            "AND t.unit_id = o.unit_id AND t.indicator_id = o.indicator_id AND t.scores > 1 "  # scored by two or more
            "WHERE o.period_id = ? AND o.score IS NOT NULL AND i.scored", (p.id,))
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
            overall=krippendorff_alpha_ordinal([list(s.values()) for s in shared.values()]),
            aspects={a: krippendorff_alpha_ordinal(v) for a, v in sorted(by_aspect.items())},
            indicators={i: krippendorff_alpha_ordinal(v) for i, v in by_indicator.items()},
            evaluators={e: sum(d) / len(d) for e, d in sorted(distances.items())},
            items=len(shared))
