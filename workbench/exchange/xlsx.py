"""Writing workbooks with openpyxl safely: text never becomes a formula, headers look like headers."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, cast

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from workbench.exchange.cells import is_formula_like

HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_FONT = Font(bold=True, color="FFFFFF")


def put(sheet: Worksheet, row: int, column: int, value: object) -> None:
    """Write a value; text that a spreadsheet would run as a formula is stored as quoted text."""
    cell = sheet.cell(row=row, column=column)
    cell.value = cast(Any, value)  # rows hold what openpyxl writes: text, numbers, dates, None
    if is_formula_like(value):
        cell.data_type = "s"
        cell.quotePrefix = True


def write_rows(sheet: Worksheet, rows: Iterable[Sequence[object]], *, start: int = 1) -> int:
    """Write rows from row `start`; returns the next free row."""
    number = start
    for number, row in enumerate(rows, start=start):
        for column, value in enumerate(row, start=1):
            put(sheet, number, column, value)
    return number + 1


def header(sheet: Worksheet, names: Sequence[str], widths: Sequence[int], *, row: int = 1) -> None:
    """A bold, filled header row frozen above the data, with column widths."""
    for column, (name, width) in enumerate(zip(names, widths, strict=True), start=1):
        cell = sheet.cell(row=row, column=column, value=name)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = f"A{row + 1}"


def printable(sheet: Worksheet, *, title: str, period: str = "", header_rows: int = 1) -> None:
    """Print on A4 landscape, one page wide, the header rows on every page, the period and title in the page
    header and "Halaman n dari m" in the footer, with margins of at least 1.3 cm."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as the rows need
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_margins = PageMargins(left=0.5, right=0.5, top=0.75, bottom=0.75, header=0.3, footer=0.3)  # inches
    if header_rows:
        sheet.print_title_rows = f"1:{header_rows}"
    # "&" starts a code in a page header (&P the page, &N the pages): doubled, it prints
    top = " · ".join(p for p in (period, title) if p).replace("&", "&&")
    for item, text in ((sheet.oddHeader, top), (sheet.evenHeader, top), (sheet.oddFooter, "Halaman &P dari &N"),
                       (sheet.evenFooter, "Halaman &P dari &N")):
        assert item is not None
        item.center.text = text
