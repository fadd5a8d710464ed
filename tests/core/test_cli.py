import json
import subprocess
import sys

import pytest

from tests.helpers import run, score_all, skm_responses, write_xlsx
from workbench import Workbook
from workbench.cli import build_parser, main


def test_every_command_has_help_text():
    parser = build_parser()
    actions = [a for a in parser._actions if a.dest == "command"][0].choices
    for name, sub in actions.items():
        assert sub.description, name
        for action in sub._actions:
            if action.dest in ("units_command", "keys_command"):
                assert all(s.description for s in action.choices.values())
            elif action.dest not in ("help",) and action.option_strings:
                assert action.help, f"{name} {action.option_strings}"


def test_init_list_scores_and_check(capsys, tmp_path):
    db = tmp_path / "a.sqlite"
    code, out, _ = run(capsys, "init", db, "--period", "PEKPPP 2026")
    assert code == 0 and "PEKPPP 2026" in out
    units = write_xlsx(tmp_path / "unit.xlsx", [["Kode Unit", "Nama Unit", "Instansi"], ["U1", "DPMPTSP", "Kota A"],
                                                ["U2", "Disdukcapil", "Kota A"]])
    code, out, _ = run(capsys, "units", "import", db, units)
    assert code == 0 and "2 unit baru" in out
    code, out, _ = run(capsys, "units", "list", db, "--json")
    assert [u["code"] for u in json.loads(out)] == ["U2", "U1"]  # by institution, then name
    with Workbook(db) as wb:
        score_all(wb, "U1", "Ani", lambda ind: 5 if ind.aspect in ("I", "II") else 4)
    code, out, _ = run(capsys, "scores", db, "--json")
    first = json.loads(out)[0]
    assert (first["unit"], first["ipp"], first["category"], first["label"], first["rank"]) == (
        "U1", 4.49, "A-", "Sangat Baik", 1)
    assert first["aspects"]["I"] == 1.2 and set(first["aspects"]) == {"I", "II", "III", "IV", "V", "VI", "INF"}
    code, out, _ = run(capsys, "scores", db, "--csv")
    assert out.splitlines()[1].startswith("1,U1,DPMPTSP,Kota A,4.49,A-,Sangat Baik")
    code, out, _ = run(capsys, "scores", db)
    assert "4.49" in out and "Sangat Baik" in out
    code, out, _ = run(capsys, "check", db)
    assert code == 0 and ": baik" in out
    code, out, _ = run(capsys, "backup", db, tmp_path / "b.sqlite")
    assert code == 0 and (tmp_path / "b.sqlite").exists()


def test_errors_are_one_line_with_exit_1_and_usage_errors_exit_2(capsys, tmp_path):
    code, out, err = run(capsys, "scores", tmp_path / "tidak-ada.sqlite")
    assert code == 1 and err.strip().count("\n") == 0 and "tidak ditemukan" in err
    db = tmp_path / "a.sqlite"
    run(capsys, "init", db)
    code, _, err = run(capsys, "scores", db, "--period", "1999")
    assert code == 1 and "Periode tidak dikenal: 1999" in err
    code, _, err = run(capsys, "init", tmp_path / "b.sqlite", "--instrument", "pekppp-1999")
    assert code == 1 and "Instrumen tidak dikenal" in err and not (tmp_path / "b.sqlite").exists()
    with pytest.raises(SystemExit) as usage:
        main(["scores"])
    assert usage.value.code == 2


def test_skm_command_in_three_modes(capsys, tmp_path):
    db = tmp_path / "a.sqlite"
    run(capsys, "init", db)
    order = ["persyaratan", "prosedur", "waktu", "biaya", "produk", "kompetensi", "perilaku", "pengaduan", "sarana"]
    rows = [["Hasil SKM Semester I"], ["No", *[f"U{n}" for n in range(1, 10)]]]
    rows += [[n, *[r[k] for k in order]] for n, r in enumerate(skm_responses(), start=1)]
    sheet = write_xlsx(tmp_path / "skm.xlsx", rows)
    for mode, nik in (("exact", 91.48), ("0.11", 90.56), ("0.111", 91.38)):
        code, out, _ = run(capsys, "skm", db, sheet, "--json", "--weight-mode", mode)
        assert code == 0 and json.loads(out)[0]["nik"] == nik and json.loads(out)[0]["category"] == "A"
    bad = write_xlsx(tmp_path / "skm-salah.xlsx", [["Persyaratan", "Biaya/Tarif"], [3, 4], [5, "x"]], title="SKM")
    code, _, err = run(capsys, "skm", db, bad)
    assert code == 1 and "skm-salah.xlsx, lembar 'SKM', baris 3, kolom A (Persyaratan): 5 di luar skala 1-4" in err


