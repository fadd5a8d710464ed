"""Attacks on the records, as someone holding the database file would make them with sqlite3: each one is
named by `workbench check` (exit 1), and a revoked certificate stays revoked."""

import shutil
import sqlite3

import pytest

from tests.conftest import score_all
from tests.core.test_cli import run
from workbench import Workbook
from workbench.db.audit import link_hash

PASS = "kunci-rahasia-kantor"


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    """A lead's database with every kind of record: scores of two evaluators, an agreed score, final
    statuses, a closed period, issued certificates, one of them revoked."""
    path = tmp_path_factory.mktemp("kantor") / "kantor.sqlite"
    with Workbook.create(path, period="PEKPPP 2026", actor="Ketua") as wb:
        for code in ("PRIMA", "BAIK"):
            wb.registry.add_unit(code, f"Dinas {code.title()}", "Pemerintah Kota Contoh")
            score = 5 if code == "PRIMA" else 4
            score_all(wb, code, "Ani", lambda i, s=score: s)
            score_all(wb, code, "Budi", lambda i, s=score: s)
        wb.observations.save(unit="BAIK", indicator="1.a.Ak", evaluator="Budi", score=2)
        wb.conflicts.resolve(unit="BAIK", indicator="1.a.Ak", score=4, reason="rapat tim")
        for evaluator in ("Ani", "Budi"):
            wb.observations.finalize(evaluator=evaluator)
        wb.certificates.init_keys(PASS)
        wb.certificates.issue(PASS, min_category="B")
        wb.certificates.revoke("002/PP/2026", "Data dukung tidak benar")
        wb.registry.add_period("PEKPPP 2025")
        wb.registry.close_period("PEKPPP 2025", reason="selesai")
        assert wb.maintenance.check() == []
    return path


@pytest.fixture
def copy(office, tmp_path):
    target = tmp_path / "salinan.sqlite"
    shutil.copy(office, target)
    return target


def tamper(path, *statements):
    conn = sqlite3.connect(path)
    with conn:
        for sql in statements:
            conn.execute(sql)
    conn.close()


def check(capsys, path):
    code, out, err = run(capsys, "check", path)
    assert code == 1 and "Traceback" not in out + err, out + err
    return out


def test_an_untouched_copy_is_sound(capsys, copy):
    code, out, _ = run(capsys, "check", copy)
    assert code == 0 and out.strip().endswith(": baik")


def test_wiping_the_audit_log_is_named(capsys, copy):
    tamper(copy, "DELETE FROM audit_log")
    out = check(capsys, copy)
    assert "log audit sampai entri" in out and "tidak sesuai log audit" in out


def test_wiping_the_log_and_its_anchors_is_named(capsys, copy):
    tamper(copy, "DELETE FROM audit_log", "DELETE FROM anchors")
    out = check(capsys, copy)
    assert "terakhir ditulis di komputer ini) hilang: log audit dipotong" in out
    assert "piagam 001/PP/2026: tidak tercatat di log audit" in out


def test_cutting_the_tail_of_the_log_is_named(capsys, copy):
    tamper(copy, "DELETE FROM audit_log WHERE id > (SELECT max(id) - 5 FROM audit_log)",
           "DELETE FROM anchors WHERE id > (SELECT max(id) - 2 FROM anchors)")
    out = check(capsys, copy)
    assert "log audit dipotong" in out and "piagam 002/PP/2026: status pencabutan tidak sesuai log audit" in out


def test_an_appended_entry_with_a_recomputed_hash_is_named(capsys, copy):
    conn = sqlite3.connect(copy)
    last_id, last_hash = conn.execute("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    entry = ("2026-11-28T10:00:00", "Penyusup", "certificate", "002/PP/2026", "revoked", "1", "0", "keliru")
    with conn:
        conn.execute("INSERT INTO audit_log (id, at, actor, entity, entity_uuid, field, old, new, reason, prev_hash, "
                     "hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     (last_id + 1, *entry, last_hash, link_hash(last_hash, entry)))
        conn.execute("UPDATE certificates SET revoked = 0 WHERE number = '002/PP/2026'")
    conn.close()
    out = check(capsys, copy)
    assert f"audit_log {last_id + 1}-{last_id + 1}: 1 entri ditambahkan tanpa tanda tangan" in out
    assert "Penyusup: certificate revoked 1 → 0" in out


def test_an_edited_entry_is_named(capsys, copy):
    tamper(copy, "UPDATE audit_log SET new = '5' WHERE entity = 'consensus'",
           "UPDATE consensus SET score = 5")
    out = check(capsys, copy)
    assert "entri diubah (consensus score 2 → 5)" in out or "entri diubah (consensus score None → 5)" in out


@pytest.mark.parametrize(("statement", "named"), [
    ("UPDATE consensus SET score = 5", "kesepakatan PEKPPP 2026/BAIK/1.a.Ak: nilai 5 tidak sesuai log audit (4)"),
    ("UPDATE observations SET status = 'draft' WHERE id = 1", "status draft tidak sesuai log audit (final)"),
    ("UPDATE observations SET score = 5 WHERE score = 2", "nilai 5 tidak sesuai log audit (2)"),
    ("UPDATE certificates SET revoked = 0", "piagam 002/PP/2026: status pencabutan tidak sesuai log audit"),
    ("UPDATE periods SET closed = 0 WHERE name = 'PEKPPP 2025'", "PEKPPP 2025"),
    ("INSERT OR REPLACE INTO settings (key, value) VALUES ('unit_score_rule', 'mean')", "unit_score_rule"),
])
def test_data_changed_outside_the_workbench_is_named(capsys, copy, statement, named):
    conn = sqlite3.connect(copy)
    with conn:
        conn.execute(statement)
    conn.close()
    assert named in check(capsys, copy)


def test_a_revoked_certificate_stays_revoked_when_the_flag_is_cleared(capsys, copy):
    with Workbook(copy) as wb:
        token = next(c.token for c in wb.certificates.issued("PEKPPP 2026") if c.number == "002/PP/2026")
    tamper(copy, "UPDATE certificates SET revoked = 0, revoked_reason = NULL")
    code, out, _ = run(capsys, "verify", token, "--db", copy)
    assert code == 1 and "dicabut menurut log audit" in out


def test_a_database_whose_log_does_not_hold_vouches_for_nothing(capsys, copy):
    with Workbook(copy) as wb:
        token = wb.certificates.issued("PEKPPP 2026")[0].token
    tamper(copy, "UPDATE audit_log SET actor = 'orang lain' WHERE id = 3")
    code, out, _ = run(capsys, "verify", token, "--db", copy)
    assert code == 1 and out.startswith("TIDAK DAPAT DIPASTIKAN: log audit basis data ini tidak utuh")


def test_the_check_of_a_copy_on_another_computer_notes_the_new_key(capsys, copy, tmp_path, monkeypatch):
    """Moved to a computer without this workbook's key, the file still checks; a write there adds a key that
    was not endorsed, which check names as a note rather than an error."""
    monkeypatch.setenv("WORKBENCH_KEYS", str(tmp_path / "laptop-lain"))
    code, out, _ = run(capsys, "check", copy)
    assert code == 0
    with Workbook(copy) as wb:
        wb.registry.add_unit("BARU", "Dinas Baru", "Pemerintah Kota Contoh")
        wb.observations.save(unit="BARU", indicator="1.a.Ak", evaluator="Ani", score=3, period="PEKPPP 2026")
    code, out, _ = run(capsys, "check", copy)
    assert code == 0 and "kunci baru" in out

