"""Survei: paper questionnaires typed in one respondent per row, and the unit's results as they grow.

Built for a typist with a stack of forms: the cursor starts on the first question of a new row; a digit
enters the answer and moves on; at the end of the row (or with Enter) the questionnaire is stored and the
next row starts with the next number; Backspace clears an answer (the one before, on an empty cell); Ctrl+Z
takes back the last digit, even the one that stored a questionnaire. Tab leaves the grid, Esc goes back to
the unit box.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QShowEvent, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.aspect_chart import AspectChart
from ui.database import Database
from ui.labels import buddy
from ui.period_box import PeriodBox
from workbench import Workbook
from workbench.domain.instrument import Questionnaire
from workbench.events import Changes
from workbench.exchange.survey_sheet import SurveyImport
from workbench.i18n import decimal, pick, tr
from workbench.surveys import PROFILE_LABELS, Respondent, profile_value

FORM_NAMES = {"skm": "SKM (PermenPAN-RB 14/2017)", "f03a": "F-03 A (luring)", "f03b": "F-03 B (daring)"}
SHORT_PROFILE = ("jenis_kelamin", "usia", "pendidikan", "pekerjaan")  # typed as short codes on paper forms
SHOWN_PROBLEMS = 15  # of an import that failed, listed in its message


class AnswerGrid(QTableWidget):
    """The questionnaire grid: digits answer and move on, Enter ends a respondent, Backspace clears."""

    answered = Signal(int, int, object)  # row, column, value (int, or None when cleared)
    finished = Signal(int, bool)  # row, and whether a digit (not Enter) completed it
    refused = Signal(str)  # a key that is no answer on the scale
    left = Signal()  # Esc: back to the boxes above

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.first_answer = 1
        self.scale = (1, 4)
        self.verticalHeader().hide()  # the "No" column numbers the questionnaires
        self.setTabKeyNavigation(False)  # Tab goes on to the next control, as everywhere else

    def keyPressEvent(self, event: QKeyEvent) -> None:
        row, column = self.currentRow(), self.currentColumn()
        text, key = event.text(), event.key()
        editing = self.state() == self.State.EditingState
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


class SurveyPage(QWidget):
    """Period, unit and form at the top; the grid of questionnaires; the unit's IKM (or F-03 means) below."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.undo_stack = QUndoStack(self)
        self.respondents: list[Respondent] = []
        self.view: tuple[str, str | None, str] | None = None  # (period, unit, form) shown
        self.draft: dict[str, Any] | None = None  # the new row being typed: number, answers, profile
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
        self.sample = QLabel()
        self.sample.setMinimumWidth(self.sample.fontMetrics().horizontalAdvance("sampel 9999 · terkumpul 99999 ✓"))
        bar = QHBoxLayout()
        for text, widget in ((tr("Pe&riode"), self.period_box), (tr("U&nit"), self.unit_box),
                             (tr("&Formulir"), self.form_box), (tr("P&opulasi"), self.population)):
            bar.addWidget(buddy(text, widget))
            bar.addWidget(widget, 1 if widget is self.unit_box else 0)
        bar.addWidget(self.sample)
        import_button = QPushButton(tr("&Impor kuesioner…"))
        import_button.setToolTip(tr("xlsx, xls, ods atau CSV (mis. unduhan Google Forms): satu baris satu responden"))
        import_button.clicked.connect(self._on_import_clicked)
        report_button = QPushButton(tr("&Laporan SKM (PDF)…"))
        report_button.clicked.connect(self._on_report_clicked)
        self.grid = AnswerGrid()
        self.grid.answered.connect(self.answer)
        self.grid.finished.connect(self.finish_row)
        self.grid.refused.connect(self._on_grid_refused)
        self.grid.left.connect(self.unit_box.setFocus)
        self.grid.itemChanged.connect(self._on_profile_edited)
        self.grid.currentCellChanged.connect(self._on_current_cell_changed)
        self.hint = QLabel(tr("Ketik angka jawaban: kursor pindah ke pertanyaan berikutnya, baris disimpan di akhir "
                              "(atau Enter). Backspace menghapus jawaban, Ctrl+Z mengurungkan, Tab keluar dari "
                              "tabel, Esc ke pilihan unit."))
        self.hint.setWordWrap(True)
        self.question = QLabel()  # the question under the cursor, with its scale
        self.question.setWordWrap(True)
        self.message = QLabel()  # what the last action did, or why it could not
        self.message.setWordWrap(True)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.chart = AspectChart(maximum=4)
        self.chart.empty_text = tr("Belum ada kuesioner untuk unit ini")
        lower = QHBoxLayout()
        lower.addWidget(self.summary, 1)
        lower.addWidget(self.chart, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        second = QHBoxLayout()
        second.addWidget(self.hint, 1)
        second.addWidget(import_button)
        second.addWidget(report_button)
        layout.addLayout(second)
        layout.addWidget(self.question)
        layout.addWidget(self.grid, 3)
        layout.addWidget(self.message)
        layout.addLayout(lower, 2)
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
        view = (self.period, self.unit, self.form)
        if view != self.view:  # what Ctrl+Z would take back is not on screen any more
            self.view, self.draft = view, None
            self.undo_stack.clear()
            self._say("")
        on_draft = self.grid.currentRow() in (-1, self.draft_row)
        row, column = self.grid.currentRow(), self.grid.currentColumn()
        inst = self.instrument
        items = [u.key for u in inst.unsur]
        profile = self._profile_fields()
        self.grid.blockSignals(True)
        self.grid.clear()
        self.grid.first_answer = 1 + len(profile)
        self.grid.scale = (inst.scale_min, inst.scale_max)
        headers = [tr("No"), *(tr(PROFILE_LABELS[p]).capitalize() for p in profile),
                   *(f"U{n}" if self.form == "skm" else u.key for n, u in enumerate(inst.unsur, start=1))]
        self.grid.setColumnCount(len(headers))
        self.grid.setHorizontalHeaderLabels(headers)
        for n, u in enumerate(inst.unsur):
            header = self.grid.horizontalHeaderItem(self.grid.first_answer + n)
            if header is not None:
                header.setToolTip(f"{pick(u.name, u.name_en)}: {u.question}")
        self.respondents = self.db.reader.surveys.respondents(unit=self.unit, form=self.form, period=self.period) \
            if self.unit else []
        self.grid.setRowCount(self.draft_row + 1)
        for n, respondent in enumerate(self.respondents):
            self._show_row(n, respondent.number, respondent.profile, respondent.answers, respondent)
        if self.draft is None:
            self.draft = {"number": self._next_number(), "answers": {}, "profile": {}}
        self._show_row(self.draft_row, self.draft["number"], self.draft["profile"], self.draft["answers"], None)
        self.grid.resizeColumnsToContents()
        self.grid.blockSignals(False)
        if on_draft:
            typed = [i for i in items if i in self.draft["answers"]]
            column = self.grid.first_answer + (items.index(typed[-1]) + 1 if typed else 0)
            self.grid.setCurrentCell(self.draft_row, min(column, self.grid.columnCount() - 1))
        else:
            self.grid.setCurrentCell(min(row, self.draft_row), column)
        self.show_results()

    def _profile_fields(self) -> tuple[str, ...]:
        return SHORT_PROFILE if self.form == "skm" else ()

    def _show_row(self, row: int, number: int | None, profile: dict[str, str], answers: dict[str, int],
                  respondent: Respondent | None) -> None:
        items = [u.key for u in self.instrument.unsur]
        cells = [str(number or ""), *(profile.get(f, "") for f in self._profile_fields()),
                 *(str(answers.get(i, "")) for i in items)]
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if column >= self.grid.first_answer or column == 0:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)  # answers are typed as digits
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            if column == 0 and respondent is not None and respondent.source != "typed":
                item.setToolTip(tr("diimpor dari {file}", file=respondent.source))
            self.grid.setItem(row, column, item)

    def _next_number(self) -> int:
        """One past the highest number, and past the count (imported questionnaires carry none)."""
        return max(max((r.number or 0 for r in self.respondents), default=0), len(self.respondents)) + 1

    def show_results(self) -> None:
        """The unit's sample, and its IKM (SKM) or F-03 means, from what is stored."""
        reader, unit = self.db.reader.surveys, self.unit
        status = next((s for s in reader.status(self.period, form=self.form) if s.unit == unit), None)
        short = ""
        if status is not None:
            self.population.blockSignals(True)
            self.population.setValue(status.population or 0)
            self.population.blockSignals(False)
            self.sample.setText(tr("sampel {sample} · terkumpul {collected}", sample=status.sample or "–",
                                   collected=status.collected)
                                + (" ✓" if status.enough else ""))
            if status.sample and not status.enough:
                short = "\n" + tr("Sampel belum tercapai ({collected} dari {sample}): hasil belum mewakili "
                                  "pengguna layanan.", collected=status.collected, sample=status.sample)
        inst = self.instrument
        names = {u.key: pick(u.name, u.name_en) for u in inst.unsur}
        if self.form == "skm":
            result = reader.results(self.period).get(unit or "")
            if result is None:
                self.summary.setText(tr("Belum ada kuesioner SKM untuk unit ini."))
                self.chart.set_bars([])
                return
            lowest = result.lowest
            self.summary.setText(tr("IKM {nik} · mutu {mutu} ({kinerja}) · {count} responden\nIKM skala 1-4: "
                                    "{ikm}\nUnsur terendah: {lowest} ({value})", nik=decimal(result.nik),
                                    mutu=result.band.code, kinerja=result.band.label, count=result.respondents,
                                    ikm=decimal(result.ikm, 3), lowest=", ".join(names[k] for k in lowest),
                                    value=decimal(result.nrr[lowest[0]])) + short)
            self.chart.maximum = 4
            self.chart.set_bars([(names[k], v) for k, v in result.nrr.items()])
            return
        found = next((r for r in reader.f03_results(self.period, form=self.form) if r.unit == unit), None)
        if found is None:
            self.summary.setText(tr("Belum ada kuesioner {form} untuk unit ini.", form=FORM_NAMES[self.form]))
            self.chart.set_bars([])
            return
        self.summary.setText(tr("Rata-rata {form}: {mean} (skala 0-5) · {count} responden", form=FORM_NAMES[self.form],
                                mean=decimal(found.mean),
                                count=found.respondents) + short)
        aspect_names = {code: pick(name, name_en) for code, name, name_en in getattr(inst, "aspects", ())}
        self.chart.maximum = 5
        self.chart.set_bars([(f"{code} {aspect_names.get(code, '')}", value) for code, value in found.aspects.items()])

    def _on_current_cell_changed(self, row: int, column: int, *_: int) -> None:
        inst, fields = self.instrument, self._profile_fields()
        if column >= self.grid.first_answer:
            n = column - self.grid.first_answer
            item = inst.unsur[n]
            labels = ", ".join(f"{inst.scale_min + k} {label}" for k, label in enumerate(item.options))
            self.question.setText(f"{f'U{n + 1}' if self.form == 'skm' else item.key} · {pick(item.name, item.name_en)}"
                                  f": {item.question} ({labels or f'{inst.scale_min}-{inst.scale_max}'})")
        elif 1 <= column <= len(fields):
            self.question.setText(tr("{field}: ketik lalu Enter. Jenis kelamin L atau P, usia dalam tahun.",
                                     field=tr(PROFILE_LABELS[fields[column - 1]]).capitalize()))
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
                self.undo_stack.push(_DraftAnswer(self, item, old, value))
            return
        stored = self.respondents[row]
        if stored.answers.get(item) != value:
            self.set_cell(row, column, value)
            self.undo_stack.push(_Answer(self, stored.uuid, item, stored.answers.get(item), value))

    def set_cell(self, row: int, column: int, value: object) -> None:
        cell = self.grid.item(row, column)
        if cell is not None:
            self.grid.blockSignals(True)
            cell.setText("" if value is None else str(value))
            self.grid.blockSignals(False)

    def set_draft_answer(self, item: str, value: int | None, *, cursor: bool = False) -> None:
        """Show an answer of the row being typed; with `cursor`, put the cursor on it (an undo)."""
        assert self.draft is not None
        if value is None:
            self.draft["answers"].pop(item, None)
        else:
            self.draft["answers"][item] = value
        column = self.grid.first_answer + [u.key for u in self.instrument.unsur].index(item)
        self.set_cell(self.draft_row, column, value)
        if cursor:
            self.grid.setCurrentCell(self.draft_row, column)

    def write_answer(self, uuid: str, item: str, value: int | None) -> None:
        self.db.write(lambda wb, progress, cancel: wb.surveys.set_answer(uuid, item, value), parent=self,
                      on_success=lambda r: self._say(tr("Kuesioner {number} diubah", number=r.number or "–")),
                      on_failure=lambda exc: self._say(str(exc), error=True))

    def finish_row(self, row: int, by_digit: bool) -> None:
        """Store the new row as a questionnaire (when it has answers) and start the next one."""
        if row != self.draft_row:
            self.grid.setCurrentCell(min(row + 1, self.draft_row), self.grid.first_answer)
            return
        assert self.draft is not None
        if not self.draft["answers"] or self.unit is None:
            return
        last = list(self.draft["answers"])[-1] if by_digit else None
        self.undo_stack.push(_Added(self, self.draft, last))  # stores it, and starts the next row
        self.grid.setCurrentCell(self.draft_row, self.grid.first_answer)

    def _on_grid_refused(self, text: str) -> None:
        lo, hi = self.grid.scale
        self._say(tr("{value} bukan jawaban: skala {lo}-{hi}", value=text, lo=lo, hi=hi), error=True)
        QApplication.beep()

    def _on_profile_edited(self, cell: QTableWidgetItem) -> None:
        column, fields = cell.column(), self._profile_fields()
        if not 1 <= column <= len(fields):
            return
        field, text = fields[column - 1], cell.text()
        try:
            value = profile_value(field, text)
        except ValueError as exc:
            self._say(f"{tr(PROFILE_LABELS[field]).capitalize()}: {exc}", error=True)
            value = None
        if cell.row() == self.draft_row:
            assert self.draft is not None
            if value is None:
                self.set_cell(cell.row(), column, self.draft["profile"].get(field, ""))
            elif value:
                self.draft["profile"][field] = value
                self.set_cell(cell.row(), column, value)
            else:
                self.draft["profile"].pop(field, None)
            return
        stored = self.respondents[cell.row()]
        old = stored.profile.get(field, "")
        if value is None or value == old:
            self.set_cell(cell.row(), column, old)
            return
        self.set_cell(cell.row(), column, value)
        self.undo_stack.push(_Profile(self, stored.uuid, field, old, value))

    def write_profile(self, uuid: str, field: str, value: str) -> None:
        self.db.write(lambda wb, progress, cancel: wb.surveys.set_profile(uuid, field, value), parent=self,
                      on_success=lambda r: self._say(tr("Kuesioner {number} diubah", number=r.number or "–")),
                      on_failure=lambda exc: self._say(str(exc), error=True))

    def save_population(self) -> None:
        if self.unit is None or self.population.value() == 0:
            return
        unit, form, period, population = self.unit, self.form, self.period, self.population.value()
        self.db.write(lambda wb, progress, cancel: wb.surveys.set_population(unit, population, form=form,
                                                                             period=period),
                      parent=self, on_failure=lambda exc: self._say(str(exc), error=True))

    def _on_import_clicked(self) -> None:
        kind = tr("Kuesioner")
        path, _ = QFileDialog.getOpenFileName(self, tr("Impor kuesioner"), str(Path.home()),
                                              f"{kind} (*.xlsx *.xls *.ods *.csv)")
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> None:
        """Import a file of questionnaires for the unit and form shown (or the units its kode_unit column names)."""
        unit, form, period = self.unit, self.form, self.period

        def done(result: SurveyImport) -> None:
            if result.problems:
                self._say(tr("{file}: {count} masalah, tidak ada yang disimpan. Pertama: {first}", file=path.name,
                             count=len(result.problems), first=result.problems[0]), error=True)
                listed = [str(p) for p in result.problems[:SHOWN_PROBLEMS]]
                if len(result.problems) > SHOWN_PROBLEMS:
                    listed.append(tr("… dan {count} masalah lain", count=len(result.problems) - SHOWN_PROBLEMS))
                box = QMessageBox(QMessageBox.Icon.Warning, tr("Impor kuesioner"), tr(
                    "{file}: {count} masalah, tidak ada yang disimpan. Perbaiki berkasnya lalu impor lagi.",
                    file=path.name, count=len(result.problems)), QMessageBox.StandardButton.Ok, self)
                box.setDetailedText("\n".join(listed))
                box.setInformativeText("\n".join(listed[:5]))
                box.open()
            elif result.already_imported:
                self._say(tr("{file}: sudah pernah diimpor; tidak ada yang ditambahkan", file=path.name))
            else:
                self._say(tr("{file}: {added} responden {form}{note}", file=path.name, added=result.added, form=form,
                             note=""))

        self.db.write(lambda wb, progress, cancel: wb.exchange.import_survey(path, form=form, unit=unit,
                                                                             period=period),
                      parent=self, label=tr("Mengimpor kuesioner…"), on_success=done,
                      on_failure=lambda exc: self._say(str(exc), error=True))

    def _on_report_clicked(self) -> None:
        if self.unit is None:
            return
        path, _ = QFileDialog.getSaveFileName(self, tr("Laporan SKM"), str(Path.home() / f"skm-{self.unit}.pdf"),
                                              "PDF (*.pdf)")
        if path:
            self.write_report(Path(path))

    def write_report(self, path: Path) -> None:
        from workbench.usecases.reports import write_skm

        unit, period = self.unit or "", self.period
        self.db.read(lambda wb, progress, cancel: write_skm(wb, unit, path, period=period), parent=self,
                     label=tr("Menulis laporan…"), on_success=lambda out: self._say(
                         tr("Laporan SKM disimpan: {path}", path=out)),
                     on_failure=lambda exc: self._say(str(exc), error=True))

    def _say(self, text: str, *, error: bool = False) -> None:
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


