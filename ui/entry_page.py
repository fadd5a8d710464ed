"""The evaluator's screen: units with their progress, the unit's indicators, and the observation form."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.i18n import pick, tr
from ui.observation_form import ObservationForm, open_file
from ui.period_box import PeriodBox
from workbench import WorkbenchError, Workbook
from workbench.instrument import Instrument
from workbench.observations import Observation

CodeRole = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class ScoreKey:
    period: str
    unit: str
    indicator: str
    evaluator: str


class ScoreCommand(QUndoCommand):
    """One change of score, undoable; redo is run when pushed."""

    def __init__(self, page: EntryPage, key: ScoreKey, old: int | None, new: int | None, reason: str | None) -> None:
        super().__init__(f"{key.unit} {key.indicator}: {_score_text(old)} → {_score_text(new)}")
        self.page, self.key, self.old, self.new, self.reason = page, key, old, new, reason

    def redo(self) -> None:
        self.page.apply_score(self.key, self.new, self.reason)

    def undo(self) -> None:
        self.page.apply_score(self.key, self.old, tr("Urungkan:") + " " + self.reason if self.reason else None)


def _stretch_first_column(tree: QTreeWidget) -> None:
    header = tree.header()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)


def _score_text(score: int | None) -> str:
    return "–" if score is None else str(score)


class EntryPage(QWidget):
    """Navigator → indicators → form. Every change is saved at once through the Workbook."""

    saved = Signal(str)  # a status line: what was saved, or what went wrong

    def __init__(self, wb: Workbook, *, evaluator: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.wb = wb
        self.undo_stack = QUndoStack(self)
        self.unit: str | None = None
        self.indicator: str | None = None
        # replaceable so that tests can answer without a modal dialog
        self.ask_reason: Callable[[str], str | None] = self._ask_reason
        self.last_message = ""

        self.period_box = PeriodBox(wb)
        self.period_box.currentIndexChanged.connect(lambda _: self.reload())
        self.evaluator_box = QComboBox()
        self.evaluator_box.setEditable(True)
        self.evaluator_box.setAccessibleName(tr("Evaluator"))
        self.evaluator_box.addItems(wb.evaluators())
        self.evaluator_box.setCurrentText(evaluator or (wb.evaluators() or [wb.actor])[0])
        self.evaluator_box.lineEdit().editingFinished.connect(self.reload)
        self.evaluator_box.activated.connect(lambda _: self.reload())
        next_button = QPushButton(tr("Berikutnya belum dinilai (N)"))
        next_button.clicked.connect(self.next_unscored)
        final_button = QPushButton(tr("Tandai unit final"))
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
        self.form.evidence_opened.connect(lambda sha: open_file(self.wb.evidence_path(sha)))
        self.form.evidence_removed.connect(self.remove_evidence)
        scroll = QScrollArea()
        scroll.setWidget(self.form)
        scroll.setWidgetResizable(True)

        self.splitter = QSplitter()
        self.splitter.addWidget(self.navigator)
        self.splitter.addWidget(self.indicators)
        self.splitter.addWidget(scroll)
        self.splitter.setSizes([300, 330, 570])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.splitter, 1)

        for level in range(6):
            QShortcut(QKeySequence(str(level)), self, lambda level=level: self.choose_score(level),
                      context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        QShortcut(QKeySequence("N"), self, self.next_unscored, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.loaded = False  # the navigator is filled when the page is first shown or asked for a unit

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if not self.loaded:
            self.reload()

    # --- state -----------------------------------------------------------------------------

    @property
    def period(self) -> str:
        return self.period_box.period

    @property
    def evaluator(self) -> str:
        return self.evaluator_box.currentText().strip() or self.wb.actor

    @property
    def instrument(self) -> Instrument:
        inst = self.wb.instrument(self.wb.period(self.period).instrument_id)
        assert isinstance(inst, Instrument)
        return inst

    def current_observation(self) -> Observation | None:
        if self.unit is None or self.indicator is None:
            return None
        return self.wb.observation(unit=self.unit, indicator=self.indicator, evaluator=self.evaluator,
                                   period=self.period)

    # --- navigator and indicator list ------------------------------------------------------

    def reload(self) -> None:
        """Rebuild the navigator for the chosen period and evaluator, keeping the current unit."""
        self.form.commit_pending()
        self.loaded = True
        keep = self.unit
        progress = self.wb.unit_progress(period=self.period, evaluator=self.evaluator)
        self.navigator.blockSignals(True)
        self.navigator.clear()
        parents: dict[str, QTreeWidgetItem] = {}
        current = None
        for unit in self.wb.units():
            parent = parents.get(unit.institution)
            if parent is None:
                parent = parents[unit.institution] = QTreeWidgetItem(self.navigator, [unit.institution])
                parent.setFlags(parent.flags() & ~Qt.ItemFlag.ItemIsSelectable)
                parent.setExpanded(True)
            item = QTreeWidgetItem(parent, [f"{unit.code} · {unit.name}", ""])
            item.setData(0, CodeRole, unit.code)
            self._show_progress(item, progress[unit.code])
            if unit.code == keep:
                current = item
        self.navigator.blockSignals(False)
        self.unit = None
        if current is not None:
            self.navigator.setCurrentItem(current)

    def _show_progress(self, item: QTreeWidgetItem, progress: object) -> None:
        labels = {"draft": tr("draf"), "final": tr("final"), "verified": tr("terverifikasi")}
        item.setText(1, f"{progress.scored}/{progress.total} · {labels[progress.status]}")  # type: ignore

    def select_unit(self, code: str) -> None:
        """Make a unit current (as a click in the navigator would)."""
        if not self.loaded:
            self.reload()
        for item in self._unit_items():
            if item.data(0, CodeRole).casefold() == code.casefold():
                self.navigator.setCurrentItem(item)
                return

    def _unit_items(self) -> list[QTreeWidgetItem]:
        root = self.navigator.invisibleRootItem()
        return [root.child(i).child(j) for i in range(root.childCount()) for j in range(root.child(i).childCount())]

    def _on_navigator_current_changed(self, item: QTreeWidgetItem | None, _: object = None) -> None:
        code = item.data(0, CodeRole) if item else None
        if not code or code == self.unit:
            return
        self.form.commit_pending()
        self.unit = code
        scores = {o.indicator: o.score for o in self.wb.observations(period=self.period, unit=code,
                                                                     evaluator=self.evaluator)}
        self.indicators.blockSignals(True)
        self.indicators.clear()
        first = None
        for aspect in self.instrument.aspects:
            parent = QTreeWidgetItem(self.indicators, [f"{aspect.code} · {pick(aspect.name, aspect.name_en)}"])
            parent.setFlags(parent.flags() & ~Qt.ItemFlag.ItemIsSelectable)
            parent.setExpanded(True)
            for ind in aspect.indicators:
                child = QTreeWidgetItem(parent, [f"{ind.code}  {ind.text}", _score_text(scores.get(ind.code))])
                child.setData(0, CodeRole, ind.code)
                child.setToolTip(0, ind.text)
                first = first or child
        self.indicators.blockSignals(False)
        self.indicator = None
        if first is not None:
            self.indicators.setCurrentItem(first)

    def _indicator_items(self) -> list[QTreeWidgetItem]:
        root = self.indicators.invisibleRootItem()
        return [root.child(i).child(j) for i in range(root.childCount()) for j in range(root.child(i).childCount())]

    def select_indicator(self, code: str) -> None:
        for item in self._indicator_items():
            if item.data(0, CodeRole) == code:
                self.indicators.setCurrentItem(item)
                return

    def _on_indicators_current_changed(self, item: QTreeWidgetItem | None, _: object = None) -> None:
        code = item.data(0, CodeRole) if item else None
        if not code:
            return
        self.form.commit_pending()
        self.indicator = code
        obs = self.current_observation()
        self.form.show_observation(self.instrument.indicator(code), obs, self.wb.evidence(obs.uuid) if obs else [])

    def next_unscored(self) -> None:
        """Move to the next scored indicator of the unit without a score (wrapping around)."""
        items = self._indicator_items()
        scored_codes = {i.code for i in self.instrument.scored_indicators}
        start = next((n for n, it in enumerate(items) if it.data(0, CodeRole) == self.indicator), -1)
        for offset in range(1, len(items) + 1):
            item = items[(start + offset) % len(items)]
            if item.text(1) == "–" and item.data(0, CodeRole) in scored_codes:
                self.indicators.setCurrentItem(item)
                self.form.rubric.setFocus()
                return
        self._say(tr("Semua indikator unit ini sudah dinilai."))

    # --- writing ---------------------------------------------------------------------------

    def choose_score(self, score: int | None) -> None:
        """The evaluator picked a rubric level: save it as an undoable command."""
        obs = self.current_observation()
        if self.unit is None or self.indicator is None or (obs and obs.score == score):
            return
        reason = None
        if obs and obs.status != "draft":
            reason = self.ask_reason(tr("Nilai {code} sudah final. Alasan perubahan:").format(code=self.indicator))
            if not reason:
                self.form.show_score(obs.score)
                return
        key = ScoreKey(self.period, self.unit, self.indicator, self.evaluator)
        self.undo_stack.push(ScoreCommand(self, key, obs.score if obs else None, score, reason))

    def apply_score(self, key: ScoreKey, score: int | None, reason: str | None) -> None:
        """Save a score (from a command's redo or undo) and show it wherever it is visible."""
        try:
            self.wb.save_observation(unit=key.unit, indicator=key.indicator, evaluator=key.evaluator,
                                     period=key.period, score=score, reason=reason, actor=key.evaluator)
        except WorkbenchError as exc:
            self._say(str(exc))
            return
        if (key.unit, key.evaluator, key.period) == (self.unit, self.evaluator, self.period):
            for item in self._indicator_items():
                if item.data(0, CodeRole) == key.indicator:
                    item.setText(1, _score_text(score))
            if key.indicator == self.indicator:
                self.form.show_score(score)
                self.form.show_status(self.current_observation())
            self._refresh_progress(key.unit)
        self._saved(f"{key.unit} {key.indicator} = {_score_text(score)}")

    def save_field(self, field: str, value: object) -> None:
        obs = self.current_observation()
        if self.unit is None or self.indicator is None:
            return
        reason = None
        if obs and obs.status != "draft" and getattr(obs, field) != value:
            reason = self.ask_reason(tr("Observasi {code} sudah final. Alasan perubahan:").format(code=self.indicator))
            if not reason:
                self.form.show_observation(self.instrument.indicator(self.indicator), obs, self.wb.evidence(obs.uuid))
                return
        try:
            self.wb.save_observation(unit=self.unit, indicator=self.indicator, evaluator=self.evaluator,
                                     period=self.period, reason=reason, actor=self.evaluator, **{field: value})
        except WorkbenchError as exc:
            self._say(str(exc))
            return
        self._saved(f"{self.unit} {self.indicator}: {field}")

    def add_evidence(self, paths: list[str]) -> None:
        if self.unit is None or self.indicator is None:
            return
        obs = self.wb.save_observation(unit=self.unit, indicator=self.indicator, evaluator=self.evaluator,
                                       period=self.period)
        try:
            for path in paths:
                self.wb.add_evidence(obs.uuid, path)
        except (WorkbenchError, OSError) as exc:
            self._say(str(exc))
        self.form.show_evidence(self.wb.evidence(obs.uuid))
        self._saved(tr("{n} bukti dukung ditambahkan").format(n=len(paths)))

    def remove_evidence(self, sha256: str) -> None:
        obs = self.current_observation()
        if obs is not None:
            self.wb.remove_evidence(obs.uuid, sha256)
            self.form.show_evidence(self.wb.evidence(obs.uuid))
            self._saved(tr("Bukti dukung dilepas"))

    def finalize_unit(self) -> None:
        """Mark the evaluator's observations of the current unit final, or say what is missing."""
        if self.unit is None:
            return
        self.form.commit_pending()
        try:
            count = self.wb.set_unit_status(unit=self.unit, evaluator=self.evaluator, status="final",
                                            period=self.period, actor=self.evaluator)
        except WorkbenchError as exc:
            self._message(tr("Belum dapat difinalkan"), str(exc))
            return
        self._refresh_progress(self.unit)
        self.form.show_status(self.current_observation())
        self._saved(tr("Unit {unit} final ({n} observasi)").format(unit=self.unit, n=count))

    def _refresh_progress(self, code: str) -> None:
        progress = self.wb.unit_progress(period=self.period, evaluator=self.evaluator)[code]
        for item in self._unit_items():
            if item.data(0, CodeRole) == code:
                self._show_progress(item, progress)

    # --- talking to the user ---------------------------------------------------------------

    def _saved(self, what: str) -> None:
        self._say(tr("Tersimpan {time}: {what}").format(time=datetime.now().strftime("%H:%M:%S"), what=what))

    def _say(self, text: str) -> None:
        self.last_message = text
        self.saved.emit(text)

    def _message(self, title: str, text: str) -> None:
        self.last_message = text
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()  # not exec(): the window stays responsive and tests are not blocked

    def _ask_reason(self, prompt: str) -> str | None:
        text, ok = QInputDialog.getText(self, tr("Alasan perubahan"), prompt)
        return text.strip() if ok and text.strip() else None
