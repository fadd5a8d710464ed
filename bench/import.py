"""A 100,000-row long-layout sheet imported end to end, beside python-calamine alone and openpyxl
(read-only) reading the same file in the same run; and the peak memory of each, measured in a fresh process."""

from __future__ import annotations

import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import openpyxl
from python_calamine import CalamineWorkbook

from workbench import Workbook
from workbench.domain.instrument import load

ROWS = 100_000
EVALUATORS = ("Ani", "Budi", "Citra")


def make_files(folder: Path) -> tuple[Path, Path]:
    """A database with enough units, and an xlsx of ROWS observations for it (both cached)."""
    db, sheet = folder / "import-base.sqlite", folder / "import-100k.xlsx"
    codes = [i.code for i in load("pekppp-2022-a").indicators]
    units = ROWS // len(codes) + 1
    if not db.exists():
        with Workbook.create(db, period="BENCH 2026") as wb, wb.transaction():
            for n in range(units):
                wb.registry.add_unit(f"UPP-{n:05d}", f"Unit layanan {n}", f"Instansi {n // 10}")
    if not sheet.exists():
        rng = random.Random(3)
        book = openpyxl.Workbook(write_only=True)
        page = book.create_sheet("Penilaian")
        page.append(["REKAP PENILAIAN (benchmark)"])
        page.append([])
        page.append(["Kode Unit", "Kode Indikator", "Nilai", "Penilai", "Catatan", "Rekomendasi", "Tanggal",
                     "Metode"])
        for n in range(ROWS):
            page.append([f"UPP-{n // len(codes):05d}", codes[n % len(codes)], rng.randint(0, 5),
                         EVALUATORS[n % 3], "Catatan pengamatan lapangan", "Perbaiki publikasi",
                         "8 Maret 2026" if n % 2 else 46089, "lapangan"])
        book.save(sheet)
    return db, sheet


def timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def fresh_copy(base: Path, target: Path) -> Path:
    for suffix in ("", "-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    shutil.copyfile(base, target)
    return target


def high_water_kb() -> int:
    """The process's peak resident memory so far. ru_maxrss would carry the parent's peak over fork and exec;
    Linux's VmHWM belongs to this process's own memory."""
    status = Path("/proc/self/status")
    if status.exists():
        return next(int(line.split()[1]) for line in status.read_text().splitlines() if line.startswith("VmHWM"))
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // (1024 if sys.platform == "darwin" else 1)


def peak(what: str, sheet: Path, target: Path) -> None:
    """In this (fresh) process: print how far the peak resident memory rose while doing `what`, in MB."""
    before = high_water_kb()
    if what == "calamine":
        rows = CalamineWorkbook.from_path(str(sheet)).get_sheet_by_index(0).to_python()
        assert len(rows) > ROWS
    else:
        with Workbook(target) as wb:
            assert wb.exchange.import_observations([sheet]).added == ROWS
    print((high_water_kb() - before) / 1024)


def peak_in_child(what: str, sheet: Path, target: Path) -> float:
    out = subprocess.run([sys.executable, __file__, "--peak", what, str(sheet), str(target)], check=True,
                         capture_output=True, text=True).stdout
    return float(out.split()[-1])


def main() -> None:
    folder = Path(tempfile.gettempdir()) / "workbench-bench"
    folder.mkdir(exist_ok=True)
    base, sheet = make_files(folder)
    calamine, rows = timed(lambda: CalamineWorkbook.from_path(str(sheet)).get_sheet_by_index(0).to_python())

    def read_openpyxl() -> int:
        book = openpyxl.load_workbook(sheet, read_only=True)
        return sum(1 for _ in book.worksheets[0].iter_rows(values_only=True))

    opx, _ = timed(read_openpyxl)
    target = fresh_copy(base, folder / "import-run.sqlite")
    with Workbook(target) as wb:
        ours, result = timed(lambda: wb.exchange.import_observations([sheet]))
        assert result.written and result.added == ROWS, (result.added, result.problems[:3])
        assert wb.maintenance.check() == []
    calamine_mb = peak_in_child("calamine", sheet, target)
    ours_mb = peak_in_child("workbench", sheet, fresh_copy(base, target))
    print(f"rows: {len(rows) - 3:,} (sheet {sheet.stat().st_size / 1e6:.1f} MB)")
    print(f"python-calamine alone, reading the sheet: {calamine:.2f} s")
    print(f"openpyxl read-only, reading the sheet: {opx:.2f} s")
    print(f"workbench import end to end (read, check, merge, audit, commit): {ours:.2f} s")
    print(f"ratio workbench / calamine alone: {ours / calamine:.2f}x (aim <= 2.0x)")
    print(f"ratio openpyxl / workbench: {opx / ours:.1f}x faster than openpyxl reading alone (aim >= 10x)")
    print(f"peak memory added: workbench import {ours_mb:.0f} MB, calamine reading alone {calamine_mb:.0f} MB, "
          f"ratio {ours_mb / calamine_mb:.2f}x (aim <= 1.5x)")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--peak"]:
        peak(sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]))
    else:
        main()
