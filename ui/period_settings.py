"""The settings that shape a period's results (how a unit's score is formed, the SKM weights, when evaluators
disagree, how much the users' perception counts), edited for one period and frozen when it closes."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from ui.database import Database
from workbench import Workbook
from workbench.db.settings import CHOICE_LABELS, SETTING_HELP, SETTING_LABELS, SETTINGS
from workbench.i18n import tr


class PeriodSettingsDialog(QDialog):
    """One field per per-period setting; OK stores the changed ones together (audited)."""

    def __init__(self, db: Database, period: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.period = db.reader.registry.period(period)
        self.setWindowTitle(tr("Pengaturan penilaian · periode {name}", name=self.period.name))
        self.values = db.reader.settings.of_period(self.period)
        self.fields: dict[str, QComboBox | QSpinBox] = {}
        form = QFormLayout()
        used: set[str] = set()
        for key, value in self.values.items():
            declared = SETTINGS[key]
            field: QComboBox | QSpinBox
            if declared.choices:
                field = QComboBox()
                for choice in declared.choices:
                    field.addItem(tr(CHOICE_LABELS[choice]), choice)
                field.setCurrentIndex(field.findData(value))
            else:
                field = QSpinBox()
                field.setRange(0, declared.maximum or 1_000_000)
                field.setValue(int(value))
                if key == "f03_weight":
                    field.setSuffix(" %")
            field.setToolTip(tr(SETTING_HELP[key]))
            field.setEnabled(not self.period.closed)
            label = QLabel(with_mnemonic(tr(SETTING_LABELS[key]), used))
            label.setToolTip(tr(SETTING_HELP[key]))
            label.setBuddy(field)
            form.addRow(label, field)
            self.fields[key] = field
        note = QLabel(tr("Periode ini sudah ditutup: pengaturannya dibekukan bersama nilainya.")
                      if self.period.closed else
                      tr("Berlaku hanya untuk periode ini; hasil dihitung ulang dan perubahan tercatat di log audit."))
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        if ok is not None:
            ok.setEnabled(not self.period.closed)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def chosen(self) -> dict[str, str]:
        """The settings whose field differs from the stored value, with the new value."""
        picked = {key: str(f.currentData()) if isinstance(f, QComboBox) else str(f.value())
                  for key, f in self.fields.items()}
        return {key: value for key, value in picked.items() if value != self.values[key]}

    def save(self) -> None:
        changes, period = self.chosen(), self.period

        def job(wb: Workbook, progress: object, cancel: object) -> None:
            with wb.transaction():
                for key, value in changes.items():
                    wb.settings.set(key, value, period)

        if not changes:
            self.accept()
            return
        self.db.write(job, parent=self, on_success=lambda _: self.accept())


def with_mnemonic(text: str, used: set[str]) -> str:
    """The text with an Alt key on its first letter not taken by an earlier label (noted in `used`)."""
    for n, char in enumerate(text):
        if char.isalpha() and char.lower() not in used:
            used.add(char.lower())
            return f"{text[:n]}&{text[n:]}"
    return text
