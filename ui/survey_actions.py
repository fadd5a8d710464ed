"""Survei's buttons: questionnaires imported from a sheet, the unit's SKM report, numbered paper forms to
print (each on a worker thread, saying under the grid what it did), and the two keyings compared."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialog, QFileDialog, QInputDialog, QWidget

from ui.database import Database
from ui.survey_outcome import FORM_NAMES
from ui.warning import warn
from workbench.exchange.survey_sheet import SurveyImport
from workbench.i18n import tr
from workbench.surveys import Sheet


def entry_box() -> QComboBox:
    """Which keying of the printed sheets is typed here, under double entry."""
    box = QComboBox()
    box.addItem("1", 1)
    box.addItem("2", 2)
    box.setToolTip(tr("Entri ganda: orang kedua (entri 2) mengetik lembar yang sama tanpa melihat ketikan pertama"))
    return box


class Shown(Protocol):
    """What the file actions need of the Survei page (ui.survey_page.SurveyPage)."""

    db: Database

    @property
    def unit(self) -> str | None: ...
    @property
    def form(self) -> str: ...
    @property
    def period(self) -> str: ...
    def say(self, text: str, *, error: bool = False) -> None: ...
    @property
    def grid(self) -> QWidget: ...
    def folder(self) -> str: ...


class SurveyActions:
    """The Impor kuesioner, Laporan SKM, Cetak kuesioner and Bandingkan entri buttons of the page shown."""

    def __init__(self, page: Shown, widget: QWidget) -> None:
        self.page, self.widget = page, widget

    def _failed(self, exc: BaseException) -> None:
        self.page.say(str(exc), error=True)

    def ask_import(self) -> None:
        kind = tr("Kuesioner")
        path, _ = QFileDialog.getOpenFileName(self.widget, tr("Impor kuesioner"), self.page.folder(),
                                              f"{kind} (*.xlsx *.xls *.ods *.csv)")
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> None:
        """Import a file of questionnaires for the unit and form shown (or the units its kode_unit column names)."""
        page = self.page
        unit, form, period = page.unit, page.form, page.period

        def done(result: SurveyImport) -> None:
            if result.problems:
                page.say(tr("{file}: {count} masalah, tidak ada yang disimpan. Pertama: {first}", file=path.name,
                            count=len(result.problems), first=result.problems[0]), error=True)
                warn(self.widget, tr("Impor kuesioner"), tr(
                    "{file}: {count} masalah, tidak ada yang disimpan. Perbaiki berkasnya lalu impor lagi.",
                    file=path.name, count=len(result.problems)), result.problems)
            elif result.already_imported:
                page.say(tr("{file}: sudah pernah diimpor; tidak ada yang ditambahkan", file=path.name))
            else:
                page.say(tr("{file}: {added} responden {form}{note}", file=path.name, added=result.added, form=form,
                            note=""))

        page.db.write(lambda wb, progress, cancel: wb.exchange.import_survey(path, form=form, unit=unit, period=period),
                      parent=self.widget, label=tr("Mengimpor kuesioner…"), on_success=done, on_failure=self._failed)

    def ask_report(self) -> None:
        if self.page.unit is None:
            return
        suggestion = Path(self.page.folder()) / f"skm-{self.page.unit}.pdf"
        path, _ = QFileDialog.getSaveFileName(self.widget, tr("Laporan SKM"), str(suggestion), "PDF (*.pdf)")
        if path:
            self.write_report(Path(path))

    def write_report(self, path: Path) -> None:
        from workbench.usecases.reports import write_skm

        unit, period = self.page.unit or "", self.page.period
        self.page.db.read(lambda wb, progress, cancel: write_skm(wb, unit, path, period=period), parent=self.widget,
                          label=tr("Menulis laporan…"), on_failure=self._failed,
                          on_success=lambda out: self.page.say(tr("Laporan SKM disimpan: {path}", path=out)))

    def ask_forms(self) -> None:
        """How many numbered paper forms of the form shown to print for the unit, and where."""
        unit = self.page.unit
        if unit is None:
            return
        count, ok = QInputDialog.getInt(self.widget, tr("Cetak kuesioner"), tr(
            "Berapa lembar kuesioner {form} untuk {unit}? (bernomor lanjut dari yang sudah dicetak)",
            form=FORM_NAMES[self.page.form], unit=unit), 20, 1, 5000)
        if not ok:
            return
        path, _ = QFileDialog.getSaveFileName(self.widget, tr("Cetak kuesioner"), str(
            Path(self.page.folder()) / f"kuesioner-{self.page.form}-{unit}.pdf"), "PDF (*.pdf)")
        if path:
            self.print_forms(Path(path), count)

    def print_forms(self, path: Path, count: int) -> None:
        """Number `count` new sheets and print them into `path` (the sheets are kept only with the PDF)."""
        from workbench.usecases.reports import write_forms

        page = self.page
        unit, form, period = page.unit or "", page.form, page.period

        def printed(sheets: list[Sheet]) -> None:
            page.say(tr("{file}: {count} lembar kuesioner {form}, nomor {first} sampai {last}", file=path.name,
                        count=len(sheets), form=FORM_NAMES[form], first=sheets[0].serial, last=sheets[-1].serial))
            page.grid.setFocus()  # on to typing the sheets in

        page.db.write(lambda wb, progress, cancel: write_forms(wb, unit, path, form=form, count=count, period=period),
                      parent=self.widget, label=tr("Mencetak kuesioner…"), on_success=printed,
                      on_failure=self._failed)

    def compare(self) -> QDialog:
        """Bandingkan entri: the differences between the two keyings of the unit's sheets, to settle."""
        from ui.double_entry_dialog import DoubleEntryDialog

        dialog = DoubleEntryDialog(self.page.db, self.page.period, self.page.unit, self.page.form, self.widget)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog
