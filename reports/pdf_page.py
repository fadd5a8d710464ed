"""Reading a certificate's page as a person sees it, using pdfium: each run of text with its size and place,
why a run cannot be seen (invisible, transparent, white, tiny, off the page, clipped or covered), and whether
the page, rendered, shows the very letters a reader of its text gets and the QR code of its token.

The last test matters because a PDF's text and its drawing can be made to differ (a font whose character
map lies, /ActualText, layers switched off, soft masks): the workbench redraws every run of text it read,
with its own fonts at the same place, and the QR code of the token, and compares the two renderings.
"""

from __future__ import annotations

import ctypes
import io
import math
import threading
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as raw
from PIL import Image, ImageChops
from reportlab.pdfgen.canvas import Canvas

from reports import fonts
from reports.qr import draw_qr
from workbench.certificates.printed import PrintedPage, PrintedText
from workbench.errors import WorkbenchError
from workbench.i18n import tr

Box = tuple[float, float, float, float]
MIN_SIZE = 3.0  # points; smaller text cannot be read on paper (the token is printed at 4.2)
WHITE = 235  # each of r, g, b at least this on a 0-255 scale reads as white on white paper
FONTS = {"BitstreamVeraSans-Roman": fonts.REGULAR, "BitstreamVeraSans-Bold": fonts.BOLD,
         "BitstreamVeraSans-Oblique": fonts.ITALIC}  # the fonts the workbench embeds, by their PDF names
SCALE = 3  # pixels per point when the page is rendered for the comparison
TOLERANCE = 12  # pixels that may differ in a run (a genuine page redraws to the very same pixels: 0)


@dataclass
class _Run:
    """A run of text as pdfium reads it, with what it takes to draw it again."""

    text: str
    size: float  # as drawn, in points
    font_size: float  # as set in the PDF, before its matrix
    matrix: tuple[float, float, float, float, float, float]
    colour: tuple[int, int, int]
    font: str
    box: Box
    hidden: str | None


# pdfium is not safe to call from two threads at once: every use of it in this process holds this lock
PDFIUM_LOCK = threading.RLock()


def read_page(path: str | Path, *, redraw: bool = True) -> PrintedPage:
    """The first page of a PDF as printed text, with the token kept in its metadata; WorkbenchError when the
    file is not a PDF that can be read. With `redraw` (always, for a file from outside) the rendered page is
    also compared with the text and code redrawn (see `_drawn_otherwise`)."""
    with PDFIUM_LOCK:
        return _read_page(path, redraw)


def _read_page(path: str | Path, redraw: bool) -> PrintedPage:
    try:
        document = pdfium.PdfDocument(str(path))
    except (pdfium.PdfiumError, OSError) as exc:
        raise WorkbenchError("{file}: bukan berkas PDF yang dapat dibaca", file=Path(path).name) from exc
    try:
        return _read(document, redraw)
    except (pdfium.PdfiumError, IndexError) as exc:
        raise WorkbenchError("{file}: bukan berkas PDF yang dapat dibaca", file=Path(path).name) from exc
    finally:
        document.close()


def _read(document: pdfium.PdfDocument, redraw: bool) -> PrintedPage:
    oddities = []
    if len(document) != 1:
        oddities.append(tr("PDF berisi {count} halaman; sebuah piagam satu halaman", count=len(document)))
    page = document[0]
    if raw.FPDFPage_GetAnnotCount(page.raw):
        oddities.append(tr("PDF berisi anotasi (tulisan atau gambar tambahan di atas halaman)"))
    runs, squares, oddity = _runs(page)
    texts = [PrintedText(r.text, r.size, r.box, r.hidden) for r in runs]
    result = PrintedPage(texts, _subject(document), oddities + oddity)
    token = result.token or result.printed_token()
    if redraw and not result.oddities and not any(r.hidden for r in runs):
        result.oddities.extend(_drawn_otherwise(page, [r for r in runs if r.hidden is None], squares, token))
    return result


def _subject(document: pdfium.PdfDocument) -> str | None:
    """The token kept in the metadata, or None (also when the field holds no readable text)."""
    try:
        return document.get_metadata_value("Subject") or None
    except (UnicodeDecodeError, ValueError):
        return None


