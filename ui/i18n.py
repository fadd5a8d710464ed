"""The app's words: Indonesian in the code, English from the table below, one menu switch apart.

`tr("Berkas")` returns the text in the current language. A test checks that every literal passed
to `tr` in ui/ has an English entry, so nothing user-visible is left untranslated.
"""

from __future__ import annotations

from workbench import messages

_language = "id"

ENGLISH: dict[str, str] = {
    '&Baru…': '&New…',
    '&Berkas': '&File',
    '&Cadangkan…': '&Back up…',
    '&Entri penilaian': '&Scoring entry',
    '&Hasil': '&Results',
    '&Keluar': '&Quit',
    '&Sunting': '&Edit',
    '&Tampilan': '&View',
    '&Tentang': '&About',
    '&Urungkan': '&Undo',
    'Alasan perubahan': 'Reason for the change',
    'B&uka…': '&Open…',
    'Ba&hasa': '&Language',
    'Ban&tuan': '&Help',
    'Basis data baru': 'New database',
    'Basis data:': 'Database:',
    'Batal': 'Cancel',
    'Belum dapat difinalkan': 'Cannot be finalised yet',
    'Berikutnya belum dinilai (N)': 'Next unscored (N)',
    'Buka': 'Open',
    'Buka &terakhir': 'Open &recent',
    'Buka basis data': 'Open database',
    'Bukti dukung': 'Evidence',
    'Bukti dukung dilepas': 'Evidence detached',
    'Bukti dukung:': 'Evidence:',
    'Cadangan disimpan: {path}': 'Backup saved: {path}',
    'Cadangan gagal': 'Backup failed',
    'Cari kode, unit atau instansi…': 'Search code, unit or institution…',
    'Catatan': 'Notes',
    'Catatan pengamatan lapangan': 'Field observation notes',
    'Daftar indikator': 'Indicator list',
    'Daftar unit': 'Unit list',
    'Desk (dokumen)': 'Desk (documents)',
    'Dinilai': 'Scored',
    'Entri penilaian': 'Scoring entry',
    'Evaluator': 'Evaluator',
    'Hapus': 'Remove',
    'Hasil': 'Results',
    'Hitung &ulang hasil': '&Recompute results',
    'Hitung ulang': 'Recompute',
    'Indikator': 'Indicator',
    'Instansi': 'Institution',
    'Instansi / unit': 'Institution / unit',
    'Kategori': 'Category',
    'Klaim unit (F-01)': "Unit's claim (F-01)",
    'Kode': 'Code',
    'Konflik': 'Conflicts',
    'Konsensus': 'Consensus',
    'Lapangan': 'Field visit',
    'Meja Kerja Evaluasi Pelayanan Publik': 'Public-Service Evaluation Workbench',
    'Menghitung ulang hasil…': 'Recomputing results…',
    'Metode': 'Method',
    'Mohon tunggu': 'Please wait',
    'Nilai': 'Score',
    'Nilai per evaluator': 'Score per evaluator',
    'Nilai {code} sudah final. Alasan perubahan:': 'The score of {code} is final. Reason for the change:',
    'Observasi {code} sudah final. Alasan perubahan:': 'Observation {code} is final. Reason for the change:',
    'PEKPPP PermenPAN-RB 29/2022 · SKM PermenPAN-RB 14/2017. Bekerja tanpa jaringan.':
        'PEKPPP PermenPAN-RB 29/2022 · SKM PermenPAN-RB 14/2017. Works without a network.',
    'Peringkat': 'Rank',
    'Periode': 'Period',
    'Pilih tingkat (tombol 0-5):': 'Choose a level (keys 0-5):',
    'Pilih unit untuk melihat rinciannya': 'Choose a unit to see its breakdown',
    'Predikat': 'Rating',
    'Progres': 'Progress',
    'Rekomendasi': 'Recommendation',
    'Rekomendasi perbaikan': 'Recommended improvement',
    'Sedang bekerja…': 'Working…',
    'Semua indikator unit ini sudah dinilai.': 'Every indicator of this unit is scored.',
    'Semua kategori': 'All categories',
    'Semua perubahan tersimpan': 'All changes saved',
    'Simpan cadangan': 'Save backup',
    'Status:': 'Status:',
    'Tabel hasil': 'Results table',
    'Tambah bukti dukung': 'Add evidence',
    'Tambah…': 'Add…',
    'Tandai unit final': 'Mark unit final',
    'Tanggal': 'Date',
    'Tentang': 'About',
    'Tersimpan {time}: {what}': 'Saved {time}: {what}',
    'Tidak dapat membuka basis data': 'Cannot open the database',
    'Tingkat rubrik': 'Rubric levels',
    'U&lang': '&Redo',
    'Unit': 'Unit',
    'Unit {unit} final ({n} observasi)': 'Unit {unit} final ({n} observations)',
    'Urungkan:': 'Undo:',
    'Wawancara': 'Interview',
    'contoh': 'example',
    'draf': 'draft',
    'final': 'final',
    'peringkat': 'rank',
    'terverifikasi': 'verified',
    '{n} bukti dukung ditambahkan': '{n} evidence files added',
    '{n} unit': '{n} units',
}


def set_language(language: str) -> None:
    """Switch the app and the core's messages to "id" or "en"."""
    global _language
    messages.set_language(language)
    _language = language


def language() -> str:
    return _language


def pick(indonesian: str, english: str) -> str:
    """Choose between the two names that instrument data carries (aspects, bands)."""
    return english if _language == "en" and english else indonesian


def tr(text: str) -> str:
    """`text` (Indonesian) in the current language."""
    return ENGLISH.get(text, text) if _language == "en" else text
