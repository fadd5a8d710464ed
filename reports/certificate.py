"""The award certificate (Piagam Penghargaan): A4 landscape, signed QR token, embedded fonts."""

from __future__ import annotations

import io
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass
from multiprocessing.synchronize import Event
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from reports import fonts
from reports.pdf_page import PDFIUM_LOCK, read_page
from reports.qr import draw_qr
from workbench.certificates import tokens
from workbench.certificates.printed import (
    NAME_LAYOUTS,
    TOKEN_LINES,
    TOKEN_MARK,
    TOKEN_SIZE,
    TOKEN_STEP,
    TOKEN_TOP,
    TOKEN_WIDTH,
    category_text,
    date_text,
    number_line,
    page_problem,
    score_line,
    unit_line,
)
from workbench.certificates.service import Certificate, CertificateSettings
from workbench.domain.values import file_name_part
from workbench.errors import WorkbenchError
from workbench.i18n import tr
from workbench.progress import Cancelled, CancelToken, ProgressCallback, report

PAGE = landscape(A4)
NAVY = Color(0.09, 0.18, 0.36)
GOLD = Color(0.72, 0.57, 0.2)
QrDrawer = Callable[[Canvas, str, float, float, float], None]
BODY_BOTTOM = 205  # the signature block and the QR code take the page below this line
TOKEN_LEFT = 180  # the caption and token lines begin right of the QR code


def _centered(canvas: Canvas | None, text: str, y: float, font: str, size: float, width: float) -> float:
    """Draw text centred, wrapped to `width`; returns the y below it (only measures when `canvas` is None)."""
    for line in simpleSplit(text, font, size, width):
        if canvas is not None:
            canvas.setFont(font, size)
            canvas.drawCentredString(PAGE[0] / 2, y, line)
        y -= size * 1.3
    return y


def _body(canvas: Canvas | None, cert: Certificate, settings: CertificateSettings, top: float,
          sizes: tuple[float, float]) -> float:
    """The certificate's text from its title to its score; returns the y below it."""
    width = PAGE[0]
    if canvas is not None:
        canvas.setFillColor(NAVY)
    y = _centered(canvas, settings.title, top - 20, fonts.BOLD, 34, width - 160)
    if canvas is not None:
        canvas.setFillColorRGB(0.15, 0.15, 0.15)
    y = _centered(canvas, number_line(cert.number), y - 2, fonts.REGULAR, 12, width - 160)
    y = _centered(canvas, settings.intro, y - 16, fonts.ITALIC, 14, width - 160)
    if canvas is not None:
        canvas.setFillColor(NAVY)
    y = _centered(canvas, cert.unit_name, y - 10, fonts.BOLD, sizes[0], width - 160)
    if canvas is not None:
        canvas.setFillColorRGB(0.15, 0.15, 0.15)
    y = _centered(canvas, cert.institution, y, fonts.REGULAR, sizes[1], width - 160)
    y = _centered(canvas, unit_line(cert.unit, cert.period), y + 2, fonts.REGULAR, 10, width - 160)
    wording = settings.wording.replace("{label} ({category})", category_text(cert.label, cert.category))
    y = _centered(canvas, wording, y - 12, fonts.REGULAR, 14, width - 200)
    y = _centered(canvas, settings.evaluation.format(year=cert.year), y, fonts.REGULAR, 13, width - 200)
    if settings.show_score:
        y = _centered(canvas, score_line(cert.score), y, fonts.REGULAR, 13, width - 200)
    return y


def draw_certificate(canvas: Canvas, cert: Certificate, settings: CertificateSettings,
                     draw_code: QrDrawer = draw_qr) -> None:
    """Draw one certificate on the current page of `canvas` (see `layout_problem` for what must fit)."""
    fonts.register()
    width, height = PAGE
    canvas.setStrokeColor(NAVY)
    canvas.setLineWidth(6)
    canvas.rect(22, 22, width - 44, height - 44)
    canvas.setStrokeColor(GOLD)
    canvas.setLineWidth(1.5)
    canvas.rect(34, 34, width - 68, height - 68)
    top = _top(settings)
    if _has_logo(settings):
        canvas.drawImage(settings.logo, width / 2 - 32, top + 12, 64, 64, preserveAspectRatio=True, mask="auto")
    _body(canvas, cert, settings, top, _name_sizes(cert, settings))
    canvas.setFillColorRGB(0.15, 0.15, 0.15)
    _signature(canvas, settings, cert.issued_on)
    # verification, bottom left: QR with the signed token, and the token as text
    draw_code(canvas, cert.token, 60, 60, 110)
    canvas.setFont(fonts.REGULAR, 7.5)
    canvas.drawString(TOKEN_LEFT, 100, "Pindai kode QR untuk memeriksa keaslian piagam ini.")
    canvas.setFont(fonts.REGULAR, TOKEN_SIZE)
    for n, line in enumerate(token_lines(cert.token)):
        canvas.drawString(TOKEN_LEFT, TOKEN_TOP - n * TOKEN_STEP, line)


