"""IPP per unit and per evaluator, computed by SQLite over the observations of a period."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from workbench.conflicts import Conflicts
from workbench.progress import CancelToken, ProgressCallback, report
from workbench.scoring import competition_ranks, ipp
from workbench.store import now


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
    conflicts: int = 0  # open disagreements between evaluators
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
           count(*) AS evaluators,  -- one row per evaluator: (period, unit, evaluator, indicator) is unique
           max(o.score) - min(o.score) AS spread
    FROM observations o WHERE o.period_id = :period AND o.score IS NOT NULL
    GROUP BY o.unit_id, {evaluator}, o.indicator_id
), effective AS (
    SELECT p.unit_id, p.evaluator_id, p.indicator_id, p.evaluators, p.spread, {score} AS score,
           {agreed} AS agreed
    FROM per_indicator p {consensus_join}
)
SELECT e.unit_id, e.evaluator_id, sum(i.scored), max(e.evaluators),
       sum(e.evaluators > 1 AND e.spread >= :threshold AND NOT e.agreed), {aspect_columns}
FROM effective e JOIN indicators i ON i.id = e.indicator_id
GROUP BY e.unit_id, e.evaluator_id
"""
_CONSENSUS_JOIN = ("LEFT JOIN consensus c ON c.period_id = :period AND c.unit_id = p.unit_id "
                   "AND c.indicator_id = p.indicator_id")


