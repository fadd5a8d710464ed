"""Double entry of paper questionnaires: each printed sheet keyed twice, by different people, the second
without seeing the first; the keyings compared field by field; a difference settled by a third decision read
from the paper (audited); and, while the period asks for double entry, only the sheets whose keyings agree
or were settled count in the IKM and the F-03 means."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from workbench.db.audit import AuditLog, Change
from workbench.db.settings import Settings
from workbench.db.store import Store, now
from workbench.domain.respondents import PROFILE, checked_profile, packed
from workbench.errors import WorkbenchError
from workbench.events import Changes
from workbench.registry import Period, Registry

SHORT = {"skm-2017": "skm", "f03a-2022": "f03a", "f03b-2022": "f03b"}  # instrument id -> form


@dataclass(frozen=True)
class Difference:
    """One field of a sheet keyed two ways: what to look up on the paper (unit, form, serial)."""

    unit: str
    form: str
    serial: int
    field: str  # an item's key, or a profile field
    first: object
    second: object
    first_by: str
    second_by: str

    @property
    def code(self) -> str:
        return f"{self.unit}/{self.form}/{self.serial:04d}"


@dataclass(frozen=True)
class OperatorRate:
    """How often an operator's keying differed from the other keying of the same sheets."""

    operator: str
    sheets: int
    fields: int
    differing: int

    @property
    def rate(self) -> float:
        return self.differing / self.fields if self.fields else 0.0


@dataclass(frozen=True)
class Comparison:
    """Differences still to settle, the sheets waiting for their second keying, and the operators' rates."""

    differences: list[Difference]
    waiting: dict[str, int]  # unit -> sheets keyed once
    agreed: int  # sheets whose keyings are the same
    decided: int  # sheets settled by a decision
    rates: list[OperatorRate] = field(default_factory=list)
    same_hands: int = 0  # sheets both of whose keyings one person typed


@dataclass
class _Sheet:
    id: int
    uuid: str
    unit: str
    form: str
    serial: int
    keyings: dict[int, tuple[dict[str, Any], str]] = field(default_factory=dict)  # entry -> (fields, who)
    decision: dict[str, Any] | None = None


