"""A whole national round, end to end, with the time of each stage: 3,000 units, each visited by 3 of 100
evaluators (90 units each). The lead sends 100 kits; each laptop is made from its kit and imports its
evaluator's scoring sheet (xlsx, 2,790 rows); 100 packages come back and are imported at once; the lead
settles the conflicts, finalises, signs and prints the certificates, and publishes the results. The baseline
in the same run is copying every file the round moves (kits, sheets, packages) once."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import openpyxl

from workbench import Workbook
from workbench.usecases.certificates import issue_certificates
from workbench.usecases.kits import import_kit
from workbench.usecases.publish import publish

UNITS, EVALUATORS, VISITS, PASS = 3000, 100, 3, "sandi-ronde-nasional"
AIM = 300.0  # seconds


def visitors(unit: int) -> list[int]:
    """The evaluators who visit a unit: three, spread so that each has UNITS * VISITS / EVALUATORS units."""
    return [(unit + k * (EVALUATORS // VISITS)) % EVALUATORS for k in range(VISITS)]


def score(unit: int, indicator: int, evaluator: int) -> int:
    """What an evaluator gives: the unit's level, and now and then (one score in 150) two below it, which
    makes a conflict the lead settles."""
    level = 3 + (unit * 7 + indicator) % 3
    return level - 2 if (unit * 31 + indicator) % 150 == 0 and evaluator == visitors(unit)[0] else level


def write_sheet(path: Path, evaluator: int, codes: list[str]) -> None:
    """The evaluator's scoring sheet, as a field team hands it in (the long layout)."""
    book = openpyxl.Workbook(write_only=True)
    page = book.create_sheet("Penilaian")
    page.append(["Kode Unit", "Kode Indikator", "Nilai", "Penilai"])
    for unit in range(UNITS):
        if evaluator in visitors(unit):
            for i, code in enumerate(codes):
                page.append([f"U{unit:04d}", code, score(unit, i, evaluator), f"Evaluator {evaluator:03d}"])
    book.save(path)


def main() -> None:
    root = Path(tempfile.gettempdir()) / "workbench-bench" / "round"
    shutil.rmtree(root, ignore_errors=True)
    for folder in ("kit", "sheet", "package", "piagam"):
        (root / folder).mkdir(parents=True)
    keys = os.environ.get("WORKBENCH_KEYS")
    names = [f"Evaluator {n:03d}" for n in range(EVALUATORS)]
    stages: dict[str, float] = {}

    def stage(name: str, work: Callable[[], object]) -> object:
        start = time.perf_counter()
        result = work()
        stages[name] = time.perf_counter() - start
        print(f"  {name}: {stages[name]:.1f} s", flush=True)
        return result

    def lead_keys() -> None:
        os.environ["WORKBENCH_KEYS"] = str(root / "keys-lead")

    def laptop_keys(n: int) -> None:
        os.environ["WORKBENCH_KEYS"] = str(root / f"keys-{n:03d}")  # each laptop its own keys

    lead = root / "lead.sqlite"
    lead_keys()

    def register() -> None:
        with Workbook.create(lead, period="NASIONAL 2026", actor="Ketua") as wb, wb.transaction():
            for n in range(UNITS):
                wb.registry.add_unit(f"U{n:04d}", f"Unit layanan {n}", f"Instansi {n // 10:03d}")
            wb.team.assign([(f"U{n:04d}", names[e]) for n in range(UNITS) for e in visitors(n)])

    stage("register and assignments", register)
    with Workbook(lead) as wb:
        codes = list(wb.registry.indicator_ids(wb.registry.period().instrument_id))

    def kits_out() -> list[Path]:
        with Workbook(lead, actor="Ketua") as wb:
            return [wb.kits.export(root / "kit" / f"kit-{n:03d}.wbkit", evaluator=name, passphrase=PASS).path
                    for n, name in enumerate(names)]

    kits = stage("100 kits exported", kits_out)
    assert isinstance(kits, list)
    laptops = [root / f"laptop-{n:03d}.sqlite" for n in range(EVALUATORS)]

    def kits_in() -> None:
        for n, (kit, laptop) in enumerate(zip(kits, laptops, strict=True)):
            laptop_keys(n)
            import_kit(laptop, kit, PASS)

    stage("100 laptops made from their kits", kits_in)
    sheets = [root / "sheet" / f"penilaian-{n:03d}.xlsx" for n in range(EVALUATORS)]
    for n, sheet in enumerate(sheets):  # the evaluators' own work, not timed
        write_sheet(sheet, n, codes)

    def sheets_in() -> None:
        for n, (sheet, laptop) in enumerate(zip(sheets, laptops, strict=True)):
            laptop_keys(n)
            with Workbook(laptop, actor=names[n]) as wb:
                report = wb.exchange.import_observations([sheet])
                assert report.written and report.added == UNITS * VISITS // EVALUATORS * len(codes), report.problems

    stage("100 scoring sheets imported on their laptops", sheets_in)

    def packages_out() -> list[Path]:
        made = []
        for n, laptop in enumerate(laptops):
            laptop_keys(n)
            with Workbook(laptop, actor=names[n]) as wb:
                made.append(wb.packages.export(root / "package" / f"paket-{n:03d}.wbpkg").path)
        return made

    packages = stage("100 packages exported", packages_out)
    assert isinstance(packages, list)
    lead_keys()

    def packages_in() -> None:
        with Workbook(lead, actor="Ketua") as wb:
            report = wb.packages.import_(packages)
            assert report.written and report.added == UNITS * VISITS * len(codes), report.problems[:2]

    stage("100 packages imported by the lead at once", packages_in)

    def conflicts() -> int:
        with Workbook(lead, actor="Ketua") as wb:
            found = wb.conflicts.open()
            with wb.transaction():
                for c in found:
                    wb.conflicts.resolve(unit=c.unit, indicator=c.indicator, score=max(c.scores.values()),
                                         reason="Disepakati panel")
            assert wb.conflicts.count() == 0
            return len(found)

    settled = stage("conflicts settled", conflicts)

    def finalise() -> None:
        with Workbook(lead, actor="Ketua") as wb:
            done = wb.observations.finalize()
            assert not done.refused and done.pairs == UNITS * VISITS

    stage("finalised", finalise)

    def certificates() -> int:
        with Workbook(lead, actor="Ketua") as wb:
            wb.certificates.init_keys(PASS)
            return len(issue_certificates(wb, PASS, root / "piagam").certificates)

    issued = stage("certificates signed and printed", certificates)

    def publishing() -> None:
        with Workbook(lead, read_only=True) as wb:
            publish(wb, root / "publik.sqlite")

    stage("results published", publishing)
    if keys is None:
        os.environ.pop("WORKBENCH_KEYS")
    else:
        os.environ["WORKBENCH_KEYS"] = keys

    moved = [*kits, *sheets, *packages]
    start = time.perf_counter()
    for file in moved:
        shutil.copyfile(file, root / "copy.tmp")
    copying = time.perf_counter() - start
    total = sum(stages.values())
    print(f"round: {UNITS:,} units x {VISITS} evaluators of {EVALUATORS}; {settled} conflicts settled, "
          f"{issued} certificates")
    print(f"copying every kit, sheet and package once ({len(moved)} files): {copying:.2f} s")
    print(f"the whole round: {total:.0f} s ({total / copying:.0f}x the copy; aim under {AIM:.0f} s: "
          f"{'met' if total < AIM else 'missed'})")


if __name__ == "__main__":
    main()
