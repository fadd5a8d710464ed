"""Open disagreements between evaluators, side by side, and recording the agreed score; below them, an
evaluator's observation that arrived in two versions (two laptops, one kit), and deciding which score holds."""

from __future__ import annotations

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

from ui.database import Database
from workbench import Workbook
from workbench.conflicts import Conflict
from workbench.events import Changes
from workbench.i18n import tr
from workbench.observations import VersionConflict

SHOWN = 500


class ConflictsPage(QWidget):
    """One row per open conflict: each evaluator's score and notes; choose a score, give a reason."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.conflicts: list[Conflict | VersionConflict] = []
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
        self.reason.returnPressed.connect(self.resolve_selected)  # Enter agrees, as the button does
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
        self.agree.setEnabled(not db.read_only)
        self._dirty = True  # filled when shown: a large period can hold many conflicts
        self.db.changed.connect(self._on_db_changed)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._dirty:
            self.reload()

    def _on_db_changed(self, changes: Changes, asking: object) -> None:
        if changes.observation or changes.consensus or changes.setting or changes.unit or changes.period:
            self._dirty = True
            if self.isVisible():
                self.reload()

    def reload(self) -> None:
        """Show the first SHOWN open conflicts (resolving some brings the next ones up)."""
        self._dirty = False
        reader = self.db.reader
        opened = reader.conflicts.open(limit=SHOWN)
        total = reader.conflicts.count() if len(opened) == SHOWN else len(opened)
        versions = reader.observations.version_conflicts()
        self.conflicts = [*opened, *versions]
        self.count.setText(tr("{shown} dari {total} konflik ditampilkan", shown=len(self.conflicts),
                              total=total + len(versions)))
        self.table.setRowCount(len(self.conflicts))
        for r, c in enumerate(self.conflicts):
            if isinstance(c, VersionConflict):
                cells = (c.unit, c.indicator, tr("{evaluator}: {here} di sini · {theirs} di paket {package}",
                                                 evaluator=c.evaluator, here=c.here["score"],
                                                 theirs=c.incoming.get("score"), package=c.package),
                         str(abs((c.here["score"] or 0) - (c.incoming.get("score") or 0))),
                         tr("dua versi {version} dari satu evaluator (dua laptop dengan satu kit?): pilih nilainya",
                            version=c.version))
            else:
                cells = (c.unit, c.indicator, " · ".join(f"{e}: {s}" for e, s in c.scores.items()), str(c.spread),
                         " | ".join(f"{e}: {n}" for e, n in c.notes.items() if n))
            for column, value in enumerate(cells):
                self.table.setItem(r, column, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        enabled = bool(self.conflicts) and not self.db.read_only
        for control in (self.agree, self.score, self.reason):
            control.setEnabled(enabled)
        if self.conflicts and not 0 <= self.table.currentRow() < len(self.conflicts):
            self.table.selectRow(0)
        self._on_table_selection_changed()  # the row under the cursor may now be another conflict
        if not self.conflicts:
            self.message.setText(tr("Tidak ada konflik terbuka: nilai para evaluator tidak berselisih sejauh "
                                    "ambang konflik."))

    def _on_table_selection_changed(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.conflicts):
            chosen = self.conflicts[row]
            if isinstance(chosen, VersionConflict):
                self.score.setValue(int(chosen.incoming.get("score") or 0))  # the later arrival as a start
                return
            scores = sorted(chosen.scores.values())
            self.score.setValue(scores[len(scores) // 2])  # the median as a starting point

    def resolve_selected(self) -> None:
        """Record the chosen score for the selected conflict, with the reason typed (through the writer)."""
        row = self.table.currentRow()
        if not 0 <= row < len(self.conflicts):
            return
        conflict, score, reason = self.conflicts[row], self.score.value(), self.reason.text()
        if not reason.strip():
            self.message.setText(tr("Isi alasan kesepakatan dahulu (masuk log audit)"))
            self.reason.setFocus()
            return

        def agreed(_: object) -> None:
            self.message.setText(tr("{unit} {indicator} disepakati: {score}", unit=conflict.unit,
                                    indicator=conflict.indicator, score=score))
            self.reason.clear()

        def write(wb: Workbook, progress: object, cancel: object) -> None:
            if isinstance(conflict, VersionConflict):
                wb.observations.settle_version(unit=conflict.unit, indicator=conflict.indicator,
                                               evaluator=conflict.evaluator, score=score, reason=reason)
            else:
                wb.conflicts.resolve(unit=conflict.unit, indicator=conflict.indicator, score=score, reason=reason)

        self.db.write(write, parent=self, on_success=agreed, on_failure=lambda exc: self.message.setText(str(exc)))
