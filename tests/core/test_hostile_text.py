"""Hostile text end to end: what enters is cleaned once at the edge or refused naming the field, so that no
later command fails on stored text; and the commands that used to crash give one line and exit 1."""

import csv
import os
import random
import shutil
import unicodedata

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from tests.helpers import dump, run, score_all, write_xlsx
from workbench import Workbook
from workbench.domain import values
from workbench.errors import DiskFull, ValidationFailed, WorkbenchError

NASTY = "Dinas\x1b[31m Merah\x07\x00 \u202eTIDAK\u202c Sah\ufeff\u200b"


@pytest.fixture
def office(tmp_path):
    path = tmp_path / "kantor.sqlite"
    with Workbook.create(path, period="PEKPPP 2026") as wb:
        wb.registry.add_unit("U1", NASTY, "Pemda\tKota\r\nContoh")
        score_all(wb, "U1", "Ani", lambda i: 4)
    return path


def test_control_and_direction_characters_are_dropped_where_text_enters(office, tmp_path, capsys):
    with Workbook(office) as wb:
        unit = wb.registry.unit("U1")
        assert (unit.name, unit.institution) == ("Dinas[31m Merah TIDAK Sah", "Pemda Kota Contoh")
    assert run(capsys, "export", office, "--out", tmp_path / "hasil.xlsx")[0] == 0
    assert run(capsys, "template", office, "--out", tmp_path / "templat.xlsx", "--evaluator", "Ani")[0] == 0
    bad = write_xlsx(tmp_path / "salah.xlsx", [["kode_unit", "kode_indikator", "nilai", "evaluator"],
                                              ["U1", "1.a.Ak", "sembilan", "Ani"]])
    code, _, _ = run(capsys, "import", office, bad, "--report", tmp_path / "masalah.xlsx")
    assert code == 1 and openpyxl.load_workbook(tmp_path / "masalah.xlsx").active.max_row == 2
    assert openpyxl.load_workbook(tmp_path / "hasil.xlsx").active is not None


def test_overlong_text_is_refused_naming_the_field_and_nothing_is_written(office, tmp_path):
    with Workbook(office) as wb:
        before = dump(wb)
        with pytest.raises(WorkbenchError, match="^Nama unit: teks 1000000 karakter, melebihi batas 250$"):
            wb.registry.add_unit("U2", "x" * 1_000_000, "Pemda")
        with pytest.raises(WorkbenchError, match="^notes: teks 40000 karakter, melebihi batas 32767$"):
            wb.observations.save(unit="U1", indicator="1.a.Ak", evaluator="Ani", notes="n" * 40_000)
        with pytest.raises(WorkbenchError, match="^Kode unit tidak boleh kosong$"):
            wb.registry.add_unit("\x00 ", "Dinas", "Pemda")
        assert dump(wb) == before
        sheet = write_xlsx(tmp_path / "unit.xlsx", [["kode_unit", "nama_unit", "instansi"], ["U9", "y" * 300, "Pemda"]])
        with pytest.raises(ValidationFailed) as caught:
            wb.exchange.import_units(sheet)
        assert str(caught.value.problems[0]).startswith("unit.xlsx, lembar 'Data', baris 2, kolom B (nama_unit)")
        assert "teks 300 karakter, melebihi batas 250" in str(caught.value.problems[0])
        assert dump(wb) == before


def test_long_notes_and_codes_with_slashes_make_reports(tmp_path, capsys):
    path = tmp_path / "kantor.sqlite"
    long_note = ("Loket pengaduan belum memiliki SOP tertulis; " * 60).strip()  # about 2,700 characters
    with Workbook.create(path, period="PEKPPP 2026") as wb:
        wb.registry.add_unit("DIS/01", "Dinas Satu", "Pemda")
        score_all(wb, "DIS/01", "Ani", lambda i: 4)
        wb.observations.save(unit="DIS/01", indicator="1.a.Ak", evaluator="Ani", notes=long_note + " AKHIR-1")
        wb.observations.save(unit="DIS/01", indicator="2.a.P", evaluator="Ani", notes="m " * 16_000 + "AKHIR-2")
    code, _, err = run(capsys, "reports", path, "--out", tmp_path / "laporan")
    assert code == 0, err
    pdf = tmp_path / "laporan" / "laporan-DIS-01.pdf"
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "AKHIR-1" in text and "AKHIR-2" in text and len(PdfReader(pdf).pages) > 5