def _runs(page: pdfium.PdfPage) -> tuple[list[_Run], list[Box], list[str]]:
    crop = page.get_cropbox()
    textpage = page.get_textpage()
    runs: list[_Run] = []
    covers: list[tuple[int, Box, bool]] = []  # (position in drawing order, box, filled)
    squares: list[Box] = []  # filled paths as wide as they are high: where a QR code may be
    oddities: list[str] = []
    for n in range(raw.FPDFPage_CountObjects(page.raw)):
        obj = raw.FPDFPage_GetObject(page.raw, n)
        kind = raw.FPDFPageObj_GetType(obj)
        box = _bounds(obj)
        if raw.FPDFPageObj_CountMarks(obj) > 0:  # /ActualText, optional content: words apart from the drawing
            oddities.append(tr("PDF memakai isi bertanda (marked content) yang tidak dibuat workbench"))
        if kind == raw.FPDF_PAGEOBJ_TEXT:
            runs.append(_run(obj, textpage.raw, box, crop))
        elif kind == raw.FPDF_PAGEOBJ_FORM:
            if _holds_text(obj):
                oddities.append(tr("PDF menyimpan teks di dalam objek form (XObject)"))
            covers.append((len(runs), box, True))
        elif kind == raw.FPDF_PAGEOBJ_PATH:
            fill, stroke = ctypes.c_int(), ctypes.c_int()
            raw.FPDFPath_GetDrawMode(obj, ctypes.byref(fill), ctypes.byref(stroke))
            covers.append((len(runs), box, bool(fill.value)))
            if fill.value and abs((box[2] - box[0]) - (box[3] - box[1])) < 1 and box[2] - box[0] > 30:
                squares.append(box)
        else:  # images and shadings
            covers.append((len(runs), box, True))
    for n, run in enumerate(runs):
        # a filled shape or image over or under a text hides it; a stroke only when drawn after it
        if run.hidden is None and any(_meets(run.box, other) and (filled or after > n)
                                      for after, other, filled in covers):
            run.hidden = tr("tertutup")
    textpage.close()
    return runs, squares, list(dict.fromkeys(oddities))


def _run(obj: ctypes.c_void_p, textpage: ctypes.c_void_p, box: Box, crop: Box) -> _Run:
    font_size = ctypes.c_float()
    raw.FPDFTextObj_GetFontSize(obj, ctypes.byref(font_size))
    m = raw.FS_MATRIX()
    raw.FPDFPageObj_GetMatrix(obj, ctypes.byref(m))
    size = font_size.value * math.sqrt(abs(m.a * m.d - m.b * m.c))
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    raw.FPDFPageObj_GetFillColor(obj, ctypes.byref(r), ctypes.byref(g), ctypes.byref(b), ctypes.byref(a))
    font = raw.FPDFTextObj_GetFont(obj)
    length = raw.FPDFFont_GetBaseFontName(font, None, 0) if font else 0
    name = ctypes.create_string_buffer(max(length, 1))
    if length:
        raw.FPDFFont_GetBaseFontName(font, name, length)
    hidden = None
    mode = raw.FPDFTextObj_GetTextRenderMode(obj)
    if mode != raw.FPDF_TEXTRENDERMODE_FILL:
        hidden = tr("mode gambar {mode}", mode=mode)
    elif m.b or m.c or m.a <= 0 or m.d <= 0:  # the workbench prints every line upright
        hidden = tr("miring atau terbalik")
    elif _clipped(obj, box):
        hidden = tr("dipotong")
    elif a.value < 255:
        hidden = tr("transparan")
    elif min(r.value, g.value, b.value) >= WHITE:
        hidden = tr("putih")
    elif size < MIN_SIZE:
        hidden = tr("terlalu kecil ({size} pt)", size=round(size, 1))
    elif box[0] < crop[0] or box[1] < crop[1] or box[2] > crop[2] or box[3] > crop[3]:
        hidden = tr("di luar halaman")
    return _Run(_text(obj, textpage), size, font_size.value, (m.a, m.b, m.c, m.d, m.e, m.f),
                (r.value, g.value, b.value), name.value.decode("latin-1").split("+")[-1], box, hidden)


