"""Evaluation reports as PDFs: one per unit (with its Berita Acara), the period's recap, and a unit's SKM report."""

from __future__ import annotations

from pathlib import Path

from reports.evaluation import write_recap, write_unit_report
from reports.skm import SkmReport, write_skm_report
from workbench.domain.instrument import SkmInstrument
from workbench.domain.values import file_name_part
from workbench.errors import WorkbenchError
from workbench.progress import CancelToken, ProgressCallback, report
from workbench.surveys import Sheet
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
    perception = {name: {r.unit: r for r in wb.surveys.f03_results(p.name, form=form)}
                  for form, name in (("f03a", "F-03 A"), ("f03b", "F-03 B"))}
    written = []
    for n, code in enumerate(codes):
        if cancel:
            cancel.check()
        target = out / f"laporan-{file_name_part(code)}.pdf"
        f03 = [(name, by_unit[code]) for name, by_unit in perception.items() if code in by_unit]
        written.append(write_unit_report(wb.results.unit_report(code, p.name), target, place=settings.place,
                                         on=settings.issued_on or None, lead=lead, f03=f03))
        report(progress, n + 1, len(codes), code)
    written.append(write_recap(results, p.name, out / "rekapitulasi.pdf"))
    return written


def skm_report(wb: Workbook, unit: str, period: str | None = None) -> SkmReport:
    """What a unit's SKM report prints, from its stored questionnaires; the evaluators' recommendations on
    the indicators about the survey are carried to the lowest-scoring element."""
    p = wb.registry.period(period)
    found = wb.registry.unit(unit)
    result = wb.surveys.results(p.name).get(found.code)
    if result is None:
        raise WorkbenchError("Unit {unit} belum punya kuesioner SKM di periode {period}", unit=found.code,
                             period=p.name)
    if not result.complete:
        raise WorkbenchError("IKM unit {unit} belum lengkap: unsur {missing} belum dijawab responden mana pun",
                             unit=found.code, missing=", ".join(result.missing))
    inst = wb.surveys.instrument("skm")
    assert isinstance(inst, SkmInstrument)
    status = next(s for s in wb.surveys.status(p.name) if s.unit == found.code)
    about_survey = {i.code for i in wb.registry.scored_instrument(p).indicators
                    if "SKM" in i.text or "Survei Kepuasan" in i.text}
    recommendations = [(o.evaluator, o.recommendation) for o in wb.observations.find(period=p.name, unit=found.code)
                       if o.indicator in about_survey and o.recommendation]
    return SkmReport(found.code, found.name, found.institution, p.name, inst, result, status.population,
                     status.sample, [r.profile for r in wb.surveys.respondents(unit=found.code, form="skm",
                                                                               period=p.name)], recommendations)


def write_skm(wb: Workbook, unit: str, out: str | Path, *, period: str | None = None) -> Path:
    """A unit's SKM report as a PDF at `out`."""
    settings = wb.certificates.settings(period)
    return write_skm_report(skm_report(wb, unit, period), out, place=settings.place, on=settings.issued_on or None)


def write_forms(wb: Workbook, unit: str, out: str | Path, *, form: str = "skm", count: int,
                period: str | None = None) -> list[Sheet]:
    """Number `count` new paper questionnaires for the unit and print them into one PDF at `out`; the sheets
    are kept only when the PDF is written (one transaction)."""
    from reports.survey_forms import FormPage
    from reports.survey_forms import write_forms as draw

    p = wb.registry.period(period)
    found = wb.registry.unit(unit)
    with wb.transaction():
        sheets = wb.surveys.print_sheets(found.code, form=form, count=count, period=p.name)
        draw([FormPage(s.serial, s.code, found.code, found.name, found.institution, p.name) for s in sheets], form,
             wb.surveys.instrument(form), out)
    return sheets
