"""Publishing a period's results for anyone to read: a sanitised SQLite file that Datasette serves read-only.

The file holds what the public may see and nothing else: the period and its instrument (aspects, indicators,
weights, categories), institutions and units, each unit's result (IPP, category, rank, weighted aspect
scores, how many evaluators), its survey index (IKM), and the certificate register (number, unit, category,
date, valid or revoked, the key that signed it). No evaluator's name, note, recommendation, claim, evidence,
audit entry, key or setting is read into it. The same database gives the same file, byte for byte (rows in
a fixed order, no clock, no random ids), so that a published file can be compared and cited.

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

from workbench.errors import WorkbenchError
from workbench.workbook import Workbook

LICENCE = ("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/")
SOURCE = "Meja Kerja Evaluasi Pelayanan Publik (PEKPPP) · Public Service Evaluation Workbench"
VALID, REVOKED, UNKNOWN = "berlaku", "dicabut", "tidak dikenal"

SCHEMA = """
CREATE TABLE periode (nama TEXT PRIMARY KEY, tahun INTEGER, instrumen TEXT, nama_instrumen TEXT,
                      regulasi TEXT, ditutup INTEGER NOT NULL, contoh INTEGER NOT NULL);
CREATE TABLE kategori (kode TEXT PRIMARY KEY, predikat TEXT, predikat_en TEXT, batas_bawah REAL, urutan INTEGER);
CREATE TABLE aspek (kode TEXT PRIMARY KEY, nama TEXT, nama_en TEXT, bobot REAL, urutan INTEGER);
CREATE TABLE indikator (kode TEXT PRIMARY KEY, aspek TEXT REFERENCES aspek(kode), uraian TEXT, bobot REAL,
                        bobot_ipp REAL, dihitung INTEGER, urutan INTEGER);
CREATE TABLE instansi (nama TEXT PRIMARY KEY, jenis TEXT, wilayah TEXT);
CREATE TABLE unit (kode_unit TEXT PRIMARY KEY, nama_unit TEXT, instansi TEXT REFERENCES instansi(nama),
                   jenis_instansi TEXT, wilayah TEXT);
CREATE TABLE survei (kode_unit TEXT PRIMARY KEY REFERENCES unit(kode_unit), nama_unit TEXT, instansi TEXT,
                     ikm REAL, ikm_skala_4 REAL, mutu TEXT, kinerja TEXT, responden INTEGER);
CREATE TABLE piagam (nomor TEXT PRIMARY KEY, kode_unit TEXT REFERENCES unit(kode_unit), nama_unit TEXT,
                     instansi TEXT, kategori TEXT REFERENCES kategori(kode), predikat TEXT, tanggal TEXT,
                     status TEXT NOT NULL, kunci TEXT);
