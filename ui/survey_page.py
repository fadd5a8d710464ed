"""Survei: paper questionnaires typed in one respondent per row, and the unit's results as they grow.

Built for a typist with a stack of forms: the cursor starts on the first question of a new row; a digit
enters the answer and moves on; at the end of the row (or with Enter) the questionnaire is stored and the
next row starts with the next number; Backspace clears an answer (the one before, on an empty cell); Ctrl+Z
takes back the last digit, even the one that stored a questionnaire. Tab leaves the grid, Esc goes back to
the unit box.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QShowEvent, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.database import Database
from ui.labels import buddy
from ui.period_box import PeriodBox
from ui.survey_actions import SurveyActions, entry_box
from ui.survey_grid import Added, Answer, AnswerGrid, DraftAnswer, Profile
from ui.survey_outcome import FORM_NAMES, SurveyOutcome
from workbench import Workbook
from workbench.domain.instrument import Questionnaire
from workbench.domain.respondents import PROFILE_LABELS, profile_value
from workbench.errors import WorkbenchError
from workbench.events import Changes
from workbench.i18n import pick, tr
from workbench.surveys import Respondent

SHORT_PROFILE = ("jenis_kelamin", "usia", "pendidikan", "pekerjaan", "jenis_layanan")  # as the paper form asks


class SurveyPage(QWidget):
    """Period, unit and form at the top; the grid of questionnaires; the unit's IKM (or F-03 means) below."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.folder: Callable[[], str] = lambda: str(db.path.parent)  # where file dialogs open (the window's)
        self.undo_stack = QUndoStack(self)
        self.respondents: list[Respondent] = []
        self.view: tuple[str, str | None, str, int] | None = None  # (period, unit, form, entry) shown
        self.draft: dict[str, Any] | None = None  # the new row being typed: number, answers, profile, sheet
        self.last_message = ""
        self.period_box = PeriodBox(db.reader)
        self.period_box.currentIndexChanged.connect(lambda _: self.reload())
        self.unit_box = QComboBox()
        # long unit names must not widen the window past a 1366-pixel laptop screen
        self.unit_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.unit_box.setMinimumContentsLength(30)
        self.unit_box.currentIndexChanged.connect(lambda _: self.reload())
        self.form_box = QComboBox()
        for form, name in FORM_NAMES.items():
            self.form_box.addItem(name, form)
        self.form_box.currentIndexChanged.connect(lambda _: self.reload())
        self.population = QSpinBox()
        self.population.setRange(0, 10_000_000)
        self.population.setSpecialValueText("–")
        self.population.setToolTip(tr("Jumlah pengguna layanan unit dalam periode: menentukan sampel"))
        self.population.editingFinished.connect(self.save_population)
        self.entry_box = entry_box()  # with double entry: which keying this operator types
        self.entry_box.currentIndexChanged.connect(lambda _: self.reload())
        self.outcome = SurveyOutcome()
        self.summary, self.chart, self.sample = self.outcome.summary, self.outcome.chart, self.outcome.sample
        bar = QHBoxLayout()
        for text, widget in ((tr("Pe&riode"), self.period_box), (tr("U&nit"), self.unit_box),
                             (tr("&Formulir"), self.form_box), (tr("P&opulasi"), self.population),
                             (tr("&Entri"), self.entry_box)):
            bar.addWidget(buddy(text, widget))
            bar.addWidget(widget, 1 if widget is self.unit_box else 0)
        bar.addWidget(self.sample)
        import_button = QPushButton(tr("&Impor kuesioner…"))
        import_button.setToolTip(tr("xlsx, xls, ods atau CSV (mis. unduhan Google Forms): satu baris satu responden"))
        self.commands = SurveyActions(self, self)
        import_button.clicked.connect(self.commands.ask_import)
        report_button = QPushButton(tr("&Laporan SKM (PDF)…"))
        report_button.clicked.connect(self.commands.ask_report)
        forms_button = QPushButton(tr("Cetak &kuesioner…"))
        forms_button.setToolTip(tr("Kuesioner kertas bernomor untuk unit ini, dengan kode batang untuk dipindai"))
        forms_button.clicked.connect(self.commands.ask_forms)
        self.compare_button = QPushButton(tr("Ban&dingkan entri…"))
        self.compare_button.setToolTip(tr("Beda antara dua ketikan lembar yang sama, untuk diputuskan dari kertasnya"))
        self.compare_button.clicked.connect(self.commands.compare)
        self.grid = AnswerGrid()
        self.grid.answered.connect(self.answer)
        self.grid.finished.connect(self.finish_row)
        self.grid.refused.connect(self._on_grid_refused)
        self.grid.left.connect(self.unit_box.setFocus)
        for box in (self.unit_box, self.entry_box):  # a unit or a keying chosen: on to typing
            box.activated.connect(lambda _: self.grid.setFocus())
        self.grid.itemChanged.connect(self._on_profile_edited)
        self.grid.sheet_typed.connect(self.take_sheet)
        self.grid.currentCellChanged.connect(self._on_current_cell_changed)
        self.hint = QLabel(tr("Ketik angka jawaban: kursor pindah ke pertanyaan berikutnya, baris disimpan di akhir "
                              "(atau Enter). Backspace menghapus jawaban, Ctrl+Z mengurungkan, Tab keluar dari "
                              "tabel, Esc ke pilihan unit."))
        self.hint.setWordWrap(True)
        self.question = QLabel()  # the question under the cursor, with its scale
        self.question.setWordWrap(True)
        self.message = QLabel()  # what the last action did, or why it could not
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        second = QHBoxLayout()
        second.addWidget(self.hint, 1)
        second.addWidget(import_button)
        second.addWidget(report_button)
        second.addWidget(forms_button)
        second.addWidget(self.compare_button)
        layout.addLayout(second)
        layout.addWidget(self.question)
        layout.addWidget(self.grid, 3)
        layout.addWidget(self.message)
        layout.addWidget(self.outcome, 2)
        self.units_filled = False  # the unit box is filled when the page is first shown (thousands of units)
        self.db.changed.connect(self._on_db_changed)
        self.loaded = False

    # --- state -----------------------------------------------------------------------------

    @property
    def form(self) -> str:
        return str(self.form_box.currentData())

    @property
    def unit(self) -> str | None:
        data = self.unit_box.currentData()
        return str(data) if data else None

    @property
    def period(self) -> str:
        return self.period_box.period

    @property
    def entry(self) -> int:
        """Which keying is typed here: 2 for the second keying under double entry, else 1."""
        return int(self.entry_box.currentData()) if self.entry_box.isEnabled() else 1

    @property
    def instrument(self) -> Questionnaire:
        return self.db.reader.surveys.instrument(self.form)

    @property
    def draft_row(self) -> int:
        return len(self.respondents)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self.loaded:
            self.reload()
        focus = QApplication.focusWidget()
        if focus is None or not self.isAncestorOf(focus):
            self.grid.setFocus()  # ready for digits on arriving at the tab

    def fill_units(self) -> None:
        self.units_filled = True
        keep = self.unit
        self.unit_box.blockSignals(True)
        self.unit_box.clear()
        # by code: the box lists units without their institutions, so the register's grouping would look random
        for unit in sorted(self.db.reader.registry.units(), key=lambda u: u.code.casefold()):
            self.unit_box.addItem(f"{unit.code} · {unit.name}", unit.code)
        if keep and self.unit_box.findData(keep) >= 0:
            self.unit_box.setCurrentIndex(self.unit_box.findData(keep))
        self.unit_box.blockSignals(False)

    def select(self, unit: str, form: str = "skm") -> None:
        """Show a unit's questionnaires of a form (as choosing them in the boxes would)."""
        if not self.units_filled:
            self.fill_units()
        self.form_box.setCurrentIndex(self.form_box.findData(form))
        self.unit_box.setCurrentIndex(self.unit_box.findData(unit))
        self.reload()

    # --- showing -----------------------------------------------------------------------------

    def reload(self) -> None:
        """Fill the grid with the stored questionnaires and the row being typed, and show the results. The
        row being typed and the cursor stay where they were unless another unit, form or period is shown."""
        self.loaded = True
        if not self.units_filled:
            self.fill_units()
        double = self.db.reader.surveys.double_entry(self.period)
        self.entry_box.setEnabled(double)
        self.compare_button.setEnabled(double)
        view = (self.period, self.unit, self.form, self.entry)
        if view != self.view:  # what Ctrl+Z would take back is not on screen any more
            self.view, self.draft = view, None
            self.undo_stack.clear()
            self.say("")
        on_draft = self.grid.currentRow() in (-1, self.draft_row)
        row, column = self.grid.currentRow(), self.grid.currentColumn()
        inst = self.instrument
        items = [u.key for u in inst.unsur]
        profile = self._profile_fields()
        self.grid.blockSignals(True)
        self.grid.clear()
        self.grid.set_columns(inst, profile, numbered=self.form == "skm")
        self.respondents = self.db.reader.surveys.respondents(unit=self.unit, form=self.form, period=self.period,
                                                              entry=self.entry) \
            if self.unit else []
        self.grid.setRowCount(self.draft_row + 1)
        for n, respondent in enumerate(self.respondents):
            self.grid.show_row(n, respondent.number, respondent.profile, respondent.answers, respondent.source)
        if self.draft is None:
            self.draft = {"number": self._next_number(), "answers": {}, "profile": {}, "sheet": None}
        self.grid.by_sheet = bool(self.unit and self.db.reader.surveys.sheets(self.unit, form=self.form,
                                                                              period=self.period))
        waiting = self.grid.by_sheet and self.draft["sheet"] is None  # the new row starts with its sheet number
        self.grid.show_row(self.draft_row, None if waiting else self.draft["number"], self.draft["profile"],
                           self.draft["answers"])
        self.grid.resizeColumnsToContents()
        self.grid.blockSignals(False)
        if on_draft:
            typed = [i for i in items if i in self.draft["answers"]]
            column = 0 if waiting else self.grid.first_answer + (items.index(typed[-1]) + 1 if typed else 0)
            self.grid.setCurrentCell(self.draft_row, min(column, self.grid.columnCount() - 1))
        else:
            self.grid.setCurrentCell(min(row, self.draft_row), column)
        self.show_results()

    def take_sheet(self, row: int, typed: str) -> None:
        """The sheet number typed (or scanned) for the new row, checked against the unit's printed sheets."""
        if self.draft is None or row != self.draft_row:
            return
        try:
            sheet = self.db.reader.surveys.sheet_for_entry(typed, unit=self.unit or "", form=self.form,
                                                           period=self.period, entry=self.entry)
        except WorkbenchError as exc:
            self.say(str(exc), error=True)
            QApplication.beep()
            return
        self.draft |= {"sheet": sheet, "number": sheet.serial}
        self.grid.set_text(row, 0, sheet.serial)
        self.grid.setCurrentCell(row, self.grid.first_answer)
        self.say(tr("Lembar {code}: ketik jawabannya", code=sheet.code))

    def _profile_fields(self) -> tuple[str, ...]:
        return SHORT_PROFILE if self.form == "skm" else ()

    def _next_number(self) -> int:
        """One past the highest number, and past the count (imported questionnaires carry none)."""
        return max(max((r.number or 0 for r in self.respondents), default=0), len(self.respondents)) + 1

    def show_results(self) -> None:
        """The unit's sample, and its IKM (SKM) or F-03 means, from what is stored."""
        status = self.outcome.present(self.db.reader.surveys, self.period, self.unit, self.form)
        if status is not None:
            self.population.blockSignals(True)
            self.population.setValue(status.population or 0)
            self.population.blockSignals(False)

    def _on_current_cell_changed(self, row: int, column: int, *_: int) -> None:
        inst, fields = self.instrument, self._profile_fields()
        if column >= self.grid.first_answer:
            n = column - self.grid.first_answer
            item = inst.unsur[n]
            labels = ", ".join(f"{inst.scale_min + k}/{chr(97 + k)} {label}" for k, label in enumerate(item.options))
            self.question.setText(f"{f'U{n + 1}' if self.form == 'skm' else item.key} · {pick(item.name, item.name_en)}"
                                  f": {item.question} ({labels or f'{inst.scale_min}-{inst.scale_max}'})")
        elif 1 <= column <= len(fields):
            self.question.setText(tr("{field}: ketik lalu Enter. Jenis kelamin L atau P, usia dalam tahun.",
                                     field=tr(PROFILE_LABELS[fields[column - 1]]).capitalize()))
        elif self.grid.by_sheet and row == self.draft_row:
            self.question.setText(tr("No: ketik nomor lembar lalu Enter, atau pindai kode batangnya."))
        else:
            self.question.setText("")

    # --- typing ------------------------------------------------------------------------------

    def _item_of(self, column: int) -> str:
        return self.instrument.unsur[column - self.grid.first_answer].key

    def answer(self, row: int, column: int, value: int | None) -> None:
        """A digit typed (or an answer cleared) at a cell of the grid."""
        item = self._item_of(column)
        if row == self.draft_row:  # the new row: kept until it is finished
            assert self.draft is not None
            old = self.draft["answers"].get(item)
            if old == value:
                return
            if column + 1 == self.grid.columnCount() and value is not None:
                self.set_draft_answer(item, value)  # it completes the row: its save is what Ctrl+Z takes back
            else:
                self.undo_stack.push(DraftAnswer(self, item, old, value))
            return
        stored = self.respondents[row]
        if stored.answers.get(item) != value:
            self.grid.set_text(row, column, value)
            self.undo_stack.push(Answer(self, stored.uuid, item, stored.answers.get(item), value))

    def set_draft_answer(self, item: str, value: int | None, *, cursor: bool = False) -> None:
        """Show an answer of the row being typed; with `cursor`, put the cursor on it (an undo)."""
        assert self.draft is not None
        if value is None:
            self.draft["answers"].pop(item, None)
        else:
            self.draft["answers"][item] = value
        column = self.grid.first_answer + [u.key for u in self.instrument.unsur].index(item)
        self.grid.set_text(self.draft_row, column, value)
        if cursor:
            self.grid.setCurrentCell(self.draft_row, column)

    def write_answer(self, uuid: str, item: str, value: int | None) -> None:
        self._change(lambda wb: wb.surveys.set_answer(uuid, item, value))

    def write_profile(self, uuid: str, field: str, value: str) -> None:
        self._change(lambda wb: wb.surveys.set_profile(uuid, field, value))

    def _change(self, job: Callable[[Workbook], Respondent]) -> None:
        """Change a stored questionnaire on the writer thread, and say so."""
        self.store(job, lambda r: self.say(tr("Kuesioner {number} diubah", number=r.number or "–")))

    def store(self, job: Callable[[Workbook], Any], on_success: Callable[[Any], None] | None = None) -> None:
        """Hand a write to the writer thread; what fails is said under the grid."""
        self.db.write(lambda wb, progress, cancel: job(wb), parent=self, on_success=on_success,
                      on_failure=self._failed)

    def finish_row(self, row: int, by_digit: bool) -> None:
        """Store the new row as a questionnaire (when it has answers) and start the next one."""
        if row != self.draft_row:
            self.grid.setCurrentCell(min(row + 1, self.draft_row), self.grid.first_answer)
            return
        assert self.draft is not None
        if not self.draft["answers"] or self.unit is None:
            return
        if self.grid.by_sheet and self.draft["sheet"] is None:
            self.say(tr("Ketik atau pindai nomor lembar di kolom No dahulu"), error=True)
            self.grid.setCurrentCell(row, 0)
            return
        last = list(self.draft["answers"])[-1] if by_digit else None
        self.undo_stack.push(Added(self, self.draft, last))  # stores it, and starts the next row
        self.grid.setCurrentCell(self.draft_row, self.grid.first_answer)

    def _on_grid_refused(self, text: str) -> None:
        lo, hi = self.grid.scale
        self.say(tr("{value} bukan jawaban: skala {lo}-{hi}", value=text, lo=lo, hi=hi), error=True)
        QApplication.beep()

    def _on_profile_edited(self, cell: QTableWidgetItem) -> None:
        column, fields = cell.column(), self._profile_fields()
        if not 1 <= column <= len(fields):
            return
        field, text = fields[column - 1], cell.text()
        try:
            value = profile_value(field, text)
        except ValueError as exc:
            self.say(f"{tr(PROFILE_LABELS[field]).capitalize()}: {exc}", error=True)
            value = None
        if cell.row() == self.draft_row:
            assert self.draft is not None
            if value is None:
                self.grid.set_text(cell.row(), column, self.draft["profile"].get(field, ""))
            elif value:
                self.draft["profile"][field] = value
                self.grid.set_text(cell.row(), column, value)
            else:
                self.draft["profile"].pop(field, None)
            return
        stored = self.respondents[cell.row()]
        old = stored.profile.get(field, "")
        if value is None or value == old:
            self.grid.set_text(cell.row(), column, old)
            return
        self.grid.set_text(cell.row(), column, value)
        self.undo_stack.push(Profile(self, stored.uuid, field, old, value))

    def save_population(self) -> None:
        if self.unit is None or self.population.value() == 0:
            return
        unit, form, period, people = self.unit, self.form, self.period, self.population.value()
        self.db.write(lambda wb, progress, cancel: wb.surveys.set_population(unit, people, form=form, period=period),
                      parent=self, on_failure=self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.say(str(exc), error=True)

    def say(self, text: str, *, error: bool = False) -> None:
        self.last_message = text
        self.message.setText(text)
        self.message.setStyleSheet("color: #b00020;" if error else "")

    def _on_db_changed(self, changes: Changes, asking: object) -> None:
        if (changes.unit or changes.external) and self.units_filled:
            self.fill_units()
        if not self.loaded:
            return
        if changes.survey or changes.unit or changes.period or changes.external:
            self.reload()
