"""The respondents' side: questionnaires from real files (CSV from Indonesian Excel, Google Forms, ods made
by LibreOffice), checked, stored once, and reported as IKM, sample adequacy and F-03 means."""

import json
import sqlite3

import openpyxl
import pytest

from tests.helpers import DATA, dump, excel_csv, published_example, run, write_xlsx
from workbench import Workbook
from workbench.domain.instrument import load

SKM = load("skm-2017")


@pytest.fixture
def office(tmp_path):
    with Workbook.create(tmp_path / "kantor.sqlite", period="PEKPPP 2026") as wb:
        wb.registry.add_unit("DPMPTSP-KTA", "DPMPTSP Kota Arga", "Pemerintah Kota Arga")
        wb.registry.add_unit("SAMSAT-PRV", "Samsat Induk", "Pemerintah Provinsi Bahari")
    return tmp_path / "kantor.sqlite"


def test_the_published_example_from_an_excel_csv_gives_91_48_and_90_56(office, tmp_path, capsys):
    sheet = excel_csv(tmp_path / "skm.csv", published_example())
    code, out, err = run(capsys, "survey", "import", office, sheet, "--unit", "DPMPTSP-KTA")
    assert code == 0 and "29 responden skm" in out, err
    for mode, nik in (("exact", 91.48), ("0.11", 90.56)):
        code, out, _ = run(capsys, "survey", "results", office, "--json", "--weight-mode", mode)
        result = json.loads(out)[0]
        assert (result["unit"], result["respondents"], result["nik"], result["mutu"]) == ("DPMPTSP-KTA", 29, nik, "A")
    assert result["lowest"] == "waktu" and result["nrr"]["biaya"] == 4.0
    assert result["profile"]["jenis_kelamin"] == {"Laki-laki": 15, "Perempuan": 14}
    assert result["profile"]["usia"] == {"25-34": 4, "35-44": 10, "45-54": 10, "≥ 55": 5}
    with Workbook(office) as wb:
        first = wb.surveys.respondents(unit="DPMPTSP-KTA")[0]
        assert first.number == 1 and first.profile == {"jenis_kelamin": "L", "usia": "31"}
        assert first.source == "skm.csv" and wb.maintenance.check() == []
    code, out, _ = run(capsys, "survey", "import", office, sheet, "--unit", "DPMPTSP-KTA")
    assert code == 0 and "sudah pernah diimpor" in out  # a file imported twice adds nothing


def test_a_utf8_csv_with_a_bom_and_a_unit_column(office, tmp_path):
    path = tmp_path / "bom.csv"
    path.write_text("\ufeffkode_unit,U1,U2,U3,U4,U5,U6,U7,U8,U9\nSAMSAT-PRV,4,4,3,4,3,4,4,3,4\n"
                    "DPMPTSP-KTA,3,3,3,3,3,3,3,3,3\n", encoding="utf-8")
    with Workbook(office) as wb:
        done = wb.exchange.import_survey(path)
        assert done.added == 2 and done.problems == []
        assert {r.unit: r.answers["persyaratan"] for r in wb.surveys.respondents()} == {"SAMSAT-PRV": 4,
                                                                                         "DPMPTSP-KTA": 3}


