"""Publishing a period's results for anyone to read: a sanitised SQLite file that Datasette serves read-only.

The file holds what the public may see and nothing else: the period (and when its data last changed) and its
instrument (aspects, indicators, weights, categories), institutions and units, each unit's result (IPP,
category, rank, weighted aspect scores, how many evaluators), its survey index (IKM), and the certificate
register (number, unit, category, date, valid or revoked, the key that signed it). No evaluator's name,
note, recommendation, claim, evidence, audit entry (only the time of the last), key or setting is read into
it. The same database gives the same file, byte for byte (rows in a fixed order, no clock, no random ids),
so that a published file can be compared and cited.

Datasette's metadata (titles and descriptions in Indonesian and English, facets, full-text search, the canned
queries) is kept in the file itself (table `_metadata`) and written beside it as JSON for a plain
`datasette serve --immutable FILE --metadata FILE.json`; `serve` reads it from the file.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.domain.values import STATUS_LABELS
from workbench.errors import WorkbenchError
from workbench.i18n import source
from workbench.usecases.published_metadata import DATABASE, REVOKED, VALID, metadata
from workbench.workbook import Workbook

SCHEMA = """
CREATE TABLE periode (nama TEXT PRIMARY KEY, tahun INTEGER, instrumen TEXT, nama_instrumen TEXT,
                      regulasi TEXT, ditutup INTEGER NOT NULL, contoh INTEGER NOT NULL, data_per TEXT);
CREATE TABLE kategori (kode TEXT PRIMARY KEY, predikat TEXT, predikat_en TEXT, batas_bawah REAL, urutan INTEGER);
CREATE TABLE aspek (kode TEXT PRIMARY KEY, nama TEXT, nama_en TEXT, bobot REAL, urutan INTEGER);
CREATE TABLE indikator (kode TEXT PRIMARY KEY, aspek TEXT REFERENCES aspek(kode), uraian TEXT, bobot REAL,
                        bobot_ipp REAL, dihitung INTEGER, urutan INTEGER);
CREATE TABLE instansi (nama TEXT PRIMARY KEY, jenis TEXT, wilayah TEXT);
CREATE TABLE unit (kode_unit TEXT PRIMARY KEY, nama_unit TEXT, instansi TEXT REFERENCES instansi(nama),
                   jenis_instansi TEXT, wilayah TEXT);
CREATE TABLE survei (kode_unit TEXT PRIMARY KEY REFERENCES unit(kode_unit), nama_unit TEXT, instansi TEXT,
                     ikm REAL, ikm_skala_4 REAL, mutu TEXT, kinerja TEXT, responden INTEGER);
CREATE TABLE kunci_publik (kunci TEXT PRIMARY KEY, pem TEXT NOT NULL);
CREATE TABLE piagam (nomor TEXT PRIMARY KEY COLLATE NOCASE, kode_unit TEXT REFERENCES unit(kode_unit), nama_unit TEXT,
                     instansi TEXT, kategori TEXT REFERENCES kategori(kode), predikat TEXT, tanggal TEXT,
                     status TEXT NOT NULL, tanggal_cabut TEXT, kunci TEXT REFERENCES kunci_publik(kunci));
