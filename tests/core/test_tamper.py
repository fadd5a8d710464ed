"""Attacks on the records, as someone holding the database file would make them with sqlite3: each one is
named by `workbench check` (exit 1), and a revoked certificate stays revoked."""

import base64
import os
import shutil
import sqlite3

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tests.helpers import run, score_all, write_xlsx
from workbench import Workbook
from workbench.certificates.tokens import load_private, new_key_pair, read, sign
from workbench.db.audit import key_id, link_hash

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
        wb.registry.add_unit("IMPOR", "Dinas Impor", "Pemerintah Kota Contoh")  # Citra's scores, from a sheet
        sheet = write_xlsx(path.with_name("citra.xlsx"), [["kode_unit", "kode_indikator", "nilai", "evaluator"],
                                                         *(["IMPOR", code, 3, "Citra"] for code in ("1.a.Ak", "2.a.P",
                                                                                                   "3.a.T"))])
        assert wb.exchange.import_observations([sheet], period="PEKPPP 2026").written
        for evaluator in ("Ani", "Budi"):
            wb.observations.finalize(evaluator=evaluator)
        wb.certificates.init_keys(PASS)
        wb.certificates.issue(PASS, min_category="B")
        wb.certificates.revoke("002/PP/2026", "Data dukung tidak benar")
        wb.settings.set("conflict_threshold", 3, wb.registry.period("PEKPPP 2026"))
        settings = wb.certificates.settings("PEKPPP 2026")
        settings.signatory_name = "Dr. Kepala Kantor"
        wb.certificates.save_settings(settings, "PEKPPP 2026")
        wb.results.refresh("PEKPPP 2026")
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
    ("INSERT INTO settings (key, value) VALUES ('conflict_threshold', '1')", "pengaturan conflict_threshold: '1'"),
    ("UPDATE period_settings SET value = '5'", "pengaturan PEKPPP 2026/conflict_threshold: '5' tidak sesuai log"),
    ("DELETE FROM period_settings", "pengaturan PEKPPP 2026/conflict_threshold: dihapus di luar aplikasi"),
    ("DELETE FROM certificate_settings", "pengaturan piagam periode PEKPPP 2026 dihapus di luar aplikasi"),
    ("UPDATE units SET code = code || '-', name = name || '-' WHERE id < 3; UPDATE units SET code = CASE code "
     "WHEN 'PRIMA-' THEN 'BAIK' ELSE 'PRIMA' END, name = CASE name WHEN 'Dinas Prima-' THEN 'Dinas Baik' ELSE "
     "'Dinas Prima' END WHERE id < 3",
     "unit BAIK | Dinas Baik | Pemerintah Kota Contoh: tidak sesuai log audit (PRIMA | Dinas Prima"),
    ("UPDATE observations SET unit_id = unit_id + 10; UPDATE observations SET unit_id = 13 - unit_id",
     "dipindah ke unit, indikator, evaluator atau periode lain"),
    ("UPDATE indicators SET global_weight = global_weight * 3, weight = weight * 3",
     "instrumen pekppp-2022-a: indikator atau bobot tersimpan tidak sesuai definisinya"),
    ("DELETE FROM consensus", "kesepakatan PEKPPP 2026/BAIK/1.a.Ak: dihapus di luar aplikasi (nilainya 4"),
    ("DELETE FROM observations WHERE id IN (1, 2)", "dihapus di luar aplikasi (nilainya 5 menurut log audit)"),
    ("UPDATE evaluators SET name = 'Cici' WHERE name = 'Budi'", "evaluator Cici: tidak sesuai log audit (Budi)"),
    ("UPDATE unit_results SET ipp = 4.95, category = 'A' WHERE unit_id = 2",
     "hasil tersimpan BAIK periode PEKPPP 2026 tidak sesuai nilai"),
    ("UPDATE indicator_totals SET total = scores * 5 WHERE unit_id = 2",
     "jumlah nilai tersimpan BAIK periode PEKPPP 2026 tidak sesuai observasi"),
    ("DELETE FROM indicator_totals WHERE unit_id = 1",
     "jumlah nilai tersimpan PRIMA periode PEKPPP 2026 tidak sesuai observasi"),
    ("UPDATE observations SET score = 0 WHERE batch IS NOT NULL AND indicator_id = (SELECT min(indicator_id) "
     "FROM observations WHERE batch IS NOT NULL)",
     "observasi dari impor citra.xlsx: diubah, ditambah atau dihapus di luar aplikasi"),
    ("DELETE FROM observations WHERE id = (SELECT max(id) FROM observations WHERE batch IS NOT NULL)",
     "observasi dari impor citra.xlsx: diubah, ditambah atau dihapus di luar aplikasi"),
    ("UPDATE observations SET batch = (SELECT max(batch) FROM observations) WHERE id = 1",
     "observasi dari impor citra.xlsx: diubah, ditambah atau dihapus di luar aplikasi"),
    ("UPDATE observations SET batch = NULL", "nilai 3 tidak sesuai log audit (None)"),
    ("INSERT INTO observations (uuid, period_id, unit_id, evaluator_id, indicator_id, score, updated_at) SELECT "
     "'baru-1', id, 1, 1, 1, 5, '2026-11-28' FROM periods WHERE name = 'PEKPPP 2025'", "observasi baru-1"),
    ("UPDATE periods SET name = 'PEKPPP 2024' WHERE name = 'PEKPPP 2025'",
     "periode PEKPPP 2024: nama tidak sesuai log audit (PEKPPP 2025)"),
])
def test_data_changed_outside_the_workbench_is_named(capsys, copy, statement, named):
    conn = sqlite3.connect(copy)
    with conn:
        conn.execute("PRAGMA foreign_keys = OFF")
        for part in statement.split("; "):
            conn.execute(part)
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


