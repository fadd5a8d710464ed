"""IPP per unit and per evaluator, computed by SQLite over the observations of a period."""

from __future__ import annotations

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


# One row per unit (and evaluator): Σ(indicator weight × effective score) for each aspect, as columns.
# The effective score is the consensus where one was set (when the rule allows it), else the mean over
# evaluators. The consensus join is left out when there is none: it costs a lookup per indicator row.
_SCORES_SQL = """
WITH per_indicator AS (
    SELECT o.unit_id, {evaluator} AS evaluator_id, o.indicator_id, avg(o.score) AS score,
           count(*) AS evaluators  -- one row per evaluator: (period, unit, evaluator, indicator) is unique
    FROM observations o WHERE o.period_id = :period AND o.score IS NOT NULL
    GROUP BY o.unit_id, {evaluator}, o.indicator_id
), effective AS (
    SELECT p.unit_id, p.evaluator_id, p.indicator_id, p.evaluators, {score} AS score
    FROM per_indicator p {consensus_join}
)
SELECT e.unit_id, e.evaluator_id, sum(i.scored), max(e.evaluators), {aspect_columns}
FROM effective e JOIN indicators i ON i.id = e.indicator_id
GROUP BY e.unit_id, e.evaluator_id
"""
_CONSENSUS_JOIN = ("LEFT JOIN consensus c ON c.period_id = :period AND c.unit_id = p.unit_id "
                   "AND c.indicator_id = p.indicator_id")


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
        use_consensus = (not by_evaluator and self.setting("unit_score_rule") == "consensus_or_mean"
                         and self.one("SELECT 1 FROM consensus WHERE period_id = ? LIMIT 1", (p.id,)) is not None)
        aspect_ids = dict(self.conn.execute("SELECT code, id FROM aspects WHERE instrument_id = ?", (inst.id,)))
        sql = _SCORES_SQL.format(
            evaluator="o.evaluator_id" if by_evaluator else "NULL",
            score="coalesce(c.score, p.score)" if use_consensus else "p.score",
            consensus_join=_CONSENSUS_JOIN if use_consensus else "",
            aspect_columns=", ".join(f"sum(CASE WHEN i.aspect_id = {aspect_ids[code]} THEN i.weight * e.score END)"
                                     for code in weights))
        report(progress, 0, 2, "menghitung")
        sums: dict[tuple[int, int | None], dict[str, float]] = {}
        scored: dict[tuple[int, int | None], int] = {}
        evaluators: dict[tuple[int, int | None], int] = {}
        for unit_id, evaluator_id, n_scored, n_evaluators, *aspect_sums in self.conn.execute(sql, {"period": p.id}):
            key = (unit_id, evaluator_id)
            sums[key] = {code: total for code, total in zip(weights, aspect_sums, strict=True) if total is not None}
            scored[key] = n_scored
            evaluators[key] = n_evaluators
        if cancel:
            cancel.check()
        report(progress, 1, 2, "menyusun")
        names = dict(self.conn.execute("SELECT id, name FROM evaluators"))
        units = {u.id: u for u in self.units()}
        keys = list(sums) if by_evaluator else [(unit_id, None) for unit_id in units]
        total = len(inst.scored_indicators)
        results = []
        for unit_id, evaluator_id in keys:
            unit = units[unit_id]
            aspect_sums = sums.get((unit_id, evaluator_id))
            score, weighted = ipp(aspect_sums, weights) if aspect_sums else (None, {})
            band = inst.band(score) if score is not None else None
            results.append(UnitScore(
                unit.code, unit.name, unit.institution, score, band and band.code, band and band.label,
                band and band.label_en, weighted, scored.get((unit_id, evaluator_id), 0), total,
                1 if by_evaluator else evaluators.get((unit_id, evaluator_id), 0),
                names.get(evaluator_id) if evaluator_id is not None else None,
                raw_aspects={code: round(v, 4) for code, v in (aspect_sums or {}).items()}))
        for result, rank in zip(results, competition_ranks([r.ipp for r in results]), strict=True):
            result.rank = rank
        results.sort(key=lambda r: (r.rank is None, r.rank or 0, r.unit))
        report(progress, 2, 2)
        return results
