"""The award certificate (Piagam Penghargaan): A4 landscape, signed QR token, embedded fonts."""

from __future__ import annotations

import io
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from multiprocessing.synchronize import Event
from pathlib import Path

import pypdfium2 as pdfium
from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from reports import fonts
from reports.qr import draw_qr
from workbench.certificates.printed import (
    INSTITUTION_SIZE,
    TOKEN_LINES,
    TOKEN_MARK,
    TOKEN_SIZE,
    TOKEN_STEP,
    TOKEN_TOP,
    TOKEN_WIDTH,
    UNIT_NAME_SIZES,
    category_text,
    date_text,
    number_line,
    score_line,
    unit_line,
)
from workbench.certificates.service import Certificate, CertificateSettings
from workbench.domain.values import file_name_part
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
          name_size: float) -> float:
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
    y = _centered(canvas, cert.unit_name, y - 10, fonts.BOLD, name_size, width - 160)
    if canvas is not None:
        canvas.setFillColorRGB(0.15, 0.15, 0.15)
    y = _centered(canvas, cert.institution, y, fonts.REGULAR, INSTITUTION_SIZE, width - 160)
    y = _centered(canvas, unit_line(cert.unit, cert.period), y + 2, fonts.REGULAR, 10, width - 160)
    wording = settings.wording.replace("{label} ({category})", category_text(cert.label, cert.category))
    y = _centered(canvas, wording, y - 12, fonts.REGULAR, 14, width - 200)
    y = _centered(canvas, settings.evaluation.format(year=cert.year), y, fonts.REGULAR, 13, width - 200)
    if settings.show_score:
        y = _centered(canvas, score_line(cert.score), y, fonts.REGULAR, 13, width - 200)
    return y


def draw_certificate(canvas: Canvas, cert: Certificate, settings: CertificateSettings,
                     draw_code: QrDrawer = draw_qr) -> None:
    """Draw one certificate on the current page of `canvas`."""
    fonts.register()
    width, height = PAGE
    canvas.setStrokeColor(NAVY)
    canvas.setLineWidth(6)
    canvas.rect(22, 22, width - 44, height - 44)
    canvas.setStrokeColor(GOLD)
    canvas.setLineWidth(1.5)
    canvas.rect(34, 34, width - 68, height - 68)
    top = height - 70
    if settings.logo and Path(settings.logo).is_file():
        canvas.drawImage(settings.logo, width / 2 - 32, top - 64, 64, 64, preserveAspectRatio=True, mask="auto")
        top -= 76
    # a long name is set smaller, so that the text ends above the signature block
    name_size = next((size for size in UNIT_NAME_SIZES if _body(None, cert, settings, top, size) >= BODY_BOTTOM),
                     UNIT_NAME_SIZES[-1])
    _body(canvas, cert, settings, top, name_size)
    # signature block, bottom right
    x = width - 300
    canvas.setFont(fonts.REGULAR, 12)
    canvas.drawString(x, 190, f"{settings.place}, {date_text(cert.issued_on)}")
    line_y = 174
    for line in simpleSplit(settings.signatory_title + ",", fonts.REGULAR, 11, 250):
        canvas.setFont(fonts.REGULAR, 11)
        canvas.drawString(x, line_y, line)
        line_y -= 14
    canvas.setFont(fonts.BOLD, 12)
    canvas.drawString(x, 80, settings.signatory_name or "(............................................)")
    if settings.signatory_nip:
        canvas.setFont(fonts.REGULAR, 10)
        canvas.drawString(x, 66, f"NIP {settings.signatory_nip}")
    # verification, bottom left: QR with the signed token, and the token as text
    draw_code(canvas, cert.token, 60, 60, 110)
    canvas.setFont(fonts.REGULAR, 7.5)
    canvas.drawString(TOKEN_LEFT, 100, "Pindai kode QR untuk memeriksa keaslian piagam ini.")
    canvas.drawString(TOKEN_LEFT, 90, "Scan the QR code to check that this certificate is genuine.")
    canvas.setFont(fonts.REGULAR, TOKEN_SIZE)
    for n, line in enumerate(token_lines(cert.token)):
        canvas.drawString(TOKEN_LEFT, TOKEN_TOP - n * TOKEN_STEP, line)


def token_lines(token: str) -> list[str]:
    """The token as printed under the QR code: after its mark, as many letters on each line as TOKEN_WIDTH
    holds (the widths of the embedded font, so a line never reaches the signature block)."""
    fonts.register()
    width = {ch: stringWidth(ch, fonts.REGULAR, TOKEN_SIZE) for ch in set(TOKEN_MARK + token)}
    lines, line, used = [], TOKEN_MARK, sum(width[ch] for ch in TOKEN_MARK)
    for ch in token:
        if used + width[ch] > TOKEN_WIDTH:
            lines.append(line)
            line, used = "", 0.0
        line += ch
        used += width[ch]
    return [*lines, line]


def token_fits(token: str) -> bool:
    """Whether the token's printed lines stay above the page's frame (see `token_lines`)."""
    return len(token_lines(token)) <= TOKEN_LINES


def certificate_pdf(cert: Certificate, settings: CertificateSettings, draw_code: QrDrawer = draw_qr) -> bytes:
    """One certificate as a PDF document, with its token also in the document's metadata."""
    fonts.register()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=PAGE, pageCompression=1)
    canvas.setTitle(f"{settings.title} {cert.number}")
    canvas.setSubject(cert.token)
    canvas.setAuthor(settings.signatory_title)
    draw_certificate(canvas, cert, settings, draw_code)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


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
    combined = Canvas(str(combined_path), pagesize=PAGE, pageCompression=1)
    combined.setTitle(settings.title)
    for n, cert in enumerate(certs):
        if cancel:
            cancel.check()
        if _stop is not None and _stop.is_set():
            raise Cancelled()
        (out / safe_name(cert.number)).write_bytes(certificate_pdf(cert, settings))
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
