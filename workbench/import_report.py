"""The import report as text lines, JSON-ready data, or a CSV/xlsx file of every problem."""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import Workbook as XlsxWorkbook

from workbench.imports import ImportReport
from workbench.xlsx import header, write_rows

PROBLEM_COLUMNS = ("berkas/file", "lembar/sheet", "baris/row", "kolom/column", "nilai/value", "alasan/reason")


def problem_rows(result: ImportReport) -> list[tuple[object, ...]]:
    return [(p.location.file, p.location.sheet, p.location.row, p.location.column, p.value, p.reason)
            for p in result.problems]


def write_problem_report(result: ImportReport, out: str | Path) -> Path:
    """Every problem as a row of a .csv or .xlsx file (by the file's suffix)."""
    out = Path(out)
    rows = problem_rows(result)
    if out.suffix.lower() == ".csv":
        with out.open("w", newline="", encoding="utf-8-sig") as handle:  # the BOM makes Excel read UTF-8
            writer = csv.writer(handle)
            writer.writerow(PROBLEM_COLUMNS)
            writer.writerows(rows)
        return out
    book = XlsxWorkbook()
    sheet = book.active
    sheet.title = "Masalah"
    header(sheet, PROBLEM_COLUMNS, (28, 16, 10, 24, 20, 70))
    write_rows(sheet, rows, start=2)
    book.save(out)
    return out


def as_data(result: ImportReport) -> dict:
    """The report as plain data for --json."""
    return {"written": result.written, "dry_run": result.dry_run, "added": result.added, "updated": result.updated,
            "unchanged": result.unchanged, "skipped_rows": result.skipped_rows, "conflicts": result.conflicts,
            "files": [{"file": f.name, "sha256": f.sha256, "sheet": f.sheet, "layout": f.layout, "period": f.period,
                       "rows": len(f.rows), "already_imported": f.already_imported,
                       "problems": len(f.problems)} for f in result.files],
            "problems": [dict(zip(("file", "sheet", "row", "column", "value", "reason"), row, strict=True))
                         for row in problem_rows(result)],
            "agreement": result.agreement}


def summary_lines(result: ImportReport) -> list[str]:
    """Human lines for the console: one per file, then the totals."""
    lines = []
    for f in result.files:
        state = ("sudah pernah diimpor, tidak ada yang ditambahkan / already imported, nothing added"
                 if f.already_imported else f"{len(f.rows)} baris/rows, {len(f.problems)} masalah/problems")
        lines.append(f"{f.name} [{f.sheet}, {f.layout}]: {state}")
    verb = "uji coba, tidak disimpan / dry run, nothing saved" if result.dry_run else (
        "disimpan / saved" if result.written else "TIDAK disimpan / NOT saved")
    lines.append(f"{result.added} baru/added, {result.updated} diperbarui/updated, {result.unchanged} sama/unchanged, "
                 f"{result.skipped_rows} baris dilewati/rows skipped; {verb}")
    if result.written:
        lines.append(f"konflik terbuka / open conflicts: {result.conflicts}")
    return lines
