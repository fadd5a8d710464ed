"""Survei: paper questionnaires typed in one respondent per row, and the unit's results as they grow.

Built for a typist with a stack of forms: the cursor starts on the first question of a new row; a digit
enters the answer and moves on; at the end of the row (or with Enter) the questionnaire is stored and the
next row starts with the next number; Backspace clears an answer; Ctrl+Z takes back the last change.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QShowEvent, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.aspect_chart import AspectChart
from ui.database import Database
from ui.period_box import PeriodBox
from workbench import Workbook
from workbench.domain.instrument import Questionnaire
from workbench.events import Changes
from workbench.exchange.survey_sheet import SurveyImport
from workbench.i18n import pick, tr
from workbench.surveys import FORMS, PROFILE_LABELS, Respondent

FORM_NAMES = {"skm": "SKM (PermenPAN-RB 14/2017)", "f03a": "F-03 A (luring)", "f03b": "F-03 B (daring)"}
SHORT_PROFILE = ("jenis_kelamin", "usia", "pendidikan", "pekerjaan")  # typed as short codes on paper forms


class AnswerGrid(QTableWidget):
    """The questionnaire grid: digits answer and move on, Enter ends a respondent, Backspace clears."""

    answered = Signal(int, int, object)  # row, column, value (int, or None when cleared)
    finished = Signal(int)  # row: the respondent is complete, or Enter was pressed on it

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.first_answer = 1
        self.scale = (1, 4)
        self.verticalHeader().hide()  # the "No" column numbers the questionnaires

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        row, column = self.currentRow(), self.currentColumn()
        text = event.text()
        if column >= self.first_answer and text.isdigit() and self.scale[0] <= int(text) <= self.scale[1]:
            self.answered.emit(row, column, int(text))
            if column + 1 < self.columnCount():
                self.setCurrentCell(row, column + 1)
            else:
                self.finished.emit(row)
            return
        if column >= self.first_answer and event.key() in (Qt.Key.Key_Backspace, Qt.Key.Key_Delete):
            self.answered.emit(row, column, None)
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.state() != self.State.EditingState:
            self.finished.emit(row)
            return
        super().keyPressEvent(event)


class _Answer(QUndoCommand):
    """One answer typed into a stored questionnaire, undoable."""

    def __init__(self, page: SurveyPage, uuid: str, item: str, old: int | None, new: int | None) -> None:
        super().__init__(tr("jawaban {item}", item=item))
        self.page, self.uuid, self.item, self.old, self.new = page, uuid, item, old, new

    def redo(self) -> None:
        self.page.write_answer(self.uuid, self.item, self.new)

    def undo(self) -> None:
        self.page.write_answer(self.uuid, self.item, self.old)


class SurveyPage(QWidget):
    """Period, unit and form at the top; the grid of questionnaires; the unit's IKM (or F-03 means) below."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.undo_stack = QUndoStack(self)
        self.respondents: list[Respondent] = []
        self.draft: dict[str, Any] = {}  # the new row being typed: answers and profile, stored when finished
        self.last_message = ""
        self.period_box = PeriodBox(db.reader)
        self.period_box.currentIndexChanged.connect(lambda _: self.reload())
        self.unit_box = QComboBox()
        self.unit_box.setAccessibleName(tr("Unit"))
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
        bar = QHBoxLayout()
        for label, widget in ((tr("Periode"), self.period_box), (tr("Unit"), self.unit_box),
                              (tr("Formulir"), self.form_box), (tr("Populasi"), self.population)):
            bar.addWidget(QLabel(label))
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
        self.grid.itemChanged.connect(self._on_profile_edited)
        self.hint = QLabel(tr("Ketik angka jawaban: kursor pindah ke pertanyaan berikutnya, baris disimpan di akhir "
                              "(atau Enter). Backspace menghapus jawaban, Ctrl+Z mengurungkan."))
        self.hint.setWordWrap(True)
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
        layout.addWidget(self.grid, 3)
        layout.addLayout(lower, 2)
        self.fill_units()
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

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if not self.loaded:
            self.reload()

    def fill_units(self) -> None:
        keep = self.unit
        self.unit_box.blockSignals(True)
        self.unit_box.clear()
        for unit in self.db.reader.registry.units():
            self.unit_box.addItem(f"{unit.code} · {unit.name}", unit.code)
        if keep and self.unit_box.findData(keep) >= 0:
            self.unit_box.setCurrentIndex(self.unit_box.findData(keep))
        self.unit_box.blockSignals(False)

    def select(self, unit: str, form: str = "skm") -> None:
        """Show a unit's questionnaires of a form (as choosing them in the boxes would)."""
        self.form_box.setCurrentIndex(self.form_box.findData(form))
        self.unit_box.setCurrentIndex(self.unit_box.findData(unit))
        self.reload()

    # --- showing -----------------------------------------------------------------------------

    def reload(self) -> None:
        """Fill the grid with the stored questionnaires and a new row, and show the results."""
        self.loaded = True
        inst = self.instrument
        items = [u.key for u in inst.unsur]
        profile = SHORT_PROFILE if self.form == "skm" else ()
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
        self.grid.setRowCount(len(self.respondents) + 1)
        for row, respondent in enumerate(self.respondents):
            self._show_row(row, respondent.number, respondent.profile, respondent.answers, profile, items)
        self.draft = {"number": self._next_number(), "answers": {}, "profile": {}}
        self._show_row(len(self.respondents), self.draft["number"], {}, {}, profile, items)
        self.grid.resizeColumnsToContents()
        self.grid.blockSignals(False)
        self.grid.setCurrentCell(len(self.respondents), self.grid.first_answer)
        self.show_results()

    def _show_row(self, row: int, number: int | None, profile: dict[str, str], answers: dict[str, int],
                  fields: tuple[str, ...], items: list[str]) -> None:
        cells = [str(number or ""), *(profile.get(f, "") for f in fields), *(str(answers.get(i, "")) for i in items)]
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if column >= self.grid.first_answer or column == 0:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)  # answers are typed as digits
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            self.grid.setItem(row, column, item)

    def _next_number(self) -> int:
        return max((r.number or 0 for r in self.respondents), default=0) + 1

    def show_results(self) -> None:
        """The unit's sample, and its IKM (SKM) or F-03 means, from what is stored."""
        reader, unit = self.db.reader.surveys, self.unit
        status = next((s for s in reader.status(self.period, form=self.form) if s.unit == unit), None)
        if status is not None:
            self.population.blockSignals(True)
            self.population.setValue(status.population or 0)
            self.population.blockSignals(False)
            self.sample.setText(tr("sampel {sample} · terkumpul {collected}", sample=status.sample or "–",
                                   collected=status.collected)
                                + (" ✓" if status.enough else ""))
        inst = self.instrument
        names = {u.key: pick(u.name, u.name_en) for u in inst.unsur}
        if self.form == "skm":
            result = reader.results(self.period).get(unit or "")
            if result is None:
                self.summary.setText(tr("Belum ada kuesioner SKM untuk unit ini."))
                self.chart.set_bars([])
                return
            lowest = min(result.nrr, key=lambda k: result.nrr[k])
            self.summary.setText(tr("IKM {nik} · mutu {mutu} ({kinerja}) · {count} responden\nIKM skala 1-4: "
                                    "{ikm}\nUnsur terendah: {lowest} ({value})", nik=f"{result.nik:.2f}",
                                    mutu=result.band.code, kinerja=result.band.label, count=result.respondents,
                                    ikm=f"{result.ikm:.3f}", lowest=names[lowest], value=f"{result.nrr[lowest]:.2f}"))
            self.chart.maximum = 4
            self.chart.set_bars([(names[k], v) for k, v in result.nrr.items()])
            return
        found = next((r for r in reader.f03_results(self.period, form=self.form) if r.unit == unit), None)
        if found is None:
            self.summary.setText(tr("Belum ada kuesioner {form} untuk unit ini.", form=FORM_NAMES[self.form]))
            self.chart.set_bars([])
            return
        self.summary.setText(tr("Rata-rata {form}: {mean} (skala 0-5) · {count} responden", form=FORM_NAMES[self.form],
                                mean=f"{found.mean:.2f}" if found.mean is not None else "–", count=found.respondents))
        aspect_names = {code: pick(name, name_en) for code, name, name_en in getattr(inst, "aspects", ())}
        self.chart.maximum = 5
        self.chart.set_bars([(f"{code} {aspect_names.get(code, '')}", value) for code, value in found.aspects.items()])

    # --- typing ------------------------------------------------------------------------------

    def _item_of(self, column: int) -> str:
        return self.instrument.unsur[column - self.grid.first_answer].key

    def answer(self, row: int, column: int, value: int | None) -> None:
        """A digit typed (or an answer cleared) at a cell of the grid."""
        item = self._item_of(column)
        cell = self.grid.item(row, column)
        if cell is not None:
            self.grid.blockSignals(True)
            cell.setText("" if value is None else str(value))
            self.grid.blockSignals(False)
        if row == len(self.respondents):  # the new row: kept until it is finished
            if value is None:
                self.draft["answers"].pop(item, None)
            else:
                self.draft["answers"][item] = value
            return
        stored = self.respondents[row]
        if stored.answers.get(item) != value:
            self.undo_stack.push(_Answer(self, stored.uuid, item, stored.answers.get(item), value))

    def write_answer(self, uuid: str, item: str, value: int | None) -> None:
        self.db.write(lambda wb, progress, cancel: wb.surveys.set_answer(uuid, item, value), parent=self,
                      on_failure=lambda exc: self._say(str(exc)))

    def finish_row(self, row: int) -> None:
        """Store the new row as a questionnaire (when it has answers) and start the next one."""
        if row != len(self.respondents):
            self.grid.setCurrentCell(min(row + 1, len(self.respondents)), self.grid.first_answer)
            return
        answers, profile, number = dict(self.draft["answers"]), dict(self.draft["profile"]), self.draft["number"]
        if not answers or self.unit is None:
            return
        unit, form, period = self.unit, self.form, self.period

        def store(wb: Workbook, progress: object, cancel: object) -> Respondent:
            return wb.surveys.add(unit=unit, form=form, answers=answers, profile=profile, number=number,
                                  period=period)

        self.db.write(store, parent=self, on_success=self._stored, on_failure=lambda exc: self._say(str(exc)))

    def _stored(self, respondent: Respondent) -> None:
        self.undo_stack.push(_Added(self, respondent))
        self._say(tr("Kuesioner {number} tersimpan", number=respondent.number or "–"))

    def _on_profile_edited(self, item: QTableWidgetItem) -> None:
        column = item.column()
        if not 1 <= column < self.grid.first_answer:
            return
        field = SHORT_PROFILE[column - 1]
        if item.row() == len(self.respondents):
            self.draft["profile"][field] = item.text().strip()

    def save_population(self) -> None:
        if self.unit is None or self.population.value() == 0:
            return
        unit, form, period, population = self.unit, self.form, self.period, self.population.value()
        self.db.write(lambda wb, progress, cancel: wb.surveys.set_population(unit, population, form=form,
                                                                             period=period),
                      parent=self, on_failure=lambda exc: self._say(str(exc)))

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
                             count=len(result.problems), first=result.problems[0]))
            elif result.already_imported:
                self._say(tr("{file}: sudah pernah diimpor; tidak ada yang ditambahkan", file=path.name))
            else:
                self._say(tr("{file}: {added} responden {form}{note}", file=path.name, added=result.added, form=form,
                             note=""))

        self.db.write(lambda wb, progress, cancel: wb.exchange.import_survey(path, form=form, unit=unit,
                                                                             period=period),
                      parent=self, label=tr("Mengimpor kuesioner…"), on_success=done,
                      on_failure=lambda exc: self._say(str(exc)))

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
                         tr("Laporan SKM disimpan: {path}", path=out)), on_failure=lambda exc: self._say(str(exc)))

    def _say(self, text: str) -> None:
        self.last_message = text
        self.hint.setText(text)

    def _on_db_changed(self, changes: Changes, asking: object) -> None:
        if changes.unit or changes.external:
            self.fill_units()
        if not self.loaded:
            return
        if changes.survey or changes.unit or changes.period or changes.external:
            self.reload()


class _Added(QUndoCommand):
    """A questionnaire stored from the grid: undo removes it, redo stores it again."""

    def __init__(self, page: SurveyPage, respondent: Respondent) -> None:
        super().__init__(tr("kuesioner {number}", number=respondent.number or ""))
        self.page, self.respondent, self.uuid = page, respondent, respondent.uuid
        self.first = True

    def redo(self) -> None:
        if self.first:  # stored already when the command was made
            self.first = False
            return
        r, page = self.respondent, self.page
        form = next(short for short, ident in FORMS.items() if ident == r.form)

        def store(wb: Workbook, progress: object, cancel: object) -> Respondent:
            return wb.surveys.add(unit=r.unit, form=form, answers=r.answers, profile=r.profile, number=r.number,
                                  period=page.period)

        page.db.write(store, parent=page, on_success=lambda again: setattr(self, "uuid", again.uuid))

    def undo(self) -> None:
        uuid = self.uuid
        self.page.db.write(lambda wb, progress, cancel: wb.surveys.remove(uuid), parent=self.page)

