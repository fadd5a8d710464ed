"""The respondents' side of an evaluation: the community satisfaction survey (SKM, PermenPAN-RB 14/2017) and
the F-03 user-perception forms of PEKPPP, stored per period and unit with their answers; IKM, sample
adequacy (Krejcie-Morgan) and F-03 means computed from what is stored.

Each import is one *batch*, and so is each questionnaire typed in the app; the audit log keeps a digest of
every batch (re-recorded when a typed answer changes), so that `workbench check` notices a respondent or an
answer changed, added or removed outside the workbench without one audit entry per answer.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence

from workbench.db.audit import AuditLog, Change
from workbench.db.settings import Settings
from workbench.db.store import Store, new_uuid, now
from workbench.domain import instrument as instruments
from workbench.domain.instrument import Questionnaire, SkmInstrument, SurveyInstrument
from workbench.domain.respondents import checked_profile, packed, profile_counts
from workbench.domain.scoring import SkmResult, krejcie_morgan, round2, skm
from workbench.errors import NotFound, WorkbenchError
from workbench.events import Changes
from workbench.registry import Period, Registry
from workbench.surveys.double_entry import DoubleEntry
from workbench.surveys.records import F03Result, Incoming, Respondent, SampleStatus
from workbench.surveys.sheets import Sheet, Sheets

FORMS = {"skm": "skm-2017", "f03a": "f03a-2022", "f03b": "f03b-2022"}  # short name -> instrument id
# a batch as the log records it: every respondent with its unit, period, form, number, profile and answers
_BATCH_SQL = (
    "SELECT r.batch, r.uuid || '|' || u.uuid || '|' || p.uuid || '|' || r.form || '|' || coalesce(r.number, '') "
    "|| '|' || r.profile || '|' || r.answers FROM respondents r "
    "JOIN units u ON u.id = r.unit_id JOIN periods p ON p.id = r.period_id")


def batch_digests(rows: Iterable[tuple[str, str]]) -> dict[str, str]:
    """The digest of each batch from (batch, respondent line) rows: sha256 over its sorted lines."""
    lines: dict[str, list[str]] = defaultdict(list)
    for batch, line in rows:
        lines[batch].append(line)
    return {batch: hashlib.sha256("\n".join(sorted(found)).encode()).hexdigest() for batch, found in lines.items()}


class Surveys(Sheets, DoubleEntry):
    """Respondents and answers per period and unit; IKM, sample adequacy and F-03 means; printed sheets."""

    def __init__(self, store: Store, registry: Registry, settings: Settings, audit: AuditLog) -> None:
        self._store = store
        self._registry = registry
        self._settings = settings
        self._audit = audit

    # --- questionnaires ----------------------------------------------------------------------

    def _require_form(self, form: str) -> str:
        """The instrument id of a form (skm, f03a, f03b); WorkbenchError naming the choices for another."""
        if form not in FORMS:
            raise WorkbenchError("Formulir survei tidak dikenal: {form} (pilihan: {choices})", form=form,
                                 choices=", ".join(FORMS))
        return FORMS[form]

    def instrument(self, form: str = "skm") -> Questionnaire:
        """The questionnaire of a form (skm, f03a, f03b) as this workbook stores it, else as shipped (a workbook
        made before the F-03 forms shipped stores it with its first questionnaire: reading never writes)."""
        self._require_form(form)
        try:
            inst = self._registry.instrument(FORMS[form])
        except NotFound:  # a workbook made before the F-03 forms shipped: stored when first written to
            inst = instruments.load(FORMS[form])
        if not isinstance(inst, SkmInstrument | SurveyInstrument):
            raise WorkbenchError("Instrumen {id} tidak sah: {problem}", id=FORMS[form], problem="kind ipp")
        return inst

    def _keep_instrument(self, form: str) -> None:
        """Before a form's first questionnaire or population is written: its instrument stored (they refer to it)."""
        try:
            self._registry.instrument(FORMS[form])
        except NotFound:
            self._registry.add_instrument(self.instrument(form))

    def ikm(self, responses: Mapping[str | None, Sequence[Mapping[str, int]]], *, mode: str | None = None,
            period: str | None = None) -> dict[str | None, SkmResult]:
        """IKM per unit code (None for responses without a unit): one mapping unsur -> answer per respondent;
        the unsur weighted by `mode`, else as the period's setting says."""
        inst = self.instrument("skm")
        assert isinstance(inst, SkmInstrument)
        chosen = mode or self._settings.get("skm_weight_mode", self._registry.period(period))
        return {unit: skm(answers, inst, chosen) for unit, answers in responses.items()}

    # --- typing questionnaires in ------------------------------------------------------------

    def check_answers(self, form: str, answers: Mapping[str, object]) -> dict[str, int]:
        """Answers keyed by item, each an integer on the form's scale; WorkbenchError naming the first that is not."""
        inst = self.instrument(form)
        keys = {u.key for u in inst.unsur}
        checked = {}
        for item, value in answers.items():
            if item not in keys:
                raise WorkbenchError("Butir {item} tidak ada di formulir {form}", item=item, form=form)
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int) or not inst.scale_min <= value <= inst.scale_max:
                raise WorkbenchError("Jawaban {item} = {value} di luar skala {lo}-{hi}", item=item, value=value,
                                     lo=inst.scale_min, hi=inst.scale_max)
            checked[item] = value
        return checked

    def add(self, *, unit: str, form: str = "skm", answers: Mapping[str, object], profile: Mapping[str, str] | None
            = None, number: int | None = None, period: str | None = None, sheet: Sheet | None = None,
            entry: int = 1) -> Respondent:
        """Store one questionnaire typed from paper (its own batch, audited); from a printed `sheet` (see
        `sheet_for_entry`), it carries the sheet's serial as its number and is its first or second `entry`."""
        p = self._open_period(period)
        if entry != 1 and (sheet is None or not self.double_entry(p.name)):
            raise WorkbenchError("Entri kedua hanya untuk lembar cetak, dengan entri ganda aktif di periode ini")
        if sheet is not None and (sheet.unit.casefold(), sheet.form) != (unit.casefold(), form):
            raise WorkbenchError("Lembar {code} bukan lembar {unit} ({form})", code=sheet.code, unit=unit, form=form)
        checked = self.check_answers(form, answers)
        clean = checked_profile(profile or {})
        unit_row = self._registry.unit(unit)
        uuid = new_uuid()
        with self._store.transaction():
            self._keep_instrument(form)
            try:
                self._store.execute(
                    "INSERT INTO respondents (uuid, period_id, unit_id, form, number, profile, answers, batch, "
                    "source, entered_by, entered_at, sheet_id, entry) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'typed', ?, ?, "
                    "?, ?)", (uuid, p.id, unit_row.id, FORMS[form], sheet.serial if sheet else number, packed(clean),
                              packed(checked), uuid, self._store.actor, now(), sheet and sheet.id, entry))
            except sqlite3.IntegrityError as exc:  # the sheet entered meanwhile (another window, a script)
                raise WorkbenchError("Lembar {code} sudah dimasukkan", code=sheet.code if sheet else "") from exc
            self._log_batches([uuid])
            self._touched(p.id, FORMS[form], [unit_row.id])
            self._store.changed(Changes(survey=True, units=frozenset({unit_row.code})))
        return self.respondent(uuid)

    def set_answer(self, uuid: str, item: str, value: int | None) -> Respondent:
        """Change (or clear, with None) one answer of a typed questionnaire (audited through its batch)."""
        found = self.respondent(uuid)
        self._open_period(self._store.value("SELECT p.name FROM respondents r JOIN periods p ON p.id = r.period_id "
                                            "WHERE r.uuid = ?", (uuid,)))
        form = next(short for short, ident in FORMS.items() if ident == found.form)
        checked = self.check_answers(form, {item: value})
        answers = {k: v for k, v in found.answers.items() if k != item} | checked
        with self._store.transaction():
            self._store.execute("UPDATE respondents SET answers = ? WHERE uuid = ?", (packed(answers), uuid))
            self._log_batches([self._batch_of(uuid)])
            self._touched_by(uuid)
            self._store.changed(Changes(survey=True, units=frozenset({found.unit})))
        return self.respondent(uuid)

    def set_profile(self, uuid: str, field: str, value: str) -> Respondent:
        """Change (or clear, with "") one profile field of a stored questionnaire (audited through its batch)."""
        found = self.respondent(uuid)
        self._open_period(self._store.value("SELECT p.name FROM respondents r JOIN periods p ON p.id = r.period_id "
                                            "WHERE r.uuid = ?", (uuid,)))
        profile = {k: v for k, v in found.profile.items() if k != field} | checked_profile({field: value})
        with self._store.transaction():
            self._store.execute("UPDATE respondents SET profile = ? WHERE uuid = ?", (packed(profile), uuid))
            self._log_batches([self._batch_of(uuid)])
            self._store.changed(Changes(survey=True, units=frozenset({found.unit})))
        return self.respondent(uuid)

    def remove(self, uuid: str) -> None:
        """Delete a questionnaire (a typing mistake); its batch's new digest is logged."""
        found = self.respondent(uuid)
        batch = self._batch_of(uuid)
        with self._store.transaction():
            self._touched_by(uuid)
            self._store.execute("DELETE FROM respondents WHERE uuid = ?", (uuid,))
            self._log_batches([batch])
            self._store.changed(Changes(survey=True, units=frozenset({found.unit})))

    # --- imports -----------------------------------------------------------------------------

    def merge(self, rows: Sequence[Incoming], *, form: str, period: Period, source: str, sheet: str,
              entry: int = 1, sheet_ids: Sequence[int] | None = None) -> str:
        """Store checked respondents of one file as one batch (inside the caller's write); returns its id. A
        second keying (`entry` 2) gives each row's printed sheet in `sheet_ids`."""
        self._registry.require_open(period)
        self._keep_instrument(form)
        batch, stamp, actor = new_uuid(), now(), self._store.actor
        sheets = sheet_ids if sheet_ids is not None else [None] * len(rows)
        records = [(new_uuid(), period.id, r.unit_id, FORMS[form], r.number, r.packed_profile or packed(r.profile),
                    r.packed_answers or packed(r.answers), batch, source, sheet, r.row, actor, stamp, sheet_id, entry)
                   for r, sheet_id in zip(rows, sheets, strict=True)]
        self._store.executemany(
            "INSERT INTO respondents (uuid, period_id, unit_id, form, number, profile, answers, batch, source, "
            "source_sheet, source_row, entered_by, entered_at, sheet_id, entry) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", records)
        # the batch's digest from the rows just written, as `_BATCH_SQL` would read them back
        unit_uuids = dict(self._store.execute("SELECT id, uuid FROM units"))
        lines = ((batch, f"{r[0]}|{unit_uuids[r[2]]}|{period.uuid}|{r[3]}|{'' if r[4] is None else r[4]}|{r[5]}|{r[6]}")
                 for r in records)
        self._audit.append([Change("survey_batch", batch, "digest", None, batch_digests(lines)[batch])])
        units = {r.unit_id for r in rows}
        self._touched(period.id, FORMS[form], units)
        codes = {unit_id: code for code, unit_id in self._registry.unit_ids().items()}
        self._store.changed(Changes(survey=True, units=frozenset(codes[u] for u in units)))
        return batch

    def _touched(self, period_id: int, form_id: str, unit_ids: Iterable[int]) -> None:
        """F-03 answers can count in the IPP (setting f03_weight): their units' results are recomputed."""
        if form_id in (FORMS["f03a"], FORMS["f03b"]):
            self._store.mark_results_dirty(period_id, unit_ids)

    def _touched_by(self, uuid: str) -> None:
        period_id, unit_id, form_id = self._store.one("SELECT period_id, unit_id, form FROM respondents "
                                                      "WHERE uuid = ?", (uuid,)) or (0, 0, "")
        self._touched(period_id, form_id, [unit_id])

    # --- reading -----------------------------------------------------------------------------

    def respondent(self, uuid: str) -> Respondent:
        found = self.respondents(uuids=[uuid])
        if not found:
            raise NotFound("Responden tidak dikenal: {uuid}", uuid=uuid)
        return found[0]

    def respondents(self, *, unit: str | None = None, form: str | None = None, period: str | None = None,
                    uuids: Sequence[str] | None = None, entry: int = 1) -> list[Respondent]:
        """Stored questionnaires, in the order they were entered: the first keying (or, with `entry=2`, the
        second keying of printed sheets under double entry); the ones named by `uuids` whichever keying."""
        where: list[str] = []
        params: list[object] = []
        if uuids is not None:
            where.append(f"r.uuid IN ({','.join('?' * len(uuids))})")
            params += list(uuids)
        else:
            where.append("r.period_id = ? AND r.entry = ?")
            params += [self._registry.period(period).id, entry]
        if unit is not None:
            where.append("r.unit_id = ?")
            params.append(self._registry.unit(unit).id)
        if form is not None:
            where.append("r.form = ?")
            params.append(FORMS[form])
        rows = self._store.execute(
            "SELECT r.uuid, u.code, r.form, r.number, r.profile, r.answers, r.source, r.entered_by, r.entry "
            f"FROM respondents r JOIN units u ON u.id = r.unit_id WHERE {' AND '.join(where)} ORDER BY r.id", params)
        return [Respondent(uuid, unit_code, form_id, number, json.loads(profile), json.loads(answers), source, who,
                           entry) for uuid, unit_code, form_id, number, profile, answers, source, who, entry in rows]

    def set_population(self, unit: str, population: int, *, form: str = "skm", period: str | None = None) -> None:
        """The number of the unit's service users in the period, which sets the sample it needs (audited)."""
        if isinstance(population, bool) or not isinstance(population, int) or population < 1:
            raise WorkbenchError("Populasi harus bilangan bulat positif, bukan {value}", value=population)
        p, unit_row = self._registry.period(period), self._registry.unit(unit)
        key = f"{p.uuid}/{self._store.value('SELECT uuid FROM units WHERE id = ?', (unit_row.id,))}/{FORMS[form]}"
        old = self._store.value("SELECT population FROM survey_populations WHERE period_id = ? AND unit_id = ? AND "
                                "form = ?", (p.id, unit_row.id, FORMS[form]))
        if old == population:
            return
        with self._store.transaction():
            self._keep_instrument(form)
            self._store.execute(
                "INSERT INTO survey_populations (period_id, unit_id, form, population) VALUES (?, ?, ?, ?) "
                "ON CONFLICT DO UPDATE SET population = excluded.population",
                (p.id, unit_row.id, FORMS[form], population))
            self._audit.append([Change("survey_population", key, "population", old, population)])
            self._store.changed(Changes(survey=True, units=frozenset({unit_row.code})))

    def status(self, period: str | None = None, *, form: str = "skm", unit: str | None = None) -> list[SampleStatus]:
        """Every unit (or the one named): its population, the sample it needs and the questionnaires collected.
        SKM needs the Krejcie-Morgan sample of its population; F-03 between the period's fewest and most
        respondents (10 and 20 by default, as the 2022 guidance asks)."""
        p = self._registry.period(period)
        units = self._registry.units() if unit is None else [self._registry.unit(unit)]
        where, params = "period_id = ? AND form = ?", tuple[object, ...]((p.id, FORMS[form]))
        if unit is not None:
            where, params = where + " AND unit_id = ?", (*params, units[0].id)
        populations = dict(self._store.execute(
            f"SELECT unit_id, population FROM survey_populations WHERE {where}", params))
        collected = dict(self._store.execute(
            f"SELECT unit_id, count(*) FROM respondents WHERE {where} AND entry = 1 GROUP BY unit_id", params))
        if form != "skm":
            fewest, most = (self._settings.number(f"f03_{end}_respondents", p) for end in ("min", "max"))
            return [SampleStatus(u.code, u.name, form, populations.get(u.id), fewest, collected.get(u.id, 0), most)
                    for u in units]
        return [SampleStatus(u.code, u.name, form, populations.get(u.id),
                             krejcie_morgan(populations[u.id]) if u.id in populations else None,
                             collected.get(u.id, 0)) for u in units]

    def results(self, period: str | None = None, *, mode: str | None = None,
                unit: str | None = None) -> dict[str, SkmResult]:
        """IKM of every unit (or the one named) that has SKM questionnaires in the period."""
        grouped: dict[str | None, list[Mapping[str, int]]] = defaultdict(list)
        for code, answers, _ in self._counted(period, "skm", unit)[0]:
            grouped[code].append(answers)
        return {str(unit): result for unit, result in self.ikm(grouped, mode=mode, period=period).items()}

    def waiting(self, period: str | None = None, *, form: str = "skm", unit: str | None = None) -> dict[str, int]:
        """Per unit, the printed sheets that do not count yet under double entry: keyed once, or keyed twice
        differently and not settled (see `compare`)."""
        return self._counted(period, form, unit)[1]

    def profiles(self, period: str | None = None) -> dict[str, dict[str, Counter[str]]]:
        """Per unit, how many SKM respondents per value of each profile field (see `profile_counts`)."""
        grouped: dict[str, list[dict[str, str]]] = defaultdict(list)
        for code, _, profile in self._counted(period, "skm", None)[0]:
            grouped[code].append(profile)
        return {unit: profile_counts(profiles) for unit, profiles in grouped.items()}

    def f03_results(self, period: str | None = None, *, form: str = "f03a",
                    unit: str | None = None) -> list[F03Result]:
        """The F-03 means of every unit (or the one named) with questionnaires of the form in the period."""
        inst = self.instrument(form)
        grouped: dict[str, list[dict[str, int]]] = defaultdict(list)
        for code, given_answers, _ in self._counted(period, form, unit)[0]:
            grouped[code].append(given_answers)
        names = {u.code: u.name for u in (self._registry.units() if unit is None else [self._registry.unit(unit)])}
        results = []
        for unit, answers in sorted(grouped.items()):
            items = {u.key: _mean([a[u.key] for a in answers if u.key in a]) for u in inst.unsur}
            by_aspect: dict[str, list[float]] = defaultdict(list)
            for u in inst.unsur:
                if items[u.key] is not None:
                    by_aspect[u.aspect].append(float(items[u.key] or 0))
            aspects = {code: round2(sum(v) / len(v)) for code, v in by_aspect.items()}
            given = [v for v in items.values() if v is not None]
            results.append(F03Result(unit, names.get(unit, unit), len(answers),
                                     {k: v for k, v in items.items() if v is not None}, aspects,
                                     round2(sum(given) / len(given)) if given else None))
        return results

    # --- the audit log ------------------------------------------------------------------------

    def digests(self, batches: Sequence[str] | None = None) -> dict[str, str]:
        """The current digest of every batch (or of the given ones)."""
        sql, params = _BATCH_SQL, tuple[str, ...]()
        if batches is not None:
            sql += f" WHERE r.batch IN ({','.join('?' * len(batches))})"
            params = tuple(batches)
        return batch_digests(self._store.execute(sql, params))

    def _log_batches(self, batches: Sequence[str]) -> None:
        logged = self._audit.latest("survey_batch", "digest")
        current = self.digests(batches)
        self._audit.append([Change("survey_batch", batch, "digest", logged.get(batch), current.get(batch))
                            for batch in batches if logged.get(batch) != current.get(batch)])

    def _batch_of(self, uuid: str) -> str:
        return str(self._store.value("SELECT batch FROM respondents WHERE uuid = ?", (uuid,)))

    def _open_period(self, name: str | None) -> Period:
        p = self._registry.period(name)
        self._registry.require_open(p)
        return p



def _mean(values: list[int]) -> float | None:
    return round2(sum(values) / len(values)) if values else None