def _top(settings: CertificateSettings) -> float:
    """Where the text begins: below the logo when there is one."""
    return PAGE[1] - 70 - (76 if _has_logo(settings) else 0)


def _has_logo(settings: CertificateSettings) -> bool:
    return bool(settings.logo and Path(settings.logo).is_file())


def _name_sizes(cert: Certificate, settings: CertificateSettings) -> tuple[float, float]:
    """The largest sizes of the unit's name and institution at which the text ends above the signature block
    (long names are set smaller), or the smallest."""
    top = _top(settings)
    return next((sizes for sizes in NAME_LAYOUTS if _body(None, cert, settings, top, sizes) >= BODY_BOTTOM),
                NAME_LAYOUTS[-1])


SIGNATURE_LEFT, SIGNATURE_WIDTH = PAGE[0] - 300, 250.0  # the block's right edge stays 50 points inside the page
SIGNATURE_ROOM = 34.0  # between the signatory's title and name: where the pen goes


def _fitted(text: str, font: str, size: float, smallest: float) -> tuple[list[str], float]:
    """`text` on one line of the signature block, as large as fits from `size` down to `smallest`, else
    wrapped at `smallest`: (lines, size)."""
    while size > smallest and stringWidth(text, font, size) > SIGNATURE_WIDTH:
        size -= 0.5
    return simpleSplit(text, font, size, SIGNATURE_WIDTH), size


def _signature(canvas: Canvas | None, settings: CertificateSettings, issued_on: str) -> str | None:
    """The signature block, bottom right: place and date, the signatory's title, room to sign, the name
    (titles and degrees included) and NIP, each within the block's width, shrunk or wrapped to fit. Returns
    why it cannot fit above the page's frame, or None (draws only when `canvas` is given)."""
    place, place_size = _fitted(f"{settings.place}, {date_text(issued_on)}", fonts.REGULAR, 12, 9)
    name, name_size = _fitted(settings.signatory_name or "(............................................)",
                              fonts.BOLD, 12, 9)
    below = [(line, fonts.BOLD, name_size) for line in name]
    if settings.signatory_nip:
        below.append((f"NIP {settings.signatory_nip}", fonts.REGULAR, 10.0))
    first = (66.0 if settings.signatory_nip else 80.0) + sum(size + 3 for _, _, size in below[1:])
    top = 190.0 - len(place) * (place_size + 3)  # the title's first baseline
    for title_size in (11.0, 10.0, 9.0):  # the largest that leaves room to sign above the name
        title = simpleSplit(settings.signatory_title + ",", fonts.REGULAR, title_size, SIGNATURE_WIDTH)
        if len(name) <= 2 and top - (len(title) - 1) * (title_size + 3) - first - name_size >= SIGNATURE_ROOM:
            break
    else:
        return tr("nama dan jabatan penanda tangan terlalu panjang untuk blok tanda tangan; singkatkan jabatannya "
                  "atau gelarnya")
    if canvas is not None:
        lines = [(line, fonts.REGULAR, place_size) for line in place] + [
            (line, fonts.REGULAR, title_size) for line in title]
        y = 190.0
        for text, font, size in lines:
            canvas.setFont(font, size)
            canvas.drawString(SIGNATURE_LEFT, y, text)
            y -= size + 3
        for text, font, size in below:
            canvas.setFont(font, size)
            canvas.drawString(SIGNATURE_LEFT, first, text)
            first -= size + 3
    return None


def settings_problem(settings: CertificateSettings) -> str | None:
    """Why certificates with these settings would not print whole even for a unit of short names (the
    title, the wording, the signature block), or None."""
    sample = Certificate("001/PP/2026", "UNIT", "Unit Pelayanan", "Pemerintah Kota", "Periode", 2026, "A-",
                         "Sangat Baik", 4.2, settings.issued_on or "2026-01-01", "", "")
    return layout_problem(sample, settings)


