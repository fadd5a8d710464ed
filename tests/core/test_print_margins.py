"""Every PDF the workbench writes prints: no text within 1 cm of a page's edge, and tables on the page."""

import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader

from reports.certificate import write_certificates
from tests.helpers import DATA, excel_csv, published_example, score_all
from workbench import Workbook
from workbench.usecases.reports import write_reports, write_skm

CM = 72 / 2.54


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cetak")
    with Workbook.create(folder / "kantor.sqlite", period="PEKPPP 2026") as wb:
        wb.settings.set("owner", "Sari Wulandari")
        wb.settings.set("owner_role", "lead")
        long_name = "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kabupaten Bolaang Mongondow Timur"
        for n, (code, name) in enumerate([("DPMPTSP-BMT", long_name), ("SAMSAT", "Samsat Induk")]):
            wb.registry.add_unit(code, name, "Pemerintah Kabupaten Bolaang Mongondow Timur, Provinsi Sulawesi Utara")
            for evaluator in ("Ani Wijayanti", "Budi Santoso"):
                score_all(wb, code, evaluator, lambda i, n=n: 5 - n)
        wb.observations.save(unit="SAMSAT", indicator="1.a.Ak", evaluator="Ani Wijayanti",
                             notes="Standar pelayanan belum ditetapkan; " * 80)
        wb.observations.finalize(evaluator="Ani Wijayanti")
        wb.observations.finalize(evaluator="Budi Santoso")
        wb.certificates.init_keys("kunci-rahasia")
        excel_csv(folder / "skm.csv", published_example())
        wb.exchange.import_survey(folder / "skm.csv", unit="SAMSAT")
        wb.exchange.import_survey(DATA / "survei-f03a.ods", form="f03a", unit="SAMSAT")
        written = [*write_reports(wb, folder / "laporan"), write_skm(wb, "SAMSAT", folder / "laporan" / "skm.pdf")]
        certificates = write_certificates(wb.certificates.issue("kunci-rahasia", min_category="C"),
                                          wb.certificates.settings(), folder / "piagam")
    return {path.name: path for path in [*written, *certificates]}


def test_no_text_within_1_cm_of_any_page_edge(pdfs):
    assert {"laporan-DPMPTSP-BMT.pdf", "laporan-SAMSAT.pdf", "rekapitulasi.pdf", "piagam-001-PP-2026.pdf",
            "piagam-semua.pdf", "skm.pdf"} <= set(pdfs)
    for name, path in pdfs.items():
        document = pdfium.PdfDocument(str(path))
        for number, page in enumerate(document):
            width, height = page.get_size()
            text = page.get_textpage()
            for index in range(text.count_chars()):
                if text.get_text_range(index, 1).isspace():
                    continue
                left, bottom, right, top = text.get_charbox(index)
                assert left >= CM and bottom >= CM and right <= width - CM and top <= height - CM, (
                    name, number + 1, text.get_text_range(index, 1), (left, bottom, right, top))
        document.close()


def test_the_berita_acara_has_a_page_of_its_own_with_every_signer(pdfs):
    pages = PdfReader(pdfs["laporan-SAMSAT.pdf"]).pages
    last = " ".join(pages[-1].extract_text().split())
    assert last.startswith("BERITA ACARA HASIL EVALUASI") and "BERITA ACARA" not in pages[-2].extract_text()
    for signer in ("Ani Wijayanti", "Budi Santoso", "Sari Wulandari Ketua tim"):
        assert signer in last
    headers = " ".join(PdfReader(pdfs["rekapitulasi.pdf"]).pages[0].extract_text().split())
    assert "Kategori" in headers and "Katego ri" not in headers  # no header broken inside a word
