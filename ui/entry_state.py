"""What the entry screen knows and shows of the current unit: its period, evaluator and instrument, the
observations read back and the scores on screen, the form, and how the screen talks to the user."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QComboBox, QInputDialog, QWidget

from ui.database import Database
from ui.entry_lists import IndicatorList, UnitNavigator
from ui.observation_form import ObservationForm
from ui.period_box import PeriodBox
from ui.warning import warn
from workbench.domain.instrument import Instrument
from workbench.domain.values import lowest_status
from workbench.i18n import tr
from workbench.observations import Observation, UnitProgress


class EntryState(QWidget):
    """The entry screen's state; EntryPage builds the widgets (see ui.entry_page)."""

    saved = Signal(str)  # a status line: what was saved, or what went wrong

    db: Database
    undo_stack: QUndoStack
    period_box: PeriodBox
    evaluator_box: QComboBox
    navigator: UnitNavigator
    indicators: IndicatorList
    form: ObservationForm
    unit: str | None
    indicator: str | None
    ask_reason: Callable[[str], str | None]
    last_message: str
    _observations: dict[str, Observation]  # of the current unit and evaluator, by indicator
    _scores: dict[str, int | None]  # what the screen shows, saved or on its way
    _writing: int  # writes of this screen not yet committed
    _heard: bool  # a change of the current unit was heard while writes were on their way
    _instrument: tuple[str, Instrument] | None  # the period's, read once

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

    def _load_unit(self) -> None:
        """Read the current unit's observations of this evaluator (after a unit change or a change heard)."""
        assert self.unit is not None
        found = self.db.reader.observations.find(period=self.period, unit=self.unit, evaluator=self.evaluator)
        self._observations = {o.indicator: o for o in found}
        self._scores = {o.indicator: o.score for o in found}

    def _show_form(self) -> None:
        assert self.indicator is not None
        obs = self.current_observation()
        self.form.show_observation(self.instrument.indicator(self.indicator), obs,
                                   self.db.reader.evidence.of(obs.uuid) if obs else [])
        self.form.show_score(self._scores.get(self.indicator))

    def _refresh_unit(self) -> None:
        """Show the current unit's stored scores and statuses again (text being typed is left alone)."""
        self._heard = False
        self._load_unit()
        for code in self.indicators.by_code:
            self.indicators.show_score(code, self._scores.get(code))
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
        status = lowest_status(o.status for o in self._observations.values())
        self.navigator.show_progress(item, UnitProgress(self.unit, count, len(scored), status))

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
