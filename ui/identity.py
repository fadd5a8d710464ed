"""Who works in a database, and as what: remembered per database on this computer, asked once.

A database names its owner (the wizard or the kit wrote it); whoever else opens it, an official on the lead's
file for instance, is asked who they are rather than becoming the owner. The name never comes from the
computer's login: it is the name the audit log records for every change made here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ui.labels import buddy
from ui.settings import Settings
from workbench.i18n import tr
from workbench.usecases.new_evaluation import ROLES

HOME_TAB = {"evaluator": 0, "lead": 3}  # Entri penilaian; Progres tim


@dataclass(frozen=True)
class Identity:
    name: str
    role: str = "evaluator"


def remembered(settings: Settings, path: Path) -> Identity | None:
    """Who this computer's user said they are in the database at `path`, or None when never asked."""
    entry = _all(settings).get(str(path.resolve()))
    if not isinstance(entry, dict) or not entry.get("name"):
        return None
    role = entry.get("role")
    return Identity(str(entry["name"]), role if role in ROLES else "evaluator")


def remember(settings: Settings, path: Path, identity: Identity) -> None:
    """Keep who works in the database at `path`; the name also becomes the app's first guess for others."""
    known = _all(settings)
    known[str(path.resolve())] = {"name": identity.name, "role": identity.role}
    settings.set("persist/identities", json.dumps(known, ensure_ascii=False))
    settings.set("setting/user", identity.name)


def _all(settings: Settings) -> dict[str, object]:
    try:
        known = json.loads(settings.text("persist/identities") or "{}")
    except ValueError:  # a settings file edited by hand: ask again rather than fail to start
        return {}
    return known if isinstance(known, dict) else {}


class IdentityDialog(QDialog):
    """"Siapa Anda?": the name (one of the database's people, or another) and the role; or read-only."""

    def __init__(self, file: str, owner: str, roster: list[str], guess: Identity | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Siapa Anda?"))
        self.read_only = False
        if owner:
            text = tr("Basis data {file} milik {owner}. Perubahan yang Anda buat di sini tercatat atas nama Anda di "
                      "log audit dan ditandatangani kunci komputer ini; komputer pemiliknya akan meminta "
                      "kunci itu diterima.", file=file, owner=owner)
        else:
            text = tr("Basis data {file} belum menyebut pemiliknya. Nama Anda tercatat pada setiap perubahan yang "
                      "Anda buat di sini (log audit).", file=file)
        intro = QLabel(text)
        intro.setWordWrap(True)
        self.name = QComboBox()
        self.name.setEditable(True)
        self.name.addItems([n for n in dict.fromkeys([owner, *roster]) if n])
        self.name.setCurrentText(guess.name if guess else "")
        if (edit := self.name.lineEdit()) is not None:
            edit.setPlaceholderText(tr("Nama lengkap Anda"))
        label = buddy(tr("&Nama"), self.name)
        self.evaluator_role = QRadioButton(tr("&Evaluator: saya menilai unit"))
        self.lead_role = QRadioButton(tr("Ketua &tim atau pejabat: saya menggabungkan, melihat hasil, menerbitkan"))
        roles = QButtonGroup(self)
        roles.addButton(self.evaluator_role)
        roles.addButton(self.lead_role)
        (self.lead_role if guess and guess.role == "lead" else self.evaluator_role).setChecked(True)
        self.note = QLabel()
        form = QFormLayout()
        form.addRow(label, self.name)
        form.addRow(tr("Peran"), self.evaluator_role)
        form.addRow("", self.lead_role)
        form.addRow("", self.note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("&Lanjut"))
        look = QPushButton(tr("Buka &hanya baca"))
        buttons.addButton(look, QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self._on_accepted)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(640)  # the roles' lines whole; the height follows the wrapped text
        self.adjustSize()

    def identity(self) -> Identity:
        return Identity(self.name.currentText().strip(), "lead" if self.lead_role.isChecked() else "evaluator")

    def _on_accepted(self) -> None:
        if not self.identity().name:
            self.note.setText(tr("Tulis nama Anda: nama ini tercatat pada setiap perubahan"))
            self.name.setFocus()
            return
        self.accept()


def ask(parent: QWidget | None, file: str, owner: str, roster: list[str], guess: Identity | None) -> Identity | None:
    """Ask who the user is in a database; None means open it read-only."""
    dialog = IdentityDialog(file, owner, roster, guess, parent)
    return dialog.identity() if dialog.exec() == QDialog.DialogCode.Accepted else None