def test_a_copy_on_another_computer_is_vouched_for_only_once_accepted_there(capsys, copy, tmp_path, monkeypatch):
    """Moved to a computer that never wrote to it, a file's keys vouch for nothing there: check says so until
    they are accepted on purpose (or this computer writes to it, taking the history it starts from); a key
    added there that the first computer did not endorse is a note."""
    monkeypatch.setenv("WORKBENCH_KEYS", str(tmp_path / "laptop-lain"))
    out = check(capsys, copy)
    assert "komputer ini belum pernah menulis ke basis data ini dan tidak mengenal kunci lognya" in out
    code, out, _ = run(capsys, "check", copy, "--accept-keys")
    assert code == 0 and "disahkan oleh komputer ini" in out
    with Workbook(copy) as wb:
        wb.registry.add_unit("BARU", "Dinas Baru", "Pemerintah Kota Contoh")
        wb.observations.save(unit="BARU", indicator="1.a.Ak", evaluator="Ani", score=3, period="PEKPPP 2026")
    code, out, _ = run(capsys, "check", copy)
    assert code == 0 and "kunci baru" in out


def office_key(path):
    with Workbook(path) as wb:
        pem = wb.store.value("SELECT private_pem FROM signing_keys")
    return load_private(str(pem).encode(), PASS)


