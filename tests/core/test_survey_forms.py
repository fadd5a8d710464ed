"""Paper questionnaires: numbered sheets printed for a unit, read back as a reader and a scanner would, and
the check that a sheet typed in is one printed for that unit and not typed before."""

import pypdfium2 as pdfium
import pytest
import zxingcpp
from pypdf import PdfReader

from tests.helpers import run
from workbench import Workbook
from workbench.domain.instrument import load
from workbench.errors import WorkbenchError
from workbench.usecases.reports import write_forms

CM = 72 / 2.54
LONG = "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kabupaten Bolaang Mongondow Timur"


@pytest.fixture
def office(tmp_path):
    with Workbook.create(tmp_path / "kantor.sqlite", period="PEKPPP 2026") as wb:
        wb.registry.add_unit("DPMPTSP-BMT", LONG, "Pemerintah Kabupaten Bolaang Mongondow Timur")
        wb.registry.add_unit("SAMSAT-PRV", "Samsat Induk", "Pemerintah Provinsi Bahari")
    return tmp_path / "kantor.sqlite"


@pytest.mark.parametrize("form", ["skm", "f03a", "f03b"])
def test_forms_print_their_questions_serials_and_a_code_that_scans(office, tmp_path, form):
    with Workbook(office) as wb:
        sheets = write_forms(wb, "DPMPTSP-BMT", tmp_path / "kuesioner.pdf", form=form, count=3)
    assert [s.serial for s in sheets] == [1, 2, 3]
    pages = PdfReader(tmp_path / "kuesioner.pdf").pages
    assert len(pages) == 3
    text = " ".join(pages[1].extract_text().split())
    inst = load({"skm": "skm-2017", "f03a": "f03a-2022", "f03b": "f03b-2022"}[form])
    assert "No. 0002" in text and "Periode: PEKPPP 2026" in text and "DPMPTSP-BMT" in text
    assert all(" ".join((u.question or u.name).split()[:3]) in text for u in inst.unsur)
    document = pdfium.PdfDocument(str(tmp_path / "kuesioner.pdf"))
    for number, page in enumerate(document):
        width, height = page.get_size()
        chars = page.get_textpage()
        for index in range(chars.count_chars()):
            if not chars.get_text_range(index, 1).isspace():
                left, bottom, right, top = chars.get_charbox(index)
                assert left >= CM and bottom >= CM and right <= width - CM and top <= height - CM, (number, index)
        image = page.render(scale=3).to_pil()
        codes = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.Code128)
        assert [c.text for c in codes] == [sheets[number].code]
    document.close()


def test_the_command_line_numbers_on_and_keeps_nothing_when_the_pdf_cannot_be_written(office, tmp_path, capsys):
    code, out, _ = run(capsys, "survey", "forms", office, "--unit", "SAMSAT-PRV", "--count", "5",
                       "--out", tmp_path / "a.pdf")
    assert code == 0 and "5 lembar kuesioner skm, nomor 1 sampai 5" in out
    code, out, _ = run(capsys, "survey", "forms", office, "--unit", "SAMSAT-PRV", "--count", "2",
                       "--out", tmp_path / "b.pdf")
    assert code == 0 and "nomor 6 sampai 7" in out
    code, _, err = run(capsys, "survey", "forms", office, "--unit", "SAMSAT-PRV", "--count", "2",
                       "--out", tmp_path / "tidak-ada" / "c.pdf")
    assert code == 1
    with Workbook(office) as wb:
        assert [s.serial for s in wb.surveys.sheets("SAMSAT-PRV")] == [1, 2, 3, 4, 5, 6, 7]
    assert run(capsys, "survey", "forms", office, "--unit", "SAMSAT-PRV", "--count", "0", "--out",
               tmp_path / "d.pdf")[0] == 1


def test_a_sheet_is_entered_once_and_only_for_its_own_unit_and_form(office, tmp_path):
    with Workbook(office) as wb:
        printed = wb.surveys.print_sheets("SAMSAT-PRV", count=20)
        wb.surveys.print_sheets("DPMPTSP-BMT", count=3)
        sheet = wb.surveys.sheet_for_entry("7", unit="SAMSAT-PRV")
        assert sheet == printed[6]
        assert wb.surveys.sheet_for_entry(" SAMSAT-PRV/skm/0008 ", unit="samsat-prv").serial == 8  # scanned
        with pytest.raises(WorkbenchError, match="tidak pernah dicetak untuk SAMSAT-PRV .skm.; yang dicetak: 1-20"):
            wb.surveys.sheet_for_entry("21", unit="SAMSAT-PRV")
        with pytest.raises(WorkbenchError, match="milik DPMPTSP-BMT"):
            wb.surveys.sheet_for_entry("DPMPTSP-BMT/skm/0002", unit="SAMSAT-PRV")
        with pytest.raises(WorkbenchError, match="tidak pernah dicetak"):
            wb.surveys.sheet_for_entry("3", unit="SAMSAT-PRV", form="f03a")
        with pytest.raises(WorkbenchError, match="bukan nomor lembar"):
            wb.surveys.sheet_for_entry("tujuh", unit="SAMSAT-PRV")
        stored = wb.surveys.add(unit="SAMSAT-PRV", answers={"persyaratan": 4}, sheet=sheet)
        assert stored.number == 7
        with pytest.raises(WorkbenchError, match="Lembar nomor 7 .SAMSAT-PRV/skm/0007. sudah dimasukkan"):
            wb.surveys.sheet_for_entry("7", unit="SAMSAT-PRV")
        with pytest.raises(WorkbenchError, match="sudah dimasukkan"):  # the same sheet object twice
            wb.surveys.add(unit="SAMSAT-PRV", answers={"persyaratan": 3}, sheet=sheet)
        assert len(wb.surveys.respondents(unit="SAMSAT-PRV")) == 1
