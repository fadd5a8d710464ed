"""Settings stored in the workbook itself (how scores are formed, limits), each declared once here."""

from __future__ import annotations

from dataclasses import dataclass

from workbench.db.audit import AuditLog, Change
from workbench.db.store import Store
from workbench.domain.scoring import SKM_WEIGHT_MODES
from workbench.domain.values import field_text
from workbench.errors import WorkbenchError
from workbench.events import Changes


@dataclass(frozen=True)
class Setting:
    """A workbook setting with its default and, when it has them, its choices (else a whole number, or a
    person's name when `text`)."""

    key: str
    default: str
    choices: tuple[str, ...] = ()
    doc: str = ""
    text: bool = False


SETTINGS: dict[str, Setting] = {s.key: s for s in (
    Setting("unit_score_rule", "consensus_or_mean", ("consensus_or_mean", "mean"),
            "How a unit's indicator score is formed when several evaluators scored it"),
    Setting("skm_weight_mode", "exact", SKM_WEIGHT_MODES, "Weight of each SKM unsur"),
    Setting("evidence_max_bytes", str(50 * 1024 * 1024), (), "Largest evidence file accepted"),
    Setting("conflict_threshold", "2", (), "Evaluators whose scores of an indicator differ by this much disagree"),
    # no source says whether or how the users' perception (F-03) counts: 0 reports it beside the IPP
    Setting("f03_weight", "0", (), "Share in percent of the F-03 mean (0-5) blended into the IPP; 0 keeps it beside"),
    # who works in this database, and as what: named in every audit entry made here
    Setting("owner", "", (), "The name of the person who works in this database", text=True),
    Setting("owner_role", "", ("", "evaluator", "lead"), "Evaluator or team lead"),
)}


class Settings:
    """Reads and writes the declared settings of one workbook, and its own identity."""

    def __init__(self, store: Store, audit: AuditLog) -> None:
        self._store = store
        self._audit = audit

    def get(self, key: str) -> str:
        """The stored value of a declared setting, or its default."""
        declared = SETTINGS[key]
        value = self._store.value("SELECT value FROM settings WHERE key = ?", (key,))
        return declared.default if value is None else str(value)

    def number(self, key: str) -> int:
        """A whole-number setting."""
        return int(self.get(key))

    def set(self, key: str, value: object) -> None:
        """Store a declared setting after checking it against its choices."""
        declared = SETTINGS[key]
        text = field_text(value, "person", key) if declared.text else str(value)
        if declared.choices and text not in declared.choices:
            raise WorkbenchError("Pengaturan {name} tidak boleh '{value}' (pilihan: {choices})", name=key,
                                 value=text, choices=", ".join(declared.choices))
        if not declared.choices and not declared.text and not text.isdigit():
            raise WorkbenchError("Pengaturan {name} tidak boleh '{value}' (pilihan: {choices})", name=key,
                                 value=text, choices="0, 1, 2, ...")
        old = self.get(key)
        if old == text:
            return
        with self._store.transaction():
            self._store.conn.execute("INSERT INTO settings (key, value) VALUES (?, ?) "
                                     "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (key, text))
            self._audit.append([Change("setting", key, "value", old, text)])
            self._store.changed(Changes(setting=True))

    def stored(self) -> dict[str, str]:
        """The declared settings that were ever set, with their values."""
        return {k: v for k, v in self._store.conn.execute("SELECT key, value FROM settings") if k in SETTINGS}

    def identity(self) -> str:
        """This database's own UUID (made with it); templates and packages carry it to name their origin."""
        return str(self._store.value("SELECT value FROM settings WHERE key = 'workbook_uuid'"))
