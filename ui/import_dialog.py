"""The import wizard: pick or drop files, preview and map columns, read the report, confirm."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.certified import offer_revocation
from ui.database import Database
from ui.file_drop_list import FileDropList
from workbench import WorkbenchError, Workbook
from workbench.exchange.observation_sheets import Preview
from workbench.exchange.package import SUFFIX
from workbench.exchange.report import PROBLEM_COLUMNS, ImportReport, problem_rows, summary_lines, write_problem_report
from workbench.i18n import N_, source, tr
from workbench.progress import CancelToken, ProgressCallback
from workbench.usecases.imports import affected_certificates, import_files, is_package

# the standard columns of an observation sheet, as the mapping list names them
FIELDS = {"kode_unit": N_("kode unit"), "kode_indikator": N_("kode indikator"), "nilai": N_("nilai evaluator (0-5)"),
          "evaluator": N_("nama evaluator"), "catatan": N_("catatan pengamatan"), "rekomendasi": N_("rekomendasi"),
          "tanggal": N_("tanggal observasi"), "metode": N_("metode (desk, lapangan, wawancara)"),
          "klaim_unit": N_("klaim unit (F-01)"), "nama_unit": N_("nama unit")}
SPREADSHEETS = "*.xlsx *.xlsm *.xls *.ods"
ACCEPTED = (".xlsx", ".xlsm", ".xls", ".ods", SUFFIX)


class ImportDialog(QDialog):
    """Three steps over one stack: files, columns, report. Nothing is written before "Impor"."""

    imported = Signal(object)  # ImportReport

    def __init__(self, db: Database, parent: QWidget | None = None, folder: Callable[[], str] | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.folder = folder or (lambda: str(db.path.parent))  # where its file dialogs open (the window's)
        self.setWindowTitle(tr("Impor lembar penilaian dan paket"))
        self.resize(980, 620)
        self.report: ImportReport | None = None
        self.previews: dict[str, Preview] = {}
        self.stack = QStackedWidget()
        self.stack.addWidget(self._files_page())
        self.stack.addWidget(self._columns_page())
        self.stack.addWidget(self._report_page())
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.back = QPushButton(tr("< &Kembali"))
        self.back.clicked.connect(lambda: self.go(self.stack.currentIndex() - 1))
        self.next = QPushButton(tr("&Lanjut >"))
        self.next.clicked.connect(self._on_next_clicked)
        self.next.setDefault(True)
        cancel = QPushButton(tr("T&utup"))
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        for button in (self.back, self.next, cancel):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.stack, 1)
        layout.addLayout(buttons)
        self.go(0)

    # --- pages -----------------------------------------------------------------------------

    def _files_page(self) -> QWidget:
        page = QWidget()
        self.files = FileDropList()
        self.files.files_dropped.connect(self.add_files)
        add = QPushButton(tr("&Tambah berkas…"))
        add.clicked.connect(self._on_add_clicked)
        remove = QPushButton(tr("&Hapus dari daftar"))
        for button in (add, remove):  # Enter goes on to the next step, whichever button was used last
            button.setAutoDefault(False)
        remove.clicked.connect(lambda: self.files.takeItem(self.files.currentRow()))
        self.evaluator = QLineEdit()
        self.evaluator.setPlaceholderText(tr("bila berkas tidak menyebut evaluatornya"))
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setPlaceholderText(tr("untuk paket terenkripsi"))
        self.final = QCheckBox(tr("Nilai dari lembar kerja langsung &final"))
        self.trust_new_key = QCheckBox(tr("Te&rima kunci yang belum terdaftar (sidik jarinya sudah dicocokkan "
                                          "dengan evaluator)"))
        self.trust_new_key.setToolTip(tr("Paket dari laptop tanpa kit, atau dari laptop pengganti, ditandatangani "
                                         "kunci yang belum terdaftar untuk evaluatornya. Laporan pemeriksaan menyebut "
                                         "sidik jarinya; cocokkan lewat telepon sebelum mencentang"))
        row = QHBoxLayout()
        row.addWidget(add)
        row.addWidget(remove)
        row.addStretch()
        row.addWidget(QLabel(tr("Evaluator")))
        row.addWidget(self.evaluator)
        row.addWidget(QLabel(tr("Kata sandi paket")))
        row.addWidget(self.passphrase)
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel(tr("1. Pilih atau seret lembar kerja (xlsx, xls, ods) atau paket evaluator (.wbpkg) "
                                   "ke daftar ini:")))
        layout.addWidget(self.files, 1)
        layout.addLayout(row)
        layout.addWidget(self.final)
        layout.addWidget(self.trust_new_key)
        return page

    def _columns_page(self) -> QWidget:
        page = QWidget()
        self.file_box = QComboBox()
        self.file_box.currentIndexChanged.connect(lambda _: self._show_preview())
        self.preview_table = QTableWidget()
        self.preview_table.setObjectName("file-content")  # shows the file's own words, in its own language
        self.mapping_table = QTableWidget(0, 2)
        self.mapping_table.setHorizontalHeaderLabels([tr("Judul kolom di berkas"), tr("Kolom baku")])
        self.mapping_table.horizontalHeader().setStretchLastSection(True)
        self.mapping_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel(tr("2. Periksa pratinjau dan cocokkan kolom (diingat untuk impor berikutnya):")))
        layout.addWidget(self.file_box)
        lower = QHBoxLayout()
        lower.addWidget(self.preview_table, 3)
        lower.addWidget(self.mapping_table, 2)
        layout.addLayout(lower, 1)
        return page

    def _report_page(self) -> QWidget:
        page = QWidget()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.problems = QTableWidget(0, 6)
        self.problems.setHorizontalHeaderLabels([tr(c).capitalize() for c in PROBLEM_COLUMNS])
        self.problems.horizontalHeader().setStretchLastSection(True)
        self.skip_invalid = QCheckBox(tr("Lewati baris yang salah dan impor sisanya"))
        self.skip_invalid.toggled.connect(lambda _: self._update_buttons())
        save = QPushButton(tr("&Simpan laporan…"))
        save.setAutoDefault(False)
        save.clicked.connect(self._on_save_report_clicked)
        row = QHBoxLayout()
        row.addWidget(self.skip_invalid)
        row.addStretch()
        row.addWidget(save)
        layout = QVBoxLayout(page)
        self.report_title = QLabel()
        layout.addWidget(self.report_title)
        layout.addWidget(self.summary)
        layout.addWidget(self.problems, 1)
        layout.addLayout(row)
        return page

    # --- steps -----------------------------------------------------------------------------

    def paths(self) -> list[str]:
        return [self.files.item(n).text() for n in range(self.files.count())]

    def add_files(self, paths: list[str]) -> None:
        known = set(self.paths())
        for path in paths:
            if path not in known and Path(path).suffix.lower() in ACCEPTED:
                self.files.addItem(path)
        self._update_buttons()

    def _mapping_rows(self) -> list[tuple[QTableWidgetItem, QComboBox]]:
        """(header item, field choice) of every row of the mapping table."""
        rows = []
        for row in range(self.mapping_table.rowCount()):
            item, box = self.mapping_table.item(row, 0), self.mapping_table.cellWidget(row, 1)
            if item is not None and isinstance(box, QComboBox):
                rows.append((item, box))
        return rows

    def mapping(self) -> dict[str, str]:
        """Header -> field for every header whose chosen field differs from the automatic guess."""
        return {item.text(): box.currentData() for item, box in self._mapping_rows()
                if box.currentData() and box.currentData() != item.data(Qt.ItemDataRole.UserRole)}

    def set_field(self, header: str, field: str) -> None:
        """Map a header to a field, as choosing it in the list would."""
        for item, box in self._mapping_rows():
            if item.text() == header:
                box.setCurrentIndex(box.findData(field))

    def go(self, index: int) -> None:
        index = max(0, min(index, self.stack.count() - 1))
        if index == 1:
            self._load_previews()
        self.stack.setCurrentIndex(index)
        self._update_buttons()

    def _update_buttons(self) -> None:
        index = self.stack.currentIndex()
        self.back.setEnabled(index > 0)
        self.next.setText(tr("Impor") if index == 2 else tr("Periksa >") if index == 1 else tr("Lanjut >"))
        ready = bool(self.paths()) if index < 2 else bool(
            self.report and (not self.report.problems or self.skip_invalid.isChecked()))
        self.next.setEnabled(ready)

    def _on_next_clicked(self) -> None:
        index = self.stack.currentIndex()
        if index == 0:
            self.go(1)
        elif index == 1:
            self.run_check()
        else:
            self.run_import()

    def _load_previews(self) -> None:
        self.file_box.blockSignals(True)
        self.file_box.clear()
        self.previews.clear()
        unreadable = []
        for path in self.paths():
            if is_package(path):
                continue  # a package needs no columns matched
            try:
                self.previews[path] = self.db.reader.exchange.preview(path)
            except WorkbenchError as exc:
                unreadable.append(str(exc))
                continue
            self.file_box.addItem(Path(path).name, path)
        self.file_box.blockSignals(False)
        self._show_preview()
        if unreadable:  # said last, so that nothing covers it; the check names them again
            self.status.setText("\n".join(unreadable))

    def _show_preview(self) -> None:
        shown = self.previews.get(self.file_box.currentData())
        if shown is None:
            if self.paths() and all(is_package(p) for p in self.paths()):
                self.status.setText(tr("Paket tidak perlu dicocokkan kolomnya; lanjut periksa."))
            return
        self.preview_table.clear()
        self.preview_table.setColumnCount(len(shown.headers))
        self.preview_table.setRowCount(len(shown.rows))
        self.preview_table.setHorizontalHeaderLabels(shown.headers)
        for r, row in enumerate(shown.rows):
            for c, value in enumerate(row[: len(shown.headers)]):
                self.preview_table.setItem(r, c, QTableWidgetItem(value))
        self.preview_table.resizeColumnsToContents()
        self.mapping_table.setRowCount(0)
        for header, guessed in shown.guessed.items():
            at = self.mapping_table.rowCount()
            self.mapping_table.insertRow(at)
            item = QTableWidgetItem(header)
            item.setData(Qt.ItemDataRole.UserRole, guessed or "")
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.mapping_table.setItem(at, 0, item)
            box = QComboBox()
            box.addItem("", "")
            for field, label in FIELDS.items():
                box.addItem(f"{field} · {tr(label)}", field)
            box.setCurrentIndex(box.findData(guessed or ""))
            self.mapping_table.setCellWidget(at, 1, box)
        self.status.setText(tr("Lembar '{sheet}', judul di baris {row}", sheet=shown.sheet, row=shown.header_row))

    def _run(self, *, dry_run: bool, on_success: Callable[[ImportReport], None], label: str) -> None:
        paths, mapping = self.paths(), self.mapping()
        evaluator, skip = self.evaluator.text().strip() or None, self.skip_invalid.isChecked()
        passphrase, final = self.passphrase.text() or None, self.final.isChecked()
        trust_new_key = self.trust_new_key.isChecked()

        def work(wb: Workbook, progress: ProgressCallback, cancel: CancelToken) -> ImportReport:
            return import_files(wb, paths, evaluator=evaluator, mapping=mapping, passphrase=passphrase,
                                skip_invalid=skip, dry_run=dry_run, final=final, trust_new_key=trust_new_key,
                                progress=progress, cancel=cancel)

        self.db.write(work, parent=self, on_success=on_success, on_failure=self._failed, label=label)

    def run_check(self) -> None:
        """Check every file (a dry run on the writer, rolled back) and show the report."""
        self._run(dry_run=True, on_success=self._show_report, label=tr("Memeriksa berkas…"))

    def run_import(self) -> None:
        """Write what was checked, in one transaction on the writer."""
        self._run(dry_run=False, on_success=self._finished, label=tr("Mengimpor…"))

    def _show_report(self, report: ImportReport) -> None:
        self.report = report
        self.summary.setText("\n".join(summary_lines(report)))
        rows = problem_rows(report)
        self.problems.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                self.problems.setItem(r, c, QTableWidgetItem("" if value is None else str(value)))
        self.problems.resizeColumnsToContents()
        self.report_title.setText(tr("3. Laporan pemeriksaan; belum ada yang disimpan:"))
        self.stack.setCurrentIndex(2)
        self.status.setText(tr("{n} masalah ditemukan", n=len(rows)) if rows else tr("Tidak ada masalah."))
        self._update_buttons()

    def _finished(self, report: ImportReport) -> None:
        self.report = report
        self.summary.setText("\n".join(summary_lines(report)))
        self.report_title.setText(tr("3. Hasil impor:") if report.written else
                                  tr("3. Hasil impor; tidak ada yang disimpan:"))
        self.status.setText(tr("Impor selesai.") if report.written else tr("Tidak ada yang disimpan."))
        self.next.setEnabled(False)
        self.imported.emit(report)
        if report.written and report.units:
            self.certified_box = offer_revocation(self, self.db, affected_certificates(self.db.reader, report),
                                                  source("nilai berubah setelah impor; terbitkan ulang bila perlu"))

    def _failed(self, exc: BaseException) -> None:
        self.status.setText(str(exc))

    def _on_add_clicked(self) -> None:
        kind = tr("Lembar kerja dan paket")
        paths, _ = QFileDialog.getOpenFileNames(self, tr("Pilih berkas"), self.folder(),
                                                f"{kind} ({SPREADSHEETS} *{SUFFIX})")
        self.add_files(paths)

    def _on_save_report_clicked(self) -> None:
        if self.report is None:
            return
        path, _ = QFileDialog.getSaveFileName(self, tr("Simpan laporan"), str(Path(self.folder()) / "laporan.xlsx"),
                                              "Excel (*.xlsx);;CSV (*.csv)")
        if path:
            write_problem_report(self.report, path)
