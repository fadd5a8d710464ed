"""Printing 1,000 numbered SKM questionnaire pages (one PDF), beside reportlab in the same run drawing the same
page's fixed part once as a form and only each page's number, code and barcode (the floor for numbered
pages)."""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reportlab.graphics.barcode.code128 import Code128  # noqa: E402
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.pdfgen.canvas import Canvas  # noqa: E402

from reports import fonts  # noqa: E402
from reports.survey_forms import FormPage, _fixed, write_forms  # noqa: E402
from workbench.domain.instrument import load  # noqa: E402

PAGES = 1000


def floor(out: Path, pages: list[FormPage]) -> None:
    """reportlab alone: the page drawn once into a form XObject, then per page the form and the number."""
    inst = load("skm-2017")
    canvas = Canvas(str(out), pagesize=A4, pageCompression=1)
    canvas.beginForm("page")
    _fixed(canvas, pages[0], "skm", inst)
    canvas.endForm()
    for page in pages:
        canvas.doForm("page")
        canvas.setFont(fonts.BOLD, 16)
        canvas.drawRightString(560, 800, f"No. {page.serial:04d}")
        Code128(page.code, barHeight=25, barWidth=0.8).drawOn(canvas, 380, 760)
        canvas.showPage()
    canvas.save()


def main() -> None:
    fonts.register()
    folder = Path(tempfile.mkdtemp(prefix="workbench-forms-"))
    pages = [FormPage(n, f"DPMPTSP-KTA/skm/{n:04d}", "DPMPTSP-KTA", "Dinas Penanaman Modal dan PTSP Kota Arga",
                      "Pemerintah Kota Arga", "PEKPPP 2026") for n in range(1, PAGES + 1)]
    ours, base = [], []
    for _ in range(3):
        began = time.perf_counter()
        write_forms(pages, "skm", load("skm-2017"), folder / "kuesioner.pdf")
        ours.append(time.perf_counter() - began)
        began = time.perf_counter()
        floor(folder / "lantai.pdf", pages)
        base.append(time.perf_counter() - began)
    size = (folder / "kuesioner.pdf").stat().st_size / 1e6
    began = time.perf_counter()
    whole = Canvas(str(folder / "penuh.pdf"), pagesize=A4, pageCompression=1)
    for page in pages:  # for comparison: every page drawn in full, as a first version did
        _fixed(whole, page, "skm", load("skm-2017"))
        whole.showPage()
    whole.save()
    full = time.perf_counter() - began
    print(f"{PAGES} numbered SKM pages: {min(ours):.2f} s, {PAGES / min(ours):.0f} pages/s, {size:.1f} MB (best of 3); "
          f"reportlab drawing the fixed part once as a form: {min(base):.2f} s; ratio {min(ours) / min(base):.1f}x "
          f"(every page drawn in full: {full:.2f} s)")


if __name__ == "__main__":
    main()
