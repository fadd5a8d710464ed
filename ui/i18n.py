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
    '&Ekspor hasil…': '&Export results…',
    '&Entri penilaian': '&Scoring entry',
    '&Hasil': '&Results',
    '&Impor lembar penilaian…': '&Import scoring sheets…',
    '&Keluar': '&Quit',
    '&Konflik': '&Conflicts',
    '&Sunting': '&Edit',
    '&Tampilan': '&View',
    '&Templat evaluator…': 'Evaluator &template…',
    '&Tentang': '&About',
    '&Urungkan': '&Undo',
    '1. Pilih atau seret berkas xlsx, xls atau ods ke daftar ini:':
        '1. Choose or drop xlsx, xls or ods files onto this list:',
    '2. Periksa pratinjau dan cocokkan kolom (diingat untuk impor berikutnya):':
        '2. Check the preview and match the columns (remembered for the next import):',
    '3. Laporan pemeriksaan; belum ada yang disimpan:': '3. Check report; nothing has been saved yet:',
    '< Kembali': '< Back',
    'Alasan': 'Reason',
    'Alasan kesepakatan (wajib, masuk log audit)': 'Reason for the agreement (required, goes to the audit log)',
    'Alasan perubahan': 'Reason for the change',
    'B&uka…': '&Open…',
    'Ba&hasa': '&Language',
    'Ban&tuan': '&Help',
    'Baris': 'Row',
    'Basis data baru': 'New database',
    'Basis data:': 'Database:',
    'Batal': 'Cancel',
    'Belum dapat difinalkan': 'Cannot be finalised yet',
    'Berikutnya belum dinilai (N)': 'Next unscored (N)',
    'Berkas': 'File',
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
    'Ekspor gagal': 'Export failed',
    'Ekspor hasil': 'Export results',
    'Entri penilaian': 'Scoring entry',
    'Evaluator': 'Evaluator',
    'Hapus': 'Remove',
    'Hapus dari daftar': 'Remove from list',
    'Hasil': 'Results',
    'Hasil diekspor: {path}': 'Results exported: {path}',
    'Hitung &ulang hasil': '&Recompute results',
    'Hitung ulang': 'Recompute',
    'Impor': 'Import',
    'Impor lembar penilaian': 'Import scoring sheets',
    'Impor selesai.': 'Import finished.',
    'Indikator': 'Indicator',
    'Instansi': 'Institution',
    'Instansi / unit': 'Institution / unit',
    'Judul kolom di berkas': 'Column header in the file',
    'Kategori': 'Category',
    'Klaim unit (F-01)': "Unit's claim (F-01)",
    'Kode': 'Code',
    'Kolom': 'Column',
    'Kolom baku': 'Standard column',
    'Konflik': 'Conflicts',
    'Konsensus': 'Consensus',
    'Lanjut >': 'Next >',
    'Lapangan': 'Field visit',
    'Lembar': 'Sheet',
    "Lembar '{sheet}', judul di baris {row}": "Sheet '{sheet}', header on row {row}",
    'Lembar kerja': 'Spreadsheets',
    'Lewati baris yang salah dan impor sisanya': 'Skip the invalid rows and import the rest',
    'Meja Kerja Evaluasi Pelayanan Publik': 'Public-Service Evaluation Workbench',
    'Memeriksa berkas…': 'Checking files…',
    'Mengekspor hasil…': 'Exporting results…',
    'Menghitung ulang hasil…': 'Recomputing results…',
    'Mengimpor…': 'Importing…',
    'Metode': 'Method',
    'Mohon tunggu': 'Please wait',
    'Nama evaluator:': 'Evaluator name:',
    'Nilai': 'Score',
    'Nilai kesepakatan': 'Agreed score',
    'Nilai per evaluator': 'Score per evaluator',
    'Nilai {code} sudah final. Alasan perubahan:': 'The score of {code} is final. Reason for the change:',
    'Observasi {code} sudah final. Alasan perubahan:': 'Observation {code} is final. Reason for the change:',
    'PEKPPP PermenPAN-RB 29/2022 · SKM PermenPAN-RB 14/2017. Bekerja tanpa jaringan.':
        'PEKPPP PermenPAN-RB 29/2022 · SKM PermenPAN-RB 14/2017. Works without a network.',
    'Perbedaan nilai antar-evaluator yang belum disepakati:': 'Disagreements between evaluators not yet settled:',
    'Periksa >': 'Check >',
    'Peringkat': 'Rank',
    'Periode': 'Period',
    'Pilih berkas': 'Choose files',
    'Pilih tingkat (tombol 0-5):': 'Choose a level (keys 0-5):',
    'Pilih unit untuk melihat rinciannya': 'Choose a unit to see its breakdown',
    'Predikat': 'Rating',
    'Progres': 'Progress',
    'Rekomendasi': 'Recommendation',
    'Rekomendasi perbaikan': 'Recommended improvement',
    'Sedang bekerja…': 'Working…',
    'Selisih': 'Spread',
    'Semua indikator unit ini sudah dinilai.': 'Every indicator of this unit is scored.',
    'Semua kategori': 'All categories',
    'Semua perubahan tersimpan': 'All changes saved',
    'Sepakati nilai': 'Agree on score',
    'Simpan cadangan': 'Save backup',
    'Simpan laporan': 'Save report',
    'Simpan laporan…': 'Save report…',
    'Simpan templat': 'Save template',
    'Status:': 'Status:',
    'Tabel hasil': 'Results table',
    'Tambah berkas…': 'Add files…',
    'Tambah bukti dukung': 'Add evidence',
    'Tambah…': 'Add…',
    'Tandai unit final': 'Mark unit final',
    'Tanggal': 'Date',
    'Templat disimpan: {path} ({n} baris)': 'Template saved: {path} ({n} rows)',
    'Templat evaluator': 'Evaluator template',
    'Tentang': 'About',
    'Tersimpan {time}: {what}': 'Saved {time}: {what}',
    'Tidak ada masalah.': 'No problems.',
    'Tidak dapat membuka basis data': 'Cannot open the database',
    'Tingkat rubrik': 'Rubric levels',
    'Tutup': 'Close',
    'U&lang': '&Redo',
    'Unit': 'Unit',
    'Unit {unit} final ({n} observasi)': 'Unit {unit} final ({n} observations)',
    'Urungkan:': 'Undo:',
    'Wawancara': 'Interview',
    'bila berkas tidak menyebut evaluatornya': 'when a file does not name its evaluator',
    'contoh': 'example',
    'draf': 'draft',
    'final': 'final',
    'peringkat': 'rank',
    'terverifikasi': 'verified',
    '{n} bukti dukung ditambahkan': '{n} evidence files added',
    '{n} masalah ditemukan': '{n} problems found',
    '{n} unit': '{n} units',
    '{unit} {indicator} disepakati: {score}': '{unit} {indicator} agreed: {score}',
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
