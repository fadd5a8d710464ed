"""A PDF page as a QImage, for previews and printing (rendered by pdfium)."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium

from PySide6.QtGui import QImage

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
