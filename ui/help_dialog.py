"""Help: the user guide with the keyboard map (Bantuan → Panduan, F1), and About (version, licences, the
database and the log file in use)."""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMessageBox, QTextBrowser, QVBoxLayout, QWidget

from ui import crash
from workbench.i18n import language, tr

GUIDES = Path(__file__).resolve().parent / "help"


def guide_text() -> str:
    """The guide in the app's language (Markdown)."""
    return (GUIDES / f"guide.{language()}.md").read_text(encoding="utf-8")


class GuideDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Panduan"))
        self.browser = QTextBrowser()
        self.browser.setMarkdown(guide_text())
        self.browser.setOpenExternalLinks(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.resize(760, 600)


def about_text(database: Path) -> str:
    log = crash.log_file()
    return "\n".join([
        tr("Meja Kerja Evaluasi Pelayanan Publik") + f" {version('pekppp-workbench')}",
        tr("PEKPPP PermenPAN-RB 29/2022 · SKM PermenPAN-RB 14/2017. Bekerja tanpa jaringan."),
        "",
        tr("Basis data: {path}", path=database),
        tr("Berkas log: {path}", path=log if log else tr("(tanpa berkas log)")),
        "",
        tr("Lisensi aplikasi ini belum ditetapkan pemiliknya. Pustaka pihak ketiga: PySide6/Qt (LGPL-3.0), "
           "reportlab (BSD), openpyxl (MIT), python-calamine (MIT), cryptography (Apache-2.0/BSD), "
           "pypdfium2/PDFium (Apache-2.0/BSD), segno (BSD), SQLCipher (BSD)."),
    ])


def show_about(parent: QWidget, database: Path) -> QMessageBox:
    box = QMessageBox(QMessageBox.Icon.Information, tr("Tentang"), about_text(database),
                      QMessageBox.StandardButton.Ok, parent)
    box.open()
    return box
