"""Open disagreements between evaluators, side by side, and recording the agreed score."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.i18n import tr
from workbench import WorkbenchError, Workbook
from workbench.conflicts import Conflict

SHOWN = 500


class ConflictsPage(QWidget):
    """One row per open conflict: each evaluator's score and notes; choose a score, give a reason."""

    resolved = Signal()

    def __init__(self, wb: Workbook, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.wb = wb
        self.conflicts: list[Conflict] = []
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels([tr("Unit"), tr("Indikator"), tr("Nilai per evaluator"), tr("Selisih"),
                                              tr("Catatan")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._on_table_selection_changed)
        self.score = QSpinBox()
        self.score.setRange(0, 5)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(tr("Alasan kesepakatan (wajib, masuk log audit)"))
        self.agree = QPushButton(tr("Sepakati nilai"))
        self.agree.clicked.connect(self.resolve_selected)
        self.message = QLabel()
        row = QHBoxLayout()
        row.addWidget(QLabel(tr("Nilai kesepakatan")))
        row.addWidget(self.score)
        row.addWidget(self.reason, 1)
        row.addWidget(self.agree)
        layout = QVBoxLayout(self)
        self.count = QLabel()
        header = QHBoxLayout()
        header.addWidget(QLabel(tr("Perbedaan nilai antar-evaluator yang belum disepakati:")), 1)
        header.addWidget(self.count)
        layout.addLayout(header)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(self.message)
        self.loaded = False  # filled when first shown: a large period can hold many conflicts

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if not self.loaded:
            self.reload()

    def reload(self) -> None:
        """Show the first SHOWN open conflicts (resolving some brings the next ones up)."""
        self.loaded = True
        self.conflicts = self.wb.conflicts(limit=SHOWN)
        total = self.wb.conflict_count() if len(self.conflicts) == SHOWN else len(self.conflicts)
        self.count.setText(tr("{shown} dari {total} konflik ditampilkan").format(shown=len(self.conflicts),
                                                                                total=total))
        self.table.setRowCount(len(self.conflicts))
        for r, c in enumerate(self.conflicts):
            cells = (c.unit, c.indicator, " · ".join(f"{e}: {s}" for e, s in c.scores.items()), str(c.spread),
                     " | ".join(f"{e}: {n}" for e, n in c.notes.items() if n))
            for column, value in enumerate(cells):
                self.table.setItem(r, column, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()
        self.agree.setEnabled(bool(self.conflicts))

    def _on_table_selection_changed(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.conflicts):
            scores = sorted(self.conflicts[row].scores.values())
            self.score.setValue(scores[len(scores) // 2])  # the median as a starting point

    def resolve_selected(self) -> None:
        row = self.table.currentRow()
        if not 0 <= row < len(self.conflicts):
            return
        conflict = self.conflicts[row]
        try:
            self.wb.set_consensus(unit=conflict.unit, indicator=conflict.indicator, score=self.score.value(),
                                  reason=self.reason.text())
        except WorkbenchError as exc:
            self.message.setText(str(exc))
            return
        self.message.setText(tr("{unit} {indicator} disepakati: {score}").format(
            unit=conflict.unit, indicator=conflict.indicator, score=self.score.value()))
        self.reason.clear()
        self.reload()
        self.resolved.emit()