def test_sample_size_and_module_entry_point(capsys):
    assert run(capsys, "sample", "1000")[1].strip() == "278"
    result = subprocess.run([sys.executable, "-m", "workbench", "instruments", "--json"], capture_output=True,
                            text=True)
    assert result.returncode == 0 and "pekppp-2022-a" in [i["id"] for i in json.loads(result.stdout)]


def test_template_import_conflicts_resolve_export(capsys, tmp_path):
    from tests.helpers import DATA, UNITS

    db = tmp_path / "ketua.sqlite"
    run(capsys, "init", db, "--period", "PEKPPP 2026")
    with Workbook(db) as wb:
        for code, name, institution in UNITS:
            wb.registry.add_unit(code, name, institution)
    code, out, _ = run(capsys, "template", db, "--out", tmp_path / "t.xlsx", "--evaluator", "Ani", "--unit",
                       "SAMSAT-PRV")
    assert code == 0 and "31 baris" in out
    code, out, _ = run(capsys, "import", db, DATA / "evaluator-budi-long.ods", "--dry-run", "--json")
    report = json.loads(out)
    assert code == 0 and report["added"] == 62 and not report["written"] and report["dry_run"]
    code, out, _ = run(capsys, "conflicts", db, "--json")
    assert json.loads(out) == []
    code, out, _ = run(capsys, "import", db, DATA / "evaluator-ani-libreoffice.xlsx",
                       DATA / "evaluator-budi-long.ods")
    assert code == 0 and "154 baru" in out and "konflik terbuka: 1" in out
    code, out, _ = run(capsys, "conflicts", db, "--json")
    assert json.loads(out)[0]["scores"] == {"Ani": 5, "Budi": 1} and json.loads(out)[0]["spread"] == 4
    code, out, _ = run(capsys, "resolve", db, "--unit", "DPMPTSP-KTA", "--indicator", "1.a.Ak", "--score", "4",
                       "--reason", "Dibahas bersama")
    assert code == 0
    assert json.loads(run(capsys, "conflicts", db, "--json")[1]) == []
    settled = json.loads(run(capsys, "conflicts", db, "--all", "--json")[1])
    assert [(c["indicator"], c["agreed"]["score"], c["agreed"]["reason"]) for c in settled] == [
        ("1.a.Ak", 4, "Dibahas bersama")]
    assert "4 (" in run(capsys, "conflicts", db, "--all")[1]  # the table shows the agreed score and who
    code, out, _ = run(capsys, "export", db, "--out", tmp_path / "rekap.xlsx")
    assert code == 0 and (tmp_path / "rekap.xlsx").exists()


def test_import_with_problems_exits_1_writes_nothing_and_reports(capsys, tmp_path):
    db = tmp_path / "a.sqlite"
    run(capsys, "init", db)
    with Workbook(db) as wb:
        wb.registry.add_unit("U1", "Unit", "Instansi")
    bad = write_xlsx(tmp_path / "salah.xlsx", [["kode_unit", "kode_indikator", "nilai", "evaluator"],
                                               ["U1", "1.a.Ak", 9, "Ani"], ["U1", "2.a.P", 3, "Ani"]])
    code, out, err = run(capsys, "import", db, bad, "--report", tmp_path / "masalah.csv")
    assert code == 1 and "9 di luar skala 0-5" in err and "TIDAK disimpan" in out
    assert (tmp_path / "masalah.csv").read_text(encoding="utf-8-sig").count("\n") == 2
    with Workbook(db) as wb:
        assert wb.observations.find() == []
    code, out, _ = run(capsys, "import", db, bad, "--skip-invalid")
    assert code == 0 and "1 baru" in out
    code, _, err = run(capsys, "import", db, tmp_path / "tidak-ada.xlsx")
    assert code == 1 and "tidak ditemukan" in err


