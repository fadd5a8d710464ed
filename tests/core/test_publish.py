"""Publishing: the fixtures' round published, served by Datasette as a real process, read back over HTTP."""

import hashlib
import json
import re
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.helpers import DATA, UNITS, run, write_xlsx
from workbench import Workbook
from workbench.usecases.publish import publish

PASS = "kunci-rahasia-kantor"
NOTE = "Maklumat pelayanan belum dipasang di loket 3 (catatan rahasia evaluator)"
ADVICE = "Segera susun SOP pengaduan (rekomendasi internal)"


@pytest.fixture(scope="module")
def round_(tmp_path_factory):
    """A lead's round from the fixture sheets: three evaluators, a conflict settled, certificates issued for
    the units that earn one and one of them revoked; a note, a recommendation and evidence that must stay."""
    folder = tmp_path_factory.mktemp("terbit")
    db = folder / "ketua.sqlite"
    units = write_xlsx(folder / "lokus.xlsx", [["Kode Unit", "Nama Unit", "Instansi"], *UNITS])
    for argv in (("init", db, "--period", "PEKPPP 2026", "--as", "Ketua"), ("units", "import", db, units),
                 ("import", db, DATA / "evaluator-ani-libreoffice.xlsx", DATA / "evaluator-budi-long.ods"),
                 ("import", db, DATA / "evaluator-citra-wide.xls", "--evaluator", "Citra"),
                 ("resolve", db, "--unit", "DPMPTSP-KTA", "--indicator", "1.a.Ak", "--score", "4", "--reason",
                  "Dibahas bersama", "--as", "Ketua")):
        assert subprocess.run([sys.executable, "-m", "workbench", *map(str, argv)], capture_output=True,
                              env=_env(folder)).returncode == 0, argv
    photo = folder / "foto-loket.jpg"
    photo.write_bytes(b"\xff\xd8 bukti dukung rahasia")
    with Workbook(db, actor="Ketua") as wb:
        observation = wb.observations.save(unit="SAMSAT-PRV", indicator="1.a.Ak", evaluator="Ani", notes=NOTE,
                                           recommendation=ADVICE)
        wb.evidence.add(observation.uuid, photo)
        wb.observations.finalize()
        wb.certificates.init_keys(PASS)
        from workbench.usecases.certificates import issue_certificates

        issued = issue_certificates(wb, PASS, folder / "piagam", min_category="B")
        numbers = [c.number for c in wb.certificates.issued()]
        wb.certificates.revoke(numbers[-1], "Salah cetak nama unit")
        evidence = [e["sha256"] for e in wb.evidence.of(observation.uuid)]
        audit = [row[0] for row in wb.store.execute("SELECT hash FROM audit_log")]
    assert len(issued.files) > 2 and len(numbers) >= 2
    return {"folder": folder, "db": db, "numbers": numbers, "evidence": evidence, "audit": audit}


def _env(folder):
    import os

    return {**os.environ, "WORKBENCH_KEYS": str(folder / "kunci"), "PYTHONPATH": str(DATA.parents[1])}


@pytest.fixture(scope="module")
def published(round_):
    out = round_["folder"] / "hasil-pekppp-2026.sqlite"
    with Workbook(round_["db"]) as wb:
        publish(wb, out)
    return out


@pytest.fixture(scope="module")
def server(round_, published):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = (round_["folder"] / "serve.log").open("wb")  # a pipe nobody reads would fill up and stop the server
    process = subprocess.Popen([sys.executable, "-m", "workbench", "serve", str(published), "--port", str(port)],
                               stdout=log, stderr=subprocess.STDOUT, env=_env(round_["folder"]))
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(base + "/-/versions.json", timeout=2).read()
            break
        except OSError:
            assert process.poll() is None, (round_["folder"] / "serve.log").read_text()
            assert time.monotonic() < deadline, "Datasette did not start"
            time.sleep(0.2)
    yield base
    process.terminate()
    process.wait(timeout=20)
    log.close()


