"""Errors the user can act on. The CLI prints them as one line and exits 1; the GUI shows them."""

from __future__ import annotations

from dataclasses import dataclass

from workbench.messages import text


@dataclass(frozen=True)
class Location:
    """Where in a file a problem is: any part may be unknown."""

    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        parts = []
        if self.file:
            parts.append(text("at_file", file=self.file))
        if self.sheet:
            parts.append(text("at_sheet", sheet=self.sheet))
        if self.row is not None:
            parts.append(text("at_row", row=self.row))
        if self.column:
            parts.append(text("at_column", column=self.column))
        return ", ".join(parts)


class WorkbenchError(Exception):
    """A problem with the input or the data, described in the user's language."""

    def __init__(self, key: str, location: Location | None = None, **params: object) -> None:
        self.key = key
        self.params = params
        self.location = location
        super().__init__(key)

    def __str__(self) -> str:
        message = text(self.key, **self.params)
        return f"{self.location}: {message}" if self.location and str(self.location) else message


class InstrumentError(WorkbenchError):
    """An instrument file or sheet that cannot be used."""


class SheetError(WorkbenchError):
    """A spreadsheet that cannot be read or lacks what is needed."""


class NotFound(WorkbenchError):
    """A period, unit, indicator or file that does not exist."""


class ReasonRequired(WorkbenchError):
    """A final observation was changed without a reason."""


class Incomplete(WorkbenchError):
    """A unit cannot be finalised because indicators are not scored."""


@dataclass(frozen=True)
class Problem:
    """One row-level problem found while validating a file."""

    location: Location
    value: object
    reason: str

    def __str__(self) -> str:
        return f"{self.location}: {self.reason}"


class ValidationFailed(WorkbenchError):
    """A file had problems; nothing was written. `problems` lists all of them."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("problems_found", count=len(problems), first=str(problems[0]))
