"""Settings stored in the workbook itself (how scores are formed, limits), each declared once here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from workbench.db.audit import AuditLog, Change
from workbench.db.store import Store
from workbench.domain.scoring import SKM_WEIGHT_MODES
from workbench.domain.values import field_text
from workbench.errors import PeriodClosed, WorkbenchError
from workbench.events import Changes
from workbench.i18n import N_


@dataclass(frozen=True)
class Setting:
    """A workbook setting with its default and, when it has them, its choices (else a whole number, or a
    person's name when `text`); `per_period` when it shapes a period's results, and so is the period's own."""

    key: str
    default: str
    choices: tuple[str, ...] = ()
    doc: str = ""
    text: bool = False
    per_period: bool = False
    maximum: int | None = None


class PeriodRef(Protocol):
    """The period a per-period setting belongs to (the registry's Period)."""

    @property
    def id(self) -> int: ...
    @property
    def uuid(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def closed(self) -> bool: ...


SETTINGS: dict[str, Setting] = {s.key: s for s in (
    Setting("unit_score_rule", "consensus_or_mean", ("consensus_or_mean", "mean"),
            "How a unit's indicator score is formed when several evaluators scored it", per_period=True),
    Setting("skm_weight_mode", "exact", SKM_WEIGHT_MODES, "Weight of each SKM unsur", per_period=True),
    Setting("evidence_max_bytes", str(50 * 1024 * 1024), (), "Largest evidence file accepted"),
    Setting("conflict_threshold", "2", (), "Evaluators whose scores of an indicator differ by this much disagree",
            per_period=True, maximum=5),
    # no source says whether or how the users' perception (F-03) counts: 0 reports it beside the IPP
    Setting("f03_weight", "0", (), "Share in percent of the F-03 mean (0-5) blended into the IPP; 0 keeps it beside",
            per_period=True, maximum=100),
    # F-03 (2022 guidance): at least 10 and at most 20 respondents per unit; SKM keeps the Krejcie-Morgan sample
    Setting("f03_min_respondents", "10", (), "Fewest F-03 respondents a unit needs", per_period=True, maximum=1000),
    Setting("f03_max_respondents", "20", (), "Most F-03 respondents a unit should have", per_period=True,
            maximum=1000),
    # paper questionnaires keyed twice by different people and compared before they count
    Setting("double_entry", "0", ("0", "1"), "Questionnaires from printed sheets are keyed twice and reconciled",
            per_period=True),
    # who works in this database, and as what: named in every audit entry made here
    Setting("owner", "", (), "The name of the person who works in this database", text=True),
    Setting("owner_role", "", ("", "evaluator", "lead"), "Evaluator or team lead"),
)}


# what a person calls each per-period setting and its choices (the CLI and the app show these)
SETTING_LABELS = {
    "unit_score_rule": N_("Nilai unit bila beberapa evaluator menilai"),
    "skm_weight_mode": N_("Bobot unsur SKM"),
    "conflict_threshold": N_("Selisih nilai antarevaluator yang dianggap beda pendapat"),
    "f03_weight": N_("Bobot persepsi pengguna (F-03) dalam IPP, persen"),
    "f03_min_respondents": N_("Responden F-03 paling sedikit per unit"),
    "f03_max_respondents": N_("Responden F-03 paling banyak per unit"),
    "double_entry": N_("Entri ganda kuesioner kertas"),
}
SETTING_HELP = {
    "unit_score_rule": N_("Bila evaluator berbeda nilai pada satu indikator: pakai nilai kesepakatan yang dicatat "
                          "ketua tim, atau selalu rata-rata para evaluator."),
    "skm_weight_mode": N_("Bobot tiap unsur SKM: tepat 1/9, atau 0,111 dan 0,11 seperti yang dibulatkan dalam "
                          "banyak laporan; hasilnya sedikit berbeda."),
    "conflict_threshold": N_("Nilai dua evaluator yang berselisih sebesar ini atau lebih (0-5) dianggap beda "
                             "pendapat dan muncul di Konflik."),
    "f03_weight": N_("0 berarti persepsi pengguna (F-03) dilaporkan di samping IPP, tidak ikut dihitung; 20 berarti "
                     "IPP = 80% nilai evaluator + 20% rata-rata F-03."),
    "f03_min_respondents": N_("Pedoman 2022: F-03 diisi sedikitnya 10 responden per unit; progres survei memakai "
                              "angka ini untuk F-03 (SKM memakai tabel Krejcie-Morgan)."),
    "f03_max_respondents": N_("Pedoman 2022: paling banyak 20 responden F-03 per unit; lebih dari itu ditandai."),
    "double_entry": N_("Setiap lembar kuesioner yang dicetak diketik dua kali oleh orang berbeda; IKM dan F-03 hanya "
                       "menghitung lembar yang kedua entrinya sama atau sudah direkonsiliasi."),
}
CHOICE_LABELS = {
    "consensus_or_mean": N_("kesepakatan bila ada, selain itu rata-rata"),
    "mean": N_("rata-rata evaluator saja"),
    "exact": N_("tepat 1/9"),
    "0.111": N_("0,111 per unsur"),
    "0.11": N_("0,11 per unsur"),
    "0": N_("tidak: satu kali entri"),
    "1": N_("ya: dua kali entri, lalu dibandingkan"),
}


class Settings:
    """Reads and writes the declared settings of one workbook, and its own identity."""

    def __init__(self, store: Store, audit: AuditLog) -> None:
        self._store = store
        self._audit = audit

    def get(self, key: str, period: PeriodRef | None = None) -> str:
        """The value of a declared setting: for a per-period one, the period's own, else the value the
        workbook held before settings became the periods' own, else the default."""
        declared = SETTINGS[key]
        value = None
        if declared.per_period:
            if period is None:
                raise TypeError(f"the setting {key} belongs to a period")
            value = self._store.value("SELECT value FROM period_settings WHERE period_id = ? AND key = ?",
                                      (period.id, key))
        if value is None:
            value = self._store.value("SELECT value FROM settings WHERE key = ?", (key,))
        return declared.default if value is None else str(value)

    def number(self, key: str, period: PeriodRef | None = None) -> int:
        """A whole-number setting."""
        return int(self.get(key, period))

    def set(self, key: str, value: object, period: PeriodRef | None = None) -> None:
        """Store a declared setting (a per-period one for its period, which must be open) after checking it
        against its choices or range; audited."""
        declared = SETTINGS.get(key)
        if declared is None or declared.per_period != (period is not None):
            known = [k for k, s in SETTINGS.items() if s.per_period == (period is not None) and not s.text]
            raise WorkbenchError("Pengaturan {name} tidak dikenal (pilihan: {choices})", name=key,
                                 choices=", ".join(known))
        text = field_text(value, "person", key) if declared.text else str(value).strip()
        if declared.choices and text not in declared.choices:
            raise WorkbenchError("Pengaturan {name} tidak boleh '{value}' (pilihan: {choices})", name=key,
                                 value=text, choices=", ".join(declared.choices))
        if not declared.choices and not declared.text and not (
                text.isdigit() and (declared.maximum is None or int(text) <= declared.maximum)):
            raise WorkbenchError("Pengaturan {name} tidak boleh '{value}' (pilihan: {choices})", name=key,
                                 value=text, choices=f"0 - {declared.maximum}" if declared.maximum else "0, 1, 2, ...")
        old = self.get(key, period)
        if old == text:
            return
        with self._store.transaction():
            if declared.per_period:
                assert period is not None
                if period.closed:
                    raise PeriodClosed("Periode {name} sudah ditutup; buka kembali dengan alasan sebelum mengubah "
                                       "nilai", name=period.name)
                self._store.conn.execute(
                    "INSERT INTO period_settings (period_id, key, value) VALUES (?, ?, ?) "
                    "ON CONFLICT (period_id, key) DO UPDATE SET value = excluded.value", (period.id, key, text))
                self._audit.append([Change("period_setting", period_setting_id(period, key), "value", old, text)])
            else:
                self._store.conn.execute("INSERT INTO settings (key, value) VALUES (?, ?) "
                                         "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (key, text))
                self._audit.append([Change("setting", key, "value", old, text)])
            self._store.changed(Changes(setting=True))

    def of_period(self, period: PeriodRef) -> dict[str, str]:
        """Every per-period setting with its value for the period."""
        return {key: self.get(key, period) for key, declared in SETTINGS.items() if declared.per_period}

    def identity(self) -> str:
        """This database's own UUID (made with it); templates and packages carry it to name their origin."""
        return str(self._store.value("SELECT value FROM settings WHERE key = 'workbook_uuid'"))


def period_setting_id(period: PeriodRef, key: str) -> str:
    """How the audit log names a period's setting."""
    return f"{period.uuid}/{key}"
