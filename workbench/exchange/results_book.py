"""The results workbook for the team lead: recap per unit, a sheet per aspect, conflicts and agreement."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook as XlsxWorkbook
from openpyxl.worksheet.worksheet import Worksheet

from workbench.conflicts import Agreement, Conflict
from workbench.domain.instrument import Instrument
from workbench.exchange.xlsx import header, printable, write_rows
from workbench.results import UnitScore


def _two_decimals(sheet: Worksheet, first_column: int, last_column: int) -> None:
    for row in sheet.iter_rows(min_row=2, min_col=first_column, max_col=last_column):
        for cell in row:
            cell.number_format = "0.00"


def write_results_book(out: str | Path, *, period: str, instrument: Instrument, results: Sequence[UnitScore],
                       indicator_scores: dict[tuple[str, str], float], conflicts: Sequence[Conflict],
                       agreement: Agreement) -> Path:
    """Write the results workbook, every sheet ready to print; text is never written as a formula. Returns the
    path."""
    aspects = [a for a in instrument.aspects if a.weight > 0]
    book = XlsxWorkbook()
    recap = book.active
    assert recap is not None
    recap.title = "Rekap"
    header(recap, ("Peringkat", "Kode Unit", "Unit", "Instansi", *(a.code for a in aspects), "IPP", "Kategori",
                   "Predikat", "Evaluator", "Konflik", "Dinilai"),
           (10, 14, 36, 36, *(8,) * len(aspects), 8, 10, 22, 10, 9, 9))
    write_rows(recap, ([r.rank, r.unit, r.name, r.institution, *(r.aspects.get(a.code) for a in aspects), r.ipp,
                        r.category, r.label, r.evaluators, r.conflicts, f"{r.scored}/{r.total}"]
                       for r in results), start=2)
    _two_decimals(recap, 5, 5 + len(aspects))
    for aspect in aspects:
        sheet = book.create_sheet(f"Aspek {aspect.code}")
        codes = [i.code for i in aspect.indicators]
        header(sheet, ("Kode Unit", "Unit", *codes, "Nilai aspek (0-5)"), (14, 36, *(9,) * len(codes), 16))
        write_rows(sheet, ([r.unit, r.name, *(indicator_scores.get((r.unit, c)) for c in codes),
                            r.raw_aspects.get(aspect.code)] for r in results), start=2)
        _two_decimals(sheet, 3, 3 + len(codes))
    sheet = book.create_sheet("Konflik")
    header(sheet, ("Kode Unit", "Indikator", "Nilai per evaluator", "Selisih", "Catatan", "Nilai kesepakatan",
                   "Alasan", "Disepakati oleh", "Waktu (UTC)"), (14, 11, 30, 8, 40, 14, 36, 18, 20))
    write_rows(sheet, ([c.unit, c.indicator, "; ".join(f"{e}: {s}" for e, s in c.scores.items()), c.spread,
                        " | ".join(f"{e}: {n}" for e, n in c.notes.items() if n),
                        *((c.agreed.score, c.agreed.reason, c.agreed.decided_by, c.agreed.decided_at[:19])
                          if c.agreed else (None, "belum disepakati", None, None))] for c in conflicts), start=2)
    sheet = book.create_sheet("Kesepakatan")
    header(sheet, ("Cakupan", "Alpha Krippendorff (ordinal)"), (44, 28))
    write_rows(sheet, [("Keseluruhan", agreement.overall),
                       *((f"Aspek {a}", v) for a, v in agreement.aspects.items()),
                       *((f"Indikator {i}", v) for i, v in agreement.indicators.items()),
                       *((f"Evaluator {e} (selisih rata-rata)", d) for e, d in agreement.evaluators.items())],
               start=2)
    _two_decimals(sheet, 2, 2)
    titles = {"Rekap": "Rekap hasil per unit", "Konflik": "Konflik antar-evaluator",
              "Kesepakatan": "Kesepakatan antar-evaluator",
              **{f"Aspek {a.code}": f"Aspek {a.code} · {a.name}" for a in aspects}}
    for sheet in book.worksheets:
        printable(sheet, title=titles[sheet.title], period=period)
    out = Path(out)
    book.save(out)
    return out
