"""The team lead's screen: every unit's IPP, category and rank, and one unit's breakdown.

Results come from the workbook's cache. When a change makes them stale, the screen recomputes them on
the reader thread (from a read snapshot, so no write waits) and the writer stores them in a short
transaction; the table reloads when it hears that the results changed. No button is needed.
"""

from __future__ import annotations

from collections import defaultdict

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.aspect_chart import AspectChart
from ui.database import Database
from ui.labels import buddy
from ui.period_box import PeriodBox
from ui.results_model import ResultsTableModel
from workbench import Workbook
from workbench.domain.instrument import Instrument
from workbench.events import Changes
from workbench.i18n import decimal, pick, tr
from workbench.observations import Finalized
from workbench.results import Computed, UnitScore


class ResultsPage(QWidget):
    """Results table (sorted and filtered in SQLite) above a unit detail with a chart."""

    recomputed = Signal()  # the table shows freshly stored results

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.period_box = PeriodBox(db.reader)
        self.period_box.currentIndexChanged.connect(lambda _: self.show_period())
        self.search = QLineEdit()
        self.search.setPlaceholderText(tr("Cari kode, unit atau instansi…"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _: self._apply_filter())
        self.category = QComboBox()
        self.category.addItem(tr("Semua kategori"), None)
        self.category.currentIndexChanged.connect(lambda _: self._apply_filter())
        self.count = QLabel()
        self.state = QLabel()  # "menghitung ulang…" while results are being recomputed, and what a button did
        self.state.setWordWrap(True)  # on a line of its own below the bar, as wide as the window; always there,
        self.state.setMinimumHeight(self.state.fontMetrics().height())  # so that the table does not jump
        self._said = ""
        self.finalize_button = QPushButton(tr("&Finalkan terpilih"))
        self.finalize_button.setToolTip(tr("Tandai final semua penilaian yang lengkap dari unit yang dipilih "
                                           "(Ctrl+klik untuk memilih beberapa)"))
        self.finalize_button.clicked.connect(self.finalize_selected)
        self.finalize_button.setEnabled(not db.read_only)
        recompute = QPushButton(tr("Hitung ul&ang"))
        recompute.setToolTip(tr("Hasil dihitung ulang sendiri setelah setiap perubahan; tombol ini untuk perbaikan."))
        recompute.clicked.connect(lambda: self.recompute(force=True))
        bar = QHBoxLayout()
        bar.addWidget(buddy(tr("Pe&riode"), self.period_box))
        bar.addWidget(self.period_box)
        bar.addWidget(buddy(tr("&Cari"), self.search))
        bar.addWidget(self.search, 2)
        bar.addWidget(buddy(tr("&Kategori"), self.category))
        bar.addWidget(self.category)
        bar.addWidget(self.count)
        bar.addStretch()
        bar.addWidget(self.finalize_button)
        bar.addWidget(recompute)

        self.table = QTableView()
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.setAccessibleName(tr("Tabel hasil"))
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.chart = AspectChart()
        self.detail = QTreeWidget()
        self.detail.setHeaderLabels([tr("Indikator"), tr("Nilai per evaluator"), tr("Konsensus"), tr("Catatan")])
        self.detail.setRootIsDecorated(True)
        lower = QSplitter()
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.title)
        left_layout.addWidget(self.chart, 1)
        lower.addWidget(left)
        lower.addWidget(self.detail)
        lower.setSizes([420, 780])
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(lower)
        self.splitter.setSizes([430, 300])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.state)
        layout.addWidget(self.splitter, 1)
        self.model: ResultsTableModel | None = None
        self._computing = False
        self._again = False  # a repair was asked for while computing: compute once more afterwards
        self._dirty = False  # the table may show old rows: reload when shown
        self.shown: str | None = None  # the unit in the detail panel
        self.db.changed.connect(self._on_db_changed)
        self.show_period()

    @property
    def period(self) -> str:
        return self.period_box.period

    @property
    def instrument(self) -> Instrument:
        return self.db.reader.registry.scored_instrument(self.db.reader.registry.period(self.period))

    def show_period(self) -> None:
        """Show the chosen period's cached results; recompute in the background when they are stale."""
        self.category.blockSignals(True)
        self.category.clear()
        self.category.addItem(tr("Semua kategori"), None)
        for band in self.instrument.bands:
            self.category.addItem(f"{band.code} · {pick(band.label, band.label_en)}", band.code)
        self.category.blockSignals(False)
        self.model = ResultsTableModel(self.db.reader, self.period)
        self.table.setModel(self.model)
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_changed)
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # the unit's name takes what the other columns leave: on a 1366-pixel laptop nothing scrolls sideways
        for column, width in enumerate([84, 110, 0, 190, 52, 70, 120] + [44] * len(self.model.aspects) + [70, 56, 64]):
            self.table.setColumnWidth(column, width)
        header.setSectionResizeMode(self.model.columns.index("name"), QHeaderView.ResizeMode.Stretch)
        self._show_count()
        self.show_unit(None)
        if self.isVisible():
            self._recompute_if_stale()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._dirty:
            self._reload()
        self._recompute_if_stale()

    # --- keeping the results current -------------------------------------------------------

    def _on_db_changed(self, changes: Changes, asking: object) -> None:
        if changes.period or changes.external:
            self.period_box.refresh()
        if changes.results or changes.external:  # every write recomputes the units it touches
            self._dirty = True
            if self.isVisible():
                self._reload()
        touched = not changes.units or self.shown in changes.units  # no units named: any unit
        if self.shown is not None and (changes.external or touched and (changes.results or changes.observation
                                                                         or changes.consensus)):
            self._show_again()

    def select_unit(self, code: str) -> None:
        """Select a unit's row when the table holds it, and show the unit in the detail panel."""
        row = None
        if self.model is not None and self.model.rowCount():
            self.model.row(0)  # the first page at least (one query): where a unit just shown usually is
            row = self.model.fetched_row_of(code)
        if row is not None:
            self.select_row(row)
        else:
            self.shown = code
            self._show_again()

    def _show_again(self) -> None:
        """The unit in the detail panel as it is now (its scores, agreed scores and result may have changed)."""
        self.show_unit(self.db.reader.results.unit_result(self.shown, self.period) if self.shown else None)

    def _recompute_if_stale(self) -> None:
        if self.db.closed:  # a timer of a window that is closing
            return
        if not self.db.read_only and not self.db.reader.results.is_fresh(self.period):
            self.recompute()

    def recompute(self, *, force: bool = False) -> None:
        """Compute the period's results in full on the reader thread, then store them with one short write:
        on first opening a database made by an earlier version, or as a repair (F5)."""
        if self.db.read_only:
            return
        if self._computing:
            self._again = True
            return
        self._computing, self._again = True, False
        self.tell(tr("menghitung ulang…"), busy=True)
        period = self.period

        def compute(wb: Workbook, progress: object, cancel: object) -> Computed | None:
            if not force and wb.results.is_fresh(period):
                return None
            return wb.results.compute(period)

        def computed(result: Computed | None) -> None:
            if result is None:
                self._done()
                return
            done = tr("Hasil {count} unit dihitung ulang dari nilai", count=len(result.results))
            self.db.write(lambda wb, progress, cancel: wb.results.cache(result), parent=self,
                          on_success=lambda _: self._done(message=done), on_failure=lambda exc: self._done(str(exc)))

        self.db.read(compute, parent=self, on_success=computed, on_failure=lambda exc: self._done(str(exc)))

    def _done(self, error: str = "", *, message: str = "") -> None:
        self._computing = False
        if error or message:
            self.tell(error or message)
        else:  # what a button said before stays
            self.state.setText(self._said)
        if self._again:
            self._recompute_if_stale()
        else:
            self.recomputed.emit()

    def _reload(self) -> None:
        self._dirty = False
        if self.model is not None:
            self.model.reload()
            self._show_count()

    def _apply_filter(self) -> None:
        if self.model is not None:
            self.model.set_filter(search=self.search.text(), category=self.category.currentData())
            self._show_count()

    def _show_count(self) -> None:
        if self.model is not None:
            self.count.setText(tr("{n} unit", n=self.model.rowCount()))

    # --- one unit ----------------------------------------------------------------------------

    def _on_table_current_changed(self, current: QModelIndex, _: QModelIndex) -> None:
        # the row with the cursor, whatever else is selected beside it (Ctrl+A, Shift+click)
        self.show_unit(self.model.row(current.row()) if current.isValid() and self.model else None)

    def selected_units(self) -> list[str]:
        """Codes of the units selected in the table, in table order."""
        if self.model is None:
            return []
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.row(r).unit for r in rows]

    def finalize_selected(self) -> None:
        """Mark final every complete scoring of the selected units (all evaluators), through the writer."""
        units, period = self.selected_units(), self.period
        if not units:
            self.tell(tr("Pilih unit di tabel lebih dahulu"))
            return
        self.db.write(lambda wb, progress, cancel: wb.observations.finalize(period=period, units=units), parent=self,
                      on_success=self._finalized, on_failure=lambda exc: self.tell(str(exc)),
                      label=tr("Memfinalkan…"))

    def _finalized(self, done: Finalized) -> None:
        unfinished = ", ".join(f"{unit} / {evaluator}" for unit, evaluator in list(done.refused)[:6])
        if done.observations:
            text = tr("{count} observasi final ({pairs} unit × evaluator); {refused} belum lengkap",
                      count=done.observations, pairs=done.pairs, refused=len(done.refused))
            text += f": {unfinished}" if done.refused else ""
        elif done.refused:
            text = tr("Belum ada yang dapat difinalkan: {refused} penilaian belum lengkap: {which}",
                      refused=len(done.refused), which=unfinished)
        elif done.pairs:
            text = tr("Tidak ada yang perlu difinalkan: penilaian unit terpilih sudah final.")
        else:
            text = tr("Tidak ada yang difinalkan: unit terpilih belum dinilai.")
        self.tell(text)

    def tell(self, text: str, *, busy: bool = False) -> None:
        """Say on the line below the bar what a button did, or (`busy`) what is going on meanwhile."""
        if not busy:
            self._said = text
        self.state.setText(text)

    def select_row(self, row: int) -> None:
        assert self.model is not None
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0), QAbstractItemView.ScrollHint.EnsureVisible)

    def show_unit(self, result: UnitScore | None) -> None:
        """Fill the detail: the aspect chart and every indicator with scores and notes."""
        self.detail.clear()
        self.shown = result.unit if result is not None else None
        if result is None:
            self.title.setText("")
            self.chart.set_bars([])
            return
        code = result.unit
        ipp = decimal(result.ipp)
        category = f"{result.category} · {pick(result.label or '', result.label_en or '')}" if result.category else "–"
        rank = tr("peringkat {rank}", rank=result.rank or "–")
        self.title.setText(f"<b>{result.unit} · {result.name}</b><br>{result.institution}<br>"
                           f"IPP {ipp} · {category} · {rank}")
        inst = self.instrument
        within = self.db.reader.results.aspect_scores(code, self.period)  # as the export and the PDF report them
        self.chart.set_bars([(f"{a.code} {pick(a.name, a.name_en)}", within.get(a.code, 0.0))
                             for a in inst.aspects if a.weight > 0])
        scores: dict[str, list[str]] = defaultdict(list)
        notes: dict[str, list[str]] = defaultdict(list)
        for obs in self.db.reader.observations.find(period=self.period, unit=code):
            if obs.score is not None:
                scores[obs.indicator].append(f"{obs.evaluator}: {obs.score}")
            if obs.notes:
                notes[obs.indicator].append(f"{obs.evaluator}: {obs.notes}")
        agreed = self.db.reader.conflicts.agreed(self.period, unit=code)
        for aspect in inst.aspects:
            parent = QTreeWidgetItem(self.detail, [f"{aspect.code} · {pick(aspect.name, aspect.name_en)}"])
            parent.setExpanded(True)
            for ind in aspect.indicators:
                QTreeWidgetItem(parent, [f"{ind.code}  {ind.text}", " · ".join(scores[ind.code]) or "–",
                                         str(agreed[ind.code]["score"]) if ind.code in agreed else "",
                                         " | ".join(notes[ind.code])])
        self.detail.resizeColumnToContents(1)
        self.detail.setColumnWidth(1, max(self.detail.columnWidth(1), self.detail.header().sectionSizeHint(1)))
        self.detail.setColumnWidth(0, 330)