CREATE TABLE _metadata (isi TEXT NOT NULL);
"""

# the columns of the tables whose facets depend on whether a column holds anything
_COLUMNS = {"hasil": ("kode_unit", "nama_unit", "instansi", "wilayah", "peringkat", "ipp", "kategori", "predikat",
                      "status_nilai"),
            "unit": ("kode_unit", "nama_unit", "instansi", "jenis_instansi", "wilayah"),
            "instansi": ("nama", "jenis", "wilayah"),
            "survei": ("kode_unit", "nama_unit", "instansi", "ikm", "ikm_skala_4", "mutu"),
            "piagam": ("nomor", "kode_unit", "nama_unit", "instansi", "kategori", "predikat", "tanggal", "status")}


@dataclass(frozen=True)
class Published:
    """What `publish` wrote: the file, its metadata beside it, how many units and certificates, and whether the
    results are provisional (the period is not closed yet)."""

    path: Path
    metadata: Path
    period: str
    units: int
    certificates: int
    provisional: bool


def publish(wb: Workbook, out: str | Path, *, period: str | None = None) -> Published:
    """Write the period's public results to `out` (replaced whole, never left half-written) and its Datasette
    metadata beside it (`out` with .json)."""
    out = Path(out)
    p = wb.registry.period(period)
    inst = wb.registry.scored_instrument(p)
    units = wb.registry.units()
    by_code = {u.code: u for u in units}
    scores = {s.unit: s for s in wb.results.scores(p.name)}
    surveys = wb.surveys.results(p.name)
    certificates = wb.certificates.issued(p.name)
    statuses = wb.observations.progress(period=p.name)
    as_of = wb.audit.last_at()  # the workbook's last change, not the clock: the same data, the same file
    counted = [a for a in inst.aspects if a.weight]  # an informative aspect has no share of the IPP
    aspects = [(a.code, _column(a.code)) for a in counted]
    bands = {b.code: b for b in inst.bands}
    tables: dict[str, list[Sequence[object]]] = {
        "periode": [(p.name, p.year, inst.id, inst.name, inst.regulation, int(p.closed), int(p.demo), as_of)],
        "kategori": [(b.code, b.label, b.label_en, b.min, n) for n, b in enumerate(inst.bands)],
        "aspek": [(a.code, a.name, a.name_en, round(a.weight, 6), n) for n, a in enumerate(inst.aspects)],
        "indikator": [(i.code, i.aspect, i.text, round(i.weight, 6), round(i.global_weight, 6), int(i.scored), n)
                      for n, i in enumerate(inst.indicators)],
        "instansi": [(name, kind, region) for name, (kind, region) in
                     sorted({u.institution: (u.institution_kind, u.region) for u in units}.items())],
        "unit": [(u.code, u.name, u.institution, u.institution_kind, u.region)
                 for u in sorted(units, key=lambda u: u.code)],
        "hasil": [(u.code, u.name, u.institution, u.region, s.rank, s.ipp, s.category,
                   bands[s.category].label if s.category in bands else None,
                   source(STATUS_LABELS[statuses[u.code].status]) if u.code in statuses else None,
                   *(s.aspects.get(code) for code, _ in aspects), s.scored, s.total, s.evaluators)
                  for u in sorted(units, key=lambda u: (_rank(scores.get(u.code)), u.code))
                  if (s := scores.get(u.code)) is not None],
        "survei": [(code, by_code[code].name, by_code[code].institution, r.nik,
                    None if r.ikm is None else round(r.ikm, 3), r.band and r.band.code, r.band and r.band.label,
                    r.respondents) for code, r in sorted(surveys.items()) if code in by_code],
        "kunci_publik": _public_key(wb),
        "piagam": [(c.number, c.unit, c.unit_name, c.institution, c.category, c.label, c.issued_on,
                    REVOKED if c.revoked else VALID, (c.revoked_at or "")[:10] or None, c.key_id)
                   for c in sorted(certificates, key=lambda c: c.number)],
    }
    filled = {f"{table}.{column}" for table, columns in _COLUMNS.items() for n, column in enumerate(columns)
              if any(row[n] not in (None, "") for row in tables.get(table, []))}
    result_columns = ", ".join(f"{column} REAL" for _, column in aspects)
    schema = SCHEMA + (
        "CREATE TABLE hasil (kode_unit TEXT PRIMARY KEY REFERENCES unit(kode_unit), nama_unit TEXT, instansi TEXT, "
        "wilayah TEXT, peringkat INTEGER, ipp REAL, kategori TEXT REFERENCES kategori(kode), predikat TEXT, "
        f"status_nilai TEXT, {result_columns}, indikator_dinilai INTEGER, jumlah_indikator INTEGER, "
        "jumlah_evaluator INTEGER);")
    described = metadata(p.name, p.closed, inst, aspects, filled, as_of)
    out.parent.mkdir(parents=True, exist_ok=True)
    part = out.with_name(out.name + ".part")
    part.unlink(missing_ok=True)  # a copy an earlier run left when it was killed
    try:
        _write(part, schema, tables, described)
        os.replace(part, out)
    finally:
        part.unlink(missing_ok=True)
    beside = out.with_suffix(".json")
    beside.write_text(json.dumps(datasette_metadata(out), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return Published(out, beside, p.name, len(tables["unit"]), len(tables["piagam"]), not p.closed)


def datasette_metadata(path: str | Path) -> dict[str, Any]:
    """Datasette's metadata for a published file, keyed by the name Datasette gives it (the file's stem)."""
    path = Path(path)
    try:
        with sqlite3.connect(f"file:{path}?immutable=1", uri=True) as conn:
            found = conn.execute("SELECT isi FROM _metadata").fetchone()
    except sqlite3.DatabaseError as exc:
        raise WorkbenchError("{file}: bukan berkas hasil terbitan workbench ({detail})", file=path.name,
                             detail=str(exc)) from exc
    if found is None:
        raise WorkbenchError("{file}: bukan berkas hasil terbitan workbench ({detail})", file=path.name,
                             detail="_metadata")
    inner = json.loads(found[0].replace(DATABASE, path.stem))
    top = {key: inner.pop(key) for key in ("title", "description", "license", "license_url", "source")}
    return top | {"databases": {path.stem: inner | {"title": top["title"]}}}


def serve(path: str | Path, *, host: str = "127.0.0.1", port: int = 8001) -> None:
    """Serve a published file with Datasette, read-only (immutable), until interrupted."""
    path = Path(path)
    if not path.is_file():
        raise WorkbenchError("{file}: tidak ditemukan", file=str(path))
    try:
        from datasette.cli import cli
    except ImportError as exc:
        raise WorkbenchError("Datasette belum terpasang: pip install 'pekppp-workbench[publish]'") from exc
    folder = Path(tempfile.mkdtemp(prefix="workbench-serve-"))
    metadata = folder / "metadata.json"
    metadata.write_text(json.dumps(datasette_metadata(path), ensure_ascii=False), encoding="utf-8")
    cli.main(["serve", "--immutable", str(path), "--metadata", str(metadata), "--host", host, "--port", str(port),
              "--setting", "sql_time_limit_ms", "2000", "--setting", "allow_download", "on"],
             prog_name="workbench serve", standalone_mode=False)


def _write(path: Path, schema: str, tables: dict[str, list[Sequence[object]]], metadata: dict[str, Any]) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA page_size = 4096")
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute("BEGIN")
        for statement in _statements(schema):
            conn.execute(statement)
        for table, rows in tables.items():
            if rows:
                marks = ", ".join("?" * len(rows[0]))
                conn.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
        conn.execute("INSERT INTO _metadata VALUES (?)", (json.dumps(metadata, ensure_ascii=False),))
        for table, columns in (("hasil", ("kode_unit", "nama_unit", "instansi")),
                               ("unit", ("kode_unit", "nama_unit", "instansi"))):
            listed = ", ".join(columns)
            conn.execute(f"CREATE VIRTUAL TABLE {table}_fts USING fts5({listed}, content={table})")
            conn.execute(f"INSERT INTO {table}_fts (rowid, {listed}) SELECT rowid, {listed} FROM {table}")
        conn.execute("COMMIT")
        conn.execute("VACUUM")
    finally:
        conn.close()


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]


def _column(code: str) -> str:
    """The column of an aspect's weighted score in `hasil`: aspek_ and the code in letters and digits."""
    return "aspek_" + re.sub(r"\W", "_", code)


def _public_key(wb: Workbook) -> list[Sequence[object]]:
    """The office's public key with its id, when it has one: anyone may check a certificate offline with it."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    from cryptography.hazmat.primitives.serialization import load_pem_public_key

    from workbench.db.keyring import key_id

    try:
        pem = wb.certificates.public_key()
    except WorkbenchError:  # no key yet, or one the audit log does not vouch for: nothing to publish
        return []
    loaded = load_pem_public_key(pem)
    return [(key_id(loaded), pem.decode())] if isinstance(loaded, Ed25519PublicKey) else []


def _rank(score: Any) -> tuple[int, int]:
    rank = getattr(score, "rank", None)
    return (rank is None, rank or 0)
