"""Evaluation packages from two evaluators' laptops to the team lead, and every package the lead must refuse."""

import copy
import hashlib
import json
import re
import zipfile

import pytest

from tests.helpers import UNITS, dump, score_all
from workbench import Workbook
from workbench.domain.instrument import load
from workbench.evidence import file_sha256
from workbench.exchange.container import read_container
from workbench.exchange.package import PACKAGE

PERIOD = "PEKPPP 2026"


def laptop(path, evaluator, score_of, photos, *, instrument="pekppp-2022-a"):
    """An evaluator's own database, made through the core as the app makes it: register, scores, notes,
    evidence files, the unit marked final."""
    wb = Workbook.create(path, period=PERIOD, actor=evaluator, instrument=instrument)
    for code, name, institution in UNITS:
        wb.registry.add_unit(code, name, institution)
    score_all(wb, "DPMPTSP-KTA", evaluator, score_of)
    wb.observations.save(unit="DPMPTSP-KTA", indicator="1.a.Ak", evaluator=evaluator, notes=f"catatan {evaluator}",
                         recommendation="Tetapkan SK", method="field", observed_on="2026-03-08")
    for n, photo in enumerate(photos):
        obs = wb.observations.get(unit="DPMPTSP-KTA", indicator=f"{n + 1}.a.{['Ak', 'P', 'T'][n]}",
                                  evaluator=evaluator)
        wb.evidence.add(obs.uuid, photo)
    wb.observations.set_status(unit="DPMPTSP-KTA", evaluator=evaluator, status="final")
    wb.observations.save(unit="SAMSAT-PRV", indicator="2.a.P", evaluator=evaluator, score=2)  # a draft elsewhere
    return wb


@pytest.fixture
def photos(tmp_path):
    made = []
    for n in range(3):
        photo = tmp_path / f"foto-{n}.jpg"
        photo.write_bytes(b"\xff\xd8\xff" + bytes([n]) * 50_000)
        made.append(photo)
    return made


@pytest.fixture
def packages(tmp_path, photos):
    ani = laptop(tmp_path / "ani.sqlite", "Ani", lambda i: 4, photos[:2])
    budi = laptop(tmp_path / "budi.sqlite", "Budi", lambda i: 1 if i.code == "1.a.Ak" else 4, photos[1:])
    out = (ani.packages.export(tmp_path / "ani.wbpkg", evaluator="Ani").path,
           budi.packages.export(tmp_path / "budi.wbpkg", evaluator="Budi", passphrase="sandi-paket-budi").path)
    ani.close()
    budi.close()
    return out


def evidence_listing(wb):
    folder = wb.evidence.folder
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")) if folder.exists() else []


def test_two_evaluators_packages_arrive_whole_at_the_lead(lead, packages, photos):
    report = lead.packages.import_(packages, passphrase="sandi-paket-budi", trust_new_key=True)
    assert report.written and report.problems == [] and report.added == 2 * (31 + 1)
    assert [n.split(":")[0] for n in report.notes] == ["ani.wbpkg", "budi.wbpkg"]  # each new key, to compare
    ani = {o.indicator: o for o in lead.observations.find(unit="DPMPTSP-KTA", evaluator="Ani")}
    first = ani["1.a.Ak"]
    assert (first.score, first.status, first.notes, first.recommendation, first.method, first.observed_on) == (
        4, "final", "catatan Ani", "Tetapkan SK", "field", "2026-03-08")
    assert lead.observations.get(unit="SAMSAT-PRV", indicator="2.a.P", evaluator="Budi").status == "draft"
    history = lead.observations.history([first.uuid])  # the evaluator's own history, then the lead's import
    assert [(e["actor"], e["field"], e["old"], e["new"]) for e in history if e["field"] != "key"] == [
        ("Ani", "score", None, "4"), ("Ani", "status", "draft", "final"),
        ("Ketua", "score", None, "4"), ("Ketua", "status", "draft", "final")]
    stored = {e["original_name"]: e["sha256"] for o in ani.values() for e in lead.evidence.of(o.uuid)}
    assert stored == {"foto-0.jpg": file_sha256(photos[0]), "foto-1.jpg": file_sha256(photos[1])}
    assert all(file_sha256(lead.evidence.path(sha)) == sha for sha in stored.values())
    assert [(c.unit, c.indicator, c.scores) for c in lead.conflicts.open()] == [
        ("DPMPTSP-KTA", "1.a.Ak", {"Ani": 4, "Budi": 1})]
    assert lead.maintenance.check() == []

    before = dump(lead)
    again = lead.packages.import_(packages, passphrase="sandi-paket-budi")
    assert all(f.already_imported for f in again.files) and again.added == 0 and dump(lead) == before


