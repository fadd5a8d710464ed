"""What Datasette shows around a published file: titles and descriptions of every table and column in
Indonesian and English, facets, sort orders, full-text search, and the canned queries (the certificate
check among them). Kept in the file (table `_metadata`) so that the file alone can be served."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from workbench.domain.instrument import Instrument

LICENCE = ("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/")
SOURCE = "Meja Kerja Evaluasi Pelayanan Publik (PEKPPP) · Public Service Evaluation Workbench"
VALID, REVOKED, UNKNOWN = "berlaku", "dicabut", "tidak dikenal"
DATABASE = "{database}"  # the name Datasette gives the file (its stem), filled in when served

CHECK_CERTIFICATE = (
    f"SELECT trim(:nomor) AS nomor, coalesce(p.status, '{UNKNOWN}') AS status, p.nama_unit, p.instansi, "
    "p.kategori, p.predikat, p.tanggal, p.tanggal_cabut, p.kode_unit, p.kunci "
    "FROM (SELECT 1) LEFT JOIN piagam p ON p.nomor = trim(:nomor) WHERE trim(:nomor) <> ''")
BY_CATEGORY = (
    "SELECT k.kode AS kategori, k.predikat, count(h.kode_unit) AS jumlah_unit, round(avg(h.ipp), 2) AS rata_rata_ipp "
    "FROM kategori k LEFT JOIN hasil h ON h.kategori = k.kode GROUP BY k.kode ORDER BY k.urutan")
BY_INSTITUTION = (
    "SELECT instansi, wilayah, count(*) AS jumlah_unit, count(ipp) AS dinilai, round(avg(ipp), 2) AS rata_rata_ipp, "
    "min(ipp) AS ipp_terendah, max(ipp) AS ipp_tertinggi FROM hasil GROUP BY instansi, wilayah "
    "ORDER BY rata_rata_ipp IS NULL, rata_rata_ipp DESC, instansi")

UNIT = {"kode_unit": "Kode unit · Unit code", "nama_unit": "Nama unit · Unit name",
        "instansi": "Instansi induk · Parent institution"}
REGION = {"wilayah": "Wilayah; kosong bila tidak diisi · Region; empty when not given"}


def metadata(period: str, closed: bool, inst: Instrument, aspects: Sequence[tuple[str, str]],
             filled: set[str], as_of: str | None = None) -> dict[str, Any]:
    """The metadata of a published period; `aspects` pairs each counted aspect's code with its column in
    `hasil`, `filled` names the table.column pairs that hold a value somewhere (facets only where they do),
    `as_of` is when the workbook's data last changed (UTC)."""
    provisional = "" if closed else " (SEMENTARA · PROVISIONAL)"
    dated = f" Data per {as_of[:10]} · Data as of {as_of[:10]}." if as_of else ""
    caution = "" if closed else (
        " Periode belum ditutup: nilai masih dapat berubah sampai sidang menetapkannya; kolom status_nilai "
        "menyebut nilai unit yang masih draf. · The period is not closed: scores may still change until the panel "
        "settles them; status_nilai names the units whose scores are still drafts.")
    names = {a.code: a for a in inst.aspects}
    aspect_columns = {column: f"Aspek {code} {names[code].name}: nilai tertimbang, paling tinggi "
                              f"{names[code].weight * inst.scale_max:.2f} · Aspect {code} {names[code].name_en}: "
                              f"weighted score, at most {names[code].weight * inst.scale_max:.2f}"
                      for code, column in aspects}

    def facets(table: str, *columns: str) -> list[str]:
        return [c for c in columns if f"{table}.{c}" in filled]

    return {
        "title": f"Hasil Evaluasi Pelayanan Publik {period}{provisional} · Public Service Evaluation Results "
                 f"{period}",
        "description": f"Indeks Pelayanan Publik (IPP, 0-5) dan kategori setiap unit, indeks kepuasan masyarakat "
                       f"(IKM) dan daftar piagam penghargaan periode {period}, instrumen {inst.name}. Public "
                       f"Service Index (IPP, 0-5) and category of every unit, community satisfaction index (IKM) and "
                       f"the register of award certificates, period {period}, instrument {inst.name}.{caution}",
        "license": LICENCE[0], "license_url": LICENCE[1], "source": SOURCE,
        "description_html": (
            f"<p>Hasil evaluasi periode {period}{provisional}. Results of the period {period}.{dated}</p><ul>"
            f"<li><a href=\"/{DATABASE}/hasil\">Hasil per unit · Results per unit</a></li>"
            f"<li><a href=\"/{DATABASE}/cek_piagam\">Cek piagam · Check a certificate</a></li>"
            f"<li><a href=\"/{DATABASE}/piagam\">Daftar piagam · Certificate register</a></li>"
            f"<li><a href=\"/{DATABASE}/hasil_per_kategori\">Hasil per kategori · By category</a></li>"
            f"<li><a href=\"/{DATABASE}/hasil_per_instansi\">Hasil per instansi/wilayah · By institution</a></li>"
            f"<li><a href=\"/{DATABASE}/survei\">Survei kepuasan masyarakat · Satisfaction survey</a></li></ul>"),
        "tables": {
            "hasil": {
                "title": f"Hasil per unit{provisional} · Results per unit",
                "description": "Satu baris satu unit: IPP, kategori, peringkat dan nilai tertimbang tiap aspek · "
                               "One row per unit: IPP, category, rank and the weighted score of each aspect"
                               + caution,
                "sort": "peringkat", "facets": facets("hasil", "kategori", "status_nilai", "instansi", "wilayah"),
                "fts_table": "hasil_fts",
                "columns": UNIT | REGION | aspect_columns | {
                    "peringkat": "Peringkat dalam periode · Rank in the period",
                    "ipp": "Indeks Pelayanan Publik, 0-5, dua desimal · Public Service Index, 0-5, two decimals",
                    "kategori": "Kategori A sampai F · Category A to F", "predikat": "Predikat · Grade",
                    "status_nilai": "draf, final atau terverifikasi: status terendah nilai unit ini · draft, final "
                                    "or verified: the lowest status of the unit's scores",
                    "indikator_dinilai": "Indikator yang sudah dinilai · Indicators scored",
                    "jumlah_indikator": "Indikator yang dihitung · Indicators that count",
                    "jumlah_evaluator": "Jumlah evaluator · Number of evaluators"}},
            "unit": {"title": "Unit penyelenggara pelayanan · Service units", "fts_table": "unit_fts",
                     "description": "Unit yang dievaluasi dan instansinya · The units evaluated and their "
                                    "institutions", "facets": facets("unit", "instansi", "wilayah"),
                     "columns": UNIT | REGION | {"jenis_instansi": "Jenis instansi; kosong bila tidak diisi · "
                                                                   "Kind of institution; empty when not given"}},
            "instansi": {"title": "Instansi · Institutions", "facets": facets("instansi", "jenis", "wilayah"),
                         "description": "Instansi induk unit · The units' parent institutions",
                         "columns": {"nama": "Nama instansi · Name",
                                     "jenis": "Jenis; kosong bila tidak diisi · Kind; empty when not given"} | REGION},
            "survei": {"title": "Survei kepuasan masyarakat (SKM) · Community satisfaction survey",
                       "description": "IKM per unit dari kuesioner SKM; tabel kosong bila belum ada kuesioner · "
                                      "The satisfaction index of each unit; empty when no questionnaire was entered",
                       "facets": facets("survei", "mutu"), "columns": UNIT | {
                           "ikm": "Indeks kepuasan masyarakat, 25-100; kosong bila ada unsur yang belum dijawab "
                                  "siapa pun · Satisfaction index, 25-100; empty while an element has no answer",
                           "ikm_skala_4": "IKM pada skala 1-4 · Index on the 1-4 scale",
                           "mutu": "Mutu pelayanan A-D · Service quality A-D", "kinerja": "Kinerja · Performance",
                           "responden": "Jumlah responden · Respondents"}},
            "piagam": {"title": "Daftar piagam penghargaan · Register of award certificates",
                       "description": "Piagam yang diterbitkan, berlaku atau dicabut · Certificates issued, valid "
                                      "or revoked", "sort": "nomor", "facets": facets("piagam", "kategori", "status"),
                       "columns": UNIT | {
                           "nomor": "Nomor piagam · Certificate number", "kategori": "Kategori · Category",
                           "predikat": "Predikat · Grade", "tanggal": "Tanggal terbit · Date issued",
                           "status": "berlaku atau dicabut · valid or revoked",
                           "tanggal_cabut": "Tanggal dicabut · Date revoked",
                           "kunci": "Sidik kunci penanda tangan (lihat kunci_publik) · The signing key's id "
                                    "(see kunci_publik)"}},
            "kunci_publik": {"title": "Kunci publik penanda tangan · Signing public key",
                             "description": "Kunci untuk memeriksa piagam tanpa jaringan: workbench verify PIAGAM.pdf "
                                            "--public-key kunci.pem · The key to check a certificate offline",
                             "columns": {"kunci": "Sidik kunci · Key id", "pem": "Kunci publik (PEM) · Public key"}},
            "periode": {"title": "Periode · Period",
                        "description": "Periode evaluasi yang diterbitkan · The evaluation period published",
                        "columns": {"nama": "Nama periode · Period name", "tahun": "Tahun · Year",
                                    "instrumen": "Kode instrumen penilaian · Instrument id",
                                    "nama_instrumen": "Nama instrumen · Instrument name",
                                    "regulasi": "Dasar peraturan instrumen · The instrument's regulation",
                                    "ditutup": "1 bila periode sudah ditutup setelah sidang (nilai final) · 1 when "
                                               "the period was closed after the panel (scores final)",
                                    "contoh": "1 bila ini data contoh, bukan evaluasi sungguhan · 1 for example "
                                              "data, not a real evaluation",
                                    "data_per": "Waktu perubahan terakhir data di basis data yang diterbitkan "
                                                "(UTC) · When the published database's data last changed (UTC)"}},
            "kategori": {"title": "Kategori · Categories", "sort": "urutan",
                         "description": "Kategori IPP dari A (Pelayanan Prima) sampai F · IPP categories, A to F",
                         "columns": {"kode": "Kode kategori · Category code", "predikat": "Predikat · Grade",
                                     "predikat_en": "Predikat dalam bahasa Inggris · Grade in English",
                                     "batas_bawah": "IPP terendah kategori ini · Lowest IPP of the category",
                                     "urutan": "Urutan dari tertinggi · Order from the highest"}},
            "aspek": {"title": "Aspek · Aspects", "sort": "urutan",
                      "description": "Aspek penilaian dan bobotnya · The aspects evaluated and their weights",
                      "columns": {"kode": "Kode aspek · Aspect code", "nama": "Nama aspek · Aspect name",
                                  "nama_en": "Nama dalam bahasa Inggris · Name in English",
                                  "bobot": "Bobot aspek dalam IPP · Aspect weight in the IPP",
                                  "urutan": "Urutan dalam instrumen · Order in the instrument"}},
            "indikator": {"title": "Indikator · Indicators", "sort": "urutan", "facets": ["aspek"],
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
            "cek_piagam": {
                "title": "Cek piagam · Check a certificate", "sql": CHECK_CERTIFICATE, "hide_sql": True,
                "description": "Ketik nomor piagam seperti tercetak, mis. 001/PP/2026, lalu bandingkan nama unit, "
                               "kategori dan tanggal dengan kertasnya: status berlaku, dicabut, atau tidak dikenal "
                               "(bukan piagam dari daftar ini). Kode QR pada piagam dapat diperiksa tanpa jaringan "
                               "dengan kunci publik (tabel kunci_publik). · Type the certificate number as printed, "
                               "e.g. 001/PP/2026, and compare the unit, category and date with the paper: valid, "
                               "revoked, or unknown (not in this register)."},
            "hasil_per_kategori": {
                "title": "Hasil per kategori · Results by category", "sql": BY_CATEGORY, "hide_sql": True,
                "description": "Jumlah unit dan rata-rata IPP tiap kategori · Units and mean IPP per category"},
            "hasil_per_instansi": {
                "title": "Hasil per instansi/wilayah · Results by institution and region", "sql": BY_INSTITUTION,
                "hide_sql": True, "description": "Jumlah unit, yang sudah dinilai, dan IPP rata-rata, terendah dan "
                                                 "tertinggi tiap instansi · Units, units scored and the mean, lowest "
                                                 "and highest IPP per institution"},
        },
    }
