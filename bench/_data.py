"""A large evaluation database for the benchmarks, written straight into SQLite."""

from __future__ import annotations

import random
import sqlite3
import time
import uuid
from pathlib import Path

from workbench import Workbook


def make_large_db(path: Path, *, units: int = 5000, evaluators: int = 3, seed: int = 7, unscored: int = 0) -> Path:
    """units x 31 indicators x evaluators observations in one period (the first `unscored` units have none);
    reuses the file if it exists."""
    if path.exists():
        return path
    with Workbook.create(path, period="BENCH 2026") as wb:
        period = wb.registry.period()
        indicator_ids = list(wb.registry.indicator_ids(period.instrument_id).values())
        rng = random.Random(seed)
        stamp = "2026-01-01T00:00:00+00:00"
        conn = wb.store.conn
        with wb.transaction():
            conn.executemany("INSERT INTO institutions (id, uuid, name) VALUES (?, ?, ?)",
                             [(i, str(uuid.uuid4()), f"Instansi {i:04d}") for i in range(1, units // 4 + 2)])
            conn.executemany("INSERT INTO units (id, uuid, code, name, institution_id) VALUES (?, ?, ?, ?, ?)",
                             [(u, str(uuid.uuid4()), f"U{u:05d}", f"Unit layanan {u}", u // 4 + 1)
                              for u in range(1, units + 1)])
            conn.executemany("INSERT INTO evaluators (id, uuid, name) VALUES (?, ?, ?)",
                             [(e, str(uuid.uuid4()), f"Evaluator {e}") for e in range(1, evaluators + 1)])
            rows = ((str(uuid.uuid4()), period.id, u, e, i, rng.randint(0, 5), stamp)
                    for u in range(unscored + 1, units + 1) for e in range(1, evaluators + 1) for i in indicator_ids)
            conn.executemany("INSERT INTO observations (uuid, period_id, unit_id, evaluator_id, indicator_id, score, "
                             "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


def timed(fn, repeat: int = 3) -> tuple[float, object]:
    """Best wall time of `repeat` runs, and the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def count(path: Path, table: str) -> int:
    return sqlite3.connect(path).execute(f"SELECT count(*) FROM {table}").fetchone()[0]
