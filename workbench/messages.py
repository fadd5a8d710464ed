"""User-facing messages of the core, Indonesian first with an English translation.

Every message a user can see from `workbench/` is declared here once, keyed, so that the CLI
and the GUI show the same words and switching language needs no other change.
"""

from __future__ import annotations

import os

LANGUAGES = ("id", "en")
_language = os.environ.get("WORKBENCH_LANG", "id") if os.environ.get("WORKBENCH_LANG") in LANGUAGES else "id"

MESSAGES: dict[str, tuple[str, str]] = {
    # locations
    "at_file": ("{file}", "{file}"),
    "at_sheet": ("lembar '{sheet}'", "sheet '{sheet}'"),
    "at_row": ("baris {row}", "row {row}"),
    "at_column": ("kolom {column}", "column {column}"),
    # instruments
    "instrument_unknown": ("Instrumen tidak dikenal: {id} (tersedia: {known})",
                           "Unknown instrument: {id} (available: {known})"),
    "instrument_invalid": ("Instrumen {id} tidak sah: {problem}", "Instrument {id} is invalid: {problem}"),
    "weights_aspects": ("bobot aspek berjumlah {total:.4f}, harus 1 (toleransi {tol})",
                        "aspect weights sum to {total:.4f}, must be 1 (tolerance {tol})"),
    "weights_indicators": ("bobot indikator aspek {aspect} berjumlah {total:.4f}, harus 1 (toleransi {tol})",
                           "indicator weights of aspect {aspect} sum to {total:.4f}, must be 1 (tolerance {tol})"),
    "duplicate_code": ("kode {what} '{code}' muncul lebih dari sekali", "{what} code '{code}' appears more than once"),
    "level_missing": ("indikator {code} tidak punya teks untuk level {level}",
                      "indicator {code} has no text for level {level}"),
    "field_missing": ("kolom '{field}' wajib diisi", "field '{field}' is required"),
    "bad_weight": ("bobot '{value}' bukan angka, persen atau pecahan",
                   "weight '{value}' is not a number, percent or fraction"),
    "bad_bands": ("pita kategori harus menurun dan berakhir di {min}", "category bands must descend and end at {min}"),
    # sheets
    "not_a_spreadsheet": ("{file}: bukan lembar kerja yang dapat dibaca ({detail})",
                          "{file}: not a readable spreadsheet ({detail})"),
    "password_protected": ("{file}: berkas dilindungi kata sandi; buka, hapus sandinya, simpan, lalu impor lagi",
                           "{file}: the file is password-protected; open it, remove the password, save, import again"),
    "too_large": ("{file}: terlalu besar untuk dibaca dengan aman ({detail} bila diurai); pecah berkasnya",
                  "{file}: too large to read safely ({detail} once unpacked); split the file"),
    "cell_too_long": ("teks sel {length} karakter, melebihi batas {limit}",
                      "cell text of {length} characters exceeds {limit}"),
    "file_missing": ("{file}: berkas tidak ditemukan", "{file}: file not found"),
    "sheet_empty": ("{file}, lembar '{sheet}': lembar kosong", "{file}, sheet '{sheet}': the sheet is empty"),
    "no_header": ("{file}, lembar '{sheet}': tidak ditemukan baris judul dengan kolom {columns}",
                  "{file}, sheet '{sheet}': no header row with the columns {columns}"),
    "value_required": ("diharapkan {expected}, tetapi sel kosong", "expected {expected}, but the cell is empty"),
    "value_not_number": ("'{value}' bukan angka; diharapkan {expected}",
                         "'{value}' is not a number; expected {expected}"),
    "value_out_of_range": ("{value} di luar skala {lo}-{hi}", "{value} is outside the scale {lo}-{hi}"),
    "duplicate_key": ("kode '{code}' sudah ada di baris {first}", "code '{code}' already appears in row {first}"),
    "problems_found": ("{count} masalah; tidak ada yang disimpan. Pertama: {first}",
                       "{count} problems; nothing was saved. First: {first}"),
    # database
    "db_missing": ("{file}: basis data tidak ditemukan", "{file}: database not found"),
    "db_exists": ("{file}: sudah ada; pilih nama lain", "{file}: already exists; choose another name"),
    "bad_db_passphrase": ("{file}: kata sandi basis data salah, atau bukan basis data terenkripsi",
                          "{file}: wrong database passphrase, or not an encrypted database"),
    "db_not_workbench": ("{file}: bukan basis data workbench atau terenkripsi ({detail})",
                         "{file}: not a workbench database, or encrypted ({detail})"),
    "db_too_new": ("{file}: dibuat oleh versi yang lebih baru (skema {found} > {known})",
                   "{file}: made by a newer version (schema {found} > {known})"),
    "period_unknown": ("Periode tidak dikenal: {name}", "Unknown period: {name}"),
    "no_period": ("Basis data belum punya periode evaluasi", "The database has no evaluation period yet"),
    "period_exists": ("Periode '{name}' sudah ada", "Period '{name}' already exists"),
    "unit_unknown": ("Kode unit tidak dikenal: {code}{hint}", "Unknown unit code: {code}{hint}"),
    "indicator_unknown": ("Kode indikator tidak dikenal: {code}{hint}", "Unknown indicator code: {code}{hint}"),
    "did_you_mean": (" (maksud Anda {guess}?)", " (did you mean {guess}?)"),
    "score_out_of_range": ("Nilai {score} di luar skala {lo}-{hi}", "Score {score} is outside the scale {lo}-{hi}"),
    "reason_required": ("Observasi {code} sudah final; perubahan memerlukan alasan",
                        "Observation {code} is final; a change needs a reason"),
    "bad_status": ("Status tidak dikenal: {status} (draft, final, verified)",
                   "Unknown status: {status} (draft, final, verified)"),
    "bad_method": ("Metode tidak dikenal: {method} (desk, field, interview)",
                   "Unknown method: {method} (desk, field, interview)"),
    "unscored_left": ("Unit {unit} belum lengkap: {count} indikator belum dinilai ({codes})",
                      "Unit {unit} is not complete: {count} indicators are not scored ({codes})"),
    "bad_setting": ("Pengaturan {name} tidak boleh '{value}' (pilihan: {choices})",
                    "Setting {name} cannot be '{value}' (choices: {choices})"),
    "evidence_too_large": ("{file}: {size} bita melebihi batas {limit} bita",
                           "{file}: {size} bytes exceeds the limit of {limit} bytes"),
    "bad_population": ("Populasi harus bilangan bulat positif, bukan {value}",
                       "The population must be a positive whole number, not {value}"),
    "skm_no_unsur": ("{file}, lembar '{sheet}': tidak ditemukan kolom unsur SKM (U1-U9 atau nama unsur)",
                     "{file}, sheet '{sheet}': no SKM element columns (U1-U9 or element names)"),
    "skm_no_responses": ("Tidak ada jawaban survei", "There are no survey responses"),
    "backup_target_exists": ("{file}: sudah ada; cadangan tidak menimpa berkas",
                             "{file}: already exists; a backup never overwrites"),
    "cancelled": ("Dibatalkan", "Cancelled"),
    "no_key": ("Belum ada kunci tanda tangan; jalankan `workbench keys init`",
               "There is no signing key yet; run `workbench keys init`"),
    "key_exists": ("Kunci tanda tangan sudah ada ({key_id})", "A signing key exists already ({key_id})"),
    "bad_passphrase": ("Kata sandi kunci salah", "Wrong key passphrase"),
    "short_passphrase": ("Kata sandi minimal 8 karakter", "The passphrase needs at least 8 characters"),
    "certificate_unknown": ("Piagam tidak dikenal: {number}", "Unknown certificate: {number}"),
    "bad_category": ("Kategori tidak dikenal: {code} (pilihan: {choices})",
                     "Unknown category: {code} (choices: {choices})"),
    "verify_valid": ("SAH: piagam {number} untuk {unit_name} ({unit}), kategori {category}, periode {period}, "
                     "tanggal {date}", "VALID: certificate {number} for {unit_name} ({unit}), category {category}, "
                     "period {period}, date {date}"),
    "verify_malformed": ("TIDAK SAH: bukan token piagam", "INVALID: not a certificate token"),
    "verify_unknown_key": ("TIDAK SAH: ditandatangani kunci yang tidak dikenal ({key_id})",
                           "INVALID: signed by an unknown key ({key_id})"),
    "verify_bad_signature": ("TIDAK SAH: tanda tangan tidak cocok (isi token diubah)",
                             "INVALID: the signature does not match (the token was altered)"),
    "verify_revoked": ("TIDAK SAH: piagam {number} dicabut: {reason}",
                       "INVALID: certificate {number} was revoked: {reason}"),
    "verify_tampered": ("TIDAK SAH: teks PDF tidak sesuai token ({field} tidak ditemukan)",
                        "INVALID: the PDF text does not match its token ({field} not found)"),
    "verify_no_token": ("{file}: tidak ada token piagam di PDF ini", "{file}: this PDF holds no certificate token"),
    "verify_unchecked": (" (pencabutan tidak diperiksa: tanpa basis data)", " (revocation not checked: no database)"),
    "import_reason": ("impor {file}", "import {file}"),
    "not_whole": ("{value} bukan bilangan bulat", "{value} is not a whole number"),
    "not_a_date": ("'{value}' bukan tanggal (contoh: 8 Maret 2022)", "'{value}' is not a date (e.g. 8 Maret 2022)"),
    "not_a_method": ("'{value}' bukan metode (desk, lapangan, wawancara)",
                     "'{value}' is not a method (desk, lapangan, wawancara)"),
}


def set_language(language: str) -> None:
    """Choose the language of core messages: "id" (default) or "en"."""
    global _language
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}")
    _language = language


def language() -> str:
    """The language core messages are rendered in now."""
    return _language


def text(key: str, **params: object) -> str:
    """Render message `key` in the current language, e.g. ``text("period_unknown", name="2024")``."""
    indonesian, english = MESSAGES[key]
    return (english if _language == "en" else indonesian).format(**params)