class Results(Conflicts):
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
        # a consensus settles a conflict even when the rule scores by the plain mean
        has_consensus = self.one("SELECT 1 FROM consensus WHERE period_id = ? LIMIT 1", (p.id,)) is not None
        use_consensus = not by_evaluator and has_consensus
        mean_only = self.setting("unit_score_rule") == "mean"
        aspect_ids = dict(self.conn.execute("SELECT code, id FROM aspects WHERE instrument_id = ?", (inst.id,)))
        sql = _SCORES_SQL.format(
            evaluator="o.evaluator_id" if by_evaluator else "NULL",
            score="coalesce(c.score, p.score)" if use_consensus and not mean_only else "p.score",
            consensus_join=_CONSENSUS_JOIN if use_consensus else "",
            agreed="c.score IS NOT NULL" if use_consensus else "0",
            aspect_columns=", ".join(f"sum(CASE WHEN i.aspect_id = {aspect_ids[code]} THEN i.weight * e.score END)"
                                     for code in weights))
        report(progress, 0, 2, "menghitung")
        sums: dict[tuple[int, int | None], dict[str, float]] = {}
        scored: dict[tuple[int, int | None], int] = {}
        evaluators: dict[tuple[int, int | None], int] = {}
        conflicts: dict[tuple[int, int | None], int] = {}
        threshold = int(self.setting("conflict_threshold"))
        for unit_id, evaluator_id, n_scored, n_evaluators, n_conflicts, *aspect_sums in self.conn.execute(
                sql, {"period": p.id, "threshold": threshold}):
            key = (unit_id, evaluator_id)
            sums[key] = {code: total for code, total in zip(weights, aspect_sums, strict=True) if total is not None}
            scored[key] = n_scored
            evaluators[key] = n_evaluators
            conflicts[key] = n_conflicts
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
                conflicts=conflicts.get((unit_id, evaluator_id), 0),
                raw_aspects={code: round(v, 4) for code, v in (aspect_sums or {}).items()}))
        for result, rank in zip(results, competition_ranks([r.ipp for r in results]), strict=True):
            result.rank = rank
        results.sort(key=lambda r: (r.rank is None, r.rank or 0, r.unit))
        report(progress, 2, 2)
        return results

    # --- the results cache: what the results table shows -----------------------------------------

    def results_fresh(self, period: str | None = None) -> bool:
        """Whether the cached results of a period reflect every change (see `refresh_results`)."""
        row = self.one("SELECT fresh FROM results_state WHERE period_id = ?", (self.period(period).id,))
        return bool(row and row[0])

    def refresh_results(self, period: str | None = None, *, progress: ProgressCallback | None = None,
                        cancel: CancelToken | None = None) -> int:
        """Recompute a period's results into the cache that `result_rows` reads; returns the unit count.

        Runs in one transaction so that no change can slip in between computing and storing.
        """
        p = self.period(period)
        with self.transaction():
            results = self.scores(p.name, progress=progress, cancel=cancel)
            ids = dict(self.conn.execute("SELECT code, id FROM units"))
            self.conn.execute("DELETE FROM unit_results WHERE period_id = ?", (p.id,))
            self.conn.executemany(
                "INSERT INTO unit_results (period_id, unit_id, ipp, category, rank, scored, total, evaluators, "
                "conflicts, aspects) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(p.id, ids[r.unit], r.ipp, r.category, r.rank, r.scored, r.total, r.evaluators, r.conflicts,
                  json.dumps(r.aspects)) for r in results])
            self.conn.execute("INSERT INTO results_state (period_id, fresh, computed_at) VALUES (?, 1, ?) "
                              "ON CONFLICT DO UPDATE SET fresh = 1, computed_at = excluded.computed_at", (p.id, now()))
        return len(results)

    def _results_where(self, period_id: int, search: str, category: str | None) -> tuple[str, list[object]]:
        where, params = " WHERE r.period_id = ?", [period_id]
        if search.strip():
            pattern = f"%{search.strip()}%"
            where += " AND (u.code LIKE ? OR u.name LIKE ? OR i.name LIKE ?)"
            params += [pattern, pattern, pattern]
        if category:
            where += " AND r.category = ?"
            params.append(category)
        return where, params

    _RESULT_FROM = (" FROM unit_results r JOIN units u ON u.id = r.unit_id "
                    "JOIN institutions i ON i.id = u.institution_id")

    def result_count(self, period: str | None = None, *, search: str = "", category: str | None = None) -> int:
        """How many cached result rows match a search text and category."""
        where, params = self._results_where(self.period(period).id, search, category)
        return self.one("SELECT count(*)" + self._RESULT_FROM + where, params)[0]

    def result_rows(self, period: str | None = None, *, search: str = "", category: str | None = None,
                    order: str = "rank", descending: bool = False, offset: int = 0, limit: int = 200
                    ) -> list[UnitScore]:
        """One page of cached results, filtered and sorted in SQLite (for tables over large databases).

        `order` is rank, unit, name, institution, ipp, category, evaluators, conflicts, scored or an aspect code.
        """
        p = self.period(period)
        inst = self._scored_instrument(p)
        columns = {"rank": "r.rank", "unit": "u.code", "name": "u.name COLLATE NOCASE",
                   "institution": "i.name COLLATE NOCASE", "ipp": "r.ipp", "category": "r.ipp",
                   "evaluators": "r.evaluators", "conflicts": "r.conflicts", "scored": "r.scored"}
        columns |= {a.code: f"json_extract(r.aspects, '$.\"{a.code}\"')" for a in inst.aspects}
        sort = columns[order] + (" DESC" if descending else "")
        where, params = self._results_where(p.id, search, category)
        labels = {b.code: b for b in inst.bands}
        rows = self.conn.execute(
            "SELECT u.code, u.name, i.name, r.ipp, r.category, r.aspects, r.scored, r.total, r.evaluators, r.rank, "
            f"r.conflicts{self._RESULT_FROM}{where} ORDER BY r.ipp IS NULL, {sort}, u.code LIMIT ? OFFSET ?",
            [*params, limit, offset])
        return [UnitScore(code, name, inst_name, ipp_, cat, labels[cat].label if cat else None,
                          labels[cat].label_en if cat else None, json.loads(aspects), scored, total, evaluators,
                          rank=rank, conflicts=conflicts)
                for code, name, inst_name, ipp_, cat, aspects, scored, total, evaluators, rank, conflicts in rows]
