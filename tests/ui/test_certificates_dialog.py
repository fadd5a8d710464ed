from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter

from tests.helpers import score_all
from tests.ui.helpers import wait_ops
from ui.main_window import MainWindow
from workbench import Workbook

PASS = "kunci-rahasia-kantor"


def checked(qtbot, dialog, target) -> bool:
    """Check a token or a PDF as Periksa does (on the reader thread) and wait for the verdict."""
    with qtbot.waitSignal(dialog.check.checked, timeout=10000) as verdict:
        dialog.check.verify_pdf(target)
    return verdict.args[0]


def test_settings_issue_preview_print_revoke_and_verify(qtbot, settings, tmp_path):
    path = tmp_path / "kantor.sqlite"
    with Workbook.create(path, period="PEKPPP 2021") as wb:
        wb.registry.add_unit("PRIMA", "Dinas Prima", "Pemerintah Kabupaten Cilacap")
        score_all(wb, "PRIMA", "Ani", lambda i: 5)
        wb.observations.set_status(unit="PRIMA", evaluator="Ani", status="final")
        wb.certificates.init_keys(PASS)
    window = MainWindow(settings, path)
    qtbot.addWidget(window)
    dialog = window.open_certificates()
    dialog.set_folder(tmp_path / "piagam")
    assert settings.text("persist/certificate_folder") == str(tmp_path / "piagam")  # remembered
    dialog.fields["signatory_name"].setText("Dr. Hendra Wijaya Kusumadinata, S.H., M.Si.")  # a real name, titled
    dialog.fields["signatory_title"].setText("Menteri " * 60)
    dialog.save()  # a title that leaves no room to sign: refused before anything is stored
    wait_ops(qtbot)
    assert "terlalu panjang untuk blok tanda tangan" in dialog.settings_message.text()
    dialog.fields["signatory_title"].setText("Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi "
                                             "Republik Indonesia")
    dialog.fields["numbering"].setText("{seq:03d}/PP/{tahun}")
    dialog.save()  # an unknown placeholder
    wait_ops(qtbot)
    assert "numbering" in dialog.settings_message.text()
    dialog.fields["numbering"].setText("{seq:03d}/PPP/{year}")
    dialog.save()
    wait_ops(qtbot)
    assert dialog.settings_message.text() == "Tersimpan"
    assert window.wb.certificates.settings().signatory_name == "Dr. Hendra Wijaya Kusumadinata, S.H., M.Si."
    assert "PRIMA" in dialog.eligible.text()

    dialog.passphrase.setText("salah-sandi")
    dialog.issue()
    wait_ops(qtbot)
    assert "Kata sandi kunci salah" in dialog.issue_message.text() and dialog.list.count() == 0
    dialog.passphrase.setText(PASS)
    dialog.issue()
    wait_ops(qtbot)
    assert dialog.list.count() == 1 and dialog.list.item(0).text().startswith("001/PPP/2021 · Dinas Prima")
    wait_ops(qtbot)  # the preview is rendered on the reader thread
    image = dialog.preview_label.pixmap().toImage()
    assert image.width() > 600 and image.width() > image.height()  # A4 landscape preview
    colours = {image.pixel(x, y) for x in range(0, image.width(), 5) for y in range(0, image.height(), 5)}
    assert len(colours) > 10  # drawn: border, text and QR, not a blank page
    printer = QPrinter()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "cetak.pdf"))
    dialog.print_certificate("001/PPP/2021", printer)
    assert checked(qtbot, dialog, tmp_path / "cetak.pdf")  # printed to a file, it is the certificate: it verifies
    assert (tmp_path / "piagam" / "piagam-semua.pdf").is_file()
    key = tmp_path / "kunci-publik.pem"
    assert dialog.export_key(key) and b"PUBLIC KEY" in key.read_bytes()

    pdf = dialog.pdf_of("001/PPP/2021")
    assert checked(qtbot, dialog, pdf) and "SAH: piagam 001/PPP/2021" in dialog.check.verdict.text()
    token = window.wb.certificates.issued()[0].token
    dialog.check.token.setText(token)
    with qtbot.waitSignal(dialog.check.checked):
        qtbot.keyClick(dialog.check.token, Qt.Key.Key_Return)  # Enter checks, as the button does
    assert dialog.check.verdict.text().startswith("<p><b style='color:#1b7e3c'>SAH")
    assert checked(qtbot, dialog, token) and not checked(qtbot, dialog, token[:-2] + "xx")
    assert "TIDAK SAH" in dialog.check.verdict.text()
    dialog.revoke("001/PPP/2021", "Salah cetak")
    wait_ops(qtbot)
    assert "DICABUT" in dialog.list.item(0).text()  # the dialog heard the revocation
    assert not checked(qtbot, dialog, pdf) and "dicabut: Salah cetak" in dialog.check.verdict.text()
    dialog.close()
    window.close()