def test_a_google_forms_sheet_with_question_texts_and_answer_labels(office, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Timestamp", "Jenis kelamin", *(f"{n}. {u.question}" for n, u in enumerate(SKM.unsur, 1))])
    sheet.append(["2026/11/28 9:14:01 AM GMT+7", "Perempuan", *(u.options[3] for u in SKM.unsur)])
    sheet.append(["2026/11/28 9:20:45 AM GMT+7", "Laki-laki", *(u.options[1] for u in SKM.unsur)])
    path = tmp_path / "google-forms.xlsx"
    book.save(path)
    with Workbook(office) as wb:
        done = wb.exchange.import_survey(path, unit="SAMSAT-PRV")
        assert done.added == 2 and done.file.header_row == 1
        stored = wb.surveys.respondents(unit="SAMSAT-PRV")
        assert [set(r.answers.values()) for r in stored] == [{4}, {2}]
        assert stored[0].profile == {"jenis_kelamin": "P"}  # "Perempuan" as the form wrote it
        assert wb.surveys.results()["SAMSAT-PRV"].nik == 75.0


def test_headers_named_by_the_user_are_remembered_for_the_next_file(office, tmp_path, capsys):
    rows = ["Kode;Jenis kelamin;" + ";".join(f"Pertanyaan {n}" for n in range(1, 10)),
            "SAMSAT-PRV;P;" + ";".join("4" * 9)]
    first, second = tmp_path / "gelombang-1.csv", tmp_path / "gelombang-2.csv"
    first.write_text("\n".join(rows), encoding="utf-8")
    second.write_text("\n".join([*rows, "SAMSAT-PRV;L;" + ";".join("3" * 9)]), encoding="utf-8")
    code, _, err = run(capsys, "survey", "import", office, first)
    assert code == 1 and "gelombang-1.csv, lembar 'gelombang-1': tidak ditemukan kolom pertanyaan" in err
    code, _, err = run(capsys, "survey", "import", office, first, "--map", "Pertanyaan 1=Persyaratan",
                       "--map", "Kode=kode_unit", *(a for n in range(2, 10) for a in ("--map", f"Pertanyaan {n}=U{n}")))
    assert code == 0, err
    code, out, err = run(capsys, "survey", "import", office, second)  # the same headers, no --map this time
    assert code == 0 and "2 responden skm" in out, err
    code, _, err = run(capsys, "survey", "import", office, first, "--map", "Pertanyaan 1=U12")
    assert code == 1 and "'Pertanyaan 1=U12' (pilihan: U1-U9, persyaratan" in err
    with Workbook(office) as wb:
        assert sorted(r.answers["sarana"] for r in wb.surveys.respondents(unit="SAMSAT-PRV")) == [3, 4, 4]


def test_f03_from_an_ods_made_by_libreoffice_and_its_means_by_hand(office):
    with Workbook(office) as wb:
        done = wb.exchange.import_survey(DATA / "survei-f03a.ods", form="f03a", unit="DPMPTSP-KTA")
        assert done.added == 4 and done.problems == []
        result = wb.surveys.f03_results(form="f03a")[0]
    # item 1.a.K1: (5 + 4 + 5 + 4) / 4 = 4.5; aspect III (items 8-11): (2.5 + 3.5 + 2.0 + 3.5) / 4 = 2.875
    assert result.items["1.a.K1"] == 4.5 and result.items["10.c.As"] == 2.0
    assert result.aspects == {"I": 4.25, "II": 4.33, "III": 2.88, "IV": 4.25, "V": 3.5}
    assert result.respondents == 4 and result.mean == 3.82  # 53.5 / 14


def test_bad_answers_are_listed_with_their_cells_and_nothing_is_written(office, tmp_path, capsys):
    path = tmp_path / "salah.csv"
    path.write_text("kode_unit;U1;U2;U3;U4;U5;U6;U7;U8;U9\n"
                    "DPMPTSP-KTA;5;3;3;3;3;3;3;3;3\n"
                    "DPMPTSP-KTA;3;;3;3;3;3;3;3;3\n"
                    "UNIT-X;3;3;3;3;3;3;3;3;3\n"
                    "SAMSAT-PRV;Lumayan;3;3;3;3;3;3;3;3\n", encoding="utf-8")
    profiles = tmp_path / "profil.xlsx"
    write_xlsx(profiles, [["kode_unit", "Jenis kelamin", "Usia", *(f"U{n}" for n in range(1, 10))],
                           ["SAMSAT-PRV", "X", 34, *[3] * 9], ["SAMSAT-PRV", "Laki-laki", "tiga puluh", *[3] * 9],
                           ["SAMSAT-PRV", "pria", 34.0, *[4] * 9]])
    with Workbook(office) as wb:
        before = dump(wb)
    code, out, err = run(capsys, "survey", "import", office, path)
    assert code == 1 and "TIDAK disimpan" in out
    for expected in ("salah.csv, baris 2, kolom U1 (persyaratan): 5 bukan jawaban skala 1-4",
                     "baris 3, kolom U2 (prosedur): jawaban kosong", "baris 4, kolom kode_unit (kode_unit): Kode unit "
                     "tidak dikenal: UNIT-X", "baris 5, kolom U1 (persyaratan): Lumayan bukan jawaban skala 1-4 (Tidak "
                     "sesuai, Kurang sesuai, Sesuai, Sangat sesuai)"):
        assert expected in err, err
    code, out, err = run(capsys, "survey", "import", office, profiles)
    assert code == 1 and "profil.xlsx, lembar 'Data', baris 2, kolom B (jenis_kelamin): 'X' bukan jenis kelamin " \
        "(L atau P)" in err and "baris 3, kolom C (usia): 'tiga puluh' bukan usia dalam tahun (10-120)" in err, err
    with Workbook(office) as wb:
        assert dump(wb) == before
        skipped = wb.exchange.import_survey(path, skip_invalid=True)
        assert skipped.added == 0 and skipped.file.invalid_rows == 4 and skipped.written


def test_sample_adequacy_follows_the_krejcie_morgan_table(office, capsys):
    with Workbook(office) as wb:
        wb.surveys.set_population("DPMPTSP-KTA", 1000)
        for _ in range(3):
            wb.surveys.add(unit="DPMPTSP-KTA", answers={u.key: 3 for u in SKM.unsur})
    code, out, _ = run(capsys, "survey", "status", office, "--json")
    status = {s["unit"]: s for s in json.loads(out)}
    assert status["DPMPTSP-KTA"] | {"population": 1000, "sample": 278, "collected": 3, "enough": False} == \
        status["DPMPTSP-KTA"]
    assert status["SAMSAT-PRV"]["sample"] is None


def test_answers_changed_outside_the_app_are_named_by_check(office, capsys):
    with Workbook(office) as wb:
        typed = wb.surveys.add(unit="DPMPTSP-KTA", answers={u.key: 2 for u in SKM.unsur}, number=7)
        wb.surveys.set_answer(typed.uuid, "biaya", 4)
        assert wb.surveys.respondent(typed.uuid).answers["biaya"] == 4 and wb.maintenance.check() == []
    conn = sqlite3.connect(office)
    with conn:
        conn.execute("UPDATE respondents SET answers = replace(answers, '\"waktu\":2', '\"waktu\":4')")
    conn.close()
    code, out, _ = run(capsys, "check", office)
    assert code == 1 and f"survei {typed.uuid}: responden atau jawaban diubah di luar aplikasi" in out


def test_the_skm_report_and_f03_in_the_evaluation_report(office, tmp_path, capsys):
    from pypdf import PdfReader

    from tests.helpers import score_all

    sheet = excel_csv(tmp_path / "skm.csv", published_example())
    with Workbook(office) as wb:
        wb.exchange.import_survey(sheet, unit="DPMPTSP-KTA")
        wb.exchange.import_survey(DATA / "survei-f03a.ods", form="f03a", unit="DPMPTSP-KTA")
        wb.surveys.set_population("DPMPTSP-KTA", 1000)
        score_all(wb, "DPMPTSP-KTA", "Ani", lambda i: 4)
        wb.observations.save(unit="DPMPTSP-KTA", indicator="6.a.B", evaluator="Ani",
                             recommendation="Tindak lanjuti unsur waktu penyelesaian")
    code, out, _ = run(capsys, "survey", "report", office, "--unit", "DPMPTSP-KTA", "--out", tmp_path / "skm.pdf")
    assert code == 0
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(tmp_path / "skm.pdf").pages).split())
    for expected in ("LAPORAN SURVEI KEPUASAN MASYARAKAT", "29 1000 278 91,48 A Sangat Baik", "Laki-laki 15 52%",
                     "Waktu Penyelesaian 3,448", "Unsur dengan nilai terendah: Waktu Penyelesaian",
                     "Ani: Tindak lanjuti unsur waktu penyelesaian"):
        assert expected in text, expected
    assert run(capsys, "reports", office, "--out", tmp_path / "laporan", "--unit", "DPMPTSP-KTA")[0] == 0
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(tmp_path / "laporan" /
                                                                 "laporan-DPMPTSP-KTA.pdf").pages).split())
    assert "Persepsi pengguna layanan (F-03)" in text and "F-03 A 4 4,25 4,33 2,88 4,25 3,50 3,82" in text


