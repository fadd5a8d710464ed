"""The evaluation report of a unit (Laporan Hasil Evaluasi, with its Berita Acara) and the period recap."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm, mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, PageBreak, Paragraph, SimpleDocTemplate, Spacer, TableStyle

from reports import fonts, layout
from workbench.domain.values import indonesian_date
from workbench.results import UnitReport, UnitScore
from workbench.surveys import F03Result


def _bar(x: float, y: float, width: float, height: float, colour: colors.Color) -> Rect:
    bar = Rect(x, y, width, height)
    bar.fillColor, bar.strokeColor = colour, None
    return bar


def aspect_chart(report: UnitReport, width: float = 170 * mm) -> Drawing:
    """Horizontal bars of the six aspects on the 0-5 scale."""
    aspects = [a for a in report.instrument.aspects if a.weight > 0]
    row, label_width = 16, 62 * mm
    drawing = Drawing(width, row * len(aspects) + 18)
    plot = width - label_width - 30
    for tick in range(6):
        x = label_width + plot * tick / 5
        drawing.add(_bar(x, 12, 0.3, row * len(aspects), colors.lightgrey))
        drawing.add(String(x - 2, 2, str(tick), fontName=fonts.REGULAR, fontSize=7))
    for n, aspect in enumerate(reversed(aspects)):
        value = report.result.raw_aspects.get(aspect.code, 0.0)
        y = 14 + n * row
        drawing.add(String(0, y + 4, f"{aspect.code} {aspect.name}"[:40], fontName=fonts.REGULAR, fontSize=7.5))
        drawing.add(_bar(label_width, y + 2, plot * value / 5, row - 6, colors.HexColor("#2E75B6")))
        drawing.add(String(label_width + plot * value / 5 + 3, y + 4, layout.number(value), fontName=fonts.REGULAR,
                           fontSize=7.5))
    return drawing


def _f03_story(f03: Sequence[tuple[str, F03Result]], styles: dict[str, ParagraphStyle]) -> list:
    """The users' perception (F-03), reported beside the IPP: means per aspect, 0-5."""
    if not f03:
        return []
    rows: list[list[object]] = [["Formulir", "Responden", "I", "II", "III", "IV", "V", "Rata-rata"]]
    rows += [[form, str(r.respondents), *(layout.number(r.aspects.get(a)) for a in ("I", "II", "III", "IV", "V")),
              layout.number(r.mean)] for form, r in f03]
    return [CondPageBreak(4 * cm),
            Paragraph("Persepsi pengguna layanan (F-03) / Service users' perception", styles["h2"]),
            Paragraph("Rata-rata jawaban 0-5 per aspek; dilaporkan di samping IPP, tidak dihitung ke dalamnya.",
                      styles["small"]),
            layout.table(rows, (30 * mm, 22 * mm, *(16 * mm,) * 5, 24 * mm), styles)]


