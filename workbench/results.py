"""IPP per unit and per evaluator, computed by SQLite over a period's observations, and the results cache."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from workbench.db.settings import Settings
from workbench.db.store import Store, now
from workbench.domain.instrument import Instrument
from workbench.domain.scoring import competition_ranks, ipp, round2
from workbench.events import Changes
from workbench.observations import Observations
from workbench.progress import CancelToken, ProgressCallback, report
from workbench.registry import Registry


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
    raw_aspects: dict[str, float] = field(default_factory=dict)  # aspect code -> 0-5 within it, unrounded

    @property
    def complete(self) -> bool:
        return self.scored == self.total


@dataclass(frozen=True)
class Computed:
    """Results computed from one read snapshot, and the generation of the data they were computed from."""

    period_id: int
    generation: int
    results: list[UnitScore]


@dataclass(frozen=True)
class IndicatorLine:
    aspect: str
    code: str
    text: str
    score: float | None
    level_text: str
    notes: list[tuple[str, str, str]]  # (evaluator, notes, recommendation)


@dataclass(frozen=True)
class UnitReport:
    """Everything the evaluation report of one unit prints."""

    result: UnitScore
    instrument: Instrument
    period: str
    year: int
    lines: list[IndicatorLine]
    evaluators: list[str]


# One row per unit (and evaluator): Σ(indicator weight × effective score) for each aspect, as columns.
# The effective score is the consensus where one was set (when the rule allows it), else the mean over
# evaluators. The consensus join is left out when there is none: it costs a lookup per indicator row.
_SCORES_SQL = """
WITH per_indicator AS ({per_indicator}), effective AS (
    SELECT p.unit_id, p.evaluator_id, p.indicator_id, p.evaluators, p.spread, {score} AS score,
           {agreed} AS agreed
    FROM per_indicator p {consensus_join}
)
SELECT e.unit_id, e.evaluator_id, sum(i.scored), max(e.evaluators),
       sum(i.scored AND e.evaluators > 1 AND e.spread >= :threshold AND NOT e.agreed), {aspect_columns}
FROM effective e JOIN indicators i ON i.id = e.indicator_id
GROUP BY e.unit_id{by_evaluator}
"""
# the mean, count and spread of each indicator's scores: from the observations themselves, or (for a unit's
# result, not an evaluator's) from the totals every write keeps; both give the same numbers
_FROM_OBSERVATIONS = """
    SELECT o.unit_id, {evaluator} AS evaluator_id, o.indicator_id, avg(o.score) AS score,
           count(*) AS evaluators,  -- one row per evaluator: (period, unit, evaluator, indicator) is unique
           max(o.score) - min(o.score) AS spread
    FROM observations o WHERE o.period_id = :period AND o.score IS NOT NULL {only_dirty}
    GROUP BY o.unit_id, {evaluator}, o.indicator_id"""
_FROM_TOTALS = """
    SELECT o.unit_id, NULL AS evaluator_id, o.indicator_id, o.total * 1.0 / o.scores AS score,
           o.scores AS evaluators, o.spread
    FROM indicator_totals o WHERE o.period_id = :period {only_dirty}"""
_TOTALS = ("SELECT period_id, unit_id, indicator_id, sum(score), count(*), max(score) - min(score) "
           "FROM observations WHERE period_id = :period AND score IS NOT NULL {only_dirty} "
           "GROUP BY unit_id, indicator_id")
_CONSENSUS_JOIN = ("LEFT JOIN consensus c ON c.period_id = :period AND c.unit_id = p.unit_id "
                   "AND c.indicator_id = p.indicator_id")
_ONLY_DIRTY = "AND unit_id IN (SELECT unit_id FROM dirty_results WHERE period_id = :period)"
_Key = tuple[int, int | None]  # (unit id, evaluator id or None)
# competition ranking ("1224"), counted when read over the period's cached rows
_RANKED = ("(SELECT *, CASE WHEN ipp IS NOT NULL THEN rank() OVER (PARTITION BY period_id ORDER BY ipp DESC) END "
           "AS rank FROM unit_results)")
_RESULT_FROM = " FROM unit_results r JOIN units u ON u.id = r.unit_id JOIN institutions i ON i.id = u.institution_id"


class Results:
    """Scores, categories and ranks; and the cache of each period's results that tables page through."""

    def __init__(self, store: Store, registry: Registry, settings: Settings, observations: Observations) -> None:
        self._store = store
        self._registry = registry
        self._settings = settings
        self._observations = observations
        store.on_commit("settle results", self.settle)

    def scores(self, period: str | None = None, *, by_evaluator: bool = False, exact: bool = False,
               progress: ProgressCallback | None = None, cancel: CancelToken | None = None) -> list[UnitScore]:
        """Every unit's IPP, aspect scores, category and rank in a period (newest by default).

        With `by_evaluator`, one result per (unit, evaluator) from that evaluator's scores alone, ranked
        among all of them. Units with no score have ipp None and no rank; they come last. With `exact`, from
        the observations themselves rather than the per-indicator totals every write keeps (the same
        numbers, unless the file was changed outside the app: what check and the repair rely on).
        """
        with self._store.snapshot():
            return self._scores(period, by_evaluator, progress, cancel, exact=exact)

    def aspect_scores(self, unit: str, period: str | None = None) -> dict[str, float]:
        """One unit's score within each aspect, 0-5 (aspect code -> Σ indicator weight × score), computed as
        `scores` computes it for every unit (so that a chart, a table, the export and the PDF agree), rounded
        only when shown."""
        unit_id = self._registry.unit(unit).id
        with self._store.snapshot():
            found = self._scores(period, False, None, None, only_unit=unit_id)
        return found[0].raw_aspects if found else {}

    def _scores(self, period: str | None, by_evaluator: bool, progress: ProgressCallback | None,
                cancel: CancelToken | None, *, only_dirty: bool = False, exact: bool = False,
                only_unit: int | None = None) -> list[UnitScore]:
        """Every unit's result, or with `only_dirty` those of the units in dirty_results, or one unit's (ranked
        among themselves only: the cache counts ranks when it is read)."""
        p = self._registry.period(period)
        inst = self._registry.scored_instrument(p)
        weights = {a.code: a.weight for a in inst.aspects}
        # a consensus settles a conflict even when the rule scores by the plain mean
        has_consensus = self._store.one("SELECT 1 FROM consensus WHERE period_id = ? LIMIT 1", (p.id,)) is not None
        use_consensus = not by_evaluator and has_consensus
        mean_only = self._settings.get("unit_score_rule", p) == "mean"
        aspect_ids = dict(self._store.execute("SELECT code, id FROM aspects WHERE instrument_id = ?",
                                                   (inst.id,)))
        per_indicator = _FROM_OBSERVATIONS if exact or by_evaluator else _FROM_TOTALS
        sql = _SCORES_SQL.format(
            per_indicator=per_indicator.format(only_dirty=_ONLY_DIRTY if only_dirty else
                                               "AND unit_id = :unit" if only_unit is not None else "",
                                               evaluator="o.evaluator_id" if by_evaluator else "NULL"),
            by_evaluator=", e.evaluator_id" if by_evaluator else "",  # else in the totals' order: no sorting
            score="coalesce(c.score, p.score)" if use_consensus and not mean_only else "p.score",
            consensus_join=_CONSENSUS_JOIN if use_consensus else "",
            agreed="c.score IS NOT NULL" if use_consensus else "0",
            aspect_columns=", ".join(f"sum(CASE WHEN i.aspect_id = {aspect_ids[code]} THEN i.weight * e.score END)"
                                     for code in weights))
        report(progress, 0, 2, "menghitung")
        sums: dict[_Key, dict[str, float]] = {}
        counts: dict[_Key, tuple[int, int, int]] = {}  # scored, evaluators, conflicts
        threshold = self._settings.number("conflict_threshold", p)
        for unit_id, evaluator_id, n_scored, n_evaluators, n_conflicts, *aspect_sums in self._store.execute(
                sql, {"period": p.id, "threshold": threshold, "unit": only_unit}):
            key = (unit_id, evaluator_id)
            sums[key] = {code: total for code, total in zip(weights, aspect_sums, strict=True) if total is not None}
            counts[key] = (n_scored, n_evaluators, n_conflicts)
        if cancel:
            cancel.check()
        report(progress, 1, 2, "menyusun")
        names = dict(self._store.execute("SELECT id, name FROM evaluators"))
        share = min(self._settings.number("f03_weight", p), 100) / 100
        perception = self._perception(p.id, only_dirty) if share and not by_evaluator else {}
        units = {u.id: u for u in (self._registry.units(dirty_in=p.id) if only_dirty else self._registry.units())
                 if only_unit is None or u.id == only_unit}
        keys = list(sums) if by_evaluator else [(unit_id, None) for unit_id in units]
        total = len(inst.scored_indicators)
        results = []
        for unit_id, evaluator_id in keys:
            unit = units[unit_id]
            aspect_sums = sums.get((unit_id, evaluator_id))
            score, weighted = ipp(aspect_sums, weights) if aspect_sums else (None, {})
            if score is not None and unit_id in perception:  # the setting f03_weight blends F-03 in
                score = round2((1 - share) * score + share * perception[unit_id])
            band = inst.band(score) if score is not None else None
            n_scored, n_evaluators, n_conflicts = counts.get((unit_id, evaluator_id), (0, 0, 0))
            results.append(UnitScore(
                unit.code, unit.name, unit.institution, score, band.code if band else None,
                band.label if band else None, band.label_en if band else None, weighted, n_scored, total,
                1 if by_evaluator else n_evaluators, names.get(evaluator_id) if evaluator_id is not None else None,
                conflicts=n_conflicts, raw_aspects=dict(aspect_sums or {})))
        for result, rank in zip(results, competition_ranks([r.ipp for r in results]), strict=True):
            result.rank = rank
        results.sort(key=lambda r: (r.rank is None, r.rank or 0, r.unit))
        report(progress, 2, 2)
        return results

    def _perception(self, period_id: int, only_dirty: bool) -> dict[int, float]:
        """The F-03 mean of each unit (the mean of its items' means over both forms), from the stored answers."""
        return dict(self._store.execute(
            "SELECT unit_id, avg(item_mean) FROM (SELECT r.unit_id, j.key, avg(j.value) AS item_mean "
            "FROM respondents r, json_each(r.answers) j WHERE r.period_id = :period AND r.entry = 1 "
            "AND r.form IN ('f03a-2022', "
            f"'f03b-2022') {_ONLY_DIRTY.replace('unit_id', 'r.unit_id', 1) if only_dirty else ''} "
            "GROUP BY r.unit_id, j.key) "
            "GROUP BY unit_id", {"period": period_id}))

    # --- the cache that tables page through ---------------------------------------------------

    def is_fresh(self, period: str | None = None) -> bool:
        """Whether the cached results of a period reflect every change (see `refresh`)."""
        return bool(self._store.value("SELECT fresh FROM results_state WHERE period_id = ?",
                                      (self._registry.period(period).id,)))

    def compute(self, period: str | None = None, *, progress: ProgressCallback | None = None,
                cancel: CancelToken | None = None) -> Computed:
        """Results of a period from one read snapshot (takes no write lock): the slow half of `refresh`;
        `cache` stores them."""
        with self._store.snapshot():
            p = self._registry.period(period)
            generation = int(self._store.value("SELECT generation FROM results_state WHERE period_id = ?",
                                               (p.id,)) or 0)
            return Computed(p.id, generation, self._scores(p.name, False, progress, cancel, exact=True))

    def cache(self, computed: Computed) -> None:
        """Write a full recompute into the cache in one short transaction, and mark the period fresh. A row a
        later write recomputed (a newer generation than the snapshot's) is kept."""
        with self._store.transaction():
            self._store_totals(computed.period_id, only_dirty=False)
            self._store_rows(computed.period_id, computed.generation, computed.results, self._registry.unit_ids())
            self._store.execute(
                "INSERT INTO results_state (period_id, fresh, computed_at) VALUES (?, 1, ?) "
                "ON CONFLICT DO UPDATE SET fresh = 1, computed_at = excluded.computed_at", (computed.period_id, now()))
            self._store.changed(Changes(results=True))

    def settle(self) -> None:
        """Recompute the units the current transaction changed (noted in dirty_results), before it commits:
        the cache never lags behind the scores. Runs as a hook of every write transaction."""
        store = self._store
        for period_id in self._store.dirty_periods():
            name = self._store.value("SELECT name FROM periods WHERE id = ?", (period_id,))
            generation = int(self._store.value("UPDATE results_state SET generation = generation + 1 "
                                               "WHERE period_id = ? RETURNING generation", (period_id,)) or 0)
            ids = dict(store.execute("SELECT u.code, u.id FROM units u JOIN dirty_results d ON d.unit_id = u.id "
                                    "WHERE d.period_id = ?", (period_id,)))
            self._store_totals(period_id, only_dirty=True)
            self._store_rows(period_id, generation, self._scores(str(name), False, None, None, only_dirty=True), ids)
            self._store.clear_dirty(period_id)
            self._store.changed(Changes(results=True))

    def _store_totals(self, period_id: int, *, only_dirty: bool) -> None:
        """Sum a period's scores per unit and indicator again (of the dirty units only, or all)."""
        where = _ONLY_DIRTY if only_dirty else ""
        self._store.execute(f"DELETE FROM indicator_totals WHERE period_id = :period {where}",
                                 {"period": period_id})
        self._store.execute("INSERT INTO indicator_totals " + _TOTALS.format(only_dirty=where),
                                 {"period": period_id})

    def totals_unaccounted(self, period: str | None = None) -> list[str]:
        """Codes of the units whose kept per-indicator totals differ from their observations."""
        p = self._registry.period(period)
        kept = set(self._store.execute("SELECT * FROM indicator_totals WHERE period_id = :period",
                                            {"period": p.id}))
        summed = set(self._store.execute(_TOTALS.format(only_dirty=""), {"period": p.id}))
        codes = {unit_id: code for code, unit_id in self._registry.unit_ids().items()}
        return sorted({codes.get(row[1], str(row[1])) for row in kept ^ summed})

    def _store_rows(self, period_id: int, generation: int, results: list[UnitScore], ids: dict[str, int]) -> None:
        self._store.executemany(
            "INSERT INTO unit_results (period_id, unit_id, ipp, category, scored, total, evaluators, conflicts, "
            "aspects, generation) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (period_id, unit_id) DO UPDATE "
            "SET ipp = excluded.ipp, category = excluded.category, scored = excluded.scored, total = excluded.total, "
            "evaluators = excluded.evaluators, conflicts = excluded.conflicts, aspects = excluded.aspects, "
            "generation = excluded.generation WHERE unit_results.generation <= excluded.generation",
            [(period_id, ids[r.unit], r.ipp, r.category, r.scored, r.total, r.evaluators, r.conflicts,
              json.dumps(r.aspects), generation) for r in results if r.unit in ids])

    def refresh(self, period: str | None = None, *, progress: ProgressCallback | None = None,
                cancel: CancelToken | None = None) -> int:
        """Recompute a period's results in full into the cache that `page` reads (a repair: writes keep it
        current); returns the unit count."""
        computed = self.compute(period, progress=progress, cancel=cancel)
        self.cache(computed)
        return len(computed.results)

    def _where(self, period_id: int, search: str, category: str | None,
               unit: str | None = None) -> tuple[str, list[object]]:
        params: list[object] = [period_id]
        where = " WHERE r.period_id = ?"
        if unit is not None:
            where += " AND u.code = ? COLLATE NOCASE"
            params.append(unit)
        if search.strip():
            # the text itself, not a pattern: % and _ typed by the user match only themselves
            literal = search.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            pattern = f"%{literal}%"
            where += " AND (u.code LIKE ? ESCAPE '\\' OR u.name LIKE ? ESCAPE '\\' OR i.name LIKE ? ESCAPE '\\')"
            params += [pattern, pattern, pattern]
        if category:
            where += " AND r.category = ?"
            params.append(category)
        return where, params

    def count(self, period: str | None = None, *, search: str = "", category: str | None = None) -> int:
        """How many cached result rows match a search text and category."""
        where, params = self._where(self._registry.period(period).id, search, category)
        return int(self._store.value("SELECT count(*)" + _RESULT_FROM + where, params))

    def unit_result(self, unit: str, period: str | None = None) -> UnitScore | None:
        """One unit's cached result with its rank in the period (a screen showing one unit reads just that)."""
        found = self.page(period, unit=unit, limit=1)
        return found[0] if found else None

    def page(self, period: str | None = None, *, search: str = "", category: str | None = None,
             order: str = "rank", descending: bool = False, offset: int = 0, limit: int = 200,
             unit: str | None = None) -> list[UnitScore]:
        """One page of cached results, filtered and sorted in SQLite (for tables over large databases).

        `order` is rank, unit, name, institution, ipp, category, evaluators, conflicts, scored or an aspect code;
        `unit`, a unit code, keeps that unit's row alone.
        """
        p = self._registry.period(period)
        inst = self._registry.scored_instrument(p)
        columns = {"rank": "-r.ipp", "unit": "u.code", "name": "u.name COLLATE NOCASE",
                   "institution": "i.name COLLATE NOCASE", "ipp": "r.ipp", "category": "r.ipp",
                   "evaluators": "r.evaluators", "conflicts": "r.conflicts", "scored": "r.scored"}
        columns |= {a.code: f"json_extract(r.aspects, '$.\"{a.code}\"')" for a in inst.aspects}
        sort = columns[order] + (" DESC" if descending else "")
        where, params = self._where(p.id, search, category, unit)
        bands = {b.code: b for b in inst.bands}
        rows = self._store.dicts(
            "SELECT u.code AS unit, u.name AS name, i.name AS institution, r.ipp AS ipp, r.category AS category, "
            "r.aspects AS aspects, r.scored AS scored, r.total AS total, r.evaluators AS evaluators, "
            f"r.rank AS rank, r.conflicts AS conflicts{_RESULT_FROM.replace('unit_results', _RANKED)}{where} "
            f"ORDER BY r.ipp IS NULL, {sort}, u.code LIMIT ? OFFSET ?",
            [*params, limit, offset])
        for row in rows:
            band = bands.get(row["category"])
            row |= {"aspects": json.loads(row["aspects"]), "label": band.label if band else None,
                    "label_en": band.label_en if band else None}
        return [UnitScore(**row) for row in rows]

    # --- per indicator -------------------------------------------------------------------------

    def indicator_scores(self, period: str | None = None, *, unit: str | None = None
                         ) -> dict[tuple[str, str], float]:
        """(unit code, indicator code) -> the score used for the unit: the consensus, else the mean."""
        p = self._registry.period(period)
        unit_id = self._registry.unit(unit).id if unit is not None else None
        rule = self._settings.get("unit_score_rule", p)
        rows = self._store.execute(
            "SELECT u.code, i.code, avg(o.score), c.score FROM observations o JOIN units u ON u.id = o.unit_id "
            "JOIN indicators i ON i.id = o.indicator_id LEFT JOIN consensus c ON c.period_id = o.period_id "
            "AND c.unit_id = o.unit_id AND c.indicator_id = o.indicator_id WHERE o.period_id = ? "
            "AND o.score IS NOT NULL AND (? IS NULL OR o.unit_id = ?) GROUP BY o.unit_id, o.indicator_id",
            (p.id, unit_id, unit_id))
        return {(u, i): round(agreed if agreed is not None and rule == "consensus_or_mean" else mean, 2)
                for u, i, mean, agreed in rows}

    def unit_report(self, unit: str, period: str | None = None) -> UnitReport:
        """What one unit's evaluation report prints: its result, and per indicator the score used, the rubric
        text of that level, and every evaluator's notes and recommendations."""
        p = self._registry.period(period)
        inst = self._registry.scored_instrument(p)
        code = self._registry.unit(unit).code
        result = next(r for r in self.scores(p.name) if r.unit == code)
        scores = self.indicator_scores(p.name, unit=code)
        observations = self._observations.find(period=p.name, unit=code)
        notes: dict[str, list[tuple[str, str, str]]] = {}
        for obs in observations:
            if obs.notes or obs.recommendation:
                notes.setdefault(obs.indicator, []).append((obs.evaluator, obs.notes, obs.recommendation))
        lines = []
        for ind in inst.indicators:
            score = scores.get((code, ind.code))
            level = None if score is None else min(inst.scale_max, int(score + 0.5))
            lines.append(IndicatorLine(ind.aspect, ind.code, ind.text, score,
                                       ind.levels[level] if level is not None else "", notes.get(ind.code, [])))
        evaluators = sorted({o.evaluator for o in observations})
        return UnitReport(result, inst, p.name, p.year or 0, lines, evaluators)
