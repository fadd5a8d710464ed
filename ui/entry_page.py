"""The evaluator's screen: units with their progress, the unit's indicators, and the observation form.

Every edit is shown at once and saved by the writer thread; the screen then hears the change like any
other screen does. It never waits for the database.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.database import Database
from ui.entry_editing import EntryEditing
from ui.entry_lists import CodeRole, IndicatorList, UnitNavigator
from ui.observation_form import ObservationForm
from ui.period_box import PeriodBox
from workbench.events import Changes
from workbench.i18n import tr


class EntryPage(EntryEditing):
    """Navigator → indicators → form. Every change is saved at once through the app's one writer."""

    def __init__(self, db: Database, *, evaluator: str = "", undo_stack: QUndoStack | None = None,
                 current: Callable[[], EntryPage] | None = None, parent: QWidget | None = None) -> None:
        """`undo_stack` and `current` (the entry page in the window now) let the score history outlive this page
        when the window rebuilds its screens."""
        super().__init__(parent)
        self.db = db
        self.undo_stack = undo_stack if undo_stack is not None else QUndoStack(self)
        self._current = current or (lambda: self)
        self.unit = self.indicator = None
        self._observations, self._scores, self._writing, self._heard, self._instrument = {}, {}, 0, False, None
        self.ask_reason = self._ask_reason  # replaceable so that tests can answer without a modal dialog
        self.last_message = ""

        self.period_box = PeriodBox(db.reader)
        self.period_box.currentIndexChanged.connect(lambda _: self.reload())
        self.evaluator_box = QComboBox()
        self.evaluator_box.setEditable(True)
        self.evaluator_box.setAccessibleName(tr("Evaluator"))
        known = db.reader.registry.evaluators()
        self.evaluator_box.addItems(known)
        self.evaluator_box.setCurrentText(evaluator or (known or [db.reader.actor])[0])
        line = self.evaluator_box.lineEdit()
        assert line is not None
        line.editingFinished.connect(self.reload)
        self.evaluator_box.activated.connect(lambda _: self.reload())
        next_button = QPushButton(tr("Berikutnya belum dinilai (N)"))
        next_button.clicked.connect(self.next_unscored)
        final_button = QPushButton(tr("Tandai unit final"))
        final_button.setShortcut(QKeySequence("Ctrl+Shift+F"))
        final_button.setToolTip(tr("Tandai semua nilai unit ini final (Ctrl+Shift+F)"))
        final_button.clicked.connect(self.finalize_unit)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(tr("Periode")))
        bar.addWidget(self.period_box, 1)
        bar.addWidget(QLabel(tr("Evaluator")))
        bar.addWidget(self.evaluator_box, 1)
        bar.addStretch()
        bar.addWidget(next_button)
        bar.addWidget(final_button)

        self.navigator = UnitNavigator()
        self.navigator.currentItemChanged.connect(self._on_navigator_current_changed)
        self.indicators = IndicatorList()
        self.indicators.currentItemChanged.connect(self._on_indicators_current_changed)
        self.form = ObservationForm()
        self.form.score_chosen.connect(self.choose_score)
        self.form.field_edited.connect(self.save_field)
        self.form.evidence_added.connect(self.add_evidence)
        self.form.evidence_opened.connect(self.open_evidence)
        self.form.evidence_removed.connect(self.remove_evidence)
        self.form.date.refused.connect(self._say)
        scroll = QScrollArea()
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes from the indicators straight into the form
        scroll.setWidget(self.form)
        scroll.setWidgetResizable(True)

        self.notice = QLabel()  # when N finds nothing left to score anywhere: above the form, not the lists,
        self.notice.setWordWrap(True)  # whose relayout (thousands of units) would stall the window
        self.notice.setStyleSheet("background: #fff3c4; color: black; padding: 6px;")
        self.notice.hide()
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.notice)
        right_layout.addWidget(scroll, 1)
        self.splitter = QSplitter()
        self.splitter.addWidget(self.navigator)
        self.splitter.addWidget(self.indicators)
        self.splitter.addWidget(right)
        self.splitter.setSizes([300, 330, 570])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.splitter, 1)
        QWidget.setTabOrder(self.navigator, self.indicators)
        QWidget.setTabOrder(self.indicators, self.form.rubric)  # then down the form, field by field

        for level in range(6):
            QShortcut(QKeySequence(str(level)), self, lambda level=level: self.choose_score(level),
                      context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        QShortcut(QKeySequence("N"), self, self.next_unscored, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        for key in ("Delete", "Backspace"):  # a score given by mistake is taken away (text fields keep these keys)
            QShortcut(QKeySequence(key), self, lambda: self.choose_score(None),
                      context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        # from any field of the form, Esc goes back to the indicators (where 0-5 and N score again)
        QShortcut(QKeySequence("Escape"), self.form, self.indicators.setFocus,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.db.changed.connect(self._on_db_changed)
        self.loaded = False  # the navigator is filled when the page is first shown or asked for a unit

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self.loaded:
            self.reload()

    # --- navigator and indicator list ------------------------------------------------------

    def reload(self) -> None:
        """Rebuild the navigator for the chosen period and evaluator, keeping the current unit."""
        self.form.commit_pending()
        self.loaded = True
        keep = self.unit
        progress = self.db.reader.observations.progress(period=self.period, evaluator=self.evaluator)
        listed = self.db.reader.team.units_to_score(self.evaluator, self.period)  # a kit's: the evaluator's own
        current = self.navigator.fill((u for u in self.db.reader.registry.units()
                                       if listed is None or u.code in listed), progress, keep)
        self.unit = None
        if current is not None:
            self.navigator.setCurrentItem(current)

    def select_unit(self, code: str) -> None:
        """Make a unit current (as a click in the navigator would)."""
        if not self.loaded:
            self.reload()
        item = self.navigator.item_of(code)
        if item is not None:
            self.navigator.setCurrentItem(item)

    def _on_navigator_current_changed(self, item: QTreeWidgetItem | None, _: object = None) -> None:
        code = item.data(0, CodeRole) if item else None
        if not code or code == self.unit:
            return
        self.form.commit_pending()
        self.notice.hide()
        self.unit = code
        self._load_unit()
        first = self.indicators.fill(self.instrument, self._scores)
        self.indicator = None
        if first is not None:
            self.indicators.setCurrentItem(first)

    def select_indicator(self, code: str) -> None:
        if code in self.indicators.by_code:
            self.indicators.setCurrentItem(self.indicators.by_code[code])

    def _on_indicators_current_changed(self, item: QTreeWidgetItem | None, _: object = None) -> None:
        code = item.data(0, CodeRole) if item else None
        if not code:
            return
        self.form.commit_pending()
        self.indicator = code
        self._show_form()

    def next_unscored(self) -> None:
        """Move to the next scored indicator of the unit without a score (wrapping around); when the unit has
        none left, to the first one of the next unit that has (or say that every unit is scored)."""
        if self.unit is not None and self._go_to_unscored(after=self.indicator):
            return
        units = self.navigator.codes()
        if not units:
            return
        code = self.navigator.next_with_work(after=self.unit)
        if code is not None:
            done = self.unit
            self.select_unit(code)
            self._go_to_unscored(after=None)
            self._say(tr("Unit {done} sudah dinilai semua; lanjut ke {unit}.", done=done, unit=code) if done
                      else tr("Mulai dari unit {unit}.", unit=code))
            return
        if self.unit is None:
            self.select_unit(units[0])
        self.notice.setText(tr("Semua indikator dari semua unit Anda sudah dinilai. Angka berikutnya mengubah nilai "
                               "indikator yang terpilih. Tandai unit final dengan Ctrl+Shift+F bila sudah diperiksa."))
        self.notice.show()
        self._say(self.notice.text())

    def _go_to_unscored(self, after: str | None) -> bool:
        """Select the first unscored indicator of the current unit after `after` (wrapping); False if none."""
        codes = list(self.indicators.by_code)  # in form order
        scored_codes = {i.code for i in self.instrument.scored_indicators}
        start = codes.index(after) if after in codes else -1
        for offset in range(1, len(codes) + 1):
            code = codes[(start + offset) % len(codes)]
            if self._scores.get(code) is None and code in scored_codes:
                self.indicators.setCurrentItem(self.indicators.by_code[code])
                self.form.rubric.setFocus()
                return True
        return False

    # --- hearing changes -------------------------------------------------------------------

    def _on_db_changed(self, changes: Changes, asking: object) -> None:
        if not self.loaded:
            return
        if changes.evaluator:
            current = self.evaluator_box.currentText()
            self.evaluator_box.blockSignals(True)
            self.evaluator_box.clear()
            self.evaluator_box.addItems(self.db.reader.registry.evaluators())
            self.evaluator_box.setCurrentText(current)
            self.evaluator_box.blockSignals(False)
        if changes.unit or changes.period or changes.external:
            self.reload()
            return
        if not (changes.observation or changes.evidence) or asking is self:
            return  # this screen's own edits are shown already
        progress = self.db.reader.observations.progress(period=self.period, evaluator=self.evaluator,
                                                        units=changes.units or None)
        for item in self.navigator.leaves():
            code = item.data(0, CodeRole)
            if code in progress and code != self.unit:
                self.navigator.show_progress(item, progress[code])
        if self.unit is not None and changes.touches(self.unit):
            if self._writing:
                self._heard = True  # what the screen shows is newer: refresh once the writes are in
            else:
                self._refresh_unit()