def _unit_story(report: UnitReport, styles: dict[str, ParagraphStyle], place_date: str, lead: str,
                f03: Sequence[tuple[str, F03Result]] = ()) -> list:
    r = report.result
    story: list = [
        Paragraph("LAPORAN HASIL EVALUASI KINERJA PENYELENGGARAAN PELAYANAN PUBLIK", styles["title"]),
        Paragraph(f"Periode {escape(report.period)} · {escape(report.instrument.name)}", styles["small"]),
        Spacer(1, 6),
        layout.table([["Unit", "Instansi", "IPP", "Kategori", "Peringkat"],
                [f"{r.name} ({r.unit})", r.institution, layout.number(r.ipp),
                 f"{r.category or '–'} · {r.label or ''}",
                 str(r.rank or "–")]], (58 * mm, 54 * mm, 16 * mm, 32 * mm, 20 * mm), styles),
        CondPageBreak(5 * cm),  # a heading never ends a page: with less room left it starts the next one
        Paragraph("Nilai per aspek / Aspect scores", styles["h2"]),
    ]
    aspect_rows: list[list[object]] = [["Aspek", "Bobot", "Nilai (0-5)", "Nilai tertimbang"]]
    for aspect in (a for a in report.instrument.aspects if a.weight > 0):
        aspect_rows.append([f"{aspect.code} {aspect.name}", f"{aspect.weight * 100:.0f}%",
                            layout.number(r.raw_aspects.get(aspect.code)),
                            layout.number(r.aspects.get(aspect.code))])
    story += [layout.table(aspect_rows, (90 * mm, 20 * mm, 30 * mm, 30 * mm), styles), Spacer(1, 6),
              aspect_chart(report),
              CondPageBreak(5 * cm),
              Paragraph("Nilai per indikator, catatan dan rekomendasi / Indicator scores, notes, recommendations",
                        styles["h2"])]
    rows: list[list[object]] = [["Kode", "Indikator", "Nilai", "Tingkat rubrik", "Catatan dan rekomendasi evaluator"]]
    for line in report.lines:
        remarks = " · ".join(f"{e}: {n}" + (f" (rekomendasi: {rec})" if rec else "") for e, n, rec in line.notes)
        rows.append([line.code, line.text, layout.number(line.score), line.level_text, remarks])
    story.append(layout.table(rows, (16 * mm, 50 * mm, 12 * mm, 48 * mm, 50 * mm), styles))
    story += _f03_story(f03, styles)
    story += [PageBreak(), Paragraph("BERITA ACARA HASIL EVALUASI", styles["title"]),
              Paragraph(f"Tim evaluator telah melaksanakan evaluasi atas {escape(r.name)} dengan hasil Indeks "
                        f"Pelayanan Publik {layout.number(r.ipp)} "
                        f"(kategori {r.category or '–'} {escape(r.label or '')}). "
                        f"{escape(place_date)}", styles["body"]), Spacer(1, 8)]
    signers = [(name, "Evaluator") for name in report.evaluators] + [(lead, "Ketua tim")]
    sign_rows: list[list[object]] = [["No", "Nama", "Peran", "Tanda tangan"]]
    sign_rows += [[str(n), name, role, ""] for n, (name, role) in enumerate(signers, start=1)]
    table = layout.table(sign_rows, (10 * mm, 70 * mm, 40 * mm, 56 * mm), styles)
    table.setStyle(TableStyle([("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white]),
                               ("BOTTOMPADDING", (0, 1), (-1, -1), 14)]))
    story.append(table)
    return story


def write_unit_report(report: UnitReport, out: str | Path, *, place: str = "Jakarta", on: str | None = None,
                      lead: str = "", f03: Sequence[tuple[str, F03Result]] = ()) -> Path:
    """The evaluation report of one unit as a PDF (A4 portrait, fonts embedded, text selectable), with its
    Berita Acara on a page of its own for the evaluators and the team lead (`lead`) to sign."""
    from datetime import date

    styles = layout.styles()
    out = Path(out)
    doc = SimpleDocTemplate(str(out), pagesize=A4, leftMargin=14 * mm, rightMargin=14 * mm, topMargin=14 * mm,
                            bottomMargin=14 * mm, title=f"Laporan Hasil Evaluasi {report.result.unit}",
                            author="Tim Evaluator")
    place_date = f"{place}, {indonesian_date(on or date.today().isoformat())}."
    doc.build(_unit_story(report, styles, place_date, lead, f03))
    return out


def write_recap(results: Sequence[UnitScore], period: str, out: str | Path) -> Path:
    """The period's ranking table as a PDF (A4 landscape)."""
    styles = layout.styles()
    out = Path(out)
    doc = SimpleDocTemplate(str(out), pagesize=landscape(A4), leftMargin=12 * mm, rightMargin=12 * mm,
                            topMargin=12 * mm, bottomMargin=12 * mm, title=f"Rekapitulasi {period}")
    aspects = list(results[0].aspects) if results else []
    aspects = [a for a in aspects if any(r.aspects.get(a) for r in results)]
    headers = ["#", "Kode", "Unit", "Instansi", *aspects, "IPP", "Kategori", "Predikat", "Dinilai"]
    rows: list[list[object]] = [list(headers)]
    rows += [[str(r.rank or "–"), r.unit, r.name, r.institution,
              *(layout.number(r.aspects.get(a)) for a in aspects),
              layout.number(r.ipp), r.category or "–", r.label or "", f"{r.scored}/{r.total}"] for r in results]
    widths = _fitted_widths(rows, doc.width, {headers.index("Unit"): 0.55, headers.index("Instansi"): 0.45})
    doc.build([Paragraph(f"REKAPITULASI HASIL EVALUASI · {escape(period)}", styles["title"]), Spacer(1, 6),
               layout.table(rows, widths, styles)])
    return out


def _fitted_widths(rows: list[list[object]], total: float, shares: dict[int, float]) -> list[float]:
    """Column widths that fill `total` exactly: each column as wide as the longest word in it (so that no
    word breaks, headers included), and the columns in `shares` dividing what is left."""
    padding = 14  # the cell's own padding, 6 points each side, and a little air
    widths = [max(stringWidth(word, fonts.BOLD, 7.5) for row in rows for word in str(row[n]).split() or [""])
              + padding for n in range(len(rows[0]))]
    rest = total - sum(w for n, w in enumerate(widths) if n not in shares)
    for column, share in shares.items():
        widths[column] = max(rest * share, 20 * mm)
    return widths
