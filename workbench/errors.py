"""Errors the user can act on. The CLI prints them as one line and exits 1; the app shows them.

Each carries its message in Indonesian with named placeholders, and renders it in the language that
is current when it is shown (see `workbench.i18n`).
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.i18n import tr


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
            parts.append(self.file)
        if self.sheet:
            parts.append(tr("lembar '{sheet}'", sheet=self.sheet))
        if self.row is not None:
            parts.append(tr("baris {row}", row=self.row))
        if self.column:
            parts.append(tr("kolom {column}", column=self.column))
        return ", ".join(parts)


class WorkbenchError(Exception):
    """A problem with the input or the data, described in the user's language."""

    def __init__(self, message: str, location: Location | None = None, /, **params: object) -> None:
        self.message = message
        self.params = params
        self.location = location
        super().__init__(message)

    def __str__(self) -> str:
        text = tr(self.message, **self.params)
        return f"{self.location}: {text}" if self.location and str(self.location) else text


class InstrumentError(WorkbenchError):
    """An instrument file or sheet that cannot be used."""


class SheetError(WorkbenchError):
    """A spreadsheet that cannot be read or lacks what is needed."""


class NotFound(WorkbenchError):
    """A period, unit, indicator or file that does not exist."""


class NotAWorkbench(WorkbenchError):
    """A file that is not a workbench database, or one encrypted with a passphrase that was not given."""


class ForeignSchema(WorkbenchError):
    """A database holding tables, indexes, triggers or views this version does not make for its schema: one
    changed outside the workbench (a trigger that rewrites scores, a view standing in for a table)."""


def foreign_schema(file: str, objects: list[str]) -> ForeignSchema:
    """The error that names a file's foreign schema objects (the first dozen of them)."""
    return ForeignSchema("{file}: memuat objek yang tidak dibuat aplikasi ini untuk skemanya: {objects}; pulihkan "
                         "dari cadangan", file=file, objects=", ".join(objects[:12]) + (" …" if len(objects) > 12
                                                                                        else ""))


class Busy(WorkbenchError):
    """The database stayed locked by another program for longer than the wait allows; nothing was written."""


class DiskFull(WorkbenchError):
    """The disk (or the database's size limit) filled up during a write; nothing of it was kept."""


class ReasonRequired(WorkbenchError):
    """A final observation was changed without a reason."""


class PeriodClosed(WorkbenchError):
    """A change to a period that was closed after the panel."""


class Incomplete(WorkbenchError):
    """A unit cannot be finalised because indicators are not scored."""


@dataclass(frozen=True)
class Problem:
    """One row-level problem found while validating a file; `reason` is already in the user's language."""

    location: Location
    value: object
    reason: str

    def __str__(self) -> str:
        return f"{self.location}: {self.reason}"


class ValidationFailed(WorkbenchError):
    """A file had problems; nothing was written. `problems` lists all of them."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("{count} masalah; tidak ada yang disimpan. Pertama: {first}", count=len(problems),
                         first=problems[0])
