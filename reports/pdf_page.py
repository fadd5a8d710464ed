"""Reading a certificate's page as a person sees it: each run of text with its size and place, and why a run
cannot be seen (invisible, transparent, white, tiny, off the page, clipped or covered), using pdfium."""

from __future__ import annotations

import ctypes
import math
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from workbench.certificates.printed import PrintedPage, PrintedText
from workbench.errors import WorkbenchError
from workbench.i18n import tr

Box = tuple[float, float, float, float]
MIN_SIZE = 3.0  # points; smaller text cannot be read on paper (the token is printed at 4.2)
WHITE = 235  # each of r, g, b at least this on a 0-255 scale reads as white on white paper


def read_page(path: str | Path) -> PrintedPage:
    """The first page of a PDF as printed text, with the token kept in its metadata; WorkbenchError when the
    file is not a PDF that can be read."""
    try:
        document = pdfium.PdfDocument(str(path))
    except (pdfium.PdfiumError, OSError) as exc:
        raise WorkbenchError("{file}: bukan berkas PDF yang dapat dibaca", file=Path(path).name) from exc
    try:
        return _read(document)
    except (pdfium.PdfiumError, IndexError) as exc:
        raise WorkbenchError("{file}: bukan berkas PDF yang dapat dibaca", file=Path(path).name) from exc
    finally:
        document.close()


def _read(document: pdfium.PdfDocument) -> PrintedPage:
    oddities = []
    if len(document) != 1:
        oddities.append(tr("PDF berisi {count} halaman; sebuah piagam satu halaman", count=len(document)))
    page = document[0]
    if raw.FPDFPage_GetAnnotCount(page.raw):
        oddities.append(tr("PDF berisi anotasi (tulisan atau gambar tambahan di atas halaman)"))
    token = document.get_metadata_value("Subject") or None
    texts, oddity = _texts(page)
    return PrintedPage(texts, token, oddities + oddity)


def _texts(page: pdfium.PdfPage) -> tuple[list[PrintedText], list[str]]:
    crop = page.get_cropbox()
    textpage = page.get_textpage()
    found: list[tuple[str, float, Box, str | None]] = []
    covers: list[tuple[int, Box, bool]] = []  # (position in drawing order, box, filled)
    oddities: list[str] = []
    for n in range(raw.FPDFPage_CountObjects(page.raw)):
        obj = raw.FPDFPage_GetObject(page.raw, n)
        kind = raw.FPDFPageObj_GetType(obj)
        box = _bounds(obj)
        if kind == raw.FPDF_PAGEOBJ_TEXT:
            text, size = _text(obj, textpage.raw), _size(obj)
            found.append((text, size, box, _hidden(obj, size, box, crop)))
        elif kind == raw.FPDF_PAGEOBJ_FORM:
            if _holds_text(obj):
                oddities.append(tr("PDF menyimpan teks di dalam objek form (XObject)"))
            covers.append((len(found), box, True))
        elif kind == raw.FPDF_PAGEOBJ_PATH:
            fill, stroke = ctypes.c_int(), ctypes.c_int()
            raw.FPDFPath_GetDrawMode(obj, ctypes.byref(fill), ctypes.byref(stroke))
            covers.append((len(found), box, bool(fill.value)))
        else:  # images and shadings
            covers.append((len(found), box, True))
    texts = []
    for n, (text, size, box, hidden) in enumerate(found):
        # a filled shape or image over or under a text hides it; a stroke only when drawn after it
        if hidden is None and any(_meets(box, other) and (filled or after > n) for after, other, filled in covers):
            hidden = tr("tertutup")
        texts.append(PrintedText(text, size, box, hidden))
    textpage.close()
    return texts, oddities


def _hidden(obj: ctypes.c_void_p, size: float, box: Box, crop: Box) -> str | None:
    mode = raw.FPDFTextObj_GetTextRenderMode(obj)
    if mode != raw.FPDF_TEXTRENDERMODE_FILL:
        return tr("mode gambar {mode}", mode=mode)
    if _clipped(obj, box):
        return tr("dipotong")
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    raw.FPDFPageObj_GetFillColor(obj, ctypes.byref(r), ctypes.byref(g), ctypes.byref(b), ctypes.byref(a))
    if a.value < 255:
        return tr("transparan")
    if min(r.value, g.value, b.value) >= WHITE:
        return tr("putih")
    if size < MIN_SIZE:
        return tr("terlalu kecil ({size} pt)", size=round(size, 1))
    if box[0] < crop[0] or box[1] < crop[1] or box[2] > crop[2] or box[3] > crop[3]:
        return tr("di luar halaman")
    return None


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


def _size(obj: ctypes.c_void_p) -> float:
    """The size the text is drawn at: the font size scaled by the text's matrix."""
    size = ctypes.c_float()
    raw.FPDFTextObj_GetFontSize(obj, ctypes.byref(size))
    matrix = raw.FS_MATRIX()
    raw.FPDFPageObj_GetMatrix(obj, ctypes.byref(matrix))
    return size.value * math.sqrt(abs(matrix.a * matrix.d - matrix.b * matrix.c))


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
