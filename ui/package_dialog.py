"""Berkas → Kirim paket: an evaluator's work (or the team's) as one package file for the team lead."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from ui.database import Database
from workbench import Workbook
from workbench.domain.passphrase import check_passphrase
from workbench.errors import WorkbenchError
from workbench.exchange.package import SUFFIX
from workbench.exchange.packages import Exported, package_name
from workbench.i18n import tr


class PackageDialog(QDialog):
    """Whose work goes into the package, and whether it is sealed with a passphrase."""

    sent = Signal(str)  # what was written, for the status bar

    def __init__(self, db: Database, period: str, evaluator: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.period = db, period
        self.setWindowTitle(tr("Kirim paket"))
        self.evaluator = QComboBox()
        kit = db.reader.team.kit()
        for name in [kit.evaluator] if kit else db.reader.registry.evaluators():  # one evaluator's work each
            self.evaluator.addItem(name, name)
        self.evaluator.setCurrentIndex(max(0, self.evaluator.findData(evaluator)))
        self.evaluator.setEnabled(kit is None)
        self.encrypt = QCheckBox(tr("Enkripsi dengan kata sandi (untuk flashdisk atau surel)"))
        self.passphrase, self.repeat = QLineEdit(), QLineEdit()
        for field in (self.passphrase, self.repeat):
            field.setEchoMode(QLineEdit.EchoMode.Password)
            field.setEnabled(False)
            self.encrypt.toggled.connect(field.setEnabled)
        self.message = QLabel()
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.send)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(QLabel(tr("Paket berisi nilai, catatan, status, riwayat dan berkas bukti dukung satu evaluator, "
                              "bernomor urut dan ditandatangani kunci laptop ini, untuk digabungkan ketua tim "
                              "(Berkas → Impor).") + ("\n" + tr("Kunci dari kit nomor {number} untuk {evaluator}.",
                                                              number=kit.sequence, evaluator=kit.evaluator)
                                                     if kit else "")))
        form.addRow(tr("Evaluator"), self.evaluator)
        form.addRow("", self.encrypt)
        form.addRow(tr("Kata sandi"), self.passphrase)
        form.addRow(tr("Ulangi kata sandi"), self.repeat)
        form.addRow(self.message)
        form.addRow(buttons)

    def passphrase_given(self) -> str | None:
        """The passphrase, or None without encryption; says what is wrong and returns "" when it cannot be used."""
        if not self.encrypt.isChecked():
            return None
        try:
            check_passphrase(self.passphrase.text())
        except WorkbenchError as exc:
            self.message.setText(str(exc))
            return ""
        if self.passphrase.text() != self.repeat.text():
            self.message.setText(tr("Kedua kata sandi tidak sama"))
            return ""
        return self.passphrase.text()

    def send(self, target: str | None = None) -> None:
        """Ask where to write (unless `target` is given), then write the package (numbered: a write)."""
        passphrase = self.passphrase_given()
        if passphrase == "":
            return
        evaluator, period = self.evaluator.currentData(), self.period
        if target is None:
            suggestion = str(self.db.path.parent / package_name(evaluator, period))
            kind = tr("Paket evaluasi")
            target, _ = QFileDialog.getSaveFileName(self, tr("Simpan paket"), suggestion, f"{kind} (*{SUFFIX})")
            if not target:
                return
        out = Path(target)

        def write(wb: Workbook, progress: object, cancel: object) -> Exported:
            return wb.packages.export(out, evaluator=evaluator, period=period, passphrase=passphrase)

        self.db.write(write, parent=self, label=tr("Menulis paket…"), on_success=self._sent,
                     on_failure=lambda exc: self.message.setText(str(exc)))

    def _sent(self, done: Exported) -> None:
        sealed = tr(", terenkripsi") if self.encrypt.isChecked() else ""
        self.sent.emit(tr("{file}: paket nomor {number} dari {evaluator}: {observations} observasi, {units} unit, "
                          "{evidence} berkas bukti{sealed}", file=done.path.name, number=done.sequence,
                          evaluator=done.evaluator, observations=done.observations, units=done.units,
                          evidence=done.evidence, sealed=sealed))
        self.accept()