def test_a_package_exported_again_merges_only_what_changed(lead, tmp_path, photos):
    ani = laptop(tmp_path / "ani.sqlite", "Ani", lambda i: 4, photos[:1])
    lead.packages.import_([ani.packages.export(tmp_path / "1.wbpkg", evaluator="Ani").path], trust_new_key=True)
    ani.observations.save(unit="SAMSAT-PRV", indicator="2.a.P", evaluator="Ani", score=5)
    report = lead.packages.import_([ani.packages.export(tmp_path / "2.wbpkg", evaluator="Ani").path])
    assert (report.added, report.updated, report.unchanged) == (0, 1, 31)
    obs = lead.observations.get(unit="SAMSAT-PRV", indicator="2.a.P", evaluator="Ani")
    entries = lead.observations.history([obs.uuid])
    assert obs.score == 5 and [(e["actor"], e["old"], e["new"]) for e in entries if e["field"] == "score"] == [
        ("Ani", None, "2"), ("Ketua", None, "2"), ("Ani", "2", "5"), ("Ketua", "2", "5")]  # no entry twice
    ani.close()


def rewrite(source, target, change):
    """Copy a package, letting `change(name, bytes)` return new bytes (or None to drop the entry)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            data = change(item.filename, old.read(item.filename))
            if data is not None:
                new.writestr(item, data)
        new.comment = old.comment
    return target


def flip(data, at):
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1:]


def refusals(tmp_path, packages, photos):
    """Each bad package, and a few words its refusal must say."""
    ani = packages[0]
    evidence = next(n for n in zipfile.ZipFile(ani).namelist() if n.startswith("evidence/"))
    yield "bukti", rewrite(ani, tmp_path / "bukti.wbpkg", lambda n, d: flip(d, 1000) if n == evidence else d), \
        f"bagian {evidence} berubah"
    yield "manifes", rewrite(ani, tmp_path / "manifes.wbpkg",
                             lambda n, d: d.replace(b'"Ani"', b'"Ano"') if n == "manifest.json" else d), \
        "bagian manifest.json berubah"
    forged = tmp_path / "dipalsu.wbpkg"  # changed, its hash written again: only the signature can tell
    with zipfile.ZipFile(ani) as old, zipfile.ZipFile(forged, "w") as new:
        manifest = old.read("manifest.json").replace(b'"Ani"', b'"Ano"')
        for item in old.infolist():
            new.writestr(item, manifest if item.filename == "manifest.json" else old.read(item.filename))
        new.comment = re.sub(rb"manifest-sha256=[0-9a-f]{64}",
                             b"manifest-sha256=" + hashlib.sha256(manifest).hexdigest().encode(), old.comment)
    yield "tanda tangan", forged, "tanda tangan paket tidak sah"
    raw = ani.read_bytes()
    terpotong = tmp_path / "terpotong.wbpkg"
    terpotong.write_bytes(raw[: len(raw) * 2 // 3])
    yield "terpotong", terpotong, "terpotong"
    yield "kata sandi", packages[1], "kata sandi salah"
    custom = copy.deepcopy(load("pekppp-2022-a").definition)
    custom["version"] = "2022.2"
    (tmp_path / "pekppp-2022-a.json").write_text(json.dumps(custom))
    other = laptop(tmp_path / "lain.sqlite", "Eka", lambda i: 3, [], instrument=str(tmp_path / "pekppp-2022-a.json"))
    yield "versi", other.packages.export(tmp_path / "versi.wbpkg").path, "versi 2022.2"
    other.registry.add_unit("UNIT-BARU", "Unit baru", "Instansi baru")
    other.observations.save(unit="UNIT-BARU", indicator="1.a.Ak", evaluator="Eka", score=3)
    other.close()
    stranger = Workbook.create(tmp_path / "asing.sqlite", period=PERIOD, actor="Eka")
    stranger.registry.add_unit("UNIT-BARU", "Unit baru", "Instansi baru")
    stranger.registry.add_unit("UNIT-LAIN", "Unit lain", "Instansi baru")
    stranger.observations.save(unit="UNIT-BARU", indicator="1.a.Ak", evaluator="Eka", score=3)
    stranger.observations.save(unit="UNIT-LAIN", indicator="1.a.Ak", evaluator="Eka", score=3)
    yield "unit", stranger.packages.export(tmp_path / "unit.wbpkg").path, "unit tidak dikenal di basis data ini: " \
        "UNIT-BARU, UNIT-LAIN"
    stranger.close()
    escape = tmp_path / "jalan.wbpkg"
    with zipfile.ZipFile(ani) as old, zipfile.ZipFile(escape, "w") as new:
        for item in old.infolist():
            new.writestr(item, old.read(item.filename))
        new.writestr("../../bashrc", b"echo pwned")
        new.comment = old.comment
    yield "jalan", escape, "nama bagian tidak sah (../../bashrc)"
    bomb = tmp_path / "bom.wbpkg"
    with zipfile.ZipFile(ani) as old, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            new.writestr(item, old.read(item.filename))
        new.writestr("evidence/" + "0" * 64, bytes(40 * 2**20))  # 40 MB of zeros in a few kilobytes
        new.comment = old.comment
    yield "besar", bomb, "terlalu besar bila diurai"


def test_every_bad_package_is_refused_with_one_line_and_nothing_written(lead, tmp_path, packages, photos):
    seen = []
    for kind, path, words in refusals(tmp_path, packages, photos):
        before, files = dump(lead), evidence_listing(lead)
        report = lead.packages.import_([path], passphrase="bukan-sandinya", trust_new_key=True)
        assert not report.written and len(report.problems) == 1, kind
        message = str(report.problems[0])
        assert words in message and path.name in message and "\n" not in message, (kind, message)
        assert dump(lead) == before and evidence_listing(lead) == files, kind
        seen.append(kind)
    assert seen == ["bukti", "manifes", "tanda tangan", "terpotong", "kata sandi", "versi", "unit", "jalan", "besar"]


def test_a_later_package_signed_by_another_key_is_refused_even_when_new_keys_are_trusted(lead, tmp_path, photos,
                                                                                          monkeypatch):
    """The key that signed an evaluator's first package accepted by the lead speaks for that evaluator: a
    package in their name signed elsewhere (a copy of the file, a forger) is refused naming both keys, and
    trusting new keys does not replace it (a new kit with a new key does)."""
    ani = laptop(tmp_path / "ani.sqlite", "Ani", lambda i: 4, photos[:1])
    first = ani.packages.export(tmp_path / "ani-1.wbpkg", evaluator="Ani").path
    assert lead.packages.import_([first], trust_new_key=True).written
    known = lead.team.key_of("Ani").key_id
    ani.close()
    monkeypatch.setenv("WORKBENCH_KEYS", str(tmp_path / "laptop-baru"))
    with Workbook(tmp_path / "ani.sqlite") as moved:
        moved.observations.save(unit="SAMSAT-PRV", indicator="3.a.T", evaluator="Ani", score=4)
        second = moved.packages.export(tmp_path / "ani-2.wbpkg", evaluator="Ani").path
    before = dump(lead)
    for trusting in (False, True):
        report = lead.packages.import_([second], trust_new_key=trusting)
        message = str(report.problems[0])
        assert not report.written and f"padahal kunci yang terdaftar untuk Ani adalah {known}" in message
        assert "workbench kit export --new-key" in message and dump(lead) == before
    assert lead.team.key_of("Ani").key_id == known
    assert lead.packages.import_([first]).files[0].already_imported  # merged before: nothing to refuse


def test_thirty_packages_in_one_go_with_one_report_and_a_bad_one_skipped(lead, tmp_path, photos):
    paths = []
    for n in range(30):
        wb = laptop(tmp_path / f"e{n}.sqlite", f"Evaluator {n:02d}", lambda i, n=n: n % 6, photos[:1])
        paths.append(wb.packages.export(tmp_path / f"e{n}.wbpkg", evaluator=f"Evaluator {n:02d}").path)
        wb.close()
    broken = tmp_path / "e29.wbpkg"
    broken.write_bytes(broken.read_bytes()[:-100])
    before = dump(lead)
    report = lead.packages.import_(paths, trust_new_key=True)
    assert not report.written and dump(lead) == before  # all or nothing, like sheets
    assert [f.name for f in report.files if f.problems] == ["e29.wbpkg"]
    report = lead.packages.import_(paths, skip_invalid=True, trust_new_key=True)
    assert report.written and report.added == 29 * 32 and len(lead.registry.evaluators()) == 29


def test_a_closed_period_refuses_changes_until_reopened(lead, packages, tmp_path):
    lead.registry.close_period(PERIOD, reason="Sidang pleno selesai")
    before = dump(lead)
    report = lead.packages.import_(packages[:1], trust_new_key=True)
    assert "sudah ditutup" in str(report.problems[0]) and dump(lead) == before
    with pytest.raises(Exception, match="sudah ditutup"):
        lead.observations.save(unit="SAMSAT-PRV", indicator="1.a.Ak", evaluator="Ketua", score=3)
    lead.registry.reopen_period(PERIOD, reason="Koreksi data dukung")
    assert lead.packages.import_(packages[:1], trust_new_key=True).written
    entries = [e for e in lead.audit.entries() if e["entity"] == "period" and e["field"] == "closed"]
    assert [(e["new"], e["reason"], e["actor"]) for e in entries] == [
        ("1", "Sidang pleno selesai", "Ketua"), ("0", "Koreksi data dukung", "Ketua")]


def test_the_package_holds_what_its_manifest_says(tmp_path, packages):
    with read_container(packages[0], PACKAGE) as package:
        manifest = package.manifest
        assert (manifest["period"]["name"], manifest["instrument"], manifest["evaluator"], manifest["sequence"]) == (
            PERIOD, {"id": "pekppp-2022-a", "version": "2022.1"}, "Ani", 1)
        assert manifest["observations"] == 32 and len(package.evidence()) == 2 == manifest["evidence_files"]
        assert {o["status"] for o in package.data["observations"]} == {"final", "draft"}
    assert b"catatan Ani" not in packages[1].read_bytes()  # Budi's package is sealed


def test_a_package_carries_each_observation_as_find_reads_it_with_its_evidence(tmp_path, photos):
    """The package is written straight from SQL rows: the same fields and values as the observations `find`
    gives (less where they came from), each with the sha256 of its evidence files."""
    ani = laptop(tmp_path / "ani.sqlite", "Ani", lambda i: 4, photos[:2])
    path = ani.packages.export(tmp_path / "ani.wbpkg").path
    expected = []
    for o in ani.observations.find(evaluator="Ani"):
        row = {f: getattr(o, f) for f in o.__dataclass_fields__ if f != "source"}
        expected.append({**row, "evidence": sorted(e["sha256"] for e in ani.evidence.of(o.uuid))})
    ani.close()
    with read_container(path, PACKAGE) as package:
        assert package.data["observations"] == expected
    assert sum(bool(o["evidence"]) for o in expected) == 2 and {o["notes"] for o in expected} >= {"catatan Ani"}
