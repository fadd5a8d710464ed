"""Verifikasi: a token pasted, or a certificate PDF opened, checked against this database.

The check reads the whole audit chain and, for a PDF, renders its page: it runs on the reader thread, never on
the window's (see docs/ARCHITECTURE.md, "What runs on the GUI thread")."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from ui.database import Database
from workbench.certificates.verify import Verdict
from workbench.i18n import tr
from workbench.usecases.certificates import verify

VALID, INVALID = "#1b7e3c", "#c62828"


class CertificateCheck(QWidget):
    """The token field, Periksa and Buka PDF, and the verdict with what the token states."""

    checked = Signal(bool)  # the verdict of the last check: valid or not

    def __init__(self, db: Database, folder: Callable[[], Path], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.folder = db, folder
        self.valid: bool | None = None  # the last verdict, None before the first check
        self.token = QLineEdit()
        self.token.setPlaceholderText(tr("Tempel token PP2:… di sini, atau buka PDF piagam"))
        check = QPushButton(tr("Periksa"))
        check.clicked.connect(lambda: self.verify(self.token.text()))
        self.token.returnPressed.connect(check.click)  # Enter checks, as the button does
        open_pdf = QPushButton(tr("Buka PDF…"))
        open_pdf.clicked.connect(self._on_open_pdf_clicked)
        self.verdict = QLabel()
        self.verdict.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.token, 1)
        row.addWidget(check)
        row.addWidget(open_pdf)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.verdict)
        layout.addStretch()

    def verify(self, target: str) -> None:
        """Check a token, or a certificate PDF with its printed text, on the reader thread; the verdict is shown
        and `checked` says whether it is valid."""
        self.verdict.setText(tr("Memeriksa…"))
        self.db.read(lambda wb, progress, cancel: verify(target, wb=wb), parent=self, on_success=self._show,
                     on_failure=self._failed)

    def verify_pdf(self, path: str | Path) -> None:
        self.token.setText(str(path))
        self.verify(str(path))

    def _show(self, verdict: Verdict) -> None:
        facts = "".join(f"<tr><td>{escape(label)}</td><td><b>{escape(value)}</b></td></tr>"
                        for label, value in verdict.facts())
        if facts:
            facts = f"<p>{escape(tr('Token menyatakan (bandingkan dengan kertasnya):'))}</p><table>{facts}</table>"
        colour = VALID if verdict.valid else INVALID
        self.verdict.setText(f"<p><b style='color:{colour}'>{escape(verdict.message)}</b></p>{facts}")
        self.valid = verdict.valid
        self.checked.emit(verdict.valid)

    def _failed(self, exc: BaseException) -> None:
        self.verdict.setText(str(exc))
        self.valid = False
        self.checked.emit(False)

    def _on_open_pdf_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("Buka PDF piagam"), str(self.folder()), "PDF (*.pdf)")
        if path:
            self.verify_pdf(path)