class _DraftAnswer(QUndoCommand):
    """One answer typed into the row being typed (not stored yet)."""

    def __init__(self, page: SurveyPage, item: str, old: int | None, new: int | None) -> None:
        super().__init__(tr("jawaban {item}", item=item))
        self.page, self.item, self.old, self.new = page, item, old, new

    def redo(self) -> None:
        self.page.set_draft_answer(self.item, self.new)

    def undo(self) -> None:
        self.page.set_draft_answer(self.item, self.old, cursor=True)


class _Answer(QUndoCommand):
    """One answer typed into a stored questionnaire."""

    def __init__(self, page: SurveyPage, uuid: str, item: str, old: int | None, new: int | None) -> None:
        super().__init__(tr("jawaban {item}", item=item))
        self.page, self.uuid, self.item, self.old, self.new = page, uuid, item, old, new

    def redo(self) -> None:
        self.page.write_answer(self.uuid, self.item, self.new)

    def undo(self) -> None:
        self.page.write_answer(self.uuid, self.item, self.old)


class _Profile(QUndoCommand):
    """One profile field of a stored questionnaire changed."""

    def __init__(self, page: SurveyPage, uuid: str, field: str, old: str, new: str) -> None:
        super().__init__(tr(PROFILE_LABELS[field]))
        self.page, self.uuid, self.field, self.old, self.new = page, uuid, field, old, new

    def redo(self) -> None:
        self.page.write_profile(self.uuid, self.field, self.new)

    def undo(self) -> None:
        self.page.write_profile(self.uuid, self.field, self.old)


