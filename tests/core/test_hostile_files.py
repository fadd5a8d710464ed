"""Hostile and broken spreadsheets: each is imported correctly or refused with one clear message,
and a refused file writes nothing."""

import datetime
import io
import time
import zipfile

import openpyxl
import pytest
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from tests.helpers import dump, write_xlsx
from workbench.errors import SheetError

HEAD = ["kode_unit", "kode_indikator", "nilai", "evaluator", "catatan", "tanggal"]


def rezip(source, target, replace):
    """Copy an xlsx, replacing some of its parts: {name: bytes}."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            new.writestr(item.filename, replace.get(item.filename, old.read(item.filename)))
    return target


def sheet_xml(rows_xml: str) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
            f'spreadsheetml/2006/main"><sheetData>{rows_xml}</sheetData></worksheet>').encode()


def refused(wb, path, message):
    before = dump(wb)
    with pytest.raises(SheetError, match=message) as caught:
        wb.exchange.import_observations([path], evaluator="Eka")
    assert "\n" not in str(caught.value) and "Traceback" not in str(caught.value)
    assert dump(wb) == before


def test_a_renamed_picture_is_refused(lead, tmp_path):
    path = tmp_path / "foto.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 2000)
    refused(lead, path, "bukan lembar kerja yang dapat dibaca")


def test_a_zip_bomb_is_refused_before_parsing(lead, tmp_path):
    base = write_xlsx(tmp_path / "dasar.xlsx", [HEAD])
    blanks = sheet_xml(" " * (300 * 2**20))  # 300 MB of blanks compress to a few hundred KB
    refused(lead, rezip(base, tmp_path / "bom.xlsx", {"xl/worksheets/sheet1.xml": blanks}), "terlalu besar")


def test_a_million_rows_are_read_within_the_limits_and_refused_without_hanging(lead, tmp_path):
    base = write_xlsx(tmp_path / "dasar.xlsx", [HEAD])
    rows = "".join(f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>x</t></is></c></row>' for n in range(1, 1_000_001))
    path = rezip(base, tmp_path / "sejuta.xlsx", {"xl/worksheets/sheet1.xml": sheet_xml(rows)})
    started = time.monotonic()
    # within the size limits it is read (about 3 s here), then refused for having no header
    refused(lead, path, "tidak ditemukan baris judul")
    assert time.monotonic() - started < 60  # not a speed test: a reader that loops forever would fail here


def test_an_xml_entity_bomb_is_not_expanded(lead, tmp_path):
    base = write_xlsx(tmp_path / "dasar.xlsx", [HEAD, ["SAMSAT-PRV", "1.a.Ak", 3, "Eka", "lol", ""]])
    entities = "".join(f'<!ENTITY lol{n} "&lol{n - 1};&lol{n - 1};&lol{n - 1};&lol{n - 1};">' for n in range(1, 10))
    bomb = (f'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">{entities}]>'
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
            '<si><t>&lol9;</t></si></sst>').encode()
    with zipfile.ZipFile(base) as archive:
        name = next(n for n in archive.namelist() if "sharedStrings" in n or n.endswith("sheet1.xml"))
    path = rezip(base, tmp_path / "entitas.xlsx", {name: bomb} if "sharedStrings" in name else {})
    before = dump(lead)
    try:
        result = lead.exchange.import_observations([path], evaluator="Eka")
    except SheetError as exc:  # refusing is fine too, as long as it is one clear line
        assert "\n" not in str(exc) and dump(lead) == before
    else:
        assert all(len(o.notes) < 1000 for o in lead.observations.find())  # nothing was expanded
        assert result.problems == [] or not result.written


def test_a_megabyte_cell_is_reported_and_an_error_cell_counts_as_unscored(lead, tmp_path):
    base = write_xlsx(tmp_path / "dasar.xlsx", [HEAD])
    cell = lambda ref, text: f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'  # noqa: E731
    rows = ('<row r="1">' + "".join(cell(f"{c}1", h) for c, h in zip("ABCDEF", HEAD, strict=True)) + "</row>"
            + '<row r="2">' + cell("A2", "SAMSAT-PRV") + cell("B2", "1.a.Ak") + '<c r="C2"><v>3</v></c>'
            + cell("D2", "Eka") + cell("E2", "x" * 2**20) + "</row>"
            + '<row r="3">' + cell("A3", "SAMSAT-PRV") + cell("B3", "2.a.P") + '<c r="C3" t="e"><v>#DIV/0!</v></c>'
            + cell("D3", "Eka") + "</row>")
    path = rezip(base, tmp_path / "sel.xlsx", {"xl/worksheets/sheet1.xml": sheet_xml(rows)})
    result = lead.exchange.import_observations([path])
    assert [(p.location.row, p.location.column, p.reason) for p in result.problems] == [
        (2, "E (catatan)", "teks 1048576 karakter, melebihi batas 32767")]
    assert not result.written and lead.observations.find() == []
    result = lead.exchange.import_observations([path], skip_invalid=True)
    # calamine reads an error cell as empty: the row brings nothing, and the unit stays unscored there
    assert result.written and lead.observations.find() == []
    assert lead.observations.progress(evaluator="Eka")["SAMSAT-PRV"].scored == 0


def test_formulas_merged_cells_hidden_sheets_and_1904_dates(lead, tmp_path):
    book = openpyxl.Workbook()
    book.epoch = CALENDAR_MAC_1904
    secret = book.active
    secret.title = "Rahasia"
    secret.append(["bukan data"])
    secret.sheet_state = "hidden"
    sheet = book.create_sheet("Nilai")
    sheet.append(HEAD)
    sheet.append(["SAMSAT-PRV", "1.a.Ak", 3, "Eka", "", datetime.date(2026, 3, 8)])
    sheet.append(["SAMSAT-PRV", "2.a.P", "=2+2", "Eka", "rumus tanpa nilai tersimpan", ""])
    sheet.append(["DUKCAPIL-KTA", "3.a.T", 4, "Eka", "", ""])
    sheet.append([None, "4.a.K", 4, "Eka", "", ""])
    sheet.merge_cells("A4:A5")  # a merged unit code: only the top cell holds it
    buffer = io.BytesIO()
    book.save(buffer)
    (tmp_path / "campur.xlsx").write_bytes(buffer.getvalue())
    result = lead.exchange.import_observations([tmp_path / "campur.xlsx"])
    assert result.files[0].sheet == "Nilai"  # the hidden sheet is skipped
    assert [(p.location.row, p.reason) for p in result.problems] == [
        (5, "diharapkan kode_unit, tetapi sel kosong")]
    result = lead.exchange.import_observations([tmp_path / "campur.xlsx"], skip_invalid=True)
    got = {(o.unit, o.indicator): o for o in lead.observations.find()}
    assert got[("SAMSAT-PRV", "1.a.Ak")].observed_on == "2026-03-08"  # 1904 date system read correctly
    assert ("SAMSAT-PRV", "2.a.P") in got and got[("SAMSAT-PRV", "2.a.P")].score is None  # no cached value
    assert got[("DUKCAPIL-KTA", "3.a.T")].score == 4
