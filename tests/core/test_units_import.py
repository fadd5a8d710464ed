import pytest

from tests.helpers import write_xlsx
from workbench.errors import SheetError, ValidationFailed


def test_units_sheet_with_title_rows_and_synonym_headers(wb, tmp_path):
    path = write_xlsx(tmp_path / "lokus.xlsx", [
        ["DAFTAR UNIT LOKUS PEKPPP 2026"],
        ["Provinsi Contoh"],
        [],
        ["No", "Kode UPP", "Nama UPP", "Nama Instansi", "Jenis Instansi", "Provinsi", "Alamat"],
        [1, "dpm-01", "  DPMPTSP  ", "Pemerintah Kota Sukamaju", "Pemda", "Jawa Tengah", "Jl. Merdeka 1"],
        [2, 1002, "Disdukcapil", "Pemerintah Kota Sukamaju", "Pemda", "Jawa Tengah", None],
        [None, None, None, None, None, None, None],
        [3, "U1", "DPMPTSP Kota Contoh (nama baru)", "Pemerintah Kota Contoh", None, None, None],
    ], title="Lokus")
    done = wb.exchange.import_units(path)
    assert (done.added, done.updated, done.unchanged) == (2, 1, 0)
    unit = wb.registry.unit("DPM-01")
    assert (unit.code, unit.name, unit.institution, unit.region, unit.address) == (
        "dpm-01", "DPMPTSP", "Pemerintah Kota Sukamaju", "Jawa Tengah", "Jl. Merdeka 1")
    assert wb.registry.unit("1002").name == "Disdukcapil"
    assert wb.registry.unit("U1").name == "DPMPTSP Kota Contoh (nama baru)"
    again = wb.exchange.import_units(path)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 3)


def test_every_problem_is_listed_with_its_place_and_nothing_is_written(wb, tmp_path):
    path = write_xlsx(tmp_path / "salah.xlsx", [
        ["kode_unit", "nama_unit", "instansi"],
        ["A1", "Unit A", "Instansi A"],
        ["A2", "", "Instansi A"],
        ["a1", "Unit A lagi", "Instansi A"],
    ], title="Unit")
    with pytest.raises(ValidationFailed) as caught:
        wb.exchange.import_units(path)
    messages = [str(p) for p in caught.value.problems]
    assert messages == [
        "salah.xlsx, lembar 'Unit', baris 3, kolom B (nama_unit): diharapkan nama_unit, tetapi sel kosong",
        "salah.xlsx, lembar 'Unit', baris 4, kolom A (kode_unit): kode 'a1' sudah ada di baris 2",
    ]
    assert str(caught.value).startswith("2 masalah; tidak ada yang disimpan.")
    assert sorted(u.code for u in wb.registry.units()) == ["U1", "U2"]


def test_missing_columns_and_unreadable_files(wb, tmp_path):
    path = write_xlsx(tmp_path / "kurang.xlsx", [["kode_unit", "nama_unit"], ["A1", "Unit A"]])
    with pytest.raises(SheetError, match="tidak ditemukan baris judul dengan kolom kode_unit, nama_unit, instansi"):
        wb.exchange.import_units(path)
    fake = tmp_path / "bukan.xlsx"
    fake.write_text("ini bukan lembar kerja")
    with pytest.raises(SheetError, match="bukan.xlsx: bukan lembar kerja yang dapat dibaca"):
        wb.exchange.import_units(fake)
    empty = write_xlsx(tmp_path / "kosong.xlsx", [])
    with pytest.raises(SheetError, match="lembar kosong"):
        wb.exchange.import_units(empty)