def test_f03_stays_beside_the_ipp_unless_the_setting_blends_it_in(office):
    from tests.helpers import score_all

    with Workbook(office) as wb:
        score_all(wb, "DPMPTSP-KTA", "Ani", lambda i: 4)
        wb.exchange.import_survey(DATA / "survei-f03a.ods", form="f03a", unit="DPMPTSP-KTA")
        assert wb.results.scores()[0].ipp == 4.0  # by default F-03 is reported beside the IPP
        wb.settings.set("f03_weight", 20, wb.registry.period())
        assert wb.results.scores()[0].ipp == 3.96  # 0.8 x 4.00 + 0.2 x 3.82 (53.5 / 14)
        assert wb.results.page()[0].ipp == 3.96 and wb.maintenance.check() == []  # the cache follows at once
        wb.exchange.import_survey(DATA / "survei-f03a.ods", form="f03a", unit="SAMSAT-PRV")
        assert [(r.unit, r.ipp) for r in wb.results.page()] == [(r.unit, r.ipp) for r in wb.results.scores()]


def test_reading_a_form_never_writes_its_first_questionnaire_stores_it(office):
    """A workbook made before the F-03 forms shipped: reading the form uses the shipped questionnaire and writes
    nothing; the first questionnaire stores the form with it (a respondent refers to it)."""
    with sqlite3.connect(office) as conn:
        conn.execute("DELETE FROM instruments WHERE id = 'f03b-2022'")
    before = office.read_bytes()
    with Workbook(office) as wb:
        assert len(wb.surveys.instrument("f03b").unsur) == len(load("f03b-2022").unsur)
        assert wb.surveys.status(form="f03b", unit="SAMSAT-PRV")[0].collected == 0
        assert wb.surveys.f03_results(form="f03b") == []
    assert office.read_bytes() == before
    with Workbook(office) as wb:
        wb.surveys.add(unit="SAMSAT-PRV", form="f03b", answers={"1.a.K1": 4})
        assert wb.registry.instrument("f03b-2022").id == "f03b-2022"
        assert wb.surveys.f03_results(form="f03b", unit="SAMSAT-PRV")[0].respondents == 1


