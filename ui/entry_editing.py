"""The entry screen's writes: scores (undoable, a reason asked once final), the form's fields, evidence and
finalising a unit, each handed to the writer thread and shown at once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtGui import QUndoCommand

from ui.certified import offer_revocation
from ui.entry_lists import score_text
from ui.entry_state import EntryState
from ui.observation_form import open_evidence
from workbench.errors import WorkbenchError
from workbench.i18n import source, tr
from workbench.observations import Observation


@dataclass(frozen=True)
class ScoreKey:
    period: str
    unit: str
    indicator: str
    evaluator: str


class ScoreCommand(QUndoCommand):
    """One change of score, undoable; redo is run when pushed."""

    def __init__(self, page: Callable[[], EntryEditing], key: ScoreKey, old: int | None, new: int | None,
                 reason: str | None) -> None:
        super().__init__(f"{key.unit} {key.indicator}: {score_text(old)} → {score_text(new)}")
        # the page is looked up when the command runs: a language switch rebuilds it, the history stays
        self.page, self.key, self.old, self.new, self.reason = page, key, old, new, reason

    def redo(self) -> None:
        self.page().apply_score(self.key, self.new, self.reason)

    def undo(self) -> None:
        self.page().apply_score(self.key, self.old, tr("Urungkan:") + " " + self.reason if self.reason else None)


class EntryEditing(EntryState):
    """What the evaluator's keys and fields change."""

    _current: Callable[[], EntryEditing]  # the entry page in the window now (the score history outlives a page)

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
            self.indicators.show_score(key.indicator, score)
            if key.indicator == self.indicator:
                self.form.show_score(score)
            self._show_local_progress()
        self._write(lambda wb: wb.observations.save(unit=key.unit, indicator=key.indicator, evaluator=key.evaluator,
                                                    period=key.period, score=score, reason=reason),
                    f"{key.unit} {key.indicator} = {score_text(score)}")

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
