from PySide6.QtGui import QImage
from PySide6.QtPrintSupport import QPrinter

from tests.conftest import score_all
from tests.ui.conftest import wait_ops
from ui.main_window import MainWindow
from workbench import Workbook

PASS = "kunci-rahasia-kantor"


def test_settings_issue_preview_print_revoke_and_verify(qtbot, settings, tmp_path):
    path = tmp_path / "kantor.sqlite"
    with Workbook.create(path, period="PEKPPP 2021") as wb:
        wb.add_unit("PRIMA", "Dinas Prima", "Pemerintah Kabupaten Cilacap")
        score_all(wb, "PRIMA", "Ani", lambda i: 5)
        wb.set_unit_status(unit="PRIMA", evaluator="Ani", status="final")
        wb.init_keys(PASS)
    window = MainWindow(settings, path)
    qtbot.addWidget(window)
    dialog = window.open_certificates()
    dialog.fields["signatory_name"].setText("Tjahjo Kumolo")
    dialog.fields["numbering"].setText("{seq:03d}/PP/{tahun}")
    assert not dialog.save() and "numbering" in dialog.settings_message.text()  # an unknown placeholder
    dialog.fields["numbering"].setText("{seq:03d}/PPP/{year}")
    assert dialog.save()
    assert window.wb.certificate_settings().signatory_name == "Tjahjo Kumolo"
    assert "PRIMA" in dialog.eligible.text()

    dialog.passphrase.setText("salah-sandi")
    dialog.issue()
    wait_ops(qtbot)
    assert "Kata sandi kunci salah" in dialog.issue_message.text() and dialog.list.count() == 0
    dialog.passphrase.setText(PASS)
    dialog.issue()
    wait_ops(qtbot)
    assert dialog.list.count() == 1 and dialog.list.item(0).text().startswith("001/PPP/2021 · Dinas Prima")
    pixmap = dialog.preview_label.pixmap()
    assert pixmap.width() > 600 and pixmap.width() > pixmap.height()  # A4 landscape preview
    printer = QPrinter()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "cetak.pdf"))
    dialog.print_certificate("001/PPP/2021", printer)
    assert (tmp_path / "cetak.pdf").stat().st_size > 10_000

    pdf = dialog.pdf_of("001/PPP/2021")
    assert dialog.verify_pdf(pdf) and "SAH: piagam 001/PPP/2021" in dialog.verdict.text()
    assert not dialog.verify(dialog.token.text()[:-2] + "xx") and "TIDAK SAH" in dialog.verdict.text()
    dialog.revoke("001/PPP/2021", "Salah cetak")
    assert "DICABUT" in dialog.list.item(0).text()
    assert not dialog.verify_pdf(pdf) and "dicabut: Salah cetak" in dialog.verdict.text()
    image = dialog.grab().toImage()
    assert image.format() != QImage.Format.Format_Invalid
    dialog.close()
    window.close()
