"""The workbooks a lead prints for the panel meeting, and the templates an evaluator prints, come out of
LibreOffice on A4 landscape, one page wide, the header row on every page, the period and title at the top and
the page number at the foot (twelve units once took 21 pages of three columns each)."""

import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.helpers import score_all
from workbench import Workbook

CM = 72 / 2.54
SOFFICE = shutil.which("soffice")
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed: .ci/run installs it")


def printed(book: Path, folder: Path) -> PdfReader:
    """The workbook printed to PDF by LibreOffice, as a lead's office would print it."""
    assert SOFFICE is not None
    subprocess.run([SOFFICE, f"-env:UserInstallation={(folder / 'lo-profile').as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(folder), str(book)],
                   check=True, capture_output=True, timeout=240)
    return PdfReader(folder / f"{book.stem}.pdf")


@pytest.fixture(scope="module")
def lead(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cetak-buku")
    wb = Workbook.create(folder / "ketua.sqlite", period="PEKPPP 2026")
    for n in range(12):
        code = f"UNIT-{n + 1:02}"
        wb.registry.add_unit(code, f"Dinas Pelayanan Terpadu Nomor {n + 1} Kabupaten Contoh", "Pemerintah Contoh")
        score_all(wb, code, "Ani Wijayanti", lambda i, n=n: 5 - n % 4)
        score_all(wb, code, "Budi Santoso", lambda i, n=n: 5 - n % 4 if i.code != "1.a.Ak" else 1)
    wb.conflicts.resolve(unit="UNIT-01", indicator="1.a.Ak", score=4, reason="Rapat panel", actor="Sari")
    yield wb, folder
    wb.close()


def test_the_recap_prints_one_page_wide_with_titles_and_page_numbers(lead):
    wb, folder = lead
    book = wb.exchange.export_results(folder / "rekap.xlsx")
    pdf = printed(book, folder)
    texts = [page.extract_text() for page in pdf.pages]
    titles = [t.splitlines()[0] for t in texts]  # the page header: period and title
    aspects = [f"PEKPPP 2026 · Aspek {a.code} · {a.name}" for a in wb.registry.scored_instrument(
        wb.registry.period()).aspects if a.weight > 0]
    # one page per sheet for twelve units; the agreement's 40 rows may take two, each headed
    agreement = "PEKPPP 2026 · Kesepakatan antar-evaluator"
    assert titles[:8] == ["PEKPPP 2026 · Rekap hasil per unit", *aspects, "PEKPPP 2026 · Konflik antar-evaluator"]
    assert 1 <= len(titles[8:]) <= 2 and set(titles[8:]) == {agreement}
    assert all("Cakupan" in t for t in texts[8:])
    for number, (page, text) in enumerate(zip(pdf.pages, texts, strict=True), start=1):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width / CM, 1), round(height / CM, 1)) == (29.7, 21.0)  # A4 landscape
        assert f"Halaman {number} dari {len(texts)}" in text
    first = pdf.pages[0].extract_text()
    assert "Rekap hasil per unit" in first and all(f"UNIT-{n:02}" in first for n in range(1, 13))
    assert "Predikat" in first and "Dinilai" in first  # the last columns are on the page, not on another one
    conflicts = texts[7]
    assert "Konflik antar-evaluator" in conflicts and "Rapat panel" in conflicts and "belum disepakati" in conflicts


def test_the_evaluator_template_prints_with_its_header_row_on_every_page(lead):
    wb, folder = lead
    template = folder / "templat.xlsx"
    wb.exchange.write_template(template, evaluator="Citra", units=["UNIT-01", "UNIT-02", "UNIT-03"])
    pdf = printed(template, folder)
    texts = [page.extract_text() for page in pdf.pages]
    entry = [t for t in texts if "Templat evaluator Citra · Penilaian" in t]
    assert len(entry) > 1  # 93 rows take several pages ...
    assert all("Kode Unit" in t and "Uraian Indikator" in t and "Tanggal" in t for t in entry)  # ... each headed
    assert any("Templat evaluator Citra · Rubrik" in t for t in texts)
    assert all(f"Halaman {n} dari {len(texts)}" in t for n, t in enumerate(texts, start=1))
    assert all(round(float(p.mediabox.width) / CM, 1) == 29.7 for p in pdf.pages)
