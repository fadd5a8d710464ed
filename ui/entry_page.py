"""The evaluator's screen: units with their progress, the unit's indicators, and the observation form.

Every edit is shown at once and saved by the writer thread; the screen then hears the change like any
other screen does. It never waits for the database.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.certified import offer_revocation
from ui.database import Database
from ui.observation_form import ObservationForm, open_evidence
from ui.period_box import PeriodBox
from ui.warning import warn
from workbench.domain.instrument import Instrument
from workbench.domain.values import STATUS_LABELS
from workbench.errors import WorkbenchError
from workbench.events import Changes
from workbench.i18n import pick, source, tr
from workbench.observations import Observation, UnitProgress

CodeRole = Qt.ItemDataRole.UserRole + 1
LeftRole = Qt.ItemDataRole.UserRole + 2  # how many indicators of a unit are still unscored


@dataclass(frozen=True)
class ScoreKey:
    period: str
    unit: str
    indicator: str
    evaluator: str


class ScoreCommand(QUndoCommand):
    """One change of score, undoable; redo is run when pushed."""

    def __init__(self, page: Callable[[], EntryPage], key: ScoreKey, old: int | None, new: int | None,
                 reason: str | None) -> None:
        super().__init__(f"{key.unit} {key.indicator}: {_score_text(old)} → {_score_text(new)}")
        # the page is looked up when the command runs: a language switch rebuilds it, the history stays
        self.page, self.key, self.old, self.new, self.reason = page, key, old, new, reason

    def redo(self) -> None:
        self.page().apply_score(self.key, self.new, self.reason)

    def undo(self) -> None:
        self.page().apply_score(self.key, self.old, tr("Urungkan:") + " " + self.reason if self.reason else None)


def _stretch_first_column(tree: QTreeWidget) -> None:
    header = tree.header()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)


def _score_text(score: int | None) -> str:
    return "–" if score is None else str(score)


def _items(tree: QTreeWidget) -> list[QTreeWidgetItem]:
    """The second-level items of a two-level tree (units under institutions, indicators under aspects)."""
    found = []
    for i in range(tree.topLevelItemCount()):
        group = tree.topLevelItem(i)
        if group is not None:
            found += [child for j in range(group.childCount()) if (child := group.child(j)) is not None]
    return found


class EntryPage(QWidget):
    """Navigator → indicators → form. Every change is saved at once through the app's one writer."""

    saved = Signal(str)  # a status line: what was saved, or what went wrong

    def __init__(self, db: Database, *, evaluator: str = "", undo_stack: QUndoStack | None = None,
                 current: Callable[[], EntryPage] | None = None, parent: QWidget | None = None) -> None:
        """`undo_stack` and `current` (the entry page in the window now) let the score history outlive this page
        when the window rebuilds its screens."""
        super().__init__(parent)
        self.db = db
        self.undo_stack = undo_stack if undo_stack is not None else QUndoStack(self)
        self._current = current or (lambda: self)
        self.unit: str | None = None
        self.indicator: str | None = None
        self._observations: dict[str, Observation] = {}  # of the current unit and evaluator, by indicator
        self._scores: dict[str, int | None] = {}  # what the screen shows, saved or on its way
        self._writing = 0  # writes of this screen not yet committed
        self._heard = False  # a change of the current unit was heard while writes were on their way
        self._instrument: tuple[str, Instrument] | None = None  # the period's, read once
        self._indicator_items: dict[str, QTreeWidgetItem] = {}  # of the current unit, by code
        # replaceable so that tests can answer without a modal dialog
        self.ask_reason: Callable[[str], str | None] = self._ask_reason
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

        self.navigator = QTreeWidget()
        self.navigator.setHeaderLabels([tr("Instansi / unit"), tr("Progres")])
        self.navigator.setAccessibleName(tr("Daftar unit"))
        self.navigator.currentItemChanged.connect(self._on_navigator_current_changed)
        _stretch_first_column(self.navigator)
        self.indicators = QTreeWidget()
        self.indicators.setHeaderLabels([tr("Indikator"), tr("Nilai")])
        self.indicators.setAccessibleName(tr("Daftar indikator"))
        self.indicators.currentItemChanged.connect(self._on_indicators_current_changed)
        _stretch_first_column(self.indicators)
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

    # --- state -----------------------------------------------------------------------------

    @property
    def period(self) -> str:
        return self.period_box.period

    @property
    def evaluator(self) -> str:
        return self.evaluator_box.currentText().strip() or self.db.reader.actor

    @property
    def instrument(self) -> Instrument:
        if self._instrument is None or self._instrument[0] != self.period:
            registry = self.db.reader.registry
            self._instrument = (self.period, registry.scored_instrument(registry.period(self.period)))
        return self._instrument[1]

    def current_observation(self) -> Observation | None:
        return self._observations.get(self.indicator) if self.indicator else None

    # --- navigator and indicator list ------------------------------------------------------

    def reload(self) -> None:
        """Rebuild the navigator for the chosen period and evaluator, keeping the current unit."""
        self.form.commit_pending()
        self.loaded = True
        keep = self.unit
        progress = self.db.reader.observations.progress(period=self.period, evaluator=self.evaluator)
        self.navigator.blockSignals(True)
        self.navigator.clear()
        parents: dict[str, QTreeWidgetItem] = {}
        current = None
        listed = self.db.reader.team.units_to_score(self.evaluator, self.period)  # a kit's: the evaluator's own
        for unit in self.db.reader.registry.units():
            if listed is not None and unit.code not in listed:
                continue
            parent = parents.get(unit.institution)
            if parent is None:
                parent = parents[unit.institution] = QTreeWidgetItem(self.navigator, [unit.institution])
                parent.setToolTip(0, unit.institution)
                parent.setFlags(parent.flags() & ~Qt.ItemFlag.ItemIsSelectable)
                parent.setExpanded(True)
            item = QTreeWidgetItem(parent, [f"{unit.code} · {unit.name}", ""])
            item.setData(0, CodeRole, unit.code)
            item.setToolTip(0, f"{unit.code} · {unit.name}")  # the column cuts long names
            self._show_progress(item, progress[unit.code])
            if unit.code == keep:
                current = item
        self.navigator.blockSignals(False)
        self.unit = None
        if current is not None:
            self.navigator.setCurrentItem(current)

    def _show_progress(self, item: QTreeWidgetItem, progress: UnitProgress) -> None:
        item.setData(1, LeftRole, progress.total - progress.scored)  # N looks here for a unit with work left
        item.setText(1, f"{progress.scored}/{progress.total} · {tr(STATUS_LABELS[progress.status])}")

    def select_unit(self, code: str) -> None:
        """Make a unit current (as a click in the navigator would)."""
        if not self.loaded:
            self.reload()
        for item in _items(self.navigator):
            if item.data(0, CodeRole).casefold() == code.casefold():
                self.navigator.setCurrentItem(item)
                return

    def _on_navigator_current_changed(self, item: QTreeWidgetItem | None, _: object = None) -> None:
        code = item.data(0, CodeRole) if item else None
        if not code or code == self.unit:
            return
        self.form.commit_pending()
        self.notice.hide()
        self.unit = code
        self._load_unit()
        self.indicators.blockSignals(True)
        self.indicators.clear()
        self._indicator_items = {}
        first = None
        for aspect in self.instrument.aspects:
            parent = QTreeWidgetItem(self.indicators, [f"{aspect.code} · {pick(aspect.name, aspect.name_en)}"])
            parent.setFlags(parent.flags() & ~Qt.ItemFlag.ItemIsSelectable)
            parent.setExpanded(True)
            for ind in aspect.indicators:
                child = QTreeWidgetItem(parent, [f"{ind.code}  {ind.text}", _score_text(self._scores.get(ind.code))])
                child.setData(0, CodeRole, ind.code)
                child.setToolTip(0, ind.text)
                self._indicator_items[ind.code] = child
                first = first or child
        self.indicators.blockSignals(False)
        self.indicator = None
        if first is not None:
            self.indicators.setCurrentItem(first)

    def _load_unit(self) -> None:
        """Read the current unit's observations of this evaluator (after a unit change or a change heard)."""
        assert self.unit is not None
        found = self.db.reader.observations.find(period=self.period, unit=self.unit, evaluator=self.evaluator)
        self._observations = {o.indicator: o for o in found}
        self._scores = {o.indicator: o.score for o in found}

    def select_indicator(self, code: str) -> None:
        if code in self._indicator_items:
            self.indicators.setCurrentItem(self._indicator_items[code])

    def _on_indicators_current_changed(self, item: QTreeWidgetItem | None, _: object = None) -> None:
        code = item.data(0, CodeRole) if item else None
        if not code:
            return
        self.form.commit_pending()
        self.indicator = code
        self._show_form()

    def _show_form(self) -> None:
        assert self.indicator is not None
        obs = self.current_observation()
        self.form.show_observation(self.instrument.indicator(self.indicator), obs,
                                   self.db.reader.evidence.of(obs.uuid) if obs else [])
        self.form.show_score(self._scores.get(self.indicator))

    def next_unscored(self) -> None:
        """Move to the next scored indicator of the unit without a score (wrapping around); when the unit has
        none left, to the first one of the next unit that has (or say that every unit is scored)."""
        if self.unit is not None and self._go_to_unscored(after=self.indicator):
            return
        items = list(_items(self.navigator))
        if not items:
            return
        units = [item.data(0, CodeRole) for item in items]
        start = units.index(self.unit) if self.unit in units else -1
        for offset in range(1, len(units) + 1):
            code = units[(start + offset) % len(units)]
            if code != self.unit and items[(start + offset) % len(units)].data(1, LeftRole):
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
        codes = list(self._indicator_items)  # in form order
        scored_codes = {i.code for i in self.instrument.scored_indicators}
        start = codes.index(after) if after in codes else -1
        for offset in range(1, len(codes) + 1):
            code = codes[(start + offset) % len(codes)]
            if self._scores.get(code) is None and code in scored_codes:
                self.indicators.setCurrentItem(self._indicator_items[code])
                self.form.rubric.setFocus()
                return True
        return False

    # --- writing ---------------------------------------------------------------------------

    def choose_score(self, score: int | None) -> None:
        """The evaluator picked a rubric level: save it as an undoable command."""
        if self.unit is None or self.indicator is None or self._scores.get(self.indicator) == score:
            return
        obs = self.current_observation()
        reason = None
        if obs and obs.status != "draft":
            reason = self.ask_reason(tr("Nilai {code} sudah final. Alasan perubahan:", code=self.indicator))
            if not reason:
                self.form.show_score(self._scores.get(self.indicator))
                return
        key = ScoreKey(self.period, self.unit, self.indicator, self.evaluator)
        self.undo_stack.push(ScoreCommand(self._current, key, self._scores.get(self.indicator), score, reason))
        if reason:  # a final score changed: its unit's certificate may no longer say what the scores give
            self.certified_box = offer_revocation(self, self.db, self.db.reader.certificates.standing(
                [self.unit], self.period), source("nilai {code} diubah: {reason}", code=self.indicator, reason=reason))

    def apply_score(self, key: ScoreKey, score: int | None, reason: str | None) -> None:
        """Show a score at once (from a command's redo or undo) and hand it to the writer."""
        if (key.unit, key.evaluator, key.period) == (self.unit, self.evaluator, self.period):
            self._scores[key.indicator] = score
            if key.indicator in self._indicator_items:
                self._indicator_items[key.indicator].setText(1, _score_text(score))
            if key.indicator == self.indicator:
                self.form.show_score(score)
            self._show_local_progress()
        self._write(lambda wb: wb.observations.save(unit=key.unit, indicator=key.indicator, evaluator=key.evaluator,
                                                    period=key.period, score=score, reason=reason),
                    f"{key.unit} {key.indicator} = {_score_text(score)}")

    def save_field(self, field: str, value: object) -> None:
        if self.unit is None or self.indicator is None:
            return
        obs = self.current_observation()
        # what is changed is fixed now: while the reason is asked, the screen may move to another indicator
        unit, indicator, evaluator, period = self.unit, self.indicator, self.evaluator, self.period
        reason = None
        if obs and obs.status != "draft" and getattr(obs, field) != value:
            reason = self.ask_reason(tr("Observasi {code} sudah final. Alasan perubahan:", code=indicator))
            if not reason:
                if (self.unit, self.indicator) == (unit, indicator):
                    self._show_form()
                return
        labels = {"claim": tr("Klaim unit (F-01)"), "notes": tr("Catatan"), "recommendation": tr("Rekomendasi"),
                  "method": tr("Metode"), "observed_on": tr("Tanggal")}
        self._write(lambda wb: wb.observations.save(unit=unit, indicator=indicator, evaluator=evaluator,
                                                    period=period, reason=reason, **{field: value}),
                    f"{unit} {indicator}: {labels.get(field, field)}")

    def _write(self, save: Callable[[Any], Observation], what: str) -> None:
        self._writing += 1
        self.db.write(lambda wb, progress, cancel: save(wb), parent=self,
                      on_success=lambda obs: self._on_written(obs, what), on_failure=self._on_write_failed)

    def _on_written(self, obs: Observation, what: str) -> None:
        self._writing -= 1
        if (obs.unit, obs.evaluator) == (self.unit, self.evaluator):
            self._observations[obs.indicator] = obs
            if obs.indicator == self.indicator:
                self.form.show_status(obs)
        self._saved(what)
        if self._writing == 0 and self._heard:
            self._refresh_unit()

    def _on_write_failed(self, exc: BaseException) -> None:
        self._writing -= 1
        self._say(str(exc))
        if self.unit is not None:  # show what is really stored
            self._refresh_unit()

    def add_evidence(self, paths: list[str]) -> None:
        if self.unit is None or self.indicator is None:
            return
        unit, indicator, evaluator, period = self.unit, self.indicator, self.evaluator, self.period

        def attach(wb: Any, progress: object, cancel: object) -> list[dict[str, Any]]:
            obs = wb.observations.save(unit=unit, indicator=indicator, evaluator=evaluator, period=period)
            for path in paths:
                wb.evidence.add(obs.uuid, path)
            return list(wb.evidence.of(obs.uuid))

        def attached(evidence: list[dict[str, Any]]) -> None:
            if (unit, indicator) == (self.unit, self.indicator):
                self.form.show_evidence(evidence)
            self._saved(tr("{n} bukti dukung ditambahkan", n=len(paths)))

        self.db.write(attach, parent=self, on_success=attached, on_failure=lambda exc: self._say(str(exc)))

    def open_evidence(self, sha256: str) -> None:
        try:
            open_evidence(self.db.reader.evidence, sha256)
        except WorkbenchError as exc:
            self._say(str(exc))

    def remove_evidence(self, sha256: str) -> None:
        obs = self.current_observation()
        if obs is None:
            return

        def detach(wb: Any, progress: object, cancel: object) -> list[dict[str, Any]]:
            wb.evidence.remove(obs.uuid, sha256)
            return list(wb.evidence.of(obs.uuid))

        def detached(evidence: list[dict[str, Any]]) -> None:
            self.form.show_evidence(evidence)
            self._saved(tr("Bukti dukung dilepas"))

        self.db.write(detach, parent=self, on_success=detached)

    def finalize_unit(self) -> None:
        """Mark the evaluator's observations of the current unit final, or say what is missing."""
        if self.unit is None:
            return
        self.form.commit_pending()
        unit, evaluator, period = self.unit, self.evaluator, self.period
        self.db.write(lambda wb, progress, cancel: wb.observations.set_status(
                          unit=unit, evaluator=evaluator, status="final", period=period),
                      parent=self,
                      on_success=lambda count: self._finalized(unit, count),
                      on_failure=lambda exc: self._message(tr("Belum dapat difinalkan"), str(exc)))

    def _finalized(self, unit: str, count: int) -> None:
        if unit == self.unit:
            self._refresh_unit()  # statuses changed: read them back
        self._saved(tr("Unit {unit} final ({n} observasi)", unit=unit, n=count))

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
        for item in _items(self.navigator):
            code = item.data(0, CodeRole)
            if code in progress and code != self.unit:
                self._show_progress(item, progress[code])
        if self.unit is not None and changes.touches(self.unit):
            if self._writing:
                self._heard = True  # what the screen shows is newer: refresh once the writes are in
            else:
                self._refresh_unit()

    def _refresh_unit(self) -> None:
        """Show the current unit's stored scores and statuses again (text being typed is left alone)."""
        self._heard = False
        self._load_unit()
        for code, item in self._indicator_items.items():
            item.setText(1, _score_text(self._scores.get(code)))
        if self.indicator is not None:
            self.form.show_score(self._scores.get(self.indicator))
            self.form.show_status(self.current_observation())
        self._show_local_progress()

    def _show_local_progress(self) -> None:
        """The current unit's scored count from what the screen shows (saved or on its way)."""
        item = self.navigator.currentItem()
        if item is None or self.unit is None:
            return
        scored = {i.code for i in self.instrument.scored_indicators}
        count = sum(1 for code, score in self._scores.items() if score is not None and code in scored)
        statuses = [o.status for o in self._observations.values()] or ["draft"]
        order = ("draft", "final", "verified")
        self._show_progress(item, UnitProgress(self.unit, count, len(scored), min(statuses, key=order.index)))

    # --- talking to the user ---------------------------------------------------------------

    def _saved(self, what: str) -> None:
        self._say(tr("Tersimpan {time}: {what}", time=datetime.now().strftime("%H:%M:%S"), what=what))

    def _say(self, text: str) -> None:
        self.last_message = text
        self.saved.emit(text)

    def _message(self, title: str, text: str) -> None:
        self.last_message = text
        warn(self, title, text)

    def _ask_reason(self, prompt: str) -> str | None:
        text, ok = QInputDialog.getText(self, tr("Alasan perubahan"), prompt)
        return text.strip() if ok and text.strip() else None