class _Added(QUndoCommand):
    """A questionnaire stored from the grid. Undo removes it and puts its answers back into the row being
    typed, less the digit that completed it (`last`), so that Ctrl+Z takes back one keystroke."""

    def __init__(self, page: SurveyPage, draft: dict[str, Any], last: str | None) -> None:
        super().__init__(tr("kuesioner {number}", number=draft["number"]))
        self.page, self.last = page, last
        self.draft = {"number": draft["number"], "answers": dict(draft["answers"]), "profile": dict(draft["profile"])}
        self.unit, self.form, self.period = page.unit or "", page.form, page.period
        self.uuid = ""  # set by the writer thread when stored, before any later write runs

    def redo(self) -> None:
        draft, page = self.draft, self.page
        if page.draft is not None and page.draft["number"] == draft["number"]:  # the next row starts empty
            page.draft = {"number": draft["number"] + 1, "answers": {}, "profile": {}}

        def store(wb: Workbook, progress: object, cancel: object) -> Respondent:
            stored = wb.surveys.add(unit=self.unit, form=self.form, answers=draft["answers"],
                                    profile=draft["profile"], number=draft["number"], period=self.period)
            self.uuid = stored.uuid
            return stored

        blank = len(page.instrument.unsur) - len(draft["answers"])

        def stored(r: Respondent) -> None:
            if blank:  # kept as typed (a respondent may skip a question), but said, so that a slip is seen
                page._say(tr("Kuesioner {number} tersimpan dengan {count} pertanyaan tidak dijawab",
                             number=r.number or "–", count=blank), error=True)
            else:
                page._say(tr("Kuesioner {number} tersimpan", number=r.number or "–"))

        page.db.write(store, parent=page, on_success=stored, on_failure=lambda exc: page._say(str(exc), error=True))

    def undo(self) -> None:
        page = self.page
        page.db.write(lambda wb, progress, cancel: wb.surveys.remove(self.uuid), parent=page)
        answers = {k: v for k, v in self.draft["answers"].items() if k != self.last}
        page.draft = {"number": self.draft["number"], "answers": answers, "profile": dict(self.draft["profile"])}
        page._say(tr("Kuesioner {number} dibuka lagi untuk diketik", number=self.draft["number"]))