class DoubleEntry:
    """The double-entry side of the surveys service (mixed into Surveys, which owns the tables)."""

    _store: Store
    _registry: Registry
    _audit: AuditLog
    _settings: Settings

    def _require_form(self, form: str) -> str:
        raise NotImplementedError

    def _open_period(self, name: str | None) -> Period:
        raise NotImplementedError

    def check_answers(self, form: str, answers: Mapping[str, object]) -> dict[str, int]:
        raise NotImplementedError

    def double_entry(self, period: str | None = None) -> bool:
        """Whether the period asks for every printed sheet to be keyed twice (the setting double_entry)."""
        return self._settings.get("double_entry", self._registry.period(period)) == "1"

    def compare(self, period: str | None = None, *, unit: str | None = None, form: str | None = None) -> Comparison:
        """The two keyings of every printed sheet of the period (of a unit, of a form) side by side."""
        differences: list[Difference] = []
        waiting: dict[str, int] = defaultdict(int)
        agreed = decided = same = 0
        keyed: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # operator -> sheets, fields, differing
        for sheet in self._sheets(period, unit=unit, form=form):
            if len(sheet.keyings) < 2:
                waiting[sheet.unit] += 1
                continue
            (first, first_by), (second, second_by) = sheet.keyings[1], sheet.keyings[2]
            fields = sorted(set(first) | set(second))
            differing = [f for f in fields if first.get(f) != second.get(f)]
            same += first_by == second_by
            for who in {first_by, second_by}:  # a sheet counts once for a person who keyed it twice
                keyed[who][0] += 1
                keyed[who][1] += len(fields)
                keyed[who][2] += len(differing)
            if sheet.decision is not None:
                decided += 1
            elif not differing:
                agreed += 1
            else:
                differences += [Difference(sheet.unit, sheet.form, sheet.serial, f, first.get(f), second.get(f),
                                           first_by, second_by) for f in differing]
        rates = [OperatorRate(who, *counts) for who, counts in sorted(keyed.items())]
        return Comparison(differences, dict(waiting), agreed, decided, rates, same)

    def reconcile(self, unit: str, serial: int, *, form: str = "skm", values: Mapping[str, object], reason: str,
                  period: str | None = None) -> dict[str, Any]:
        """Settle a sheet whose keyings differ with the values read from the paper, one for every field that
        differs (None for a question left blank); audited with the reason. Returns the sheet as it counts."""
        p = self._open_period(period)
        if not reason.strip():
            raise WorkbenchError("Alasan rekonsiliasi wajib diisi")
        found = [s for s in self._sheets(p.name, unit=unit, form=form) if s.serial == serial]
        if not found or len(found[0].keyings) < 2:
            raise WorkbenchError("Lembar {unit}/{form}/{serial:04d} belum diketik dua kali", unit=unit, form=form,
                                 serial=serial)
        sheet = found[0]
        first, second = sheet.keyings[1][0], sheet.keyings[2][0]
        differing = {f for f in set(first) | set(second) if first.get(f) != second.get(f)}
        if not differing:
            raise WorkbenchError("Kedua entri lembar {code} sudah sama; tidak ada yang perlu diputuskan",
                                 code=f"{sheet.unit}/{form}/{serial:04d}")
        if missing := sorted(differing - set(values)):
            raise WorkbenchError("Putuskan juga: {fields}", fields=", ".join(missing))
        if stray := sorted(set(values) - differing):
            raise WorkbenchError("Tidak berbeda antara kedua entri: {fields}", fields=", ".join(stray))
        decided = {f: v for f, v in first.items() if f not in differing} | {
            f: v for f, v in values.items() if v is not None and v != ""}
        answers = self.check_answers(form, {k: v for k, v in decided.items() if not _is_profile(k)})
        profile = checked_profile({k: str(v) for k, v in decided.items() if _is_profile(k)})
        with self._store.transaction():
            self._store.execute(
                "INSERT INTO survey_decisions (sheet_id, answers, profile, reason, decided_by, decided_at) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET answers = excluded.answers, "
                "profile = excluded.profile, reason = excluded.reason, decided_by = excluded.decided_by, "
                "decided_at = excluded.decided_at",
                (sheet.id, packed(answers), packed(profile), reason.strip(), self._store.actor, now()))
            settled: dict[str, object] = {**answers, **profile}
            self._audit.append([Change("survey_decision", sheet.uuid, "answers", None, packed(settled),
                                       reason=reason.strip())])
            self._store.changed(Changes(survey=True, units=frozenset({sheet.unit})))
        return settled

    def decisions(self) -> dict[str, str]:
        """Every settled sheet's decision as the audit log records it (sheet uuid -> its fields, packed), for
        `workbench check` to compare with the log."""
        rows = self._store.execute("SELECT s.uuid, d.answers, d.profile FROM survey_decisions d "
                                   "JOIN survey_sheets s ON s.id = d.sheet_id")
        return {uuid: packed(json.loads(answers) | json.loads(profile)) for uuid, answers, profile in rows}

    def _counted(self, period: str | None, form: str, unit: str | None
                 ) -> tuple[list[tuple[str, dict[str, int], dict[str, str]]], dict[str, int]]:
        """What counts in the indices, as (unit, answers, profile), and the sheets per unit still waiting: with
        double entry, a printed sheet counts once its keyings agree or a decision settled them."""
        p = self._registry.period(period)
        unit_id = self._registry.unit(unit).id if unit is not None else None
        rows = self._store.execute(
            "SELECT u.code, r.answers, r.profile, r.sheet_id FROM respondents r JOIN units u ON u.id = r.unit_id "
            "WHERE r.period_id = ? AND r.form = ? AND r.entry = 1 AND (? IS NULL OR r.unit_id = ?) ORDER BY r.id",
            (p.id, self._require_form(form), unit_id, unit_id))
        if not self.double_entry(p.name):
            return [(code, json.loads(a), json.loads(pr)) for code, a, pr, _ in rows], {}
        counted = [(code, json.loads(a), json.loads(pr)) for code, a, pr, sheet in rows if sheet is None]
        waiting: dict[str, int] = defaultdict(int)
        for sheet in self._sheets(p.name, unit=unit, form=form):
            fields = _settled(sheet)
            if fields is None:
                waiting[sheet.unit] += 1
            else:
                counted.append((sheet.unit, {k: v for k, v in fields.items() if not _is_profile(k)},
                                {k: v for k, v in fields.items() if _is_profile(k)}))
        return counted, dict(waiting)

    def _sheets(self, period: str | None, *, unit: str | None = None, form: str | None = None) -> list[_Sheet]:
        p = self._registry.period(period)
        unit_id = self._registry.unit(unit).id if unit is not None else None
        form_id = self._require_form(form) if form is not None else None
        sheets: dict[int, _Sheet] = {}
        for sheet_id, uuid, code, form_of, serial, entry, answers, profile, who, d_answers, d_profile in \
                self._store.execute(
                    "SELECT s.id, s.uuid, u.code, s.form, s.serial, r.entry, r.answers, r.profile, r.entered_by, "
                    "d.answers, d.profile FROM survey_sheets s JOIN units u ON u.id = s.unit_id "
                    "JOIN respondents r ON r.sheet_id = s.id LEFT JOIN survey_decisions d ON d.sheet_id = s.id "
                    "WHERE s.period_id = ? AND (? IS NULL OR s.unit_id = ?) AND (? IS NULL OR s.form = ?) "
                    "ORDER BY u.code, s.form, s.serial, r.entry", (p.id, unit_id, unit_id, form_id, form_id)):
            sheet = sheets.setdefault(sheet_id, _Sheet(sheet_id, uuid, code, SHORT.get(form_of, form_of), serial))
            sheet.keyings[entry] = (json.loads(answers) | json.loads(profile), who)
            if d_answers is not None:
                sheet.decision = json.loads(d_answers) | json.loads(d_profile)
        return list(sheets.values())


def _is_profile(name: str) -> bool:
    return name in PROFILE


def _settled(sheet: _Sheet) -> dict[str, Any] | None:
    """The fields a sheet counts with: the decision, else its keyings when both say the same; None meanwhile."""
    if sheet.decision is not None:
        return sheet.decision
    if len(sheet.keyings) == 2 and sheet.keyings[1][0] == sheet.keyings[2][0]:
        return sheet.keyings[1][0]
    return None
