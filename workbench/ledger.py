"""What the audit log accounts for: every row whose change matters has its current value in the log (the
last entry for it), so that a row changed, added, moved or removed outside the workbench is named by
`workbench check`. The log itself is chained and signed (`workbench.db.audit`).

Accounted for: observations (what each is about, its score and status), agreed scores, units, evaluators,
instruments and their stored indicators, closed periods, settings, certificate settings, the office's
signing keys, the key registered for each evaluator, the lead's key a kit's laptop follows, certificates
(issued, their token, revoked), survey batches (a digest over their respondents and answers) and
populations, and the results cache, which must equal the results computed afresh.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from workbench.db.audit import AuditLog, Change, digest
from workbench.db.settings import SETTINGS
from workbench.db.store import Store
from workbench.domain.instrument import Instrument, from_dict
from workbench.i18n import tr
from workbench.observations import KEY_SQL, Observations, lines_digest
from workbench.registry import RECORD_SQL, Registry
from workbench.results import Results
from workbench.surveys import Surveys

LEDGER_VERSION = "2"  # what the log accounts for; a database made before is brought up to it once


@dataclass(frozen=True)
class Account:
    """One kind of row as the log accounts for it: entity and field of its entries, the rows' current values
    by key, what a person calls each key, and what to say when a value differs or a row is gone."""

    entity: str
    field: str
    current: Mapping[str, str | None]
    changed: str
    gone: str = ""
    default: str | None = None  # the value of a row the log has not mentioned yet
    names: dict[str, str] = dataclass_field(default_factory=dict)
    # rows born in a batch -> the id of its entry: the batch accounts for them until an entry of their own
    # after it (entries before it were made where the rows came from)
    batched: dict[str, int] = dataclass_field(default_factory=dict)
    new_kind: bool = False  # recorded since LEDGER_VERSION: a database made before may lack entries


@dataclass(eq=False)
class Ledger:
    """Compares the data with what the log says it is."""

    _store: Store
    _audit: AuditLog
    _registry: Registry
    _observations: Observations
    _results: Results
    _surveys: Surveys

    def _accounts(self) -> list[Account]:
        store = self._store
        periods = dict(store.execute("SELECT uuid, name FROM periods"))
        evaluators = dict(store.execute("SELECT uuid, name FROM evaluators"))
        batched = dict(store.execute("SELECT o.uuid, a.id FROM observations o JOIN audit_log a ON a.entity = "
                                    "'observation_batch' AND a.entity_uuid = o.batch"))
        period_settings = {f"{u}/{k}": v for u, k, v in store.execute(
            "SELECT p.uuid, s.key, s.value FROM period_settings s JOIN periods p ON p.id = s.period_id")}
        return [
            Account("observation", "key", dict(store.execute(KEY_SQL)),
                    tr("observasi {key}: dipindah ke unit, indikator, evaluator atau periode lain di luar aplikasi"),
                    tr("observasi {key}: dihapus di luar aplikasi"), new_kind=True, batched=batched),
            Account("observation", "score", {u: None if s is None else str(s)
                                             for u, s in store.execute("SELECT uuid, score FROM observations")},
                    tr("observasi {key}: nilai {value} tidak sesuai log audit ({logged})"),
                    tr("observasi {key}: dihapus di luar aplikasi (nilainya {logged} menurut log audit)"),
                    batched=batched),
            Account("observation", "status", dict(store.execute("SELECT uuid, status FROM observations")),
                    tr("observasi {key}: status {value} tidak sesuai log audit ({logged})"), default="draft",
                    batched=batched),
            Account("consensus", "score", {k: str(s) for k, s in store.execute(
                "SELECT p.name || '/' || u.code || '/' || i.code, c.score FROM consensus c JOIN periods p "
                "ON p.id = c.period_id JOIN units u ON u.id = c.unit_id JOIN indicators i ON i.id = c.indicator_id")},
                    tr("kesepakatan {key}: nilai {value} tidak sesuai log audit ({logged})"),
                    tr("kesepakatan {key}: dihapus di luar aplikasi (nilainya {logged} menurut log audit)")),
            Account("unit", "record", dict(store.execute(RECORD_SQL)),
                    tr("unit {value}: tidak sesuai log audit ({logged})"),
                    tr("unit {logged}: dihapus di luar aplikasi"), new_kind=True),
            Account("evaluator", "name", dict(store.execute("SELECT uuid, name FROM evaluators")),
                    tr("evaluator {value}: tidak sesuai log audit ({logged})"),
                    tr("evaluator {logged}: dihapus di luar aplikasi"), new_kind=True),
            Account("instrument", "definition", {i: digest(d) for i, d in store.execute(
                "SELECT id, definition FROM instruments")},
                    tr("instrumen {key}: definisinya diubah di luar aplikasi"),
                    tr("instrumen {key}: dihapus di luar aplikasi"), new_kind=True),
            Account("signing_key", "public_pem", {k: digest(p) for k, p in store.execute(
                "SELECT key_id, public_pem FROM signing_keys")},
                    tr("kunci tanda tangan {key}: tidak tercatat di log audit (dipasang di luar aplikasi?)"),
                    tr("kunci tanda tangan {key}: dihapus di luar aplikasi"), new_kind=True),
            Account("certificate", "issued", {n: c for n, c in store.execute(
                "SELECT c.number, u.code FROM certificates c JOIN units u ON u.id = c.unit_id")},
                    tr("piagam {key}: tidak tercatat di log audit"),
                    tr("piagam {key}: dihapus dari register di luar aplikasi")),
            Account("certificate", "token", {n: digest(t) for n, t in store.execute(
                "SELECT number, token FROM certificates")},
                    tr("piagam {key}: isi token tidak sesuai log audit"), new_kind=True),
            Account("certificate", "revoked", {n: str(r) for n, r in store.execute(
                "SELECT number, revoked FROM certificates")},
                    tr("piagam {key}: status pencabutan tidak sesuai log audit"), default="0"),
            Account("period", "name", periods, tr("periode {value}: nama tidak sesuai log audit ({logged})"),
                    tr("periode {logged}: dihapus di luar aplikasi"), new_kind=True),
            Account("period", "closed", {u: str(c) for u, c in store.execute("SELECT uuid, closed FROM periods")},
                    tr("periode {key}: status tutup tidak sesuai log audit"), default="0", names=periods),
            Account("survey_batch", "digest", dict(self._surveys.digests()),
                    tr("survei {key}: responden atau jawaban diubah di luar aplikasi"),
                    tr("survei {key}: responden dihapus di luar aplikasi")),
            Account("survey_decision", "answers", self._surveys.decisions(),
                    tr("lembar survei {key}: keputusan entri ganda diubah di luar aplikasi"),
                    tr("lembar survei {key}: keputusan entri ganda dihapus di luar aplikasi")),
            Account("survey_population", "population", {k: str(v) for k, v in store.execute(
                "SELECT p.uuid || '/' || u.uuid || '/' || s.form, s.population FROM survey_populations s "
                "JOIN periods p ON p.id = s.period_id JOIN units u ON u.id = s.unit_id")},
                    tr("populasi survei {key}: {value} tidak sesuai log audit ({logged})"),
                    tr("populasi survei {key}: dihapus di luar aplikasi")),
            Account("certificate_settings", "settings", dict(store.execute(
                "SELECT p.uuid, c.settings FROM certificate_settings c JOIN periods p ON p.id = c.period_id")),
                    tr("pengaturan piagam periode {key} diubah di luar aplikasi"),
                    tr("pengaturan piagam periode {key} dihapus di luar aplikasi"), names=periods),
            Account("evaluator_key", "key_id", dict(store.execute(
                "SELECT e.uuid, k.key_id FROM evaluator_keys k JOIN evaluators e ON e.id = k.evaluator_id")),
                    tr("kunci evaluator {key}: {value} tidak sesuai log audit ({logged})"),
                    tr("kunci evaluator {key}: dihapus di luar aplikasi"), names=evaluators),
            Account("kit", "lead_key_id", dict(store.execute("SELECT 'kit', lead_key_id FROM kit")),
                    tr("kit laptop ini: kunci ketua tim {value} tidak sesuai log audit ({logged})"),
                    tr("kit laptop ini: dihapus di luar aplikasi")),
            Account("period_setting", "value", period_settings,
                    tr("pengaturan {key}: '{value}' tidak sesuai log audit ({logged})"),
                    tr("pengaturan {key}: dihapus di luar aplikasi"),
                    names={f"{u}/{k}": f"{n}/{k}" for u, n in periods.items() for k in SETTINGS}),
        ]

    def complete(self) -> None:
        """Note in the log that it accounts for every kind of row (a new database; one made by an earlier
        version lacks the note, and its rows of the kinds added since are then checked only where logged)."""
        self._audit.append([Change("workbook", "ledger", "version", None, LEDGER_VERSION)], actor="workbench")

    def unaccounted(self) -> list[str]:
        """Every row the log does not account for, one line each ([] when the data is what the log says)."""
        problems: list[str] = []
        whole = self._audit.latest("workbook", "version").get("ledger") == LEDGER_VERSION
        for account in self._accounts():
            logged = self._audit.latest(account.entity, account.field)
            since = dict(self._store.execute(
                "SELECT entity_uuid, max(id) FROM audit_log WHERE entity = ? AND field = ? GROUP BY entity_uuid",
                (account.entity, account.field))) if account.batched else {}
            for key, value in account.current.items():
                if key in account.batched and since.get(key, 0) < account.batched[key]:
                    continue  # as it came in its batch: `_batches_unaccounted` checks it
                if account.new_kind and not whole and key not in logged:
                    continue
                if value != logged.get(key, account.default):
                    problems.append(account.changed.format(key=account.names.get(key, key), value=value,
                                                           logged=logged.get(key, account.default)))
            if account.gone:
                problems += [account.gone.format(key=account.names.get(key, key), logged=value)
                             for key, value in logged.items() if key not in account.current and value is not None]
        problems += self._settings_unaccounted()
        problems += self._instruments_unaccounted()
        problems += self._observations_unaccounted()
        problems += self._batches_unaccounted()
        problems += self._results_unaccounted()
        return problems

    def _settings_unaccounted(self) -> list[str]:
        logged = self._audit.latest("setting", "value")
        stored = dict(self._store.execute("SELECT key, value FROM settings"))
        return [tr("pengaturan {name}: '{value}' tidak sesuai log audit", name=key, value=stored.get(key, s.default))
                for key, s in SETTINGS.items() if stored.get(key, s.default) != logged.get(key, s.default)]

    def _instruments_unaccounted(self) -> list[str]:
        """Indicators and aspects stored as their instrument's definition says (results read their weights)."""
        problems = []
        store = self._store
        for ident, definition in store.execute("SELECT id, definition FROM instruments WHERE kind = 'ipp'"):
            inst = from_dict(json.loads(definition))
            assert isinstance(inst, Instrument)
            expected = {(a.code, round(a.weight, 9), i.code, round(i.weight, 9), round(i.global_weight, 9),
                         int(i.scored)) for a in inst.aspects for i in a.indicators}
            stored = {(a, round(aw, 9), i, round(w, 9), round(gw, 9), s) for a, aw, i, w, gw, s in store.execute(
                "SELECT a.code, a.weight, i.code, i.weight, i.global_weight, i.scored FROM indicators i "
                "JOIN aspects a ON a.id = i.aspect_id WHERE i.instrument_id = ?", (ident,))}
            if stored != expected:
                problems.append(tr("instrumen {key}: indikator atau bobot tersimpan tidak sesuai definisinya",
                                   key=ident))
        return problems

    def _observations_unaccounted(self) -> list[str]:
        store = self._store
        problems = [tr("observasi {uuid}: indikator bukan milik instrumen periode", uuid=r[0]) for r in store.execute(
            "SELECT o.uuid FROM observations o JOIN periods p ON p.id = o.period_id "
            "JOIN indicators i ON i.id = o.indicator_id WHERE i.instrument_id <> p.instrument_id")]
        unscored = store.execute("SELECT uuid, status FROM observations WHERE status <> 'draft' AND score IS NULL")
        problems += [tr("observasi {uuid}: status {status} tanpa nilai", uuid=uuid, status=status)
                     for uuid, status in unscored]
        return problems

    def _batches_unaccounted(self) -> list[str]:
        """Observations born in a batch (a file or package brought them) must be, as they came, what its
        digest says: none changed without its own entry, none removed, none slipped in."""
        logged = self._audit.latest("observation_batch", "digest")
        members = self._observations.batch_members()
        names = dict(self._store.execute("SELECT a.entity_uuid, a.reason FROM audit_log a "
                                              "WHERE a.entity = 'observation_batch'"))
        problems = [tr("observasi dari {source}: diubah, ditambah atau dihapus di luar aplikasi",
                       source=names.get(batch) or batch) for batch, found in sorted(members.items())
                    if lines_digest([m.line for m in found]) != logged.get(batch)]
        problems += [tr("observasi dari {source}: dihapus di luar aplikasi", source=names.get(batch) or batch)
                     for batch in sorted(set(logged) - set(members))]
        return problems

    def _results_unaccounted(self) -> list[str]:
        """The per-indicator totals must sum the observations, and a results cache marked fresh must hold what
        the observations give now (the app's tables, reports and certificates read them)."""
        problems = []
        for period in self._registry.periods():
            problems += [tr("jumlah nilai tersimpan {unit} periode {period} tidak sesuai observasi; hitung ulang "
                            "(F5)", unit=unit, period=period.name)
                         for unit in self._results.totals_unaccounted(period.name)]
            if not self._results.is_fresh(period.name):
                continue
            cached = {r.unit: (r.ipp, r.category, r.rank, r.scored)
                      for r in self._results.page(period.name, limit=1 << 62)}
            computed = {r.unit: (r.ipp, r.category, r.rank, r.scored)
                        for r in self._results.scores(period.name, exact=True)}
            problems += [tr("hasil tersimpan {unit} periode {period} tidak sesuai nilai; hitung ulang (F5)",
                            unit=unit, period=period.name) for unit in sorted(computed)
                         if cached.get(unit) != computed[unit]]
        return problems