def get(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


def test_every_units_result_is_served_as_scores_says(round_, server, published, capsys):
    code, out, _ = run(capsys, "scores", round_["db"], "--json")
    expected = {r["unit"]: r for r in json.loads(out)}
    rows = get(f"{server}/{published.stem}/hasil.json?_shape=array&_size=max")
    assert sorted(r["kode_unit"] for r in rows) == sorted(expected) == sorted(u[0] for u in UNITS)
    for row in rows:
        want = expected[row["kode_unit"]]
        assert (row["nama_unit"], row["instansi"], row["ipp"], row["kategori"], row["predikat"], row["peringkat"],
                row["indikator_dinilai"], row["jumlah_indikator"], row["jumlah_evaluator"]) == (
            want["name"], want["institution"], want["ipp"], want["category"], want["label"], want["rank"],
            want["scored"], want["total"], want["evaluators"])
        shown = {column.removeprefix("aspek_"): value for column, value in row.items() if column.startswith("aspek_")}
        assert shown == {code: v for code, v in want["aspects"].items() if code != "INF"}  # INF: no IPP share
        assert row["status_nilai"] in ("draf", "final")
    facets = get(f"{server}/{published.stem}/hasil.json?_facet=kategori")["facet_results"]
    assert "kategori" in facets
    found = get(f"{server}/{published.stem}/hasil.json?_search=Samsat&_shape=array")
    assert [r["kode_unit"] for r in found] == ["SAMSAT-PRV"]  # full-text on the names


def test_the_certificate_check_answers_valid_revoked_and_unknown(round_, server, published):
    def check(number):
        query = urllib.parse.urlencode({"nomor": number, "_shape": "array"})
        return get(f"{server}/{published.stem}/cek_piagam.json?{query}")

    valid, revoked = round_["numbers"][0], round_["numbers"][-1]
    answer = check(valid)
    assert len(answer) == 1 and answer[0]["status"] == "berlaku" and answer[0]["kunci"]
    assert check(f" {valid.lower()} ")[0]["status"] == "berlaku"  # as typed from the paper, in any case
    assert check(revoked)[0]["status"] == "dicabut" and check(revoked)[0]["tanggal_cabut"]
    assert check("999/PALSU/2026")[0]["status"] == "tidak dikenal"
    assert check("") == []  # nothing asked, nothing said
    [key] = get(f"{server}/{published.stem}/kunci_publik.json?_shape=array")
    assert key["kunci"] == answer[0]["kunci"] and "PUBLIC KEY" in key["pem"]
    by_category = get(f"{server}/{published.stem}/hasil_per_kategori.json?_shape=array")
    assert sum(r["jumlah_unit"] for r in by_category) == len(UNITS)
    assert get(f"{server}/{published.stem}/hasil_per_instansi.json?_shape=array")


def test_a_write_through_the_server_fails_and_changes_nothing(server, published):
    before = hashlib.sha256(published.read_bytes()).hexdigest()
    for sql in ("delete from hasil", "insert into piagam (nomor, status) values ('666', 'berlaku')",
                "update hasil set ipp = 5", "drop table piagam"):
        query = urllib.parse.urlencode({"sql": sql})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"{server}/{published.stem}.json?{query}", timeout=10)
        assert refused.value.code == 400
        refused.value.close()
    with pytest.raises(urllib.error.HTTPError) as refused:  # no writable canned query, no write API
        urllib.request.urlopen(urllib.request.Request(f"{server}/{published.stem}/cek_piagam",
                                                      data=b"nomor=1", method="POST"), timeout=10)
    refused.value.close()
    assert hashlib.sha256(published.read_bytes()).hexdigest() == before
    assert len(get(f"{server}/{published.stem}/hasil.json?_shape=array")) == len(UNITS)


def test_nothing_private_is_in_the_published_file(round_, published):
    with sqlite3.connect(round_["db"]) as lead:
        evaluators = [row[0] for row in lead.execute("SELECT name FROM evaluators")]
        notes = [row[0] for row in lead.execute("SELECT notes FROM observations WHERE notes <> ''")]
        claims = [row[0] for row in lead.execute("SELECT claim FROM observations WHERE claim IS NOT NULL")]
    assert {"Ani", "Budi", "Citra"} <= set(evaluators) and NOTE in notes
    with sqlite3.connect(published) as conn:
        tables = [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        values = [str(value) for table in tables for row in conn.execute(f'SELECT * FROM "{table}"')
                  for value in row if value is not None]
        columns = {row[1] for table in tables for row in conn.execute(f'PRAGMA table_info("{table}")')}
    text = "\n".join(values)
    raw = published.read_bytes().decode("utf-8", "replace")
    for secret in (*notes, ADVICE, *round_["evidence"], *round_["audit"], "foto-loket", PASS, "Ketua",
                   "Salah cetak nama unit", "Dibahas bersama"):
        assert secret not in raw, secret
    for name in evaluators:
        assert not re.search(rf"\b{re.escape(name)}\b", text + raw), name
    assert not columns & {"evaluator", "notes", "catatan", "recommendation", "rekomendasi", "claim", "klaim",
                          "evidence", "bukti", "hash", "actor", "reason", "alasan", "token"}
    assert claims  # the sheets carry claims, and none of their columns went out


def test_publishing_twice_gives_the_same_bytes(round_, published, tmp_path):
    again = tmp_path / published.name
    with Workbook(round_["db"]) as wb:
        done = publish(wb, again)
        changed = wb.audit.last_at()
    assert again.read_bytes() == published.read_bytes()
    with sqlite3.connect(again) as conn:  # dated by the data's last change, not by the clock
        assert conn.execute("SELECT data_per FROM periode").fetchone()[0] == changed and changed
    assert f"Data per {changed[:10]}" in json.loads(done.metadata.read_text())["databases"][published.stem][
        "description_html"]
    assert done.metadata.read_bytes() == published.with_suffix(".json").read_bytes()
    assert json.loads(done.metadata.read_text())["databases"][published.stem]["queries"]["cek_piagam"]


def test_serve_refuses_a_file_that_was_not_published(round_, capsys):
    code, _, err = run(capsys, "serve", round_["db"], "--port", "1")
    assert code == 1 and "bukan berkas hasil terbitan" in err


def test_every_public_table_and_column_is_described_in_both_languages(published):
    metadata = json.loads(published.with_suffix(".json").read_text())
    described = metadata["databases"][published.stem]["tables"]
    assert metadata["license"] and metadata["source"] and "PEKPPP 2026" in metadata["title"]
    assert "SEMENTARA" in metadata["title"]  # the period is open: the public is told the results may change
    assert f'href="/{published.stem}/cek_piagam"' in metadata["databases"][published.stem]["description_html"]
    assert "wilayah" not in described["hasil"]["facets"]  # no unit of the fixtures names its region
    with sqlite3.connect(published) as conn:
        tables = [row[0] for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '%fts%' AND name <> '_metadata'")]
        for table in tables:
            assert " · " in described[table]["description"], table
            for column in (row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')):
                assert " · " in described[table]["columns"][column], (table, column)