def layout_problem(cert: Certificate, settings: CertificateSettings) -> str | None:
    """Why a certificate would not print whole inside the page's frame, or None: its text above the
    signature block even with the unit's name at its smallest size, and the signature block. (A token too
    long to print under the QR code is carried by the code alone.)"""
    fonts.register()
    if _body(None, cert, settings, _top(settings), NAME_LAYOUTS[-1]) < BODY_BOTTOM:
        return tr("judul, nama unit, instansi dan kalimat piagam tidak muat di atas blok tanda tangan; singkatkan "
                  "salah satunya")
    return _signature(None, settings, cert.issued_on)


def printed_problem(pdf: Path, token: str, *, redraw: bool = True) -> str | None:
    """Why a verifier would refuse a certificate's page for its token (it reads the page as a reader sees it
    and compares what it prints with what was signed), or None. `redraw`: also render the page and compare it
    with its text and code drawn again, as the verifier does (45 ms a page)."""
    return page_problem(tokens.read(token)[0], read_page(pdf, redraw=redraw), token)


def token_lines(token: str) -> list[str]:
    """The token as printed under the QR code: after its mark, as many letters on each line as TOKEN_WIDTH
    holds (the widths of the embedded font, so a line never reaches the signature block); none when it takes
    more than TOKEN_LINES lines, for a page then carries its token in the QR code alone."""
    fonts.register()
    width = {ch: stringWidth(ch, fonts.REGULAR, TOKEN_SIZE) for ch in set(TOKEN_MARK + token)}
    lines, line, used = [], TOKEN_MARK, sum(width[ch] for ch in TOKEN_MARK)
    for ch in token:
        if used + width[ch] > TOKEN_WIDTH:
            lines.append(line)
            line, used = "", 0.0
        line += ch
        used += width[ch]
    lines.append(line)
    return lines if len(lines) <= TOKEN_LINES else []


def certificate_pdf(cert: Certificate, settings: CertificateSettings, draw_code: QrDrawer = draw_qr) -> bytes:
    """One certificate as a PDF document, with its token also in the document's metadata."""
    return _certificate(cert, settings, draw_code)[0]


@dataclass(frozen=True)
class _Page:
    """A page's drawing operators, the names its fonts have in its document, whether it uses only the letters
    of the fonts' shared subsets, and whether it shows an image (the logo)."""

    code: list[str]
    fonts: dict[str, str]
    shared: bool
    image: bool

    def fits(self, document: Any) -> bool:
        """Whether the operators mean the same in another of reportlab's documents: shared letters, fonts
        of the same names, no image (which that document lacks)."""
        return self.shared and not self.image and self.fonts.items() <= document.fontMapping.items()


def _certificate(cert: Certificate, settings: CertificateSettings, draw_code: QrDrawer = draw_qr
                 ) -> tuple[bytes, _Page]:
    """`certificate_pdf`, and its page (see `_Page`)."""
    fonts.register()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=PAGE, pageCompression=1)
    canvas.setTitle(f"{settings.title} {cert.number}")
    canvas.setSubject(cert.token)
    canvas.setAuthor(settings.signatory_title)
    draw_certificate(canvas, cert, settings, draw_code)
    drawn: Any = canvas  # reportlab keeps the page's operators and the document's font names to itself
    page = _Page(list(drawn._code), dict(drawn._doc.fontMapping), fonts.shared_letters_only(drawn._doc),
                 _has_logo(settings))
    canvas.showPage()
    canvas.save()
    return buffer.getvalue(), page


def safe_name(number: str) -> str:
    """A file name from a certificate number: "001/PP/2026" -> "piagam-001-PP-2026.pdf"."""
    return f"piagam-{file_name_part(number)}.pdf"


CHUNK = 50  # certificates a process is given at a time
_stop: Event | None = None  # in a worker process: set when the batch is cancelled or another process failed


