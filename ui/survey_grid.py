"""The Survei grid and its undo steps: digits answer and move on, Enter ends a respondent, Backspace clears;
each answer, profile field and stored questionnaire is one step of Ctrl+Z."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QUndoCommand
from PySide6.QtWidgets import QTableWidget, QTableWidgetItem, QWidget

from ui.survey_actions import Shown
from workbench import Workbook
from workbench.domain.instrument import Questionnaire
from workbench.domain.respondents import PROFILE_LABELS
from workbench.i18n import pick, tr
from workbench.surveys import Respondent


class Typist(Shown, Protocol):
    """What the undo steps need of the Survei page (ui.survey_page.SurveyPage)."""

    draft: dict[str, Any] | None  # the new row being typed: number, answers, profile, sheet

    @property
    def instrument(self) -> Questionnaire: ...
    @property
    def entry(self) -> int: ...
    def set_draft_answer(self, item: str, value: int | None, *, cursor: bool = False) -> None: ...
    def write_answer(self, uuid: str, item: str, value: int | None) -> None: ...
    def write_profile(self, uuid: str, field: str, value: str) -> None: ...
    def store(self, job: Callable[[Workbook], Any], on_success: Callable[[Any], None] | None = None) -> None: ...


class AnswerGrid(QTableWidget):
    """The questionnaire grid: digits answer and move on, Enter ends a respondent, Backspace clears."""

    answered = Signal(int, int, object)  # row, column, value (int, or None when cleared)
    finished = Signal(int, bool)  # row, and whether a digit (not Enter) completed it
    refused = Signal(str)  # a key that is no answer on the scale
    left = Signal()  # Esc: back to the boxes above
    sheet_typed = Signal(int, str)  # row, and the sheet number typed (or scanned) into its No cell, on Enter

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.first_answer = 1
        self.scale = (1, 4)
        self.verticalHeader().hide()  # the "No" column numbers the questionnaires
        self.setTabKeyNavigation(False)  # Tab goes on to the next control, as everywhere else
        # the cell the next digit goes into, plain to see while the eyes are on the paper
        self.setStyleSheet("QTableWidget::item:focus { border: 2px solid #1565c0; background: #e3f2fd; "
                           "color: black; }")
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)  # as many rows as before
        self.item_keys: list[str] = []
        self.profile: tuple[str, ...] = ()
        self.by_sheet = False  # the unit has printed sheets: a new row starts with its sheet number
        self.lettered = False  # the paper labels the answers a., b., c., d. (SKM): a letter types its number
        self._typed = ""  # the sheet number being typed into the new row's No cell

    def set_columns(self, inst: Questionnaire, profile: tuple[str, ...], *, numbered: bool) -> None:
        """The number, the profile fields typed on paper, then one column per item (U1… when `numbered`)."""
        self.item_keys, self.profile = [u.key for u in inst.unsur], profile
        self.first_answer = 1 + len(profile)
        self.scale = (inst.scale_min, inst.scale_max)
        self.lettered = all(u.options for u in inst.unsur)
        headers = [tr("No"), *(tr(PROFILE_LABELS[p]).capitalize() for p in profile),
                   *(f"U{n}" if numbered else u.key for n, u in enumerate(inst.unsur, start=1))]
        self.setColumnCount(len(headers))
        self.setHorizontalHeaderLabels(headers)
        for n, u in enumerate(inst.unsur):
            header = self.horizontalHeaderItem(self.first_answer + n)
            if header is not None:
                header.setToolTip(f"{pick(u.name, u.name_en)}: {u.question}")

    def _sheet_key(self, row: int, text: str, key: int) -> bool:
        """A key typed into the new row's No cell: the sheet number (digits, or a scanner's code) and Enter;
        False for keys that are not the number's (they move the cursor as anywhere else)."""
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            typed, self._typed = self._typed, ""
            self.set_text(row, 0, "")
            self.sheet_typed.emit(row, typed)
            return True
        if key == Qt.Key.Key_Backspace:
            self._typed = self._typed[:-1]
        elif text and text.isprintable() and not text.isspace():
            self._typed += text
        else:
            return False
        self.set_text(row, 0, self._typed)
        return True

    def set_text(self, row: int, column: int, value: object) -> None:
        """Show a value in a cell without it counting as typed."""
        cell = self.item(row, column)
        if cell is not None:
            self.blockSignals(True)
            cell.setText("" if value is None else str(value))
            self.blockSignals(False)

    def show_row(self, row: int, number: int | None, profile: dict[str, str], answers: dict[str, int],
                 source: str = "typed") -> None:
        """One questionnaire in a row; one imported says from which file."""
        cells = [str(number or ""), *(profile.get(f, "") for f in self.profile),
                 *(str(answers.get(i, "")) for i in self.item_keys)]
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if column >= self.first_answer or column == 0:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)  # answers are typed as digits
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            if column == 0 and source != "typed":
                item.setToolTip(tr("diimpor dari {file}", file=source))
            self.setItem(row, column, item)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        row, column = self.currentRow(), self.currentColumn()
        text, key = event.text(), event.key()
        editing = self.state() == self.State.EditingState
        if self.by_sheet and column == 0 and row == self.rowCount() - 1 and self._sheet_key(row, text, key):
            return
        if column >= self.first_answer and self.lettered and len(text) == 1 and "a" <= text.lower() <= "z":
            text = str(self.scale[0] + ord(text.lower()) - ord("a"))  # the paper's a., b., c., d.
        if column >= self.first_answer and text.isdigit():
            if not self.scale[0] <= int(text) <= self.scale[1]:
                self.refused.emit(text)
                return
            self.answered.emit(row, column, int(text))
            if column + 1 < self.columnCount():
                self.setCurrentCell(row, column + 1)
            else:
                self.finished.emit(row, True)
            return
        if column >= self.first_answer and key in (Qt.Key.Key_Backspace, Qt.Key.Key_Delete):
            cell = self.item(row, column)
            if key == Qt.Key.Key_Backspace and not (cell and cell.text()) and column > self.first_answer:
                column -= 1  # on an empty cell, Backspace takes back the answer before, as in a text field
                self.setCurrentCell(row, column)
            self.answered.emit(row, column, None)
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not editing:
            self.finished.emit(row, False)
            return
        if key == Qt.Key.Key_Escape and not editing:
            self.left.emit()
            return
        super().keyPressEvent(event)


