"""Writing workbooks with openpyxl safely: text never becomes a formula, headers look like headers."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, cast

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
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