def test_a_second_period_of_the_same_year_gets_a_clear_numbering_error(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_PASSPHRASE", "kunci-rahasia")
    with Workbook.create(tmp_path / "kantor.sqlite", period="PEKPPP 2026") as wb:
        wb.registry.add_unit("U1", "Dinas Satu", "Pemda")
        wb.certificates.init_keys("kunci-rahasia")
        for period in ("PEKPPP 2026", "PEKPPP 2026 susulan"):
            if period != "PEKPPP 2026":
                wb.registry.add_period(period, year=2026)
            score_all(wb, "U1", "Ani", lambda i: 5, period=period)
            wb.observations.finalize(evaluator="Ani", period=period)
        assert wb.certificates.issue("kunci-rahasia", "PEKPPP 2026")[0].number == "001/PP/2026"
        before = dump(wb)
        with pytest.raises(WorkbenchError, match="Nomor piagam 001/PP/2026 sudah dipakai periode PEKPPP 2026"):
            wb.certificates.issue("kunci-rahasia", "PEKPPP 2026 susulan")
        assert dump(wb) == before
        settings = wb.certificates.settings("PEKPPP 2026 susulan")
        settings.numbering = "{seq:03d}/PP/{period}"
        wb.certificates.save_settings(settings, "PEKPPP 2026 susulan")
        assert wb.certificates.issue("kunci-rahasia", "PEKPPP 2026 susulan")[0].number == "001/PP/PEKPPP 2026 susulan"


def test_a_full_disk_during_an_import_is_one_clear_error_and_writes_nothing(lead, tmp_path):
    rows = [["kode_unit", "kode_indikator", "nilai", "evaluator", "catatan"]]
    rows += [["DPMPTSP-KTA", "1.a.Ak", 4, f"Evaluator {n}", "catatan panjang " * 40] for n in range(400)]
    sheet = write_xlsx(tmp_path / "besar.xlsx", rows)
    before = dump(lead)
    pages = lead.store.value("PRAGMA page_count")
    lead.store.conn.execute(f"PRAGMA max_page_count = {pages + 20}")  # SQLite's own "disk is full" (SQLITE_FULL)
    with pytest.raises(DiskFull, match="^ketua-tim.sqlite: disk penuh; tidak ada yang ditulis"):
        lead.exchange.import_observations([sheet])
    assert dump(lead) == before


def test_evidence_from_a_device_or_a_folder_is_refused_at_once(office, tmp_path):
    with Workbook(office) as wb:
        obs = wb.observations.find(unit="U1")[0]
        for target in ("/dev/zero", str(tmp_path)):
            with pytest.raises(WorkbenchError, match="bukan berkas biasa"):
                wb.evidence.add(obs.uuid, target)
        assert not wb.evidence.folder.exists() or not any(f.is_file() for f in wb.evidence.folder.rglob("*"))


def test_empty_and_read_only_files_are_named_for_what_they_are(tmp_path, capsys):
    (tmp_path / "kosong.sqlite").write_bytes(b"")
    code, _, err = run(capsys, "check", tmp_path / "kosong.sqlite")
    assert code == 1 and "kosong.sqlite: berkas kosong, bukan basis data workbench" in err
    assert (tmp_path / "kosong.sqlite").stat().st_size == 0


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root may write to any file")
def test_a_read_only_database_says_so(office, capsys):
    office.chmod(0o444)
    code, _, err = run(capsys, "status", office)
    assert code == 1 and "hanya-baca" in err


def test_csv_writers_never_write_a_formula(office, tmp_path, capsys):
    with Workbook(office) as wb:
        wb.registry.add_unit("=cmd|' /C calc'!A0", "+SUM(1)", "@Pemda")
        wb.observations.save(unit="=cmd|' /C calc'!A0", indicator="1.a.Ak", evaluator="-Ani", score=3)
    code, out, _ = run(capsys, "scores", office, "--csv")
    cells = [c for row in csv.reader(out.splitlines()) for c in row]
    assert "'=cmd|' /C calc'!A0" in cells and "'+SUM(1)" in cells
    assert not any(c[:1] in "=+-@" for c in cells if c)
    bad = write_xlsx(tmp_path / "salah.xlsx", [["kode_unit", "kode_indikator", "nilai", "evaluator"],
                                              ["@HYPERLINK(\"http://x\")", "1.a.Ak", "9", "Ani"]])
    assert run(capsys, "import", office, bad, "--report", tmp_path / "masalah.csv")[0] == 1
    cells = [c for row in csv.reader((tmp_path / "masalah.csv").open(encoding="utf-8-sig")) for c in row]
    assert any(c.startswith("'@HYPERLINK") for c in cells) and not any(c[:1] in "=+-@" for c in cells if c)


def test_a_database_with_damaged_pages_is_reported_never_raised(office, tmp_path, capsys):
    """Forty copies, each with a few random pages overwritten: `check` says sound or names the damage."""
    rng = random.Random(20261128)
    size = office.stat().st_size
    outcomes = set()
    for n in range(40):
        copy = tmp_path / f"rusak-{n}.sqlite"
        shutil.copy(office, copy)
        with copy.open("r+b") as handle:
            for _ in range(rng.randint(1, 3)):
                page = rng.randrange(size // 4096)
                handle.seek(page * 4096 + rng.randrange(4096 - 64))
                handle.write(rng.randbytes(rng.randint(1, 64)))
        code, out, err = run(capsys, "check", copy)
        assert code in (0, 1) and "Traceback" not in out + err, out + err
        outcomes.add(code)
    assert outcomes == {0, 1} or outcomes == {1}


@given(st.text(max_size=400))
def test_the_normaliser_leaves_only_visible_nfc_text(raw):
    cleaned = values.text(raw)
    assert cleaned == values.text(cleaned)  # once is enough
    assert unicodedata.is_normalized("NFC", cleaned)
    assert not any(unicodedata.category(c) in ("Cc", "Cs") or c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068"
                   "\u2069\ufeff\u200b" for c in cleaned)
    assert cleaned == cleaned.strip() and "  " not in cleaned
    try:
        bounded = values.bounded(raw, "name")
    except ValueError:
        assert len(cleaned) > values.LIMITS["name"]
    else:
        assert bounded == cleaned and len(bounded) <= values.LIMITS["name"]
