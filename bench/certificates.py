"""1,000 certificates with QR codes, beside the same page drawn with reportlab's own QrCodeWidget: one core
drawing each certificate's PDF, and the whole batch (each PDF and the combined print file) on one process and
on every core."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.pdfgen.canvas import Canvas

from reports.certificate import QrDrawer, certificate_pdf, write_certificates
from reports.qr import draw_qr
from workbench.certificates.service import Certificate, CertificateSettings
from workbench.certificates.tokens import load_private, new_key_pair, sign

COUNT, BASELINE_COUNT = 1000, 200


def widget_qr(canvas: Canvas, data: str, x: float, y: float, size: float) -> None:
    """The baseline: reportlab's QrCodeWidget drawn into the same place."""
    widget = QrCodeWidget(data)
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0])
    drawing.add(widget)
    renderPDF.draw(drawing, canvas, x, y)


def certificates() -> list[Certificate]:
    pair = new_key_pair("benchmark-passphrase")
    private = load_private(pair.private_pem, "benchmark-passphrase")
    result = []
    for n in range(COUNT):
        claims = {"number": f"{n + 1:04d}/PP/2026", "unit": f"UPP-{n:05d}",
                  "unit_name": f"Dinas Penanaman Modal dan PTSP {n}", "institution": f"Pemerintah Kabupaten {n}",
                  "period": "PEKPPP 2026", "category": "A", "label": "Pelayanan Prima", "score": 4.67,
                  "date": "2026-03-08"}
        result.append(Certificate(claims["number"], claims["unit"], claims["unit_name"], claims["institution"],
                                  "PEKPPP 2026", 2026, "A", "Pelayanan Prima", 4.67, "2026-03-08",
                                  sign(claims, private), pair.key_id))
    return result


def rate(certs: list[Certificate], settings: CertificateSettings, draw_code: QrDrawer = draw_qr) -> float:
    start = time.perf_counter()
    for cert in certs:
        certificate_pdf(cert, settings, draw_code)
    return len(certs) / (time.perf_counter() - start)


def batch_rate(certs: list[Certificate], settings: CertificateSettings, workers: int) -> float:
    out = Path(tempfile.mkdtemp(prefix="workbench-piagam-"))
    try:
        start = time.perf_counter()
        write_certificates(certs, settings, out, workers=workers)
        return len(certs) / (time.perf_counter() - start)
    finally:
        shutil.rmtree(out)


def main() -> None:
    certs = certificates()
    settings = CertificateSettings(signatory_name="Menteri", show_score=True)
    certificate_pdf(certs[0], settings)  # fonts registered and parsed before timing
    ours = rate(certs, settings)
    baseline = rate(certs[:BASELINE_COUNT], settings, draw_code=widget_qr)
    cores = os.cpu_count() or 1
    one, every = batch_rate(certs, settings, 1), batch_rate(certs, settings, cores)
    print(f"workbench, one core, {COUNT} one-page PDFs (PP2 token, QR made from tables and drawn as runs): {ours:.0f} "
          f"certificates/s ({COUNT / ours:.2f} s)")
    print(f"baseline (reportlab QrCodeWidget, same page), {BASELINE_COUNT} PDFs: {baseline:.0f} certificates/s")
    print(f"ratio: {ours / baseline:.1f}x (aim >= 25x, and >= 500 certificates/s)")
    print(f"whole batch (each PDF and the combined print file): one process {one:.0f}/s, {cores} processes "
          f"{every:.0f}/s ({every / one:.2f}x)")


if __name__ == "__main__":
    main()
