"""Evaluation reports as PDFs: one per unit (with its Berita Acara) and the period's recap."""

from __future__ import annotations

from pathlib import Path

from reports.evaluation import write_recap, write_unit_report
from workbench.domain.values import file_name_part
from workbench.progress import CancelToken, ProgressCallback, report
from workbench.workbook import Workbook


def write_reports(wb: Workbook, out_dir: str | Path, *, units: list[str] | None = None, period: str | None = None,
                  progress: ProgressCallback | None = None, cancel: CancelToken | None = None) -> list[Path]:
    """A report per unit (the given codes, or every scored unit) and `rekapitulasi.pdf`; returns the paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    p = wb.registry.period(period)
    settings = wb.certificates.settings(p.name)
    results = wb.results.scores(p.name)
    codes = [wb.registry.unit(c).code for c in units] if units else [r.unit for r in results if r.ipp is not None]
    lead = wb.settings.get("owner") if wb.settings.get("owner_role") == "lead" else ""
    written = []
    for n, code in enumerate(codes):
        if cancel:
            cancel.check()
        target = out / f"laporan-{file_name_part(code)}.pdf"
        written.append(write_unit_report(wb.results.unit_report(code, p.name), target, place=settings.place,
                                         on=settings.issued_on or None, lead=lead))
        report(progress, n + 1, len(codes), code)
    written.append(write_recap(results, p.name, out / "rekapitulasi.pdf"))
    return written
