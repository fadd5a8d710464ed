"""The evaluator's xlsx template: works in Excel and LibreOffice without the app, and is recognised on
import by its hidden sheet."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook as XlsxWorkbook
from openpyxl.styles import Alignment, Font, Protection
from openpyxl.worksheet.datavalidation import DataValidation

from workbench.db.store import now
from workbench.domain.instrument import Instrument
from workbench.exchange.observation_sheets import ENTRY_SHEET, META_SHEET, TEMPLATE_MARK
from workbench.exchange.xlsx import header, printable, put, write_rows

ENTRY_HEADERS = ("Kode Unit", "Nama Unit", "Kode Indikator", "Uraian Indikator", "Nilai", "Klaim Unit", "Catatan",
                 "Rekomendasi", "Metode", "Tanggal")
ENTRY_WIDTHS = (14, 34, 14, 60, 8, 11, 40, 40, 14, 14)
METHOD_LABELS = {"desk": "desk", "field": "lapangan", "interview": "wawancara"}
INSTRUCTIONS = (
    "PETUNJUK PENGISIAN / INSTRUCTIONS",
    "",
    "1. Isi lembar 'Penilaian': satu baris untuk setiap unit dan indikator.",
    "   Fill in the 'Penilaian' sheet: one row per unit and indicator.",
    "2. Kolom Nilai: pilih 0-5 dari daftar, sesuai rubrik pada lembar 'Rubrik'.",
    "   Nilai: choose 0-5 from the list, following the rubric on the 'Rubrik' sheet.",
    "3. Klaim Unit: nilai yang diklaim unit pada F-01 (boleh kosong).",
    "   Klaim Unit: the score the unit claimed on form F-01 (may be empty).",
    "4. Metode: desk, lapangan atau wawancara. Tanggal: misalnya 8 Maret 2022.",
    "   Metode: desk, lapangan (field visit) or wawancara (interview). Tanggal: e.g. 8 Maret 2022.",
    "5. Kolom kode dan uraian dikunci; jangan mengubah, menyisipkan atau menghapus baris.",
    "   Code and text columns are locked; do not change, insert or delete rows.",
    "6. Simpan berkas (xlsx) dan kirim ke ketua tim untuk diimpor.",
    "   Save the file (xlsx) and send it to the team lead, who imports it.",
)


def write_template(path: str | Path, *, instrument: Instrument, period: str, evaluator: str, database: str,
                   units: list[tuple[str, str]], existing: dict[tuple[str, str], dict]) -> int:
    """Write the template for `units` (code, name); `existing` prefills (unit, indicator) -> observation
    fields. Returns the number of entry rows."""
    book = XlsxWorkbook()
    guide = book.active
    assert guide is not None
    guide.title = "Petunjuk"
    guide.column_dimensions["A"].width = 100
    write_rows(guide, [(line,) for line in (
        *INSTRUCTIONS, "", f"Periode: {period}", f"Evaluator: {evaluator}", f"Instrumen: {instrument.name}")])
    guide["A1"].font = Font(bold=True, size=14)

    entry = book.create_sheet(ENTRY_SHEET)
    header(entry, ENTRY_HEADERS, ENTRY_WIDTHS)
    unlocked = Protection(locked=False)
    number = 1
    for unit_code, unit_name in units:
        for ind in instrument.indicators:
            number += 1
            obs = existing.get((unit_code, ind.code), {})
            method = METHOD_LABELS.get(obs.get("method") or "", "")
            values = (unit_code, unit_name, ind.code, ind.text, obs.get("score"), obs.get("claim"),
                      obs.get("notes") or None, obs.get("recommendation") or None, method or None,
                      obs.get("observed_on"))
            for column, value in enumerate(values, start=1):
                put(entry, number, column, value)
                if column >= 5:
                    entry.cell(row=number, column=column).protection = unlocked
            entry.cell(row=number, column=4).alignment = Alignment(wrap_text=True, vertical="top")
    last = max(number, 2)
    scores = DataValidation(type="list", formula1='"0,1,2,3,4,5"', allow_blank=True, showErrorMessage=True,
                            errorTitle="Nilai", error="Pilih 0, 1, 2, 3, 4 atau 5 / choose 0-5")
    methods = DataValidation(type="list", formula1='"desk,lapangan,wawancara"', allow_blank=True,
                             showErrorMessage=True, errorTitle="Metode", error="desk, lapangan, wawancara")
    for validation, columns in ((scores, ("E", "F")), (methods, ("I",))):
        entry.add_data_validation(validation)
        for letter in columns:
            validation.add(f"{letter}2:{letter}{last}")
    entry.protection.sheet = True
    entry.protection.formatColumns = False  # evaluators may still widen columns
    entry.auto_filter.ref = f"A1:J{last}"
    entry.protection.autoFilter = False
    book.active = 1

    rubric = book.create_sheet("Rubrik")
    header(rubric, ("Kode", "Aspek", "Indikator", "Bobot", *(f"Level {n}" for n in range(6)), "Bukti dukung"),
           (12, 26, 50, 8, *(30,) * 6, 40))
    write_rows(rubric, ([i.code, i.aspect, i.text, round(i.weight, 4), *i.levels, i.evidence]
                        for i in instrument.indicators), start=2)
    for row in rubric.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")

    for sheet, title, rows in ((guide, "Petunjuk", 0), (entry, "Penilaian", 1), (rubric, "Rubrik", 1)):
        printable(sheet, title=f"Templat evaluator {evaluator} · {title}", period=period, header_rows=rows)

    meta = book.create_sheet(META_SHEET)
    write_rows(meta, [("format", TEMPLATE_MARK), ("version", "1"), ("database", database), ("period", period),
                      ("instrument", instrument.id), ("instrument_version", instrument.version),
                      ("evaluator", evaluator), ("created", now())])
    meta.sheet_state = "hidden"
    book.save(path)
    return number - 1
