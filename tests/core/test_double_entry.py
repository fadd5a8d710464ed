"""Double entry of paper questionnaires: five printed sheets keyed twice with two planted differences, listed
exactly, reconciled (audited), and the IKM counting only the sheets that agree or were settled."""

import json

import pytest

from tests.helpers import run, write_xlsx
from workbench import Workbook
from workbench.domain.instrument import load
from workbench.errors import WorkbenchError

SKM = [u.key for u in load("skm-2017").unsur]


@pytest.fixture
def office(tmp_path):
    with Workbook.create(tmp_path / "kantor.sqlite", period="PEKPPP 2026", actor="Ketua") as wb:
        wb.registry.add_unit("SAMSAT-PRV", "Samsat Induk", "Pemerintah Provinsi Bahari")
        wb.settings.set("double_entry", "1", wb.registry.period())
        wb.surveys.print_sheets("SAMSAT-PRV", count=6)
    return tmp_path / "kantor.sqlite"


def key(wb, serial, answers, *, entry, profile=None):
    sheet = wb.surveys.sheet_for_entry(str(serial), unit="SAMSAT-PRV", entry=entry)
    return wb.surveys.add(unit="SAMSAT-PRV", answers=answers, profile=profile, sheet=sheet, entry=entry)


def test_two_keyings_with_planted_differences_are_listed_exactly_and_reconciled(office, capsys):
    paper = {n: {k: (n + i) % 4 + 1 for i, k in enumerate(SKM)} for n in range(1, 6)}
    with Workbook(office, actor="Operator Satu") as wb:
        for n in range(1, 6):
            key(wb, n, paper[n], entry=1, profile={"jenis_kelamin": "P"} if n == 1 else None)
        assert wb.surveys.waiting() == {"SAMSAT-PRV": 5}  # keyed once: nothing counts yet
        assert "SAMSAT-PRV" not in wb.surveys.results()
    second = {n: dict(paper[n]) for n in range(1, 6)}
    second[2]["biaya"] = 5 - paper[2]["biaya"]  # a slip of the second operator
    second[4]["sarana"] = 5 - paper[4]["sarana"]
    with Workbook(office, actor="Operator Dua") as wb:
        with pytest.raises(WorkbenchError, match="sudah dimasukkan"):
            key(wb, 1, paper[1], entry=1)  # the first keying once only
        for n in range(1, 6):
            key(wb, n, second[n], entry=2, profile={"jenis_kelamin": "L"} if n == 1 else None)
        with pytest.raises(WorkbenchError, match="sudah dimasukkan"):
            key(wb, 3, second[3], entry=2)
        found = wb.surveys.compare()
        assert [(d.serial, d.field, d.first, d.second) for d in found.differences] == [
            (1, "jenis_kelamin", "P", "L"), (2, "biaya", paper[2]["biaya"], second[2]["biaya"]),
            (4, "sarana", paper[4]["sarana"], second[4]["sarana"])]
        assert (found.agreed, found.decided, found.waiting) == (2, 0, {})
        rates = {r.operator: (r.sheets, r.differing) for r in found.rates}
        assert rates == {"Operator Satu": (5, 3), "Operator Dua": (5, 3)}
        assert wb.surveys.results()["SAMSAT-PRV"].respondents == 2  # sheets 3 and 5 agree
        assert wb.surveys.waiting() == {"SAMSAT-PRV": 3}
    code, out, _ = run(capsys, "survey", "compare", office, "--json")
    listed = json.loads(out)
    assert code == 0 and [d["sheet"] for d in listed["differences"]] == [
        "SAMSAT-PRV/skm/0001", "SAMSAT-PRV/skm/0002", "SAMSAT-PRV/skm/0004"]
    code, _, err = run(capsys, "survey", "reconcile", office, "--unit", "SAMSAT-PRV", "--sheet", "2", "--reason",
                       "Dilihat di kertas")
    assert code == 1 and "Putuskan juga: biaya" in err
    assert run(capsys, "survey", "reconcile", office, "--unit", "SAMSAT-PRV", "--sheet", "2", "--set",
               f"biaya={paper[2]['biaya']}", "--reason", "Dilihat di kertas", "--as", "Ketua Tim")[0] == 0
    with Workbook(office) as wb:
        wb.surveys.reconcile("SAMSAT-PRV", 4, values={"sarana": paper[4]["sarana"]}, reason="Kertas jelas")
        wb.surveys.reconcile("SAMSAT-PRV", 1, values={"jenis_kelamin": "P"}, reason="Kertas jelas")
        assert wb.surveys.compare().differences == [] and wb.surveys.compare().decided == 3
        assert wb.surveys.waiting() == {}
        result = wb.surveys.results()["SAMSAT-PRV"]
        assert result.respondents == 5 and result.nrr["biaya"] == pytest.approx(
            sum(paper[n]["biaya"] for n in range(1, 6)) / 5)  # the paper's values, not the slips
        [entry] = [e for e in wb.audit.entries() if e["entity"] == "survey_decision" and e["actor"] == "Ketua Tim"]
        assert entry["reason"] == "Dilihat di kertas"
        assert wb.surveys.profiles()["SAMSAT-PRV"]["jenis_kelamin"]["Perempuan"] == 1


