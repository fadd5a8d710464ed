"""A PDF page as a QImage, for previews and printing (rendered by pdfium), and a PDF printed."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPrintSupport import QPrinter

from reports.pdf_page import PDFIUM_LOCK


def page_image(path: str | Path, *, scale: float = 1.0, page: int = 0) -> QImage:
    """Render one page at `scale` (1.0 = 72 dpi)."""
    with PDFIUM_LOCK:  # a certificate being checked on a worker thread uses pdfium too
        document = pdfium.PdfDocument(str(path))
        try:
            bitmap = document[page].render(scale=scale)
            image_format = QImage.Format.Format_BGR888 if bitmap.n_channels == 3 else QImage.Format.Format_RGB32
            return QImage(bytes(bitmap.buffer), bitmap.width, bitmap.height, bitmap.stride, image_format).copy()
        finally:
            document.close()


def page_count(path: str | Path) -> int:
    with PDFIUM_LOCK:
        document = pdfium.PdfDocument(str(path))
        try:
            return len(document)
        finally:
            document.close()


def print_pdf(pdf: Path, printer: QPrinter) -> None:
    """Print a PDF. Printed to a PDF file, the file is the PDF itself, byte for byte, so that it still carries
    its signed token and verifies; on paper each page is rendered at 300 dpi (the QR code carries the token)."""
    if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat and printer.outputFileName():
        Path(printer.outputFileName()).write_bytes(pdf.read_bytes())
        return
    painter = QPainter(printer)
    try:
        for page in range(page_count(pdf)):
            if page:
                printer.newPage()
            image = page_image(pdf, scale=300 / 72, page=page)
            area = painter.viewport()
            size = image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.setViewport(area.x(), area.y(), size.width(), size.height())
            painter.setWindow(image.rect())
            painter.drawImage(0, 0, image)
            painter.setViewport(area)
    finally:
        painter.end()
