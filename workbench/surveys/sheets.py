"""Paper questionnaires: the sheets printed for a unit, each with its serial number and a code to scan, and
the check that a sheet typed in is one printed for that unit and not typed before."""

from __future__ import annotations

import re
from dataclasses import dataclass

from workbench.db.audit import AuditLog, Change
from workbench.db.store import Store, new_uuid, now
from workbench.errors import WorkbenchError
from workbench.events import Changes
from workbench.registry import Period, Registry

# what the barcode on a sheet says: the unit's code, the form and the serial, e.g. DPMPTSP-KTA/skm/0007
CODE = re.compile(r"^\s*(?:(?P<unit>[^/\s]+)/(?P<form>[a-z0-9]+)/)?0*(?P<serial>\d{1,6})\s*$", re.I)
MAX_SHEETS = 5000  # printed at once for one unit: a slip of the keyboard is not a ream of paper


@dataclass(frozen=True)
class Sheet:
    """A printed questionnaire: whose it is, its serial number and the code printed on it to scan."""

    id: int
    unit: str
    form: str  # skm, f03a or f03b
    serial: int

    @property
    def code(self) -> str:
        return f"{self.unit}/{self.form}/{self.serial:04d}"


class Sheets:
    """The printed sheets of the surveys service (mixed into Surveys, which owns the table)."""

    _store: Store
    _registry: Registry
    _audit: AuditLog

    def _require_form(self, form: str) -> str:
        raise NotImplementedError

    def _open_period(self, name: str | None) -> Period:
        raise NotImplementedError

    def _keep_instrument(self, form: str) -> None:
        raise NotImplementedError

    def print_sheets(self, unit: str, *, form: str = "skm", count: int, period: str | None = None) -> list[Sheet]:
        """Number `count` new sheets for the unit (after those printed before), audited; inside the caller's
        write when there is one, so that sheets whose PDF could not be written are not kept."""
        instrument = self._require_form(form)
        if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_SHEETS:
            raise WorkbenchError("Jumlah lembar harus 1 sampai {most}, bukan {value}", most=MAX_SHEETS, value=count)
        p = self._open_period(period)
        found = self._registry.unit(unit)
        unit_uuid = self._store.value("SELECT uuid FROM units WHERE id = ?", (found.id,))
        with self._store.transaction():
            self._keep_instrument(form)
            last = int(self._store.value("SELECT coalesce(max(serial), 0) FROM survey_sheets WHERE period_id = ? "
                                         "AND unit_id = ? AND form = ?", (p.id, found.id, instrument)))
            stamp, actor = now(), self._store.actor
            self._store.executemany(
                "INSERT INTO survey_sheets (uuid, period_id, unit_id, form, serial, printed_at, printed_by) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(new_uuid(), p.id, found.id, instrument, serial, stamp, actor)
                 for serial in range(last + 1, last + count + 1)])
            self._audit.append([Change("survey_sheets", f"{p.uuid}/{unit_uuid}/{instrument}", "printed", last or None,
                                       last + count)])
            self._store.changed(Changes(survey=True, units=frozenset({found.code})))
        return self.sheets(found.code, form=form, period=p.name)[last:]

    def sheets(self, unit: str, *, form: str = "skm", period: str | None = None) -> list[Sheet]:
        """The sheets printed for a unit and form in the period, by serial."""
        instrument = self._require_form(form)
        p, found = self._registry.period(period), self._registry.unit(unit)
        return [Sheet(row_id, found.code, form, serial) for row_id, serial in self._store.execute(
            "SELECT id, serial FROM survey_sheets WHERE period_id = ? AND unit_id = ? AND form = ? ORDER BY serial",
            (p.id, found.id, instrument))]

    def printed(self, period: Period, form: str, entry: int) -> dict[tuple[int, int], tuple[int, bool]]:
        """Every printed sheet of the period and form by (unit id, serial): its id, and whether it was keyed
        so already (as its first or second `entry`)."""
        return {(unit_id, serial): (sheet_id, bool(keyed)) for sheet_id, unit_id, serial, keyed in self._store.execute(
            "SELECT s.id, s.unit_id, s.serial, EXISTS (SELECT 1 FROM respondents r WHERE r.sheet_id = s.id AND "
            "r.entry = ?) FROM survey_sheets s WHERE s.period_id = ? AND s.form = ?",
            (entry, period.id, self._require_form(form)))}

    def sheet_for_entry(self, typed: str, *, unit: str, form: str = "skm", period: str | None = None,
                        entry: int = 1) -> Sheet:
        """The printed sheet a typed or scanned number names, ready for its first (or second) keying: refused,
        saying why, when it is not one of the unit's printed sheets of that form, or was keyed so already."""
        match = CODE.match(str(typed))
        if match is None:
            raise WorkbenchError("'{typed}' bukan nomor lembar (mis. 7, atau kode yang dipindai)", typed=typed)
        found = self._registry.unit(unit)
        if match["unit"] and (match["unit"].casefold(), match["form"].casefold()) != (found.code.casefold(), form):
            raise WorkbenchError("Lembar {code} milik {unit}, formulir {form}, bukan lembar unit ini",
                                 code=typed.strip(), unit=match["unit"], form=match["form"])
        serial = int(match["serial"])
        printed = {s.serial: s for s in self.sheets(found.code, form=form, period=period)}
        if serial not in printed:
            raise WorkbenchError("Lembar nomor {serial} tidak pernah dicetak untuk {unit} ({form}); yang dicetak: "
                                 "{printed}", serial=serial, unit=found.code, form=form,
                                 printed=_ranges(sorted(printed)) or "–")
        sheet = printed[serial]
        if self._store.value("SELECT 1 FROM respondents WHERE sheet_id = ? AND entry = ?", (sheet.id, entry)):
            raise WorkbenchError("Lembar nomor {serial} ({code}) sudah dimasukkan", serial=serial, code=sheet.code)
        return sheet


def _ranges(numbers: list[int]) -> str:
    """1-20, 31-40 for the serials printed, as a person would write them."""
    spans: list[list[int]] = []
    for n in numbers:
        if spans and n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in spans)
