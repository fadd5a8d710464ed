"""Certificates in the GUI: settings per period, issue with preview, print, revoke, and verify."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QDate, QStandardPaths, Qt
from PySide6.QtGui import QPageLayout, QPixmap
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ui.certificate_check import CertificateCheck
from ui.database import Database
from ui.observation_form import open_file
from ui.pdf_preview import page_image, print_pdf
from ui.settings import Settings
from workbench import WorkbenchError, Workbook
from workbench.certificates.service import REASONS, Certificate, CertificateSettings
from workbench.certificates.tokens import FIRST_DATE, LAST_DATE
from workbench.domain.passphrase import MIN_PASSPHRASE
from workbench.domain.values import file_name_part
from workbench.events import Changes
from workbench.i18n import tr
from workbench.progress import CancelToken, ProgressCallback
from workbench.usecases.certificates import (
    Issued,
    certificate_file,
    issue_certificates,
    save_certificate_settings,
)

NumberRole = Qt.ItemDataRole.UserRole + 1
SHOWN_ELIGIBLE = 24  # unit codes listed as eligible; the count says how many in all


class CertificatesDialog(QDialog):
    """Three tabs: settings (load/save), issue (with preview, print, revoke), verify."""

    def __init__(self, db: Database, period: str, settings: Settings, parent: QWidget | None = None,
                 folder: Callable[[], str] | None = None) -> None:
        super().__init__(parent)
        self.db, self.period, self.app_settings = db, period, settings
        self.files_folder = folder or (lambda: str(db.path.parent))  # where the logo is looked for (the window's)
        self.setWindowTitle(tr("Piagam penghargaan") + f" · {period}")
        self.resize(1100, 700)
        self.folder = output_folder(settings) / file_name_part(period)
        self.certificates: list[Certificate] = []
        tabs = QTabWidget()
        tabs.addTab(self._settings_tab(), tr("Pengaturan"))
        tabs.addTab(self._issue_tab(), tr("Terbitkan"))
        self.check = CertificateCheck(db, lambda: self.folder)
        tabs.addTab(self.check, tr("Verifikasi"))
        self.tabs = tabs
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(tabs)
        layout.addWidget(close)
        for button in self.findChildren(QPushButton):  # Enter in a field is that field's (a token checks), not a
            button.setAutoDefault(False)                # click on whichever button had the focus last
        self.load()
        self.show_certificates()
        self.db.changed.connect(self._on_db_changed)

    # --- settings --------------------------------------------------------------------------

    def _settings_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.fields = {name: QLineEdit() for name in ("title", "intro", "wording", "evaluation", "place",
                                                       "signatory_title", "signatory_name", "signatory_nip", "logo",
                                                       "numbering")}
        labels = {"title": tr("Judul"), "intro": tr("Pengantar"), "wording": tr("Kalimat kategori"),
                  "evaluation": tr("Kalimat evaluasi"), "place": tr("Tempat"),
                  "signatory_title": tr("Jabatan penanda tangan"),
                  "signatory_name": tr("Nama penanda tangan"), "signatory_nip": tr("NIP (boleh kosong)"),
                  "logo": tr("Logo (berkas gambar)"), "numbering": tr("Pola nomor")}
        self.fields["wording"].setToolTip(tr("{label} ({category}) diganti predikat dan kategori unit, mis. "
                                             "SANGAT BAIK (A-); harus tetap ada"))
        self.fields["evaluation"].setToolTip(tr("{year} diganti tahun periode"))
        self.fields["numbering"].setToolTip(tr("{seq:03d} nomor urut (001), {year} tahun, {period} nama periode"))
        logo = QPushButton(tr("Pi&lih gambar…"))
        logo.clicked.connect(self._on_choose_logo_clicked)
        for name, edit in self.fields.items():
            if name == "logo":
                row = QHBoxLayout()
                row.addWidget(edit, 1)
                row.addWidget(logo)
                form.addRow(labels[name], row)
            else:
                form.addRow(labels[name], edit)
        self.issued_on = QDateEdit()
        self.issued_on.setCalendarPopup(True)
        self.issued_on.setDisplayFormat("d MMMM yyyy")
        self.issued_on.setDateRange(*(QDate.fromString(d.isoformat(), Qt.DateFormat.ISODate)
                                      for d in (FIRST_DATE, LAST_DATE)))  # what a token can carry
        form.addRow(tr("Tanggal"), self.issued_on)
        self.min_category = QComboBox()
        registry = self.db.reader.registry
        bands = registry.scored_instrument(registry.period(self.period)).bands
        self.min_category.addItems([b.code for b in bands])
        form.addRow(tr("Kategori minimal"), self.min_category)
        self.show_score = QCheckBox(tr("Cantumkan nilai IPP"))
        form.addRow("", self.show_score)
        save = QPushButton(tr("&Simpan pengaturan"))
        save.clicked.connect(lambda: self.save())
        self.settings_message = QLabel()
        form.addRow(save, self.settings_message)
        return page

    def load(self) -> None:
        """Show the period's stored settings."""
        settings = self.db.reader.certificates.settings(self.period)
        for name, edit in self.fields.items():
            edit.setText(str(getattr(settings, name)))
        self.issued_on.setDate(QDate.fromString(settings.issued_on, "yyyy-MM-dd") if settings.issued_on
                               else QDate.currentDate())
        self.min_category.setCurrentText(settings.min_category)
        self.show_score.setChecked(settings.show_score)

    def form_settings(self) -> CertificateSettings:
        """The settings as the form shows them."""
        return CertificateSettings(**{name: edit.text() for name, edit in self.fields.items()},
                                   issued_on=self.issued_on.date().toString("yyyy-MM-dd"),
                                   min_category=self.min_category.currentText(),
                                   show_score=self.show_score.isChecked())

    def save(self) -> None:
        """Store the form as the period's settings; says what is wrong when it cannot."""
        settings, period = self.form_settings(), self.period
        self.db.write(lambda wb, progress, cancel: save_certificate_settings(wb, settings, period), parent=self,
                      on_success=lambda _: self.settings_message.setText(tr("Tersimpan")),
                      on_failure=lambda exc: self.settings_message.setText(str(exc)))

    # --- issue -----------------------------------------------------------------------------

    def _issue_tab(self) -> QWidget:
        page = QWidget()
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setPlaceholderText(tr("kata sandi kunci kantor"))
        make_key = QPushButton(tr("Buat &kunci…"))
        make_key.clicked.connect(self._on_make_key_clicked)
        export_key = QPushButton(tr("&Ekspor kunci publik…"))
        export_key.setToolTip(tr("Berkas kecil untuk dibagikan: siapa pun dapat memeriksa piagam dengannya"))
        export_key.clicked.connect(self._on_export_key_clicked)
        issue = QPushButton(tr("&Terbitkan piagam"))
        issue.clicked.connect(self.issue)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(tr("Kata sandi")))
        bar.addWidget(self.passphrase, 1)
        bar.addWidget(make_key)
        bar.addWidget(export_key)
        bar.addWidget(issue)
        self.folder_label = QLabel()
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        choose = QPushButton(tr("&Ganti folder…"))
        choose.clicked.connect(self._on_choose_folder_clicked)
        open_folder = QPushButton(tr("B&uka folder"))
        open_folder.clicked.connect(lambda: open_file(self.folder))
        folder_row = QHBoxLayout()
        folder_row.addWidget(QLabel(tr("Folder PDF")))
        folder_row.addWidget(self.folder_label, 1)
        folder_row.addWidget(choose)
        folder_row.addWidget(open_folder)
        self._show_folder()
        self.eligible = QLabel()
        self.eligible.setWordWrap(True)
        self.list = QListWidget()
        self.list.currentItemChanged.connect(lambda item, _: self.preview(item.data(NumberRole) if item else None))
        self.preview_label = QLabel(tr("Pratinjau"))
        self.preview_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview_label.setMinimumWidth(600)
        open_ = QPushButton(tr("Simpan &PDF…"))
        open_.clicked.connect(self._on_save_clicked)
        print_ = QPushButton(tr("&Cetak…"))
        print_.clicked.connect(self._on_print_clicked)
        print_all = QPushButton(tr("Cetak se&mua…"))
        print_all.setToolTip(tr("Semua piagam yang berlaku dari satu PDF gabungan (piagam-semua.pdf)"))
        print_all.clicked.connect(self._on_print_all_clicked)
        revoke = QPushButton(tr("Ca&but…"))
        revoke.clicked.connect(self._on_revoke_clicked)
        self.issue_message = QLabel()
        self.issue_message.setWordWrap(True)
        buttons = QHBoxLayout()
        for button in (open_, print_, print_all, revoke):
            buttons.addWidget(button)
        buttons.addStretch()
        left = QVBoxLayout()
        left.addWidget(self.eligible)
        left.addWidget(self.list, 1)
        left.addLayout(buttons)
        body = QHBoxLayout()
        body.addLayout(left, 1)
        body.addWidget(self.preview_label, 2)
        layout = QVBoxLayout(page)
        layout.addLayout(bar)
        layout.addLayout(folder_row)
        layout.addLayout(body, 1)
        layout.addWidget(self.issue_message)
        return page

    def _on_choose_logo_clicked(self) -> None:
        images = tr("Gambar")
        path, _ = QFileDialog.getOpenFileName(self, tr("Logo"), self.files_folder(), f"{images} (*.png *.jpg *.jpeg)")
        if path:
            self.fields["logo"].setText(path)

    def _show_folder(self) -> None:
        self.folder_label.setText(str(self.folder))

    def _on_choose_folder_clicked(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, tr("Folder PDF piagam dan laporan"), str(self.folder))
        if chosen:
            self.set_folder(Path(chosen))

    def set_folder(self, folder: Path) -> None:
        """Write certificates into `folder` from now on (remembered for the next time)."""
        self.folder = folder
        self.app_settings.set("persist/certificate_folder", str(folder))
        self._show_folder()

    def _on_export_key_clicked(self) -> None:
        target, _ = QFileDialog.getSaveFileName(self, tr("Ekspor kunci publik"),
                                                str(self.folder.parent / "kunci-publik.pem"), "PEM (*.pem)")
        if target:
            self.export_key(Path(target))

    def export_key(self, target: Path) -> bool:
        try:
            target.write_bytes(self.db.reader.certificates.public_key())
        except (WorkbenchError, OSError) as exc:
            self.issue_message.setText(str(exc))
            return False
        self.issue_message.setText(tr("Kunci publik disimpan: {path}. Bagikan berkas ini; kata sandi tidak ikut.",
                                      path=target))
        return True

    def show_certificates(self) -> None:
        eligible = self.db.reader.certificates.eligible(self.period)
        shown = ", ".join(eligible[:SHOWN_ELIGIBLE]) or "–"
        if len(eligible) > SHOWN_ELIGIBLE:  # thousands of codes would push the list off the screen
            shown = tr("{units} dan {more} unit lain", units=shown, more=len(eligible) - SHOWN_ELIGIBLE)
        self.eligible.setText(tr("Memenuhi syarat ({count}): {units}", count=len(eligible), units=shown))
        self.certificates = self.db.reader.certificates.issued(self.period)
        self.list.clear()
        for cert in self.certificates:
            revoked = " · " + tr("DICABUT") if cert.revoked else ""
            item = QListWidgetItem(f"{cert.number} · {cert.unit_name} · {cert.category}{revoked}")
            item.setData(NumberRole, cert.number)
            self.list.addItem(item)

    def issue(self) -> None:
        """Save the settings, then sign and draw the certificates on the writer thread."""
        settings, period, passphrase, folder = self.form_settings(), self.period, self.passphrase.text(), self.folder
        if not passphrase:
            self.issue_message.setText(tr("Isi kata sandi kunci kantor dahulu"))
            self.passphrase.setFocus()
            return

        def work(wb: Workbook, progress: ProgressCallback, cancel: CancelToken) -> Issued:
            wb.certificates.save_settings(settings, period)
            return issue_certificates(wb, passphrase, folder, period=period, progress=progress, cancel=cancel)

        self.db.write(work, parent=self, label=tr("Menerbitkan piagam…"), on_success=self._issued,
                      on_failure=lambda exc: self.issue_message.setText(str(exc)))

    def _issued(self, issued: Issued) -> None:
        if len(issued.files) > 1:
            self.issue_message.setText(tr("{n} piagam siap di {folder}", n=len(issued.files) - 1,
                                          folder=self.folder))
        else:  # say why no unit gets one
            reasons = "; ".join(f"{s.unit}: " + ", ".join(tr(REASONS[r]) for r in s.reasons)
                                for s in self.db.reader.certificates.readiness(self.period)[:5])
            self.issue_message.setText(tr("Belum ada unit yang memenuhi syarat (kategori minimal {minimum}). "
                                          "{reasons}", minimum=self.min_category.currentText(), reasons=reasons))
        self.show_certificates()
        if self.list.count():
            self.list.setCurrentRow(0)

    def _on_db_changed(self, changes: Changes, asking: object) -> None:
        if changes.certificate or changes.scores or changes.external:
            self.show_certificates()

    def pdf_of(self, number: str) -> Path:
        """The PDF of a certificate, drawn now if it was issued in an earlier session."""
        return certificate_file(self.db.reader, number, self.folder, period=self.period)

    def preview(self, number: str | None) -> None:
        if number is None:
            return
        folder, period = self.folder, self.period  # drawn (when issued earlier) and rendered off the GUI thread
        self.db.read(lambda wb, progress, cancel: page_image(certificate_file(wb, number, folder, period=period),
                                                             scale=0.8),
                     parent=self, on_success=lambda image: self.preview_label.setPixmap(QPixmap.fromImage(image)),
                     on_failure=lambda exc: self.issue_message.setText(str(exc)))

    def selected(self) -> str | None:
        item = self.list.currentItem()
        return item.data(NumberRole) if item else None

    def _on_make_key_clicked(self) -> None:
        prompt = tr("Kata sandi baru (minimal {count} karakter):", count=MIN_PASSPHRASE)
        text, ok = QInputDialog.getText(self, tr("Buat kunci"), prompt, QLineEdit.EchoMode.Password)
        if not ok:
            return
        again, ok = QInputDialog.getText(self, tr("Buat kunci"), tr("Ulangi kata sandi:"), QLineEdit.EchoMode.Password)
        if ok and again != text:
            self.issue_message.setText(tr("Kedua kata sandi berbeda; kunci tidak dibuat"))
            return
        if ok:
            self.db.write(lambda wb, progress, cancel: wb.certificates.init_keys(text), parent=self,
                          on_success=lambda key: self.issue_message.setText(tr("Kunci {key} dibuat", key=key)),
                          on_failure=lambda exc: self.issue_message.setText(str(exc)))

    def _on_save_clicked(self) -> None:
        number = self.selected()
        if number:
            target, _ = QFileDialog.getSaveFileName(self, tr("Simpan PDF"), str(self.pdf_of(number)), "PDF (*.pdf)")
            if target:
                Path(target).write_bytes(self.pdf_of(number).read_bytes())
                self.issue_message.setText(tr("PDF disimpan: {path}", path=target))

    def print_certificate(self, number: str, printer: QPrinter) -> None:
        """Print one certificate (see `print_pdf`)."""
        print_pdf(self.pdf_of(number), printer)

    def _printer(self) -> QPrinter | None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageOrientation(QPageLayout.Orientation.Landscape)
        dialog = QPrintDialog(printer, self)
        return printer if dialog.exec() == QDialog.DialogCode.Accepted else None

    def _on_print_clicked(self) -> None:
        number = self.selected()
        if number and (printer := self._printer()):
            self.print_certificate(number, printer)

    def _on_print_all_clicked(self) -> None:
        combined = self.folder / "piagam-semua.pdf"
        if not combined.is_file():
            self.issue_message.setText(tr("Terbitkan piagam lebih dahulu"))
        elif printer := self._printer():
            print_pdf(combined, printer)

    def _on_revoke_clicked(self) -> None:
        number = self.selected()
        if not number:
            return
        reason, ok = QInputDialog.getText(self, tr("Cabut piagam"), tr("Alasan pencabutan {number}:",
            number=number))
        if ok:
            self.revoke(number, reason)

    def revoke(self, number: str, reason: str) -> None:
        self.db.write(lambda wb, progress, cancel: wb.certificates.revoke(number, reason), parent=self,
                      on_failure=lambda exc: self.issue_message.setText(str(exc)))

def output_folder(settings: Settings) -> Path:
    """Where certificates and reports go: the folder last chosen, else Piagam in the user's documents."""
    chosen = settings.text("persist/certificate_folder")
    if chosen:
        return Path(chosen)
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(documents or Path.home()) / "Piagam"