def test_from_the_command_line_alone_to_a_certificate_for_every_qualifying_unit(capsys, tmp_path, monkeypatch):
    from tests.helpers import DATA, UNITS

    monkeypatch.setenv("WORKBENCH_PASSPHRASE", "kunci-rahasia-kantor")
    db = tmp_path / "ketua.sqlite"
    units = write_xlsx(tmp_path / "lokus.xlsx", [["Kode Unit", "Nama Unit", "Instansi"], *UNITS])
    assert run(capsys, "init", db, "--period", "PEKPPP 2026", "--as", "Ketua")[0] == 0
    assert run(capsys, "units", "import", db, units)[0] == 0
    assert run(capsys, "import", db, DATA / "evaluator-ani-libreoffice.xlsx", DATA / "evaluator-budi-long.ods")[0] == 0
    assert run(capsys, "import", db, DATA / "evaluator-citra-wide.xls", "--evaluator", "Citra")[0] == 0
    code, out, _ = run(capsys, "certificates", db, "--dry-run", "--min-category", "B")
    assert code == 0 and "DPMPTSP-KTA: tidak mendapat piagam: masih ada nilai draf; ada konflik" in out
    assert run(capsys, "resolve", db, "--unit", "DPMPTSP-KTA", "--indicator", "1.a.Ak", "--score", "4", "--reason",
               "Dibahas bersama", "--as", "Ketua")[0] == 0
    code, out, _ = run(capsys, "finalize", db, "--all", "--as", "Ketua")
    assert code == 0 and "SAMSAT-PRV / Ani: belum dapat difinalkan, 1 indikator belum dinilai (30.f.B)" in out
    code, out, _ = run(capsys, "status", db, "--json")
    status = {s["unit"]: s for s in json.loads(out)}
    assert status["SAMSAT-PRV"]["reasons"] == ["draft", "below_minimum"] and not status["SAMSAT-PRV"]["ready"]
    assert [(e["name"], e["scored"], e["status"]) for e in status["SAMSAT-PRV"]["evaluators"]] == [
        ("Ani", 29, "draft"), ("Citra", 30, "final")]
    ready = sorted(u for u, s in status.items() if s["ready"] or s["reasons"] == ["below_minimum"])
    assert run(capsys, "keys", "init", db)[0] == 0
    code, out, _ = run(capsys, "certificates", db, "--out", tmp_path / "piagam", "--min-category", "B")
    assert code == 0 and sorted(line.split()[1] for line in out.splitlines() if "/PP/" in line) == ready
    assert "SAMSAT-PRV: tidak mendapat piagam: masih ada nilai draf" in out
    with Workbook(db) as wb:
        finalised = [e for e in wb.audit.entries() if e["field"] == "status"]
        assert finalised and {e["actor"] for e in finalised} == {"Ketua"}  # the lead, not the evaluators
        assert wb.conflicts.agreed(unit="DPMPTSP-KTA")["1.a.Ak"]["decided_by"] == "Ketua"


def test_certificates_with_none_qualifying_say_why_for_each_unit(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_PASSPHRASE", "kunci-rahasia-kantor")
    db = tmp_path / "a.sqlite"
    run(capsys, "init", db)
    with Workbook(db) as wb:
        for code in ("U1", "U2", "U3"):
            wb.registry.add_unit(code, f"Unit {code}", "Instansi")
        score_all(wb, "U1", "Ani", lambda ind: 2)  # complete but C-, and a draft
        wb.observations.save(unit="U2", indicator="1.a.Ak", evaluator="Ani", score=5)
        wb.certificates.init_keys("kunci-rahasia-kantor")
    code, out, _ = run(capsys, "certificates", db, "--out", tmp_path / "piagam")
    assert code == 0 and "0 piagam" in out
    lines = [line for line in out.splitlines() if "tidak mendapat piagam" in line]
    assert lines == [
        "U1: tidak mendapat piagam: masih ada nilai draf; di bawah kategori minimal",
        "U2: tidak mendapat piagam: belum semua indikator dinilai; masih ada nilai draf; di bawah kategori minimal",
        "U3: tidak mendapat piagam: belum dinilai"]
