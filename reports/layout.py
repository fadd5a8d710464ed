"""What every report PDF shares: its paragraph styles, its tables and how it prints numbers."""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, Table, TableStyle

from reports import fonts
from workbench.i18n import decimal

HEADER_BG = colors.HexColor("#1F4E79")


def styles() -> dict[str, ParagraphStyle]:
    fonts.register()
    base = ParagraphStyle("body", fontName=fonts.REGULAR, fontSize=8.5, leading=10.5)
    return {"body": base, "small": ParagraphStyle("small", parent=base, fontSize=7.5, leading=9),
            "title": ParagraphStyle("title", parent=base, fontName=fonts.BOLD, fontSize=13, leading=16,
                                    alignment=1, spaceAfter=4),
            "h2": ParagraphStyle("h2", parent=base, fontName=fonts.BOLD, fontSize=10.5, leading=13, spaceBefore=8,
                                 spaceAfter=4),
            "cell": ParagraphStyle("cell", parent=base, fontSize=7.5, leading=9),
            "head": ParagraphStyle("head", parent=base, fontName=fonts.BOLD, fontSize=7.5, leading=9,
                                   textColor=colors.white)}


def table(rows: list[list[object]], widths: Sequence[float], styles: dict[str, ParagraphStyle]) -> Table:
    head = [Paragraph(str(c), styles["head"]) for c in rows[0]]
    body = [[c if not isinstance(c, str) else Paragraph(escape(c), styles["cell"]) for c in row] for row in rows[1:]]
    table = Table([head, *body], colWidths=widths, repeatRows=1, splitInRow=1,  # a long note goes on over pages
                  hAlign="LEFT")
    table.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, 0), HEADER_BG), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                               ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#F2F5F9")])]))
    return table


def number(value: float | None) -> str:
    """A number as the Indonesian documents print it (4,67)."""
    return decimal(value, language="id")


