"""100,000 SKM questionnaires imported end to end (read, check, store as one batch, audit, commit), from an
xlsx beside python-calamine reading the same file, and from a CSV beside the csv module reading it, in the
same run."""

from __future__ import annotations

import csv
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import openpyxl
from python_calamine import CalamineWorkbook

from workbench import Workbook

ROWS = 100_000
UNITS = 200


def make_files(folder: Path) -> tuple[Path, Path, Path]:
    """A database with the units, and the same questionnaires as xlsx and as CSV (all cached)."""
    db, sheet, text = folder / "survey-base.sqlite", folder / "survey-100k.xlsx", folder / "survey-100k.csv"
    if not db.exists():
        with Workbook.create(db, period="BENCH 2026") as wb, wb.transaction():
            for n in range(UNITS):
                wb.registry.add_unit(f"UPP-{n:03d}", f"Unit layanan {n}", f"Instansi {n // 10}")
    rng = random.Random(7)
    rows = [[f"UPP-{n % UNITS:03d}", "L" if n % 2 else "P", 18 + n % 60, *(rng.randint(1, 4) for _ in range(9))]
            for n in range(ROWS)]
    header = ["kode_unit", "jenis kelamin", "usia", *(f"U{n}" for n in range(1, 10))]
    if not sheet.exists():
        book = openpyxl.Workbook(write_only=True)
        page = book.create_sheet("SKM")
        page.append(header)
        for row in rows:
            page.append(row)
        book.save(sheet)
    if not text.exists():
        with text.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, delimiter=";")
            writer.writerow(header)
            writer.writerows(rows)
    return db, sheet, text


def timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def imported(base: Path, path: Path) -> float:
    target = base.with_name("survey-run.sqlite")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(base, target)
    with Workbook(target) as wb:
        start = time.perf_counter()
        result = wb.exchange.import_survey(path)
        seconds = time.perf_counter() - start
    assert result.written and result.added == ROWS, result.problems[:3]
    return seconds


def main() -> None:
    folder = Path(tempfile.gettempdir()) / "workbench-bench"
    folder.mkdir(exist_ok=True)
    base, sheet, text = make_files(folder)
    calamine, _ = timed(lambda: CalamineWorkbook.from_path(str(sheet)).get_sheet_by_index(0).to_python())
    reader, _ = timed(lambda: list(csv.reader(text.open(encoding="utf-8"), delimiter=";")))
    from_sheet, from_text = imported(base, sheet), imported(base, text)
    print(f"questionnaires: {ROWS:,} SKM forms of 9 answers, {UNITS} units")
    print(f"python-calamine alone, reading the xlsx: {calamine:.2f} s")
    print(f"workbench survey import of the xlsx end to end: {from_sheet:.2f} s")
    print(f"ratio workbench / calamine: {from_sheet / calamine:.2f}x (aim <= 2x)")
    print(f"csv module alone, reading the CSV: {reader:.2f} s")
    print(f"workbench survey import of the CSV end to end: {from_text:.2f} s")
    print(f"ratio workbench / csv module: {from_text / reader:.2f}x (aim <= 2x)")


if __name__ == "__main__":
    main()
