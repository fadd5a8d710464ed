import hashlib
import sqlite3

import pytest

from tests.helpers import run, score_all
from workbench import Workbook
from workbench.errors import WorkbenchError

SECRET = "sandi basis data laptop"


def test_an_encrypted_database_is_unreadable_without_its_passphrase(tmp_path):
    path = tmp_path / "laptop.sqlite"
    with Workbook.create(path, period="PEKPPP 2026", passphrase=SECRET) as wb:
        wb.registry.add_unit("U1", "Unit rahasia", "Instansi")
        score_all(wb, "U1", "Ani", lambda i: 4)
        wb.maintenance.backup(tmp_path / "cadangan.sqlite")
    raw = path.read_bytes()
    assert b"Unit rahasia" not in raw and b"SQLite format 3" not in raw[:16]
    with pytest.raises(sqlite3.DatabaseError, match="file is not a database"):
        sqlite3.connect(path).execute("SELECT * FROM units").fetchall()
    with pytest.raises(WorkbenchError, match="bukan basis data workbench atau terenkripsi"):
        Workbook(path)
    with pytest.raises(WorkbenchError, match="kata sandi basis data salah"):
        Workbook(path, passphrase="tebakan")
    with Workbook(path, passphrase=SECRET) as wb:
        assert wb.results.scores()[0].ipp == 4.0 and wb.maintenance.check() == []
        with wb.reopen() as other:
            assert other.registry.units()[0].name == "Unit rahasia"
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(tmp_path / "cadangan.sqlite").execute("SELECT * FROM units").fetchall()
    with Workbook(tmp_path / "cadangan.sqlite", passphrase=SECRET) as copy:
        assert copy.registry.units()[0].code == "U1"


def test_cli_creates_and_opens_encrypted_databases(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("WORKBENCH_DB_PASSPHRASE", SECRET)
    path = tmp_path / "laptop.sqlite"
    assert run(capsys, "init", path, "--encrypt")[0] == 0
    assert run(capsys, "check", path)[0] == 0
    monkeypatch.delenv("WORKBENCH_DB_PASSPHRASE")
    code, _, err = run(capsys, "check", path)
    assert code == 1 and "terenkripsi" in err


def test_evidence_of_an_encrypted_database_is_unreadable_without_the_passphrase(tmp_path):
    """The lost-laptop promise covers the photos and scans too: in the folder, in the backup and in a
    package, the evidence of an encrypted workbook reads as noise without the passphrase."""
    path = tmp_path / "laptop.sqlite"
    photo = tmp_path / "foto-loket.jpg"
    content = b"RAHASIA: daftar nama pemohon dan NIK " * 200
    photo.write_bytes(content)
    sha = hashlib.sha256(content).hexdigest()
    with Workbook.create(path, period="PEKPPP 2026", passphrase=SECRET) as wb:
        wb.registry.add_unit("U1", "Unit rahasia", "Instansi")
        obs = wb.observations.save(unit="U1", indicator="1.a.Ak", evaluator="Ani", score=4)
        assert wb.evidence.add(obs.uuid, photo) == sha
        wb.maintenance.backup(tmp_path / "cadangan.sqlite")
        with pytest.raises(WorkbenchError, match="paketnya harus disegel"):
            wb.packages.export(tmp_path / "paket.wbpkg")
        wb.packages.export(tmp_path / "paket.wbpkg", passphrase="sandi paket tim")
        seen = wb.evidence.viewable(sha, tmp_path / "lihat")
        assert seen.read_bytes() == content and seen.name == "foto-loket.jpg"
    for folder in (tmp_path / "laptop.sqlite.evidence", tmp_path / "cadangan.sqlite.evidence"):
        stored = [f for f in folder.rglob("*") if f.is_file()]
        assert len(stored) == 1 and sha not in str(stored[0])  # not even which known file it is
        assert b"RAHASIA" not in stored[0].read_bytes() and content not in stored[0].read_bytes()
    assert b"RAHASIA" not in (tmp_path / "paket.wbpkg").read_bytes()
    with Workbook(tmp_path / "cadangan.sqlite", passphrase=SECRET) as copy:
        assert copy.evidence.read(sha) == content and copy.maintenance.check() == []
    stored[0].write_bytes(stored[0].read_bytes()[:-1] + b"\0")  # one byte changed in the backup's copy
    with Workbook(tmp_path / "cadangan.sqlite", passphrase=SECRET) as copy:
        assert copy.maintenance.check() == [f"bukti foto-loket.jpg: isi berubah ({sha[:12]})"]


def test_one_passphrase_rule_for_everything_that_is_sealed(tmp_path, capsys, monkeypatch):
    """Eight characters at least, enforced by the core whoever asks: the command line, the app or a script."""
    from workbench.domain.passphrase import MIN_PASSPHRASE, WeakPassphrase

    monkeypatch.setenv("WORKBENCH_DB_PASSPHRASE", "x")
    code, _, err = run(capsys, "init", tmp_path / "t.sqlite", "--encrypt")
    assert code == 1 and f"Kata sandi minimal {MIN_PASSPHRASE} karakter" in err
    assert not (tmp_path / "t.sqlite").exists()
    short = "x" * (MIN_PASSPHRASE - 1)
    with pytest.raises(WeakPassphrase):
        Workbook.create(tmp_path / "u.sqlite", passphrase=short)
    with Workbook.create(tmp_path / "v.sqlite") as wb:
        wb.registry.add_unit("U1", "Unit", "Instansi")
        wb.team.assign([("U1", "Ani")])
        score_all(wb, "U1", "Ani", lambda i: 4)
        for seal in (lambda: wb.certificates.init_keys(short),
                     lambda: wb.kits.export(tmp_path / "ani.wbkit", evaluator="Ani", passphrase=short),
                     lambda: wb.packages.export(tmp_path / "ani.wbpkg", evaluator="Ani", passphrase=short)):
            with pytest.raises(WeakPassphrase):
                seal()
    assert not any(p.suffix in (".wbkit", ".wbpkg") for p in tmp_path.iterdir())