def test_a_unit_with_an_element_unanswered_is_reported_incomplete(office, tmp_path, capsys):
    with Workbook(office) as wb:
        for _ in range(3):
            wb.surveys.add(unit="SAMSAT-PRV", answers={u.key: 3 for u in load("skm-2017").unsur if u.key != "biaya"})
    code, out, _ = run(capsys, "survey", "results", office, "--json")
    found = next(r for r in json.loads(out) if r["unit"] == "SAMSAT-PRV")
    assert code == 0 and found["ikm"] is None and found["nik"] is None and found["missing"] == ["biaya"]
    assert found["mutu"] is None and found["respondents"] == 3
    code, out, _ = run(capsys, "survey", "results", office)
    assert "belum lengkap: biaya tanpa jawaban" in out
    code, _, err = run(capsys, "survey", "report", office, "--unit", "SAMSAT-PRV", "--out", tmp_path / "skm.pdf")
    assert code == 1 and "unsur biaya belum dijawab" in err and not (tmp_path / "skm.pdf").exists()


@pytest.mark.parametrize("collected, enough, over", [(9, False, False), (10, True, False), (21, True, True)])
def test_f03_progress_follows_ten_to_twenty_respondents_while_skm_keeps_krejcie_morgan(office, collected, enough,
                                                                                      over):
    with Workbook(office) as wb:
        wb.surveys.set_population("SAMSAT-PRV", 1000, form="f03a")  # no bearing on F-03's sample
        with wb.transaction():
            for _ in range(collected):
                wb.surveys.add(unit="SAMSAT-PRV", form="f03a", answers={"1.a.K1": 4})
        status = wb.surveys.status(form="f03a", unit="SAMSAT-PRV")[0]
        assert (status.sample, status.maximum, status.collected) == (10, 20, collected)
        assert (status.enough, status.over) == (enough, over)
        wb.surveys.set_population("SAMSAT-PRV", 1000)
        assert wb.surveys.status(unit="SAMSAT-PRV")[0].sample == 278  # SKM: Krejcie-Morgan
        wb.settings.set("f03_min_respondents", "12", wb.registry.period())
        assert wb.surveys.status(form="f03a", unit="SAMSAT-PRV")[0].enough == (collected >= 12)


def test_an_f03b_sheet_may_spell_item_9_either_way(office, tmp_path):
    inst = load("f03b-2022")
    for spelling in ("9.c.As", "9.c.Ak"):
        keys = [spelling if u.key == "9.c.As" else u.key for u in inst.unsur]
        sheet = write_xlsx(tmp_path / f"f03b-{spelling}.xlsx", [["kode_unit", *keys], ["SAMSAT-PRV", *[4] * len(keys)]])
        with Workbook(office) as wb:
            assert wb.exchange.import_survey(sheet, form="f03b").added == 1
            assert wb.surveys.respondents(form="f03b")[-1].answers["9.c.As"] == 4
