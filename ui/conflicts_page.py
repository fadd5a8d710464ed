"""Open disagreements between evaluators, side by side, and recording the agreed score; below them, an
evaluator's observation that arrived in two versions (two laptops, one kit), and deciding which score holds."""

from __future__ import annotations

from collections import defaultdict
from html import escape
from typing import cast

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ui.database import Database
from ui.labels import buddy
from workbench import Workbook
from workbench.conflicts import Conflict, Which
from workbench.domain.instrument import Instrument
from workbench.events import Changes
from workbench.i18n import N_, tr
from workbench.observations import VersionConflict

SHOWN = 500
# what the list shows: the key Conflicts.listed takes, and the label
FILTERS = (("open", N_("Belum disepakati")), ("settled", N_("Sudah disepakati")), ("all", N_("Semua")))


class ConflictsPage(QWidget):
    """One row per conflict (open ones first of all): each evaluator's score and notes, the agreed score once
    there is one; beside the list, the indicator's text and rubric levels with who gave which; below it,
    choose a score and give a reason."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.conflicts: list[Conflict | VersionConflict] = []
        self.instrument: Instrument | None = None
        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels([tr("Unit"), tr("Indikator"), tr("Nilai per evaluator"), tr("Selisih"),
                                              tr("Kesepakatan"), tr("Catatan")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._on_table_selection_changed)
        self.detail = QTextBrowser()
        self.detail.setOpenLinks(False)
        self.splitter = QSplitter()
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.filter = QComboBox()
        for key, label in FILTERS:
            self.filter.addItem(tr(label), key)
        self.filter.currentIndexChanged.connect(lambda _: self.reload())
        self.score = QSpinBox()
        self.score.setRange(0, 5)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(tr("Alasan kesepakatan (wajib, masuk log audit)"))
        self.reason.returnPressed.connect(self.resolve_selected)  # Enter agrees, as the button does
        self.agree = QPushButton(tr("Sepakat&i nilai"))
        self.agree.clicked.connect(self.resolve_selected)
        self.message = QLabel()
        self.message.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(buddy(tr("Nilai &kesepakatan"), self.score))
        row.addWidget(self.score)
        row.addWidget(buddy(tr("A&lasan"), self.reason))
        row.addWidget(self.reason, 1)
        row.addWidget(self.agree)
        layout = QVBoxLayout(self)
        self.count = QLabel()
        header = QHBoxLayout()
        header.addWidget(QLabel(tr("Perbedaan nilai antar-evaluator")), 1)
        header.addWidget(buddy(tr("Ta&mpilkan"), self.filter))
        header.addWidget(self.filter)
        header.addWidget(self.count)
        layout.addLayout(header)
        layout.addWidget(self.splitter, 1)
        layout.addLayout(row)
        layout.addWidget(self.message)
        self.agree.setEnabled(not db.read_only)
        self._dirty = True  # filled when shown: a large period can hold many conflicts
        self.db.changed.connect(self._on_db_changed)

    @property
    def which(self) -> Which:
        """The conflicts listed: "open", "settled" or "all"."""
        return cast(Which, self.filter.currentData())

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._dirty:
            self.reload()

    def _on_db_changed(self, changes: Changes, asking: object) -> None:
        if changes.observation or changes.consensus or changes.setting or changes.unit or changes.period:
            self._dirty = True
            if self.isVisible():
                self.reload()

    def reload(self) -> None:
        """Show the first SHOWN conflicts of the filter chosen (resolving some brings the next open ones up)."""
        self._dirty = False
        reader, which = self.db.reader, self.which
        self.instrument = reader.registry.scored_instrument(reader.registry.period())
        listed = reader.conflicts.listed(which=which, limit=SHOWN)
        total = reader.conflicts.count(which=which) if len(listed) == SHOWN else len(listed)
        versions = reader.observations.version_conflicts() if which != "settled" else []
        self.conflicts = [*listed, *versions]
        self.count.setText(tr("{shown} dari {total} konflik ditampilkan", shown=len(self.conflicts),
                              total=total + len(versions)))
        self.table.setRowCount(len(self.conflicts))
        for r, c in enumerate(self.conflicts):
            if isinstance(c, VersionConflict):
                cells = (c.unit, c.indicator, tr("{evaluator}: {here} di sini · {theirs} di paket {package}",
                                                 evaluator=c.evaluator, here=c.here["score"],
                                                 theirs=c.incoming.get("score"), package=c.package),
                         str(abs((c.here["score"] or 0) - (c.incoming.get("score") or 0))), "",
                         tr("dua versi {version} dari satu evaluator (dua laptop dengan satu kit?): pilih nilainya",
                            version=c.version))
            else:
                cells = (c.unit, c.indicator, " · ".join(f"{e}: {s}" for e, s in c.scores.items()), str(c.spread),
                         tr("{score} oleh {who}", score=c.agreed.score, who=c.agreed.decided_by) if c.agreed else "",
                         " | ".join(f"{e}: {n}" for e, n in c.notes.items() if n))
            for column, value in enumerate(cells):
                self.table.setItem(r, column, QTableWidgetItem(value))
        self.table.setColumnHidden(4, which == "open")  # Kesepakatan: empty while nothing is agreed
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
                                    "ambang konflik.") if which == "open" else tr("Tidak ada konflik di sini."))

    def _on_table_selection_changed(self) -> None:
        row = self.table.currentRow()
        if not 0 <= row < len(self.conflicts):
            self.detail.clear()
            return
        chosen = self.conflicts[row]
        self.detail.setHtml(self._describe(chosen))
        if isinstance(chosen, VersionConflict):
            self.score.setValue(int(chosen.incoming.get("score") or 0))  # the later arrival as a start
        elif chosen.agreed:
            self.score.setValue(chosen.agreed.score)  # changing an agreement starts from it
        else:
            scores = sorted(chosen.scores.values())
            self.score.setValue(scores[len(scores) // 2])  # the median as a starting point

    def _describe(self, conflict: Conflict | VersionConflict) -> str:
        """The indicator's text and its rubric levels, each with the evaluators who gave it; then their notes
        and the agreement (HTML for the panel beside the list)."""
        if isinstance(conflict, VersionConflict):
            given: dict[str, list[str]] = defaultdict(list)
            given[str(conflict.here.get("score"))].append(tr("{evaluator} (di sini)", evaluator=conflict.evaluator))
            given[str(conflict.incoming.get("score"))].append(
                tr("{evaluator} (paket)", evaluator=conflict.evaluator))
            notes = {tr("di sini"): conflict.here.get("notes") or "", tr("paket"): conflict.incoming.get("notes") or ""}
        else:
            given = defaultdict(list)
            for evaluator, score in conflict.scores.items():
                given[str(score)].append(evaluator)
            notes = conflict.notes
        assert self.instrument is not None
        try:
            indicator = self.instrument.indicator(conflict.indicator)
        except KeyError:
            return f"<p><b>{escape(conflict.unit)} · {escape(conflict.indicator)}</b></p>"
        levels = escape(tr("Tingkat rubrik, dan siapa memberi nilai itu:"))
        parts = [f"<p><b>{escape(conflict.unit)} · {escape(indicator.code)}</b> {escape(indicator.text)}</p>",
                 f"<p>{levels}</p><table cellpadding='3'>"]
        for level, text in enumerate(indicator.levels, start=self.instrument.scale_min):
            who = ", ".join(given.get(str(level), []))
            agreed = (isinstance(conflict, Conflict) and conflict.agreed is not None
                      and conflict.agreed.score == level)
            mark = " ".join(p for p in (who, tr("✓ disepakati") if agreed else "") if p)
            style = " style='background:#fff3c4'" if mark else ""
            parts.append(f"<tr{style}><td valign='top'><b>{level}</b></td><td valign='top'>{escape(text)}</td>"
                         f"<td valign='top'><b>{escape(mark)}</b></td></tr>")
        parts.append("</table>")
        written = [(who, note) for who, note in notes.items() if note]
        if written:
            title = escape(tr("Catatan"))
            parts.append(f"<p><b>{title}</b></p><ul>")
            parts += [f"<li><b>{escape(who)}</b>: {escape(note)}</li>" for who, note in written]
            parts.append("</ul>")
        if isinstance(conflict, Conflict) and conflict.agreed:
            a = conflict.agreed
            parts.append("<p>" + escape(tr("Disepakati {score} oleh {who} pada {when} UTC: {reason}",
                                           score=a.score, who=a.decided_by, when=a.decided_at[:16].replace("T", " "),
                                           reason=a.reason)) + "</p>")
        return "".join(parts)

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