class DraftAnswer(QUndoCommand):
    """One answer typed into the row being typed (not stored yet)."""

    def __init__(self, page: Typist, item: str, old: int | None, new: int | None) -> None:
        super().__init__(tr("jawaban {item}", item=item))
        self.page, self.item, self.old, self.new = page, item, old, new

    def redo(self) -> None:
        self.page.set_draft_answer(self.item, self.new)

    def undo(self) -> None:
        self.page.set_draft_answer(self.item, self.old, cursor=True)


class Answer(QUndoCommand):
    """One answer typed into a stored questionnaire."""

    def __init__(self, page: Typist, uuid: str, item: str, old: int | None, new: int | None) -> None:
        super().__init__(tr("jawaban {item}", item=item))
        self.page, self.uuid, self.item, self.old, self.new = page, uuid, item, old, new

    def redo(self) -> None:
        self.page.write_answer(self.uuid, self.item, self.new)

    def undo(self) -> None:
        self.page.write_answer(self.uuid, self.item, self.old)


class Profile(QUndoCommand):
    """One profile field of a stored questionnaire changed."""

    def __init__(self, page: Typist, uuid: str, field: str, old: str, new: str) -> None:
        super().__init__(tr(PROFILE_LABELS[field]))
        self.page, self.uuid, self.field, self.old, self.new = page, uuid, field, old, new

    def redo(self) -> None:
        self.page.write_profile(self.uuid, self.field, self.new)

    def undo(self) -> None:
        self.page.write_profile(self.uuid, self.field, self.old)


class Added(QUndoCommand):
    """A questionnaire stored from the grid. Undo removes it and puts its answers back into the row being
    typed, less the digit that completed it (`last`), so that Ctrl+Z takes back one keystroke."""

    def __init__(self, page: Typist, draft: dict[str, Any], last: str | None) -> None:
        super().__init__(tr("kuesioner {number}", number=draft["number"]))
        self.page, self.last = page, last
        self.draft = {"number": draft["number"], "answers": dict(draft["answers"]), "profile": dict(draft["profile"]),
                      "sheet": draft.get("sheet")}
        self.unit, self.form, self.period, self.entry = page.unit or "", page.form, page.period, page.entry
        self.uuid = ""  # set by the writer thread when stored, before any later write runs

    def redo(self) -> None:
        draft, page = self.draft, self.page
        if page.draft is not None and page.draft["number"] == draft["number"]:  # the next row starts empty
            page.draft = {"number": draft["number"] + 1, "answers": {}, "profile": {}, "sheet": None}

        def store(wb: Workbook) -> Respondent:
            stored = wb.surveys.add(unit=self.unit, form=self.form, answers=draft["answers"],
                                    profile=draft["profile"], number=draft["number"], period=self.period,
                                    sheet=draft["sheet"], entry=self.entry)
            self.uuid = stored.uuid
            return stored

        blank = len(page.instrument.unsur) - len(draft["answers"])

        def stored(r: Respondent) -> None:
            if blank:  # kept as typed (a respondent may skip a question), but said, so that a slip is seen
                page.say(tr("Kuesioner {number} tersimpan dengan {count} pertanyaan tidak dijawab",
                             number=r.number or "–", count=blank), error=True)
            else:
                page.say(tr("Kuesioner {number} tersimpan", number=r.number or "–"))

        page.store(store, on_success=stored)

    def undo(self) -> None:
        page = self.page
        page.store(lambda wb: wb.surveys.remove(self.uuid))
        answers = {k: v for k, v in self.draft["answers"].items() if k != self.last}
        page.draft = {"number": self.draft["number"], "answers": answers, "profile": dict(self.draft["profile"]),
                      "sheet": self.draft["sheet"]}
        page.say(tr("Kuesioner {number} dibuka lagi untuk diketik", number=self.draft["number"]))
