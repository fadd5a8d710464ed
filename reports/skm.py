"""The SKM report of a unit, in the layout offices publish: who was surveyed and how many, the respondents'
profile, the IKM table per unsur, the quality of service, and the lowest-scoring unsur with what the
evaluators recommend."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm, mm
from reportlab.platypus import CondPageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from reports import fonts, layout
from workbench.domain.instrument import SkmInstrument
from workbench.domain.respondents import profile_counts
from workbench.domain.scoring import SkmResult
from workbench.domain.values import indonesian_date


@dataclass(frozen=True)
class SkmReport:
    """Everything the SKM report of one unit prints."""

    unit: str
    unit_name: str
    institution: str
    period: str
    instrument: SkmInstrument
    result: SkmResult
    population: int | None
    sample: int | None
    profiles: list[dict[str, str]]
    recommendations: list[tuple[str, str]] = field(default_factory=list)  # (evaluator, recommendation)


def _bars(counts: Counter[str], total: int, width: float = 80 * mm) -> Drawing:
    """A small horizontal bar chart of shares."""
    row = 12
    drawing = Drawing(width, row * len(counts) + 4)
    label_width = 34 * mm
    for n, (label, count) in enumerate(counts.items()):  # in the order profile_counts gives
        y = drawing.height - (n + 1) * row
        drawing.add(String(0, y + 3, label[:22], fontName=fonts.REGULAR, fontSize=7))
        bar = Rect(label_width, y + 2, (width - label_width - 24) * count / max(total, 1), row - 4)
        bar.fillColor, bar.strokeColor = colors.HexColor("#2E75B6"), None
        drawing.add(bar)
        drawing.add(String(label_width + (width - label_width - 24) * count / max(total, 1) + 3, y + 3,
                           f"{100 * count / max(total, 1):.0f}%", fontName=fonts.REGULAR, fontSize=7))
    return drawing


def write_skm_report(report: SkmReport, out: str | Path, *, place: str = "Jakarta", on: str | None = None) -> Path:
    """The unit's SKM report as a PDF (A4 portrait, fonts embedded, text selectable)."""
    from datetime import date

    styles = layout.styles()
    out = Path(out)
    doc = SimpleDocTemplate(str(out), pagesize=A4, leftMargin=16 * mm, rightMargin=16 * mm, topMargin=16 * mm,
                            bottomMargin=16 * mm, title=f"Laporan SKM {report.unit}", author="Tim Evaluator")
    r, inst = report.result, report.instrument
    band = r.band
    assert band is not None and r.ikm is not None, "an incomplete index has no report (usecases.reports.skm_report)"
    names = {u.key: u.name for u in inst.unsur}
    lowest = r.lowest
    story: list = [
        Paragraph("LAPORAN SURVEI KEPUASAN MASYARAKAT", styles["title"]),
        Paragraph(f"{escape(report.unit_name)} ({escape(report.unit)}) · {escape(report.institution)}",
                  styles["body"]),
        Paragraph(f"Periode {escape(report.period)} · {escape(inst.name)}", styles["small"]), Spacer(1, 6),
        layout.table([["Responden", "Populasi", "Sampel (Krejcie-Morgan)", "IKM", "Mutu pelayanan", "Kinerja unit"],
                      [str(r.respondents), str(report.population or "–"), str(report.sample or "–"),
                       layout.number(r.nik), band.code, band.label]],
                     (24 * mm, 24 * mm, 38 * mm, 20 * mm, 30 * mm, 42 * mm), styles)]
    if report.sample and r.respondents < report.sample:
        story.append(Paragraph(
            f"<b>Catatan:</b> {r.respondents} responden, belum mencapai sampel {report.sample}; IKM ini belum "
            f"mewakili pengguna layanan unit. / <i>Note: {r.respondents} respondents, short of the sample of "
            f"{report.sample}; this IKM does not yet represent the unit's service users.</i>", styles["body"]))
    story += [CondPageBreak(5 * cm), Paragraph("Profil responden / Respondents", styles["h2"])]
    labels = {"jenis_kelamin": "Jenis kelamin", "usia": "Usia", "pendidikan": "Pendidikan", "pekerjaan": "Pekerjaan"}
    for key, counts in profile_counts(report.profiles).items():
        rows: list[list[object]] = [[labels[key], "Jumlah", "Persen"]]
        rows += [[value, str(count), f"{100 * count / len(report.profiles):.0f}%"]
                 for value, count in counts.items()]
        beside = Table([[layout.table(rows, (46 * mm, 18 * mm, 18 * mm), styles),
                         _bars(counts, len(report.profiles))]], colWidths=(88 * mm, 90 * mm), hAlign="LEFT")
        beside.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
        story += [beside, Spacer(1, 6)]
    story += [CondPageBreak(6 * cm), Paragraph("Nilai per unsur / Score per element", styles["h2"])]
    rows = [["No", "Unsur", "NRR", "Bobot", "NRR tertimbang"]]
    rows += [[str(n), names[key], f"{r.nrr[key]:.3f}".replace(".", ","), f"{r.weight:.4f}".replace(".", ","),
              f"{r.nrr[key] * r.weight:.4f}".replace(".", ",")] for n, key in enumerate(r.nrr, start=1)]
    rows.append(["", "IKM (skala 1-4)", "", "", f"{r.ikm:.4f}".replace(".", ",")])
    rows.append(["", "IKM unit (x 25)", "", "", layout.number(r.nik)])
    story += [layout.table(rows, (10 * mm, 82 * mm, 22 * mm, 22 * mm, 32 * mm), styles),
              Spacer(1, 8), CondPageBreak(3 * cm),
              Paragraph("Unsur terendah dan rekomendasi / Lowest element and recommendations", styles["h2"]),
              Paragraph(f"Unsur dengan nilai terendah: <b>{escape(', '.join(names[k] for k in lowest))}</b> (NRR "
                        f"{r.nrr[lowest[0]]:.2f}".replace(".", ",") + "). Mutu pelayanan "
                        f"{band.code} ({escape(band.label)}).", styles["body"])]
    if report.recommendations:
        story += [Paragraph(f"{escape(who)}: {escape(text)}", styles["body"]) for who, text in report.recommendations]
    else:
        story.append(Paragraph("Belum ada rekomendasi evaluator untuk unsur ini.", styles["body"]))
    story += [Spacer(1, 10), Paragraph(f"{escape(place)}, {indonesian_date(on or date.today().isoformat())}",
                                       styles["body"])]
    doc.build(story)
    return out
