"""A 100,000-row long-layout sheet imported end to end, beside python-calamine alone and openpyxl
(read-only) reading the same file in the same run."""

from __future__ import annotations

import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import openpyxl  # noqa: E402
from python_calamine import CalamineWorkbook  # noqa: E402

from workbench import Workbook  # noqa: E402
from workbench.domain.instrument import load  # noqa: E402

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


def main() -> None:
    folder = Path(tempfile.gettempdir()) / "workbench-bench"
    folder.mkdir(exist_ok=True)
    base, sheet = make_files(folder)
    calamine, rows = timed(lambda: CalamineWorkbook.from_path(str(sheet)).get_sheet_by_index(0).to_python())

    def read_openpyxl() -> int:
        book = openpyxl.load_workbook(sheet, read_only=True)
        return sum(1 for _ in book.worksheets[0].iter_rows(values_only=True))

    opx, _ = timed(read_openpyxl)
    target = folder / "import-run.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    shutil.copyfile(base, target)
    with Workbook(target) as wb:
        ours, result = timed(lambda: wb.exchange.import_observations([sheet]))
        assert result.written and result.added == ROWS, (result.added, result.problems[:3])
        assert wb.maintenance.check() == []
    print(f"rows: {len(rows) - 3:,} (sheet {sheet.stat().st_size / 1e6:.1f} MB)")
    print(f"python-calamine alone, reading the sheet: {calamine:.2f} s")
    print(f"openpyxl read-only, reading the sheet: {opx:.2f} s")
    print(f"workbench import end to end (read, check, merge, audit, commit): {ours:.2f} s")
    print(f"ratio workbench / calamine alone: {ours / calamine:.2f}x (aim <= 2x)")
    print(f"ratio openpyxl / workbench: {opx / ours:.1f}x faster than openpyxl reading alone (aim >= 8x)")


if __name__ == "__main__":
    main()
