"""A national round's kits and packages: 3,000 units, 100 evaluators with 30 units each. 100 kits exported by
the lead and imported on 100 laptops (each a database made from its kit), then 100 packages (30 units x 31
indicators each) imported by the lead at once; each beside a plain copy of the same bytes in the same run."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from workbench import Workbook
from workbench.observations import Incoming, Source
from workbench.usecases.kits import import_kit

UNITS, EVALUATORS, PASS = 3000, 100, "sandi-kit-nasional"


def lead_db(folder: Path) -> Path:
    """The lead's database: the register and who visits which unit (made afresh: kits and packages change it)."""
    path = folder / "kits-lead.sqlite"
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        leftover.unlink(missing_ok=True)
    with Workbook.create(path, period="NASIONAL 2026", actor="Ketua") as wb, wb.transaction():
        for n in range(UNITS):
            wb.registry.add_unit(f"U{n:04d}", f"Unit layanan {n}", f"Instansi {n // 10:03d}")
        wb.team.assign([(f"U{n:04d}", f"Evaluator {n % EVALUATORS:03d}") for n in range(UNITS)])
    return path


def copied(files: list[Path], into: Path) -> float:
    """Seconds to copy the files (the best of three)."""
    best = float("inf")
    for _ in range(3):
        shutil.rmtree(into, ignore_errors=True)
        into.mkdir()
        start = time.perf_counter()
        for file in files:
            shutil.copyfile(file, into / file.name)
        best = min(best, time.perf_counter() - start)
    return best


def score(path: Path, evaluator: str) -> None:
    """The evaluator's 30 units scored, through the merge every sheet import uses (not timed)."""
    with Workbook(path, actor=evaluator) as wb, wb.transaction():
        period = wb.registry.period()
        units = wb.registry.unit_ids()
        indicators = list(wb.registry.indicator_ids(period.instrument_id).values())
        rows = [Incoming(n, unit_id, indicator, evaluator, {"score": (n + unit_id) % 6})
                for n, (unit_id, indicator) in enumerate((u, i) for u in units.values() for i in indicators)]
        wb.observations.merge(period, rows, Source("bench", "bench", ""), reason="bench")


def main() -> None:
    root = Path(tempfile.gettempdir()) / "workbench-bench" / "kits"
    shutil.rmtree(root, ignore_errors=True)
    (root / "kit").mkdir(parents=True)
    keys = os.environ.get("WORKBENCH_KEYS")
    os.environ["WORKBENCH_KEYS"] = str(root / "keys-lead")
    lead = lead_db(root)
    names = [f"Evaluator {n:03d}" for n in range(EVALUATORS)]

    start = time.perf_counter()
    with Workbook(lead, actor="Ketua") as wb:
        kits = [wb.kits.export(root / "kit" / f"kit-{n:03d}.wbkit", evaluator=name, passphrase=PASS).path
                for n, name in enumerate(names)]
    exported = time.perf_counter() - start
    kit_copy = copied(kits, root / "kit-copy")

    start = time.perf_counter()
    laptops = []
    for n, kit in enumerate(kits):
        os.environ["WORKBENCH_KEYS"] = str(root / f"keys-{n:03d}")  # each laptop its own keys
        laptops.append(root / f"laptop-{n:03d}.sqlite")
        import_kit(laptops[-1], kit, PASS)
    imported = time.perf_counter() - start

    packages = []
    export_time = 0.0
    for n, (name, laptop) in enumerate(zip(names, laptops, strict=True)):
        os.environ["WORKBENCH_KEYS"] = str(root / f"keys-{n:03d}")
        score(laptop, name)
        start = time.perf_counter()
        with Workbook(laptop, actor=name) as wb:
            packages.append(wb.packages.export(root / f"paket-{n:03d}.wbpkg").path)
        export_time += time.perf_counter() - start
    package_copy = copied(packages, root / "package-copy")

    os.environ["WORKBENCH_KEYS"] = str(root / "keys-lead")
    start = time.perf_counter()
    with Workbook(lead, actor="Ketua") as wb:
        report = wb.packages.import_(packages)
        assert report.written and report.added == UNITS * 31 and not report.problems, report.problems[:2]
    merged = time.perf_counter() - start
    if keys is None:
        os.environ.pop("WORKBENCH_KEYS")
    else:
        os.environ["WORKBENCH_KEYS"] = keys

    kit_bytes = sum(k.stat().st_size for k in kits) / EVALUATORS
    package_bytes = sum(p.stat().st_size for p in packages) / EVALUATORS
    print(f"round: {UNITS:,} units, {EVALUATORS} evaluators x {UNITS // EVALUATORS} units; kits of "
          f"{kit_bytes / 1e3:.0f} KB, packages of {package_bytes / 1e3:.0f} KB "
          f"({UNITS // EVALUATORS * 31} observations)")
    print(f"copying the {EVALUATORS} kits (same bytes): {kit_copy * 1e3 / EVALUATORS:.2f} ms a kit")
    print(f"kit export: {exported:.1f} s, {exported * 1e3 / EVALUATORS:.0f} ms a kit "
          f"({exported / kit_copy:.0f}x the copy)")
    print(f"kit import (a laptop's database made from it): {imported:.1f} s, "
          f"{imported * 1e3 / EVALUATORS:.0f} ms a kit ({imported / kit_copy:.0f}x the copy)")
    print(f"copying the {EVALUATORS} packages (same bytes): {package_copy * 1e3 / EVALUATORS:.2f} ms a package")
    print(f"package export: {export_time:.1f} s, {export_time * 1e3 / EVALUATORS:.0f} ms a package")
    print(f"{EVALUATORS} packages imported at once ({UNITS * 31:,} observations): {merged:.1f} s, "
          f"{merged * 1e3 / EVALUATORS:.0f} ms a package ({merged / package_copy:.0f}x the copy)")
    print(f"kits out, kits in, packages out and in: {exported + imported + export_time + merged:.0f} s in all")


if __name__ == "__main__":
    main()