def write_certificates(certs: Sequence[Certificate], settings: CertificateSettings, out_dir: str | Path, *,
                       progress: ProgressCallback | None = None, cancel: CancelToken | None = None,
                       workers: int | None = None) -> list[Path]:
    """One PDF per certificate plus `piagam-semua.pdf` with all of them for printing; returns the paths (none,
    and nothing written, for no certificate: a PDF without pages cannot be opened).

    A batch of more than CHUNK certificates is drawn CHUNK at a time by `workers` processes (default: one a
    core): each writes its certificates' PDFs and one part of the combined file, which are then joined.
    Cancelling, or a failure in one process, stops every process at its next certificate.
    """
    if cancel:
        cancel.check()
    if not certs:
        return []
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    chunks = [list(certs[n:n + CHUNK]) for n in range(0, len(certs), CHUNK)]
    workers = min(workers or os.cpu_count() or 1, len(chunks))
    if workers <= 1:
        _write_chunk(certs, settings, out, out / "piagam-semua.pdf", progress=progress, cancel=cancel,
                     total=len(certs))
    else:
        _write_in_processes(chunks, settings, out, workers, progress, cancel)
    return [*(out / safe_name(cert.number) for cert in certs), out / "piagam-semua.pdf"]


def _write_chunk(certs: Sequence[Certificate], settings: CertificateSettings, out: Path, combined_path: Path, *,
                 progress: ProgressCallback | None = None, cancel: CancelToken | None = None, total: int = 0
                 ) -> None:
    """Each certificate's own PDF, and all of them as the pages of `combined_path`."""
    fonts.register()
    combined: Any = Canvas(str(combined_path), pagesize=PAGE, pageCompression=1)  # its operators: see _certificate
    combined.setTitle(settings.title)
    for n, cert in enumerate(certs):
        if cancel:
            cancel.check()
        if _stop is not None and _stop.is_set():
            raise Cancelled()
        path = out / safe_name(cert.number)
        pdf, page = _certificate(cert, settings)
        path.write_bytes(pdf)
        # read back as a verifier reads it: never a page that fails. Every page's text and token; the rendering
        # compared with a redrawing on one page in CHUNK and on each page with letters outside the fonts' shared
        # subsets, for the writer and the fonts are the same for the others and the redrawing is the page's own
        # code again (nine tenths of the time otherwise)
        if problem := printed_problem(path, cert.token, redraw=n % CHUNK == 0 or not page.shared):
            raise WorkbenchError("Piagam {number}: halaman yang ditulis tidak lolos pemeriksaan ({problem}); "
                                 "piagam ini tidak dicetak", number=cert.number, problem=problem)
        if page.fits(combined._doc):
            combined._code.extend(page.code)  # the very operators of its own PDF, not drawn again
        else:
            draw_certificate(combined, cert, settings)
        combined.showPage()
        report(progress, n + 1, total, cert.number)
    combined.save()


def _listen(stop: Event) -> None:
    global _stop
    _stop = stop


def _write_in_processes(chunks: list[list[Certificate]], settings: CertificateSettings, out: Path, workers: int,
                        progress: ProgressCallback | None, cancel: CancelToken | None) -> None:
    total, done = sum(map(len, chunks)), 0
    parts = [out / f".piagam-semua-{n}.pdf" for n in range(len(chunks))]
    # spawn, not fork: the app has threads (a forked child may inherit a lock held by one of them)
    context = multiprocessing.get_context("spawn")
    stop = context.Event()
    try:
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_listen, initargs=(stop,)) as pool:
            pending = {pool.submit(_write_chunk, chunk, settings, out, part): chunk
                       for chunk, part in zip(chunks, parts, strict=True)}
            try:
                while pending:
                    finished, _ = wait(pending, timeout=0.1, return_when=FIRST_COMPLETED)
                    for future in finished:
                        future.result()
                        done += len(chunk := pending.pop(future))
                        report(progress, done, total, chunk[-1].number)
                    if cancel:
                        cancel.check()
            except BaseException:
                stop.set()
                pool.shutdown(cancel_futures=True)
                raise
            # pdfium is not safe to use from two threads, and the app's window uses it: join in a worker
            pool.submit(_join, parts, out / "piagam-semua.pdf").result()
    finally:
        for part in parts:
            part.unlink(missing_ok=True)


def _join(parts: list[Path], target: Path) -> None:
    """The parts as one PDF, in order: the first with the pages of the others added (pdfium copies pages,
    fonts and all, without drawing again; the first part's title stays)."""
    with PDFIUM_LOCK:
        _join_parts(parts, target)


def _join_parts(parts: list[Path], target: Path) -> None:
    joined = pdfium.PdfDocument(str(parts[0]))
    try:
        for part in parts[1:]:
            source = pdfium.PdfDocument(str(part))
            try:
                joined.import_pages(source)
            finally:
                source.close()
        joined.save(str(target))
    finally:
        joined.close()
