"""Paper questionnaires to print: the SKM form of PermenPAN-RB 14/2017 (the respondent's profile, then the nine
elements with their four answers) and the F-03 user-perception forms (each item on the 0-5 scale), one A4
page per sheet, with the sheet's serial number and a barcode of its code that a USB scanner types into the
Survei grid. Large tick boxes, black on white, 1.2 cm margins: they print and photocopy well."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from reports import fonts
from workbench.domain.instrument import Questionnaire, SkmInstrument

MARGIN = 12 * mm
BOX = 4.6 * mm  # a tick box: big enough for a pen's tick on a photocopy
# the form handed to a citizen is in Indonesian only
TITLES = {"skm": ("KUESIONER SURVEI KEPUASAN MASYARAKAT", "Sesuai PermenPAN-RB Nomor 14 Tahun 2017"),
          "f03a": ("FORMULIR F-03 A · PERSEPSI PENGGUNA LAYANAN (LURING)", "Sesuai PermenPAN-RB Nomor 29 Tahun 2022"),
          "f03b": ("FORMULIR F-03 B · PERSEPSI PENGGUNA LAYANAN (DARING)", "Sesuai PermenPAN-RB Nomor 29 Tahun 2022")}
# the respondent's profile as 14/2017 asks it, in the order the Survei grid types it: choices are ticked,
# the others written on a line
PROFILE = (("Jenis kelamin", ("Laki-laki", "Perempuan")), ("Usia (tahun)", ()),
           ("Pendidikan", ("SD", "SMP", "SMA", "D1-D3", "D4/S1", "S2", "S3")),
           ("Pekerjaan", ("PNS", "TNI", "POLRI", "Swasta", "Wirausaha", "Lainnya")),
           ("Jenis layanan yang diterima", ()))


@dataclass(frozen=True)
class FormPage:
    """What one printed sheet says about itself: its serial, the code its barcode holds, and whose it is."""

    serial: int
    code: str
    unit: str
    unit_name: str
    institution: str
    period: str


def write_forms(pages: Sequence[FormPage], form: str, instrument: Questionnaire, out: str | Path) -> Path:
    """One page per sheet in a PDF at `out` (fonts embedded, text selectable). What every sheet of the batch
    says alike (the unit, the questions, the boxes) is drawn once, as a form the pages share; each page adds
    its number and code."""
    fonts.register()
    out = Path(out)
    canvas = Canvas(str(out), pagesize=A4, pageCompression=1)
    canvas.setTitle(f"{TITLES[form][0]} · {pages[0].unit if pages else ''}")
    canvas.setAuthor("Meja Kerja Evaluasi Pelayanan Publik")
    if pages:
        canvas.beginForm("questionnaire")
        _fixed(canvas, pages[0], form, instrument)
        canvas.endForm()
    for page in pages:
        canvas.doForm("questionnaire")
        _numbered(canvas, page)
        canvas.showPage()
    canvas.save()
    return out


def _barcode(code: str) -> Code128:
    return Code128(code, barHeight=9 * mm, barWidth=0.8, humanReadable=False, quiet=False)


def _numbered(canvas: Canvas, page: FormPage) -> None:
    """The serial to read and the code to scan, top right, and the code again at the foot."""
    width, top = A4[0], A4[1] - MARGIN
    canvas.setFont(fonts.BOLD, 16)
    canvas.drawRightString(width - MARGIN, top - 16, f"No. {page.serial:04d}")
    barcode = _barcode(page.code)
    barcode.drawOn(canvas, width - MARGIN - barcode.width, top - 32 - 9 * mm)
    canvas.setFont(fonts.REGULAR, 7)
    canvas.drawRightString(width - MARGIN, top - 40 - 9 * mm, page.code)
    canvas.setFont(fonts.REGULAR, 7.5)
    canvas.drawRightString(width - MARGIN, MARGIN, f"Lembar {page.code}")


def _fixed(canvas: Canvas, page: FormPage, form: str, inst: Questionnaire) -> None:
    """Everything but the number: title, unit, period, instructions, the questions and their boxes."""
    width, height = A4
    top = height - MARGIN
    title, subtitle = TITLES[form]
    canvas.setFont(fonts.BOLD, 12)
    canvas.drawString(MARGIN, top - 12, title)
    canvas.setFont(fonts.REGULAR, 8)
    canvas.drawString(MARGIN, top - 23, subtitle)
    room = width - 2 * MARGIN - _barcode(page.code).width - 6 * mm  # the unit's name keeps clear of the code
    canvas.setFont(fonts.REGULAR, 9)
    canvas.drawString(MARGIN, top - 37, "Unit: " + _fit(f"{page.unit_name} ({page.unit})", fonts.REGULAR, 9, room))
    canvas.drawString(MARGIN, top - 49, "Instansi: " + _fit(page.institution, fonts.REGULAR, 9, room))
    canvas.drawString(MARGIN, top - 61, f"Periode: {page.period}")
    canvas.setLineWidth(0.8)
    canvas.line(MARGIN, top - 70, width - MARGIN, top - 70)
    y = top - 84
    canvas.setFont(fonts.REGULAR, 8.5)
    canvas.drawString(MARGIN, y, "Beri tanda centang atau silang (X) pada satu kotak untuk setiap pertanyaan.")
    y -= 16
    if isinstance(inst, SkmInstrument):
        y = _profile(canvas, y)
        _skm_items(canvas, inst, y)
    else:
        _scale_items(canvas, inst, y)
    canvas.setFont(fonts.REGULAR, 7.5)
    canvas.drawString(MARGIN, MARGIN, "Terima kasih atas kesediaan Anda mengisi kuesioner ini.")


def _profile(canvas: Canvas, y: float) -> float:
    canvas.setFont(fonts.BOLD, 9.5)
    canvas.drawString(MARGIN, y, "PROFIL RESPONDEN")
    y -= 16
    canvas.setFont(fonts.REGULAR, 9)
    for label, choices in PROFILE:
        canvas.drawString(MARGIN, y, label)
        x = MARGIN + (30 if choices else 45) * mm
        for choice in choices:
            _box(canvas, x, y)
            canvas.drawString(x + BOX + 1.5 * mm, y, choice)
            x += BOX + 5 * mm + stringWidth(choice, fonts.REGULAR, 9)
        if not choices:  # written on a dotted line
            canvas.setDash(1, 2)
            canvas.line(x, y - 1, A4[0] - MARGIN, y - 1)
            canvas.setDash()
        y -= 20
    return y - 6


def _skm_items(canvas: Canvas, inst: SkmInstrument, y: float) -> None:
    canvas.setFont(fonts.BOLD, 9.5)
    canvas.drawString(MARGIN, y, "PENDAPAT RESPONDEN TENTANG PELAYANAN")
    y -= 17
    width = A4[0] - 2 * MARGIN
    column = width / len(inst.unsur[0].options) if inst.unsur else width
    for n, item in enumerate(inst.unsur, start=1):
        canvas.setFont(fonts.BOLD, 9.5)
        for line in _lines(f"{n}. {item.question or item.name}", fonts.BOLD, 9.5, width):
            canvas.drawString(MARGIN, y, line)
            y -= 12
        y -= 7  # the boxes below keep clear of the question's descenders
        labels = [_lines(f"{chr(97 + k)}. {o}", fonts.REGULAR, 9, column - BOX - 4 * mm)[:2]
                  for k, o in enumerate(item.options)]
        canvas.setFont(fonts.REGULAR, 9)
        for k, label in enumerate(labels):
            x = MARGIN + 3 * mm + k * column
            _box(canvas, x, y)
            for m, line in enumerate(label):
                canvas.drawString(x + BOX + 1.5 * mm, y + 1 - m * 10.5, line)
        y -= 10.5 * max(len(label) for label in labels) + 13


def _scale_items(canvas: Canvas, inst: Questionnaire, y: float) -> None:
    scale = list(range(inst.scale_min, inst.scale_max + 1))
    step = BOX + 3.5 * mm
    left = A4[0] - MARGIN - len(scale) * step + 3.5 * mm  # the first box column
    text_width = left - MARGIN - 6 * mm
    canvas.setFont(fonts.BOLD, 9)
    canvas.drawString(MARGIN, y, f"Butir (nilai {scale[0]} terendah, {scale[-1]} tertinggi)")
    for k, value in enumerate(scale):
        canvas.drawCentredString(left + k * step + BOX / 2, y, str(value))
    y -= 20
    for item in inst.unsur:
        lines = _lines(f"{item.key}  {item.question or item.name}", fonts.REGULAR, 9.5, text_width)
        canvas.setFont(fonts.REGULAR, 9.5)
        for n, line in enumerate(lines):
            canvas.drawString(MARGIN, y - n * 11.5, line)
        for k in range(len(scale)):
            _box(canvas, left + k * step, y)
        y -= max(len(lines) * 11.5, BOX) + 13


def _box(canvas: Canvas, x: float, y: float) -> None:
    """A tick box standing on the text line at `y` (its bottom a little below the baseline)."""
    canvas.setLineWidth(1)
    canvas.rect(x, y - 2.5, BOX, BOX, stroke=1, fill=0)


def _fit(text: str, font: str, size: float, width: float) -> str:
    """`text` cut with an ellipsis to fit `width` points."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def _lines(text: str, font: str, size: float, width: float) -> list[str]:
    """`text` wrapped at spaces into lines of at most `width` points."""
    lines: list[str] = []
    for word in text.split():
        if lines and stringWidth(f"{lines[-1]} {word}", font, size) <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines or [""]
