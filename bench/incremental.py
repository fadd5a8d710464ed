"""1,000 single-score changes on the 5,000-unit database, each through the call the app's writer thread makes
(`observations.save`: the score, its audit entries, the unit's results recomputed before the commit), beside
a full recompute of the period's results (what the "Hitung ulang" button did after every change before)."""

from __future__ import annotations

import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._data import make_large_db, timed
from workbench import Workbook

CHANGES = 1000


def main() -> None:
    folder = Path(tempfile.gettempdir()) / "workbench-bench"
    folder.mkdir(exist_ok=True)
    base = make_large_db(folder / "large-5000x31x3.sqlite")
    path = folder / "incremental.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(base, path)
    with Workbook(path) as wb:
        full, _ = timed(lambda: wb.results.refresh(), repeat=1)
        units = [u.code for u in wb.registry.units()]
        indicators = [i.code for i in wb.registry.scored_instrument(wb.registry.period()).scored_indicators]
        evaluators = wb.registry.evaluators()
        rng = random.Random(11)
        times = []
        for _ in range(CHANGES):
            unit, indicator, evaluator = rng.choice(units), rng.choice(indicators), rng.choice(evaluators)
            start = time.perf_counter()
            wb.observations.save(unit=unit, indicator=indicator, evaluator=evaluator, score=rng.randint(0, 5))
            times.append(time.perf_counter() - start)
        cached = {r.unit: (r.ipp, r.rank, r.conflicts) for r in wb.results.page(limit=10_000)}
        computed = {r.unit: (r.ipp, r.rank, r.conflicts) for r in wb.results.scores()}
        assert cached == computed and wb.results.is_fresh(), "the cache fell behind the scores"
    times.sort()
    median = statistics.median(times)
    print(f"units: {len(units):,}; changes: {CHANGES:,} single scores, each committed with its unit's result")
    print(f"workbench one score saved and its result current: median {median * 1000:.1f} ms, "
          f"95th percentile {times[int(0.95 * CHANGES)] * 1000:.1f} ms, worst {times[-1] * 1000:.1f} ms")
    print(f"baseline full recompute of the period's results: {full * 1000:.0f} ms")
    print(f"ratio full recompute / median change: {full / median:.0f}x (aim: change <= 10 ms)")


if __name__ == "__main__":
    main()
