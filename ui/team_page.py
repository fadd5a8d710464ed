"""Progres tim: every unit of the period, each evaluator's progress on it, and whether it is ready for a
certificate, or why not, or the number of the certificate it got."""

from __future__ import annotations

from PySide6.QtGui import QColor, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.database import Database
from ui.period_box import PeriodBox
from workbench import Workbook
from workbench.certificates.service import REASONS, UnitStatus
from workbench.domain.values import STATUS_LABELS
from workbench.events import Changes
from workbench.i18n import decimal, tr

READY, NOT_READY = QColor("#1b7e3c"), QColor("#b23c17")


class TeamPage(QWidget):
    """One row per unit, read on the reader thread whenever the page is shown after a change."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.period_box = PeriodBox(db.reader)
        self.period_box.currentIndexChanged.connect(lambda _: self.reload())
        self.statuses: list[UnitStatus] = []
        self.table = QTableWidget(0, 7)
        self.table.setHorizontalHeaderLabels([tr("Kode"), tr("Unit"), tr("Evaluator (dinilai · status)"),
                                              tr("Konflik"), "IPP", tr("Kategori"), tr("Piagam")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setAccessibleName(tr("Progres tim"))
        self.only_waiting = QCheckBox(tr("Hanya unit yang belum siap"))
        self.only_waiting.toggled.connect(lambda _: self._fill())
        self.summary = QLabel()
        bar = QHBoxLayout()
        bar.addWidget(QLabel(tr("Periode")))
        bar.addWidget(self.period_box)
        bar.addWidget(self.summary, 1)
        bar.addWidget(self.only_waiting)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        self._dirty = True
        db.changed.connect(self._on_db_changed)

    @property
    def period(self) -> str:
        return self.period_box.period

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._dirty:
            self.reload()

    def _on_db_changed(self, changes: Changes, asking: object) -> None:
        if changes.period or changes.external:
            self.period_box.refresh()
        if changes.scores or changes.certificate or changes.results:
            self._dirty = True
            if self.isVisible():
                self.reload()

    def reload(self) -> None:
        """Read where every unit stands (on the reader thread), then show it."""
        self._dirty = False
        period = self.period

        def read(wb: Workbook, progress: object, cancel: object) -> list[UnitStatus]:
            return wb.certificates.readiness(period)

        self.db.read(read, parent=self, on_success=self._shown)

    def _shown(self, statuses: list[UnitStatus]) -> None:
        self.statuses = statuses
        self._fill()

    def _fill(self) -> None:
        shown = [s for s in self.statuses if not (self.only_waiting.isChecked() and (s.ready or s.certificate))]
        ready = sum(1 for s in self.statuses if s.ready)
        self.summary.setText(tr("{ready} dari {total} unit siap untuk piagam", ready=ready, total=len(self.statuses)))
        self.table.setRowCount(len(shown))
        for row, s in enumerate(shown):
            team = " · ".join(f"{e.unit} {e.scored}/{e.total} {tr(STATUS_LABELS[e.status])}" for e in s.evaluators)
            verdict = s.certificate or (tr("siap") if s.ready else "; ".join(tr(REASONS[r]) for r in s.reasons))
            cells = (s.unit, s.name, team or "–", str(s.conflicts or ""), decimal(s.ipp),
                     s.category or "–", verdict)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 6:
                    item.setForeground(READY if s.ready else NOT_READY)
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