def test_a_second_keying_from_a_spreadsheet_names_its_sheets(office, tmp_path, capsys):
    with Workbook(office, actor="Operator Satu") as wb:
        for n in (1, 2):
            key(wb, n, {k: 3 for k in SKM}, entry=1)
    rows = [["kode_unit", "nomor", *SKM], ["SAMSAT-PRV", 1, *[3] * 9], ["SAMSAT-PRV", 2, *[3] * 8, 4]]
    sheet = write_xlsx(tmp_path / "entri-2.xlsx", rows)
    code, out, err = run(capsys, "survey", "import", office, sheet, "--entry", "2")
    assert code == 0, err
    found = json.loads(run(capsys, "survey", "compare", office, "--json")[1])
    assert [(d["serial"], d["field"], d["first"], d["second"]) for d in found["differences"]] == [(2, "sarana", 3, 4)]
    bad = write_xlsx(tmp_path / "entri-2-salah.xlsx", [["kode_unit", "nomor", *SKM], ["SAMSAT-PRV", 9, *[3] * 9],
                                                      ["SAMSAT-PRV", 1, *[3] * 9], ["SAMSAT-PRV", None, *[3] * 9]])
    code, _, err = run(capsys, "survey", "import", office, bad, "--entry", "2")
    assert code == 1 and "baris 2, kolom nomor: lembar 9 tidak pernah dicetak" in err
    assert "baris 3, kolom nomor: lembar 1 sudah diketik untuk entri kedua" in err
    assert "baris 4, kolom nomor: nomor lembar wajib untuk entri kedua" in err


def test_without_double_entry_a_second_keying_is_refused_and_every_sheet_counts(tmp_path, capsys):
    with Workbook.create(tmp_path / "biasa.sqlite", period="PEKPPP 2026") as wb:
        wb.registry.add_unit("U1", "Unit", "Instansi")
        [sheet] = wb.surveys.print_sheets("U1", count=1)
        wb.surveys.add(unit="U1", answers={k: 4 for k in SKM}, sheet=sheet)
        with pytest.raises(WorkbenchError, match="Entri kedua hanya"):
            wb.surveys.add(unit="U1", answers={k: 4 for k in SKM}, sheet=sheet, entry=2)
        assert wb.surveys.results()["U1"].respondents == 1 and wb.surveys.waiting() == {}


def test_a_decision_changed_outside_the_app_is_named_by_check(office):
    import sqlite3

    with Workbook(office, actor="Operator Satu") as wb:
        key(wb, 1, {k: 3 for k in SKM}, entry=1)
    with Workbook(office, actor="Operator Dua") as wb:
        key(wb, 1, {k: 3 if k != "biaya" else 2 for k in SKM}, entry=2)
        wb.surveys.reconcile("SAMSAT-PRV", 1, values={"biaya": 3}, reason="Kertas")
        assert wb.maintenance.check() == []
    with sqlite3.connect(office) as conn:
        conn.execute("""UPDATE survey_decisions SET answers = replace(answers, '"biaya":3', '"biaya":1')""")
    with Workbook(office) as wb:
        assert any("keputusan entri ganda diubah di luar aplikasi" in p for p in wb.maintenance.check())
