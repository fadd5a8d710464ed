"""What an import found and did: as text lines, JSON-ready data, or a CSV/xlsx file of every problem."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.errors import Problem
from workbench.exchange.cells import csv_safe
from workbench.exchange.observation_sheets import FileCheck
from workbench.i18n import N_, tr
from workbench.observations import MergeCounts

PROBLEM_COLUMNS = (N_("berkas"), N_("lembar"), N_("baris"), N_("kolom"), N_("nilai"), N_("alasan"))
# how a file was read, as a person calls it (FileCheck.layout)
LAYOUT_NAMES = {"template": N_("templat evaluator"), "long": N_("satu baris per nilai"),
                "wide": N_("satu kolom per indikator"), "package": N_("paket")}


@dataclass
class ImportReport:
    """What an import found and did; `written` is False after a dry run or when problems stopped it."""

    files: list[FileCheck]
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    written: bool = False
    dry_run: bool = False
    skipped_rows: int = 0
    conflicts: int = 0
    agreement: dict[str, float | None] = field(default_factory=dict)
    units: set[str] = field(default_factory=set)  # units whose observations were added or changed
    older: int = 0  # observations of packages older than what is here: left as they are
    conflicted: int = 0  # other content under a version merged before: kept aside for the lead
    notes: list[str] = field(default_factory=list)  # what a person should know: keys accepted, late packages

    @property
    def problems(self) -> list[Problem]:
        return [p for f in self.files for p in f.problems]

    def add(self, counts: MergeCounts | ImportReport) -> None:
        """Count in what one merge (or another report) did."""
        self.added += counts.added
        self.updated += counts.updated
        self.unchanged += counts.unchanged
        self.older += counts.older
        self.conflicted += counts.conflicted
        self.units |= counts.units
        if isinstance(counts, ImportReport):
            self.skipped_rows += counts.skipped_rows
            self.notes += counts.notes


def problem_rows(result: ImportReport) -> list[tuple[object, ...]]:
    """One row per problem: file, sheet, row, column, value, reason."""
    return [(p.location.file, p.location.sheet, p.location.row, p.location.column, p.value, p.reason)
            for p in result.problems]


def write_problem_report(result: ImportReport, out: str | Path) -> Path:
    """Every problem as a row of a .csv or .xlsx file (by the file's suffix); text never becomes a formula."""
    out = Path(out)
    headers = [tr(c) for c in PROBLEM_COLUMNS]
    rows = problem_rows(result)
    if out.suffix.lower() == ".csv":
        with out.open("w", newline="", encoding="utf-8-sig") as handle:  # the BOM makes Excel read UTF-8
            writer = csv.writer(handle)
            writer.writerow(headers)
            writer.writerows([csv_safe(v) for v in row] for row in rows)
        return out
    from openpyxl import Workbook as XlsxWorkbook

    from workbench.exchange.xlsx import header, printable, write_rows

    book = XlsxWorkbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = tr("Masalah")
    header(sheet, headers, (28, 16, 10, 24, 20, 70))
    write_rows(sheet, rows, start=2)
    printable(sheet, title=tr("Laporan masalah impor"))
    book.save(out)
    return out


def as_data(result: ImportReport) -> dict[str, Any]:
    """The report as plain data for --json."""
    return {"written": result.written, "dry_run": result.dry_run, "added": result.added, "updated": result.updated,
            "unchanged": result.unchanged, "skipped_rows": result.skipped_rows, "conflicts": result.conflicts,
            "older": result.older, "conflicted": result.conflicted, "notes": result.notes,
            "files": [{"file": f.name, "sha256": f.sha256, "sheet": f.sheet, "layout": f.layout, "period": f.period,
                       "rows": len(f.rows), "already_imported": f.already_imported,
                       "problems": len(f.problems)} for f in result.files],
            "problems": [dict(zip(("file", "sheet", "row", "column", "value", "reason"), row, strict=True))
                         for row in problem_rows(result)],
            "agreement": result.agreement}


def summary_lines(result: ImportReport) -> list[str]:
    """Lines for a person: one per file, then the totals, in the current language."""
    lines = []
    for f in result.files:
        state = (tr("sudah pernah diimpor, tidak ada yang ditambahkan") if f.already_imported
                 else tr("{rows} baris, {problems} masalah", rows=len(f.rows), problems=len(f.problems)))
        how = ", ".join(p for p in (f.sheet, tr(LAYOUT_NAMES[f.layout]) if f.layout in LAYOUT_NAMES else f.layout) if p)
        lines.append(f"{f.name} ({how}): {state}" if how else f"{f.name}: {state}")
    verb = (tr("uji coba, tidak disimpan") if result.dry_run
            else tr("disimpan") if result.written else tr("TIDAK disimpan"))
    lines.append(tr("{added} baru, {updated} diperbarui, {unchanged} sama, {skipped} baris dilewati; {verb}",
                    added=result.added, updated=result.updated, unchanged=result.unchanged,
                    skipped=result.skipped_rows, verb=verb))
    if result.older:
        lines.append(tr("{count} lebih lama dari yang ada, dibiarkan", count=result.older))
    if result.conflicted:
        lines.append(tr("{count} versi bersaing dengan yang ada: menunggu keputusan ketua tim (workbench conflicts)",
                        count=result.conflicted))
    lines += result.notes
    if result.written:
        lines.append(tr("konflik terbuka: {count}", count=result.conflicts))
    return lines