CREATE TABLE _metadata (isi TEXT NOT NULL);
"""

CHECK_CERTIFICATE = (
    f"SELECT :nomor AS nomor, coalesce(p.status, '{UNKNOWN}') AS status, p.kode_unit, p.nama_unit, p.instansi, "
    "p.kategori, p.predikat, p.tanggal, p.kunci FROM (SELECT 1) LEFT JOIN piagam p ON p.nomor = trim(:nomor)")
BY_CATEGORY = (
    "SELECT k.kode AS kategori, k.predikat, count(h.kode_unit) AS jumlah_unit, round(avg(h.ipp), 2) AS rata_rata_ipp "
    "FROM kategori k LEFT JOIN hasil h ON h.kategori = k.kode GROUP BY k.kode ORDER BY k.urutan")
BY_INSTITUTION = (
    "SELECT instansi, wilayah, count(*) AS jumlah_unit, count(ipp) AS dinilai, round(avg(ipp), 2) AS rata_rata_ipp, "
    "min(ipp) AS ipp_terendah, max(ipp) AS ipp_tertinggi FROM hasil GROUP BY instansi, wilayah "
    "ORDER BY rata_rata_ipp IS NULL, rata_rata_ipp DESC, instansi")


@dataclass(frozen=True)
class Published:
    """What `publish` wrote: the file, its metadata beside it, and how many units and certificates."""

    path: Path
    metadata: Path
    period: str
    units: int
    certificates: int


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
    aspects = [(a.code, _column(a.code)) for a in inst.aspects]
    bands = {b.code: b for b in inst.bands}
    tables: dict[str, list[Sequence[object]]] = {
        "periode": [(p.name, p.year, inst.id, inst.name, inst.regulation, int(p.closed), int(p.demo))],
        "kategori": [(b.code, b.label, b.label_en, b.min, n) for n, b in enumerate(inst.bands)],
        "aspek": [(a.code, a.name, a.name_en, a.weight, n) for n, a in enumerate(inst.aspects)],
        "indikator": [(i.code, i.aspect, i.text, i.weight, i.global_weight, int(i.scored), n)
                      for n, i in enumerate(inst.indicators)],
        "instansi": [(name, kind, region) for name, (kind, region) in
                     sorted({u.institution: (u.institution_kind, u.region) for u in units}.items())],
        "unit": [(u.code, u.name, u.institution, u.institution_kind, u.region)
                 for u in sorted(units, key=lambda u: u.code)],
        "hasil": [(u.code, u.name, u.institution, u.region, s.rank, s.ipp, s.category,
                   bands[s.category].label if s.category in bands else None,
                   *(s.aspects.get(code) for code, _ in aspects), s.scored, s.total, s.evaluators)
                  for u in sorted(units, key=lambda u: (_rank(scores.get(u.code)), u.code))
                  if (s := scores.get(u.code)) is not None],
        "survei": [(code, by_code[code].name, by_code[code].institution, r.nik,
                    None if r.ikm is None else round(r.ikm, 3), r.band and r.band.code, r.band and r.band.label,
                    r.respondents) for code, r in sorted(surveys.items()) if code in by_code],
        "piagam": [(c.number, c.unit, c.unit_name, c.institution, c.category, c.label, c.issued_on,
                    REVOKED if c.revoked else VALID, c.key_id) for c in sorted(certificates, key=lambda c: c.number)],
    }
    metadata = _metadata(p.name, inst.name, aspects)
    result_columns = ", ".join(f"{column} REAL" for _, column in aspects)
    schema = SCHEMA + (
        "CREATE TABLE hasil (kode_unit TEXT PRIMARY KEY REFERENCES unit(kode_unit), nama_unit TEXT, instansi TEXT, "
        "wilayah TEXT, peringkat INTEGER, ipp REAL, kategori TEXT REFERENCES kategori(kode), predikat TEXT, "
        f"{result_columns}, indikator_dinilai INTEGER, jumlah_indikator INTEGER, jumlah_evaluator INTEGER);")
    out.parent.mkdir(parents=True, exist_ok=True)
    part = out.with_name(out.name + ".part")
    part.unlink(missing_ok=True)  # a copy an earlier run left when it was killed
    try:
        _write(part, schema, tables, metadata)
        os.replace(part, out)
    finally:
        part.unlink(missing_ok=True)
    beside = out.with_suffix(".json")
    beside.write_text(json.dumps(datasette_metadata(out), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return Published(out, beside, p.name, len(tables["unit"]), len(tables["piagam"]))


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
    inner = json.loads(found[0])
    return {key: inner.pop(key) for key in ("title", "description", "license", "license_url", "source")} | {
        "databases": {path.stem: inner}}


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
        for table, columns in (("hasil", ("nama_unit", "instansi")), ("unit", ("nama_unit", "instansi"))):
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


def _rank(score: Any) -> tuple[int, int]:
    rank = getattr(score, "rank", None)
    return (rank is None, rank or 0)


def _metadata(period: str, instrument: str, aspects: list[tuple[str, str]]) -> dict[str, Any]:
    """Titles, descriptions (Indonesian · English), facets, full-text search and canned queries."""
    aspect_columns = {column: f"Nilai tertimbang aspek {code} (bagiannya dari IPP) · Weighted score of aspect {code} "
                              "(its share of the IPP)" for code, column in aspects}
    unit_columns = {"kode_unit": "Kode unit · Unit code", "nama_unit": "Nama unit · Unit name",
                    "instansi": "Instansi induk · Parent institution", "wilayah": "Wilayah · Region"}
    return {
        "title": f"Hasil Evaluasi Pelayanan Publik {period} · Public Service Evaluation Results {period}",
        "description": f"Indeks Pelayanan Publik (IPP, 0-5) dan kategori setiap unit, indeks kepuasan masyarakat "
                       f"(IKM) dan daftar piagam penghargaan periode {period}, instrumen {instrument}. Public Service "
                       f"Index (IPP, 0-5) and category of every unit, community satisfaction index (IKM) and the "
                       f"register of award certificates, period {period}, instrument {instrument}.",
        "license": LICENCE[0], "license_url": LICENCE[1], "source": SOURCE,
        "tables": {
            "hasil": {
                "title": "Hasil per unit · Results per unit",
                "description": "Satu baris satu unit: IPP, kategori, peringkat dan nilai tertimbang tiap aspek · "
                               "One row per unit: IPP, category, rank and the weighted score of each aspect",
                "sort": "peringkat", "facets": ["kategori", "instansi", "wilayah"], "fts_table": "hasil_fts",
                "columns": unit_columns | aspect_columns | {
                    "peringkat": "Peringkat dalam periode · Rank in the period",
                    "ipp": "Indeks Pelayanan Publik, 0-5, dua desimal · Public Service Index, 0-5, two decimals",
                    "kategori": "Kategori A sampai F · Category A to F", "predikat": "Predikat · Grade",
                    "indikator_dinilai": "Indikator yang sudah dinilai · Indicators scored",
                    "jumlah_indikator": "Indikator yang dihitung · Indicators that count",
                    "jumlah_evaluator": "Jumlah evaluator · Number of evaluators"}},
            "unit": {"title": "Unit penyelenggara pelayanan · Service units", "fts_table": "unit_fts",
                     "description": "Unit yang dievaluasi dan instansinya · The units evaluated and their institutions",
                     "facets": ["instansi", "wilayah"], "columns": unit_columns | {
                         "jenis_instansi": "Jenis instansi · Kind of institution"}},
            "instansi": {"title": "Instansi · Institutions", "facets": ["jenis", "wilayah"],
                         "description": "Instansi induk unit · The units' parent institutions",
                         "columns": {"nama": "Nama instansi · Name", "jenis": "Jenis · Kind",
                                     "wilayah": "Wilayah · Region"}},
            "survei": {"title": "Survei kepuasan masyarakat (SKM) · Community satisfaction survey",
                       "description": "IKM per unit dari kuesioner SKM · The satisfaction index of each unit",
                       "facets": ["mutu"], "columns": unit_columns | {
                           "ikm": "Indeks kepuasan masyarakat, 25-100; kosong bila ada unsur yang belum dijawab "
                                  "siapa pun · Satisfaction index, 25-100; empty while an element has no answer",
                           "ikm_skala_4": "IKM pada skala 1-4 · Index on the 1-4 scale",
                           "mutu": "Mutu pelayanan A-D · Service quality A-D", "kinerja": "Kinerja · Performance",
                           "responden": "Jumlah responden · Respondents"}},
            "piagam": {"title": "Daftar piagam penghargaan · Register of award certificates",
                       "description": "Piagam yang diterbitkan, berlaku atau dicabut · Certificates issued, valid "
                                      "or revoked",
                       "facets": ["kategori", "status"], "columns": unit_columns | {
                           "nomor": "Nomor piagam · Certificate number", "kategori": "Kategori · Category",
                           "predikat": "Predikat · Grade", "tanggal": "Tanggal terbit · Date issued",
                           "status": "berlaku atau dicabut · valid or revoked",
                           "kunci": "Sidik kunci publik penanda tangan · Fingerprint of the signing public key"}},
            "periode": {"title": "Periode · Period",
                        "description": "Periode evaluasi yang diterbitkan · The evaluation period published",
                        "columns": {"nama": "Nama periode · Period name", "tahun": "Tahun · Year",
                                    "instrumen": "Kode instrumen penilaian · Instrument id",
                                    "nama_instrumen": "Nama instrumen · Instrument name",
                                    "regulasi": "Dasar peraturan instrumen · The instrument's regulation",
                                    "ditutup": "1 bila periode sudah ditutup setelah sidang (nilai final) · 1 when "
                                               "the period was closed after the panel (scores final)",
                                    "contoh": "1 bila ini data contoh, bukan evaluasi sungguhan · 1 for example "
                                              "data, not a real evaluation"}},
            "kategori": {"title": "Kategori · Categories",
                         "description": "Kategori IPP dari A (Pelayanan Prima) sampai F · IPP categories, A to F",
                         "columns": {"kode": "Kode kategori · Category code", "predikat": "Predikat · Grade",
                                     "predikat_en": "Predikat dalam bahasa Inggris · Grade in English",
                                     "batas_bawah": "IPP terendah kategori ini · Lowest IPP of the category",
                                     "urutan": "Urutan dari tertinggi · Order from the highest"}},
            "aspek": {"title": "Aspek · Aspects",
                      "description": "Aspek penilaian dan bobotnya · The aspects evaluated and their weights",
                      "columns": {"kode": "Kode aspek · Aspect code", "nama": "Nama aspek · Aspect name",
                                  "nama_en": "Nama dalam bahasa Inggris · Name in English",
                                  "bobot": "Bobot aspek dalam IPP · Aspect weight in the IPP",
                                  "urutan": "Urutan dalam instrumen · Order in the instrument"}},
            "indikator": {"title": "Indikator · Indicators", "facets": ["aspek"],
                          "description": "Indikator penilaian dan bobotnya · The indicators and their weights",
                          "columns": {"kode": "Kode indikator · Indicator code", "aspek": "Aspeknya · Its aspect",
                                      "uraian": "Uraian indikator · What the indicator asks",
                                      "bobot": "Bobot dalam aspeknya · Weight within its aspect",
                                      "bobot_ipp": "Bobot dalam IPP · Weight in the IPP",
                                      "dihitung": "Dihitung dalam IPP (1) atau informatif (0) · Counts in the IPP",
                                      "urutan": "Urutan dalam instrumen · Order in the instrument"}},
            "_metadata": {"hidden": True},
        },
        "queries": {
            "cek_piagam": {"title": "Cek piagam · Check a certificate", "sql": CHECK_CERTIFICATE,
                           "description": "Nomor piagam → unit, kategori, tanggal, berlaku atau dicabut. "
                                          "Certificate number → unit, category, date, valid or revoked."},
            "hasil_per_kategori": {"title": "Hasil per kategori · Results by category", "sql": BY_CATEGORY},
            "hasil_per_instansi": {"title": "Hasil per instansi/wilayah · Results by institution and region",
                                   "sql": BY_INSTITUTION},
        },
    }