def test_a_signing_key_put_in_by_hand_signs_nothing(capsys, copy, office):
    """The forger adds a key of their own to the register and a certificate signed with it, or puts their
    public key in place of the office's: check names it, and verify --db does not trust it."""
    mine = load_private(new_key_pair("kunci-penyusup").private_pem, "kunci-penyusup")
    with Workbook(office) as wb:
        genuine = wb.certificates.issued("PEKPPP 2026")[0]
    forged = sign(read(genuine.token)[0] | {"category": "A", "score": 4.99}, mine)
    public = mine.public_key().public_bytes(serialization.Encoding.PEM,
                                            serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    tamper(copy, f"INSERT INTO signing_keys (key_id, public_pem, private_pem, created_at) VALUES "
                 f"('{key_id(mine.public_key())}', '{public}', '-', '2026-11-28')",
           f"UPDATE certificates SET token = '{forged}', category = 'A' WHERE number = '{genuine.number}'")
    out = check(capsys, copy)
    assert f"kunci tanda tangan {key_id(mine.public_key())}: tidak tercatat di log audit" in out
    assert f"piagam {genuine.number}: isi token tidak sesuai log audit" in out
    code, out, _ = run(capsys, "verify", forged, "--db", copy)
    assert code == 1 and "ditandatangani kunci yang tidak dikenal" in out


def test_a_certificate_inserted_by_hand_is_not_in_the_register(capsys, copy, office):
    with Workbook(office) as wb:
        claims = read(wb.certificates.issued("PEKPPP 2026")[0].token)[0]
    token = sign(claims | {"number": "009/PP/2026"}, office_key(office))
    tamper(copy, "INSERT INTO certificates (number, period_id, unit_id, seq, category, score, issued_on, token, "
                 f"key_id, revoked) SELECT '009/PP/2026', period_id + 1, unit_id, 9, category, score, issued_on, "
                 f"'{token}', key_id, 0 FROM certificates WHERE number = '001/PP/2026'")
    assert "piagam 009/PP/2026: tidak tercatat di log audit" in check(capsys, copy)
    code, out, _ = run(capsys, "verify", token, "--db", copy)
    assert code == 1 and "009/PP/2026 tidak ada dalam register piagam" in out


def test_entries_signed_with_a_key_of_ones_own_are_named_on_the_computer_that_signs(capsys, copy):
    """The forger appends correctly chained entries and an anchor signed by a key of their own: on the
    lead's computer (which keeps its own key and last anchor) check names the stranger's key."""
    conn = sqlite3.connect(copy)
    last_id, last_hash = conn.execute("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    uuid = conn.execute("SELECT uuid FROM periods WHERE name = 'PEKPPP 2025'").fetchone()[0]
    entry = ("2026-11-28T10:00:00", "Ketua", "period", uuid, "closed", "1", "0", "dibuka")
    head = link_hash(last_hash, entry)
    mine = Ed25519PrivateKey.generate()
    stranger = key_id(mine.public_key())
    anchor = conn.execute("SELECT max(id) + 1 FROM anchors").fetchone()[0]
    signature = base64.b64encode(mine.sign(f"pekppp-anchor|{anchor}|{last_id + 1}|{head}|{entry[0]}|{stranger}"
                                           .encode())).decode()
    with conn:
        conn.execute("UPDATE periods SET closed = 0 WHERE uuid = ?", (uuid,))
        conn.execute("INSERT INTO audit_log (id, at, actor, entity, entity_uuid, field, old, new, reason, prev_hash, "
                     "hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", (last_id + 1, *entry, last_hash, head))
        conn.execute("INSERT INTO anchor_keys (key_id, public_pem, added_at, added_by) VALUES (?, ?, ?, ?)",
                     (stranger, mine.public_key().public_bytes(serialization.Encoding.PEM,
                                                               serialization.PublicFormat.SubjectPublicKeyInfo
                                                               ).decode(), entry[0], "Ketua"))
        conn.execute("INSERT INTO anchors (id, audit_id, head, at, key_id, signature) VALUES (?, ?, ?, ?, ?, ?)",
                     (anchor, last_id + 1, head, entry[0], stranger, signature))
    conn.close()
    assert f"log audit juga ditandatangani kunci {stranger} yang tidak dikenal komputer ini" in check(capsys, copy)


def test_a_database_used_on_another_computer_on_purpose_is_accepted_back(capsys, copy, tmp_path, monkeypatch):
    home = os.environ["WORKBENCH_KEYS"]
    monkeypatch.setenv("WORKBENCH_KEYS", str(tmp_path / "laptop-lain"))
    with Workbook(copy) as wb:
        wb.registry.add_unit("BARU", "Dinas Baru", "Pemerintah Kota Contoh")
    monkeypatch.setenv("WORKBENCH_KEYS", home)
    assert "yang tidak dikenal komputer ini" in check(capsys, copy)
    code, out, _ = run(capsys, "check", copy, "--accept-keys")
    assert code == 0 and "disahkan oleh komputer ini" in out and out.strip().endswith(": baik")


def test_this_computers_key_is_known_by_a_note_that_another_key_file_makes_stale(tmp_path, monkeypatch, copy):
    """Opening a workbook reads this computer's public key from a note beside the key (no cryptography
    loaded); a key file replaced by another's is not taken for the noted one: the note is made again."""
    monkeypatch.setenv("WORKBENCH_KEYS", str(tmp_path / "kunci"))
    with Workbook(copy) as wb:
        wb.registry.add_unit("BARU", "Dinas Baru", "Pemerintah Kota Contoh")  # a write: this computer's key
        keyring = wb.audit.keyring
        assert keyring.own() == (key_id(keyring.private_key().public_key()), keyring.public_pem())
        assert wb.audit.strangers() == []
    key_file = next((tmp_path / "kunci").glob("*.key"))
    other = Ed25519PrivateKey.generate()
    key_file.write_bytes(other.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                             serialization.NoEncryption()))
    with Workbook(copy) as wb:
        assert wb.audit.keyring.own()[0] == key_id(other.public_key())  # not the noted key
        assert len(wb.audit.strangers()) == 1  # the key that signed before is not this computer's any more