def _drawn_otherwise(page: pdfium.PdfPage, runs: list[_Run], squares: list[Box], token: str | None) -> list[str]:
    """What the rendered page shows otherwise than its text says: each run of text is drawn again with the
    workbench's own font at the same place, the QR code from the token, and the two renderings compared."""
    unknown = sorted({r.font for r in runs if r.font not in FONTS})
    if unknown:
        return [tr("PDF memakai huruf yang tidak dipakai workbench ({font})", font=", ".join(unknown)[:80])]
    if token is None:
        return []
    if len(squares) != 1:
        return [tr("kode QR token tidak ditemukan di halaman")]
    width, height = page.get_size()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(width, height))
    fonts.register()
    for run in runs:
        text = canvas.beginText()
        text.setTextTransform(*run.matrix)
        text.setFont(FONTS[run.font], run.font_size)
        canvas.setFillColorRGB(*(c / 255 for c in run.colour))
        text.textOut(run.text)
        canvas.drawText(text)
    left, bottom, right, _ = squares[0]
    draw_qr(canvas, token, left, bottom, right - left)  # the code has no quiet zone of its own: it fills its box
    canvas.showPage()
    canvas.save()
    redrawn = pdfium.PdfDocument(buffer.getvalue())
    try:
        shown, expected = (p.render(scale=SCALE).to_pil().convert("L") for p in (page, redrawn[0]))
    finally:
        redrawn.close()
    problems = [tr("teks \u201c{text}\u201d tergambar lain dari yang terbaca", text=r.text[:80])
                for r in runs if _differs(shown, expected, r.box, height)]
    if _differs(shown, expected, squares[0], height):
        problems.append(tr("kode QR di halaman tidak sesuai token"))
    return problems


def _differs(shown: Image.Image, expected: Image.Image, box: Box, page_height: float) -> bool:
    """Whether the two renderings differ inside the box (in points, from the bottom left of the page)."""
    area = (int(box[0] * SCALE) - 2, int((page_height - box[3]) * SCALE) - 2,
            math.ceil(box[2] * SCALE) + 2, math.ceil((page_height - box[1]) * SCALE) + 2)
    difference = ImageChops.difference(shown.crop(area), expected.crop(area))
    changed = sum(difference.histogram()[96:])  # pixels whose grey differs by more than about a third
    return changed > TOLERANCE


def _clipped(obj: ctypes.c_void_p, box: Box) -> bool:
    """Whether a clipping path cuts into the text's box (the workbench never clips text)."""
    clip = raw.FPDFPageObj_GetClipPath(obj)
    paths = raw.FPDFClipPath_CountPaths(clip) if clip else -1
    if paths <= 0:
        return False
    xs, ys = [], []
    for path in range(paths):
        for n in range(raw.FPDFClipPath_CountPathSegments(clip, path)):
            x, y = ctypes.c_float(), ctypes.c_float()
            raw.FPDFPathSegment_GetPoint(raw.FPDFClipPath_GetPathSegment(clip, path, n), ctypes.byref(x),
                                         ctypes.byref(y))
            xs.append(x.value)
            ys.append(y.value)
    return not xs or min(xs) > box[0] or min(ys) > box[1] or max(xs) < box[2] or max(ys) < box[3]


def _text(obj: ctypes.c_void_p, textpage: ctypes.c_void_p) -> str:
    length = raw.FPDFTextObj_GetText(obj, textpage, None, 0)
    buffer = ctypes.create_string_buffer(length)
    raw.FPDFTextObj_GetText(obj, textpage, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)), length)
    return buffer.raw[:length].decode("utf-16-le", errors="replace").rstrip("\x00")


def _bounds(obj: ctypes.c_void_p) -> Box:
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    raw.FPDFPageObj_GetBounds(obj, ctypes.byref(left), ctypes.byref(bottom), ctypes.byref(right), ctypes.byref(top))
    return left.value, bottom.value, right.value, top.value


def _holds_text(form: ctypes.c_void_p) -> bool:
    for n in range(raw.FPDFFormObj_CountObjects(form)):
        obj = raw.FPDFFormObj_GetObject(form, n)
        kind = raw.FPDFPageObj_GetType(obj)
        if kind == raw.FPDF_PAGEOBJ_TEXT or (kind == raw.FPDF_PAGEOBJ_FORM and _holds_text(obj)):
            return True
    return False


def _meets(a: Box, b: Box) -> bool:
    return min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1])
