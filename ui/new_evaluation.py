"""The "new evaluation" wizard: where the database goes, the period and instrument, the unit register, and
who works in it (named in every audit entry)."""

from __future__ import annotations

from datetime import date
from itertools import chain, count
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from workbench.domain.instrument import Instrument, load, shipped
from workbench.domain.passphrase import MIN_PASSPHRASE
from workbench.domain.values import file_name_part
from workbench.errors import ValidationFailed, WorkbenchError
from workbench.i18n import tr
from workbench.usecases.new_evaluation import NewEvaluation, check_units, create_evaluation

SHEETS = "*.xlsx *.xlsm *.xls *.ods"


def _page(title: str, subtitle: str) -> QWizardPage:
    """A page of the wizard with its title and the sentence that says what it asks."""
    page = QWizardPage()
    page.setTitle(title)
    page.setSubTitle(subtitle)
    return page


def _with_button(field: QLineEdit, button: QPushButton) -> QWidget:
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(field, 1)
    layout.addWidget(button)
    return row


class NewEvaluationWizard(QWizard):
    """Four short pages; Finish makes the database (nothing is left behind when it fails)."""

    def __init__(self, folder: str, user: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Evaluasi baru"))
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage)
        self.folder = folder or QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        self.created: Path | None = None
        self.units_found = 0
        self.addPage(self._period_page())
        self.addPage(self._units_page())
        self.addPage(self._person_page(user))
        self.addPage(self._file_page())
        self.resize(640, 460)

    # --- pages -----------------------------------------------------------------------------

    def _period_page(self) -> QWizardPage:
        page = _page(tr("Periode dan instrumen"),
                     tr("Nama periode evaluasi dan instrumen penilaiannya. Periode lain dapat ditambahkan nanti "
                        "(Periode → Tambah periode)."))
        this_year = date.today().year
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(this_year)
        self.period = QLineEdit(f"PEKPPP {this_year}")
        self.year.valueChanged.connect(self._on_year_changed)
        self.instrument = QComboBox()
        for ident in shipped():
            inst = load(ident)
            if isinstance(inst, Instrument):
                self.instrument.addItem(inst.name, ident)
        self.instrument.setCurrentIndex(self.instrument.findData("pekppp-2022-a"))
        self.instrument.addItem(tr("Dari berkas instrumen (.json, .xlsx, .ods)…"), "")
        self.instrument.activated.connect(self._on_instrument_activated)
        form = QFormLayout(page)
        form.addRow(tr("Tahun"), self.year)
        form.addRow(tr("Nama periode"), self.period)
        form.addRow(tr("Instrumen"), self.instrument)
        self.period_note = QLabel()
        form.addRow("", self.period_note)
        return page

    def _units_page(self) -> QWizardPage:
        page = _page(tr("Daftar unit"),
                     tr("Lembar kerja dengan kolom kode_unit, nama_unit dan instansi. Boleh dilewati: unit dapat "
                        "diimpor nanti (Berkas → Impor daftar unit)."))
        self.units = QLineEdit()
        self.units.setPlaceholderText(tr("(tanpa daftar unit untuk sekarang; ketik atau pilih berkasnya)"))
        self.units.editingFinished.connect(self._on_units_typed)
        choose = QPushButton(tr("&Pilih lembar kerja…"))
        choose.clicked.connect(self._on_choose_units_clicked)
        self.units_note = QLabel()
        self.units_note.setWordWrap(True)
        layout = QVBoxLayout(page)
        layout.addWidget(_with_button(self.units, choose))
        layout.addWidget(self.units_note)
        layout.addStretch()
        return page

    def _person_page(self, user: str) -> QWizardPage:
        page = _page(tr("Anda"),
                     tr("Nama Anda tercatat pada setiap perubahan di basis data ini (log audit)."))
        self.owner = QLineEdit(user)
        self.evaluator_role = QRadioButton(tr("&Evaluator: saya menilai unit"))
        self.lead_role = QRadioButton(tr("Ketua &tim: saya menggabungkan penilaian tim dan menerbitkan hasil"))
        self.evaluator_role.setChecked(True)
        roles = QButtonGroup(page)
        roles.addButton(self.evaluator_role)
        roles.addButton(self.lead_role)
        form = QFormLayout(page)
        form.addRow(tr("Nama"), self.owner)
        form.addRow(tr("Peran"), self.evaluator_role)
        form.addRow("", self.lead_role)
        self.owner_note = QLabel()
        form.addRow("", self.owner_note)
        return page

    def _file_page(self) -> QWizardPage:
        page = _page(tr("Berkas basis data"),
                     tr("Satu berkas menyimpan seluruh evaluasi ini; bukti dukung disimpan di folder di sebelahnya."))
        self.path = QLineEdit()
        choose = QPushButton(tr("P&ilih…"))
        choose.clicked.connect(self._on_choose_file_clicked)
        self.encrypt = QCheckBox(tr("Enkripsi dengan kata sandi (untuk laptop yang dibawa ke lapangan)"))
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_again = QLineEdit()
        self.passphrase_again.setEchoMode(QLineEdit.EchoMode.Password)
        for field in (self.passphrase, self.passphrase_again):
            field.setEnabled(False)
            self.encrypt.toggled.connect(field.setEnabled)
        self.file_note = QLabel()
        self.file_note.setWordWrap(True)
        self.path.textChanged.connect(self._on_path_edited)
        form = QFormLayout(page)
        form.addRow(tr("Berkas"), _with_button(self.path, choose))
        form.addRow("", self.encrypt)
        form.addRow(tr("Kata sandi"), self.passphrase)
        form.addRow(tr("Ulangi kata sandi"), self.passphrase_again)
        form.addRow("", self.file_note)
        self.currentIdChanged.connect(lambda _: self._suggest_file() if self.currentPage() is page else None)
        return page

    # --- reactions -------------------------------------------------------------------------

    def _on_year_changed(self, year: int) -> None:
        if self.period.text().startswith("PEKPPP "):
            self.period.setText(f"PEKPPP {year}")

    def _on_instrument_activated(self, index: int) -> None:
        if self.instrument.itemData(index):
            return
        path, _ = QFileDialog.getOpenFileName(self, tr("Berkas instrumen"), self.folder,
                                              f"{tr('Instrumen')} (*.json {SHEETS})")
        if path:
            self.instrument.insertItem(index, Path(path).name, path)
            self.instrument.setCurrentIndex(index)
        else:
            self.instrument.setCurrentIndex(self.instrument.findData("pekppp-2022-a"))

    def _on_units_typed(self) -> None:
        typed = self.units.text().strip()
        if typed and typed != str(getattr(self, "_units_taken", "")):
            self.set_units(Path(typed))

    def _on_choose_units_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("Daftar unit"), self.folder,
                                              f"{tr('Lembar kerja')} ({SHEETS})")
        if path:
            self.set_units(Path(path))

    def set_units(self, path: Path) -> bool:
        """Take a unit register, checked now: its problems are shown and it is not used when it has any."""
        try:
            records = check_units(path)
        except WorkbenchError as exc:
            problems = exc.problems if isinstance(exc, ValidationFailed) else [exc]
            self.units.clear()
            self.units_note.setText(tr("Daftar unit tidak dipakai:") + "\n" + "\n".join(str(p)
                                                                                       for p in problems[:8]))
            return False
        self.units.setText(str(path))
        self._units_taken = str(path)
        self.units_found = len(records)
        self.units_note.setText(tr("{count} unit siap diimpor.", count=len(records)))
        return True

    def _suggest_file(self) -> None:
        """Propose a file in the folder, named for the period, that does not exist yet (-2, -3, ... if it does)."""
        if not self.path.text():
            stem = Path(self.folder) / f"evaluasi-{file_name_part(self.period.text().strip().lower())}"
            names = (stem.with_name(f"{stem.name}{n}.sqlite") for n in chain([""], (f"-{i}" for i in count(2))))
            self.path.setText(str(next(path for path in names if not path.exists())))

    def _on_path_edited(self, text: str) -> None:
        """Say at once that a file is taken, not only when Selesai is pressed."""
        path = Path(text.strip())
        self.file_note.setText(tr("Berkas {path} sudah ada; pilih nama lain.", path=path)
                               if text.strip() and path.exists() else "")

    def _on_choose_file_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, tr("Berkas basis data"), self.path.text(),
                                              "SQLite (*.sqlite)")
        if path:
            self.path.setText(path if Path(path).suffix else path + ".sqlite")

    # --- finishing -------------------------------------------------------------------------

    def plan(self) -> NewEvaluation:
        """What the pages say, as the core takes it."""
        return NewEvaluation(
            path=Path(self.path.text().strip()), period=self.period.text().strip(), year=self.year.value(),
            instrument=str(self.instrument.currentData()), owner=self.owner.text().strip(),
            role="lead" if self.lead_role.isChecked() else "evaluator",
            units=Path(self.units.text()) if self.units.text() else None,
            passphrase=self.passphrase.text() if self.encrypt.isChecked() else None)

    def validateCurrentPage(self) -> bool:
        if self.currentPage() is self.page(self.pageIds()[0]) and not self.period.text().strip():
            self.period_note.setText(tr("Beri nama periode, mis. PEKPPP {year}", year=self.year.value()))
            return False
        if self.currentPage() is self.page(self.pageIds()[2]) and not self.owner.text().strip():
            self.owner_note.setText(tr("Tulis nama Anda: nama ini tercatat pada setiap perubahan"))
            return False
        if self.currentPage() is not self.page(self.pageIds()[-1]):
            return super().validateCurrentPage()
        plan = self.plan()
        if plan.passphrase is not None and (len(plan.passphrase) < MIN_PASSPHRASE
                                            or plan.passphrase != self.passphrase_again.text()):
            self.file_note.setText(tr("Kata sandi minimal {count} karakter dan kedua isian harus sama.",
                                      count=MIN_PASSPHRASE))
            return False
        if not plan.path.name or plan.path.exists():
            self.file_note.setText(tr("Berkas {path} sudah ada; pilih nama lain.", path=plan.path))
            return False
        try:
            plan.path.parent.mkdir(parents=True, exist_ok=True)
            create_evaluation(plan)
        except (WorkbenchError, OSError) as exc:
            self.file_note.setText(str(exc))
            return False
        self.created = plan.path
        return True
