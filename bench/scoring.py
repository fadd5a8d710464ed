"""Scores of 5,000 units x 31 indicators x 3 evaluators from the database, beside plain Python: as the app,
reports and certificates read them (from the per-indicator totals every write keeps), and recomputed from
the observations themselves (what check and the repair do)."""

from __future__ import annotations

import sys
import tempfile
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._data import count, make_large_db, timed
from workbench import Workbook
from workbench.domain.scoring import round2


def plain_python(wb: Workbook) -> dict[int, float]:
    """Baseline: fetch every observation and average and weigh it in Python."""
    weights = dict(wb.store.conn.execute("SELECT i.id, i.global_weight FROM indicators i"))
    sums: dict[tuple[int, int], list[float]] = defaultdict(lambda: [0.0, 0])
    for unit_id, indicator_id, score in wb.store.conn.execute(
            "SELECT unit_id, indicator_id, score FROM observations WHERE period_id = ? AND score IS NOT NULL",
            (wb.registry.period().id,)):
        cell = sums[(unit_id, indicator_id)]
        cell[0] += score
        cell[1] += 1
    ipp: dict[int, float] = defaultdict(float)
    for (unit_id, indicator_id), (total, n) in sums.items():
        ipp[unit_id] += weights[indicator_id] * total / n
    return {unit: round2(value) for unit, value in ipp.items()}


def main() -> None:
    folder = Path(tempfile.gettempdir()) / "workbench-bench"
    folder.mkdir(exist_ok=True)
    path = make_large_db(folder / "large-5000x31x3.sqlite")
    with Workbook(path) as wb:
        ours, results = timed(lambda: wb.results.scores())
        exact, recomputed = timed(lambda: wb.results.scores(exact=True))
        base, baseline = timed(lambda: plain_python(wb))
        ids = {u.code: u.id for u in wb.registry.units()}
        assert all(baseline[ids[r.unit]] == r.ipp for r in results), "the two computations disagree"
        assert recomputed == results, "the totals do not sum the observations"
    print(f"observations: {count(path, 'observations'):,}")
    print(f"workbench scores (SQL over the per-indicator totals, with categories, ranks, conflicts): {ours:.3f} s")
    print(f"workbench recomputed from the observations themselves (check, repair): {exact:.3f} s")
    print(f"baseline plain Python over the observations (IPP only): {base:.3f} s")
    print(f"ratio baseline / workbench: {base / ours:.2f}x (aim >= 2x); baseline / recompute: {base / exact:.2f}x")


if __name__ == "__main__":
    main()
