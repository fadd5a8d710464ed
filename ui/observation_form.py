"""The right-hand panel of the entry screen: rubric levels, claim, notes, method, date and evidence."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QAction, QFocusEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ui.file_drop_list import FileDropList
from ui.labels import buddy
from workbench.domain import values
from workbench.domain.instrument import Indicator
from workbench.domain.values import METHODS, STATUS_LABELS
from workbench.evidence import Evidence
from workbench.i18n import file_size, tr
from workbench.observations import Observation

ShaRole = Qt.ItemDataRole.UserRole + 1
LevelTextRole = Qt.ItemDataRole.UserRole + 2  # a rubric level's own text, without the ✓ mark


class CommitTextEdit(QPlainTextEdit):
    """A text field that reports its text when it loses focus, if it changed since it was shown."""

    committed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._shown = ""
        self.setTabChangesFocus(True)

    def show_text(self, text: str) -> None:
        self._shown = text
        self.setPlainText(text)

    def commit(self) -> None:
        if self.toPlainText() != self._shown:
            self._shown = self.toPlainText()
            self.committed.emit(self._shown)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.commit()
        super().focusOutEvent(event)


class DateField(QLineEdit):
    """A date typed as Indonesians write it (28/11/2026, 28-11-2026, 28112026, 28 Nov 2026, 8 Maret 2022),
    or today with Ctrl+; as in a spreadsheet. Reports the ISO date, or None when emptied, when left."""

    committed = Signal(object)  # str | None
    refused = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._shown: str | None = None
        self.setPlaceholderText(tr("hh-bb-tttt, mis. 28-11-2026"))
        self.setToolTip(tr("Ketik tanggal (28/11/2026, 28 Nov 2026); Ctrl+; untuk hari ini"))
        self.editingFinished.connect(self.commit)
        today = QAction(self)
        today.setShortcut(QKeySequence("Ctrl+;"))
        today.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        today.triggered.connect(self.set_today)
        self.addAction(today)

    def show_date(self, iso: str | None) -> None:
        self._shown = iso
        self.setText(date.fromisoformat(iso).strftime("%d-%m-%Y") if iso else "")
        self.setStyleSheet("")

    def set_today(self) -> None:
        self.setText(date.today().strftime("%d-%m-%Y"))
        self.commit()

    def commit(self) -> None:
        try:
            iso = values.observed_date(self.text())
        except ValueError as exc:
            self.setStyleSheet("border: 1px solid #c62828;")
            self.refused.emit(str(exc))
            return
        self.setStyleSheet("")
        if iso is not None:
            self.setText(date.fromisoformat(iso).strftime("%d-%m-%Y"))
        if iso != self._shown:
            self._shown = iso
            self.committed.emit(iso)


class ObservationForm(QWidget):
    """Shows one observation and reports each edit; it never writes to the database itself."""

    score_chosen = Signal(object)  # int | None
    field_edited = Signal(str, object)  # field name, value
    evidence_added = Signal(list)  # paths
    evidence_opened = Signal(str)  # sha256
    evidence_removed = Signal(str)  # sha256

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loading = False
        self.folder: Callable[[], str] = lambda: str(Path.home())  # where file dialogs open (the window's)
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.title.setFont(font)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: palette(placeholder-text);")
        self.status = QLabel()

        self.rubric = QListWidget()
        self.rubric.setWordWrap(True)
        # six levels of one line show without scrolling; longer rubrics take the room left (1366×698 fits all)
        self.rubric.setMinimumHeight(self.rubric.fontMetrics().lineSpacing() * 7)
        self.rubric.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Ignored)
        self.rubric.setAccessibleName(tr("Tingkat rubrik"))
        self.rubric.itemActivated.connect(self._on_rubric_activated)
        self.rubric.itemClicked.connect(self._on_rubric_activated)

        self.claim = QComboBox()
        self.claim.addItem("–", None)
        for level in range(6):
            self.claim.addItem(str(level), level)
        self.claim.activated.connect(lambda _: self._edited("claim", self.claim.currentData()))
        self.method = QComboBox()
        self.method.addItem("–", None)
        for method, label in zip(METHODS, (tr("Desk (dokumen)"), tr("Lapangan"), tr("Wawancara")), strict=True):
            self.method.addItem(label, method)
        self.method.activated.connect(lambda _: self._edited("method", self.method.currentData()))
        self.date = DateField()
        self.date.committed.connect(lambda iso: self._edited("observed_on", iso))
        self.notes = CommitTextEdit()
        self.notes.setPlaceholderText(tr("Catatan pengamatan lapangan"))
        self.notes.committed.connect(lambda text: self._edited("notes", text))
        self.recommendation = CommitTextEdit()
        self.recommendation.setPlaceholderText(tr("Rekomendasi perbaikan"))
        self.recommendation.committed.connect(lambda text: self._edited("recommendation", text))
        for box in (self.notes, self.recommendation):
            box.setMaximumHeight(70)

        self.evidence = FileDropList()
        self.evidence.setMaximumHeight(70)
        self.evidence.files_dropped.connect(self.evidence_added.emit)
        self.evidence.itemActivated.connect(lambda item: self.evidence_opened.emit(item.data(ShaRole)))
        add = QPushButton(tr("Tambah…"))
        add.clicked.connect(self._on_add_clicked)
        open_ = QPushButton(tr("Buka"))
        open_.clicked.connect(lambda: self._with_selected_evidence(self.evidence_opened.emit))
        remove = QPushButton(tr("Hapus"))
        remove.clicked.connect(lambda: self._with_selected_evidence(self.evidence_removed.emit))
        buttons = QVBoxLayout()  # beside the list, so that the whole form fits a laptop's screen
        for button in (add, open_, remove):
            buttons.addWidget(button)
        buttons.addStretch()
        evidence = QHBoxLayout()
        evidence.addWidget(self.evidence, 1)
        evidence.addLayout(buttons)
        # Alt+letter reaches each field (the label's buddy); the letters are not those of the menus
        labels = {self.claim: tr("&Klaim unit (F-01)"), self.method: tr("&Metode"), self.date: tr("Tan&ggal"),
                  self.notes: tr("&Catatan"), self.recommendation: tr("&Rekomendasi"),
                  self.evidence: tr("Bukt&i dukung")}
        for widget, label in labels.items():
            key = f"Alt+{label[label.index('&') + 1].upper()}"
            widget.setToolTip(f"{widget.toolTip()} ({key})" if widget.toolTip() else key)
        claim = QHBoxLayout()  # the claim and the method share a row
        claim.addWidget(self.claim)
        claim.addSpacing(12)
        claim.addWidget(buddy(labels[self.method], self.method))
        claim.addWidget(self.method, 1)
        fields = QFormLayout()
        for widget, row in ((self.claim, claim), (self.date, self.date), (self.notes, self.notes),
                            (self.recommendation, self.recommendation), (self.evidence, evidence)):
            fields.addRow(buddy(labels[widget], widget), row)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.hint)
        layout.addWidget(QLabel(tr("Pilih tingkat (tombol 0-5, atau panah lalu Enter); ✓ nilai tersimpan:")))
        layout.addWidget(self.rubric, 1)
        layout.addWidget(self.status)
        layout.addLayout(fields)
        self.setEnabled(False)
        self.tab_order = [self.rubric, self.claim, self.method, self.date, self.notes, self.recommendation,
                          self.evidence, add, open_, remove]
        for before, after in zip(self.tab_order, self.tab_order[1:], strict=False):
            QWidget.setTabOrder(before, after)


    # --- showing ---------------------------------------------------------------------------

    def show_observation(self, indicator: Indicator, obs: Observation | None, evidence: list[dict]) -> None:
        """Fill the form without emitting any edit."""
        self._loading = True
        try:
            self.setEnabled(True)
            self.title.setText(f"{indicator.code} · {indicator.text}")
            self.hint.setText(tr("Bukti dukung:") + " " + indicator.evidence if indicator.evidence else "")
            self.rubric.clear()
            for level, text in enumerate(indicator.levels):
                item = QListWidgetItem()
                item.setData(Qt.ItemDataRole.UserRole, level)
                item.setData(LevelTextRole, f"{level}   {text}")
                self.rubric.addItem(item)
            self.show_score(obs.score if obs else None)
            self.claim.setCurrentIndex(0 if not obs or obs.claim is None else obs.claim + 1)
            self.method.setCurrentIndex(self.method.findData(obs.method if obs else None))
            self.date.show_date(obs.observed_on if obs else None)
            self.notes.show_text(obs.notes if obs else "")
            self.recommendation.show_text(obs.recommendation if obs else "")
            self.show_status(obs)
            self.show_evidence(evidence)
        finally:
            self._loading = False

    def show_status(self, obs: Observation | None) -> None:
                self.status.setText(tr("Status:") + " " + tr(STATUS_LABELS[obs.status if obs else "draft"])
                            + (f" · v{obs.version}" if obs else ""))

    def show_score(self, score: int | None) -> None:
        """Mark the stored level (✓) and put the cursor on it: arrows move the cursor, not the score."""
        loading, self._loading = self._loading, True
        for row in range(self.rubric.count()):
            item = self.rubric.item(row)
            item.setText(("✓ " if row == score else "    ") + str(item.data(LevelTextRole)))
        self.rubric.setCurrentRow(-1 if score is None else score)
        self._loading = loading

    def show_evidence(self, evidence: list[dict]) -> None:
        self.evidence.clear()
        for entry in evidence:
            item = QListWidgetItem(f"{entry['original_name']}  ({file_size(entry['size'])})")
            item.setData(ShaRole, entry["sha256"])
            self.evidence.addItem(item)

    def commit_pending(self) -> None:
        """Report text fields edited but not yet left (before switching indicator or closing)."""
        self.notes.commit()
        self.recommendation.commit()
        if self.date.hasFocus():
            self.date.commit()

    # --- edits -----------------------------------------------------------------------------

    def _edited(self, field: str, value: object) -> None:
        if not self._loading:
            self.field_edited.emit(field, value)

    def _on_rubric_activated(self, item: QListWidgetItem) -> None:
        if not self._loading:
            self.score_chosen.emit(item.data(Qt.ItemDataRole.UserRole))

    def _on_add_clicked(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, tr("Tambah bukti dukung"), self.folder())
        if paths:
            self.evidence_added.emit(paths)

    def _with_selected_evidence(self, action: Callable[[str], object]) -> None:
        item = self.evidence.currentItem()
        if item is not None:
            action(item.data(ShaRole))


def open_file(path: Path) -> None:
    """Open a file with the system's viewer."""
    from PySide6.QtGui import QDesktopServices

    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


_viewing: tempfile.TemporaryDirectory[str] | None = None


def open_evidence(evidence: Evidence, sha256: str) -> None:
    """Open an evidence file with the system's viewer; an encrypted workbook's file is decrypted into a folder
    of this session that is removed when the app closes (the viewer needs a plain file)."""
    global _viewing
    if _viewing is None:
        _viewing = tempfile.TemporaryDirectory(prefix="workbench-lihat-")
    open_file(evidence.viewable(sha256, Path(_viewing.name)))
