"""IPP per unit and per evaluator, computed by SQLite over the observations of a period."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from workbench.observations import Observations
from workbench.progress import CancelToken, ProgressCallback, report
from workbench.scoring import competition_ranks, ipp


@dataclass
class UnitScore:
    """A unit's result in a period; `ipp` is None while nothing is scored."""

    unit: str
    name: str
    institution: str
    ipp: float | None
    category: str | None
    label: str | None
    label_en: str | None
    aspects: dict[str, float]  # aspect code -> weighted aspect score (its share of the IPP)
    scored: int  # scored indicators with at least one score
    total: int  # scored indicators in the instrument
    evaluators: int
    evaluator: str | None = None  # set for per-evaluator results
    rank: int | None = None
    raw_aspects: dict[str, float] = field(default_factory=dict)  # aspect code -> 0-5 within the aspect

    @property
    def complete(self) -> bool:
        return self.scored == self.total


# Σ over a unit's indicators of (indicator weight × effective score), per aspect. The effective score is
# the consensus where one was set (when the rule allows it), else the mean over evaluators.
_SCORES_SQL = """
WITH per_indicator AS (
    SELECT o.unit_id, {evaluator} AS evaluator_id, o.indicator_id, avg(o.score) AS score,
           count(DISTINCT o.evaluator_id) AS evaluators
    FROM observations o WHERE o.period_id = :period AND o.score IS NOT NULL
    GROUP BY o.unit_id, {evaluator}, o.indicator_id
), effective AS (
    SELECT p.unit_id, p.evaluator_id, p.indicator_id, p.evaluators,
           coalesce(CASE WHEN :use_consensus THEN c.score END, p.score) AS score
    FROM per_indicator p LEFT JOIN consensus c
      ON c.period_id = :period AND c.unit_id = p.unit_id AND c.indicator_id = p.indicator_id
)
SELECT e.unit_id, e.evaluator_id, a.code, sum(i.weight * e.score), sum(i.scored), max(e.evaluators)
FROM effective e JOIN indicators i ON i.id = e.indicator_id JOIN aspects a ON a.id = i.aspect_id
GROUP BY e.unit_id, e.evaluator_id, a.id
"""


class Results(Observations):
    """Scores, categories and ranks."""

    def scores(self, period: str | None = None, *, by_evaluator: bool = False,
               progress: ProgressCallback | None = None, cancel: CancelToken | None = None) -> list[UnitScore]:
        """Every unit's IPP, aspect scores, category and rank in a period (newest by default).

        With `by_evaluator`, one result per (unit, evaluator) from that evaluator's scores alone, ranked
        among all of them. Units with no score have ipp None and no rank; they come last.
        """
        p = self.period(period)
        inst = self._scored_instrument(p)
        weights = {a.code: a.weight for a in inst.aspects}
        use_consensus = not by_evaluator and self.setting("unit_score_rule") == "consensus_or_mean"
        sql = _SCORES_SQL.format(evaluator="o.evaluator_id" if by_evaluator else "NULL")
        report(progress, 0, 2, "menghitung")
        sums: dict[tuple[int, int | None], dict[str, float]] = defaultdict(dict)
        scored: dict[tuple[int, int | None], int] = defaultdict(int)
        evaluators: dict[tuple[int, int | None], int] = defaultdict(int)
        for unit_id, evaluator_id, aspect, total, n_scored, n_evaluators in self.conn.execute(
                sql, {"period": p.id, "use_consensus": use_consensus}):
            key = (unit_id, evaluator_id)
            sums[key][aspect] = total
            scored[key] += n_scored
            evaluators[key] = max(evaluators[key], n_evaluators)
        if cancel:
            cancel.check()
        report(progress, 1, 2, "menyusun")
        names = dict(self.conn.execute("SELECT id, name FROM evaluators"))
        units = {u.id: u for u in self.units()}
        keys = list(sums) if by_evaluator else [(unit_id, None) for unit_id in units]
        results = []
        for unit_id, evaluator_id in keys:
            unit = units[unit_id]
            aspect_sums = sums.get((unit_id, evaluator_id))
            score, weighted = ipp(aspect_sums, weights) if aspect_sums else (None, {})
            band = inst.band(score) if score is not None else None
            results.append(UnitScore(
                unit.code, unit.name, unit.institution, score, band and band.code, band and band.label,
                band and band.label_en, weighted, scored[(unit_id, evaluator_id)], len(inst.scored_indicators),
                1 if by_evaluator else evaluators[(unit_id, evaluator_id)],
                names.get(evaluator_id) if evaluator_id is not None else None,
                raw_aspects={code: round(v, 4) for code, v in (aspect_sums or {}).items()}))
        for result, rank in zip(results, competition_ranks([r.ipp for r in results]), strict=True):
            result.rank = rank
        results.sort(key=lambda r: (r.rank is None, r.rank or 0, r.unit))
        report(progress, 2, 2)
        return results
