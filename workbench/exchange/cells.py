"""Cell values on their way out to a spreadsheet or CSV file: text is never run as a formula."""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value: object) -> bool:
    """Whether a spreadsheet program would take this text for a formula (e.g. ``=cmd|' /C calc'!A0``)."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_safe(value: object) -> object:
    """The value for a CSV cell: formula-like text gets a leading ' so that it stays text."""
    return "'" + str(value) if is_formula_like(value) else value
