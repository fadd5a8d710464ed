"""A new user's first minutes: Mulai, the new-evaluation wizard, the unit register, and their own name in
the audit log of everything they do."""

from pathlib import Path

from PySide6.QtWidgets import QWizard

from tests.helpers import DATA, UNITS, write_xlsx
from tests.ui.helpers import wait_ops
from ui.main_window import MainWindow
from ui.new_evaluation import NewEvaluationWizard
from workbench import Workbook


def register(tmp_path: Path, rows=UNITS) -> Path:
    return write_xlsx(tmp_path / "daftar-unit.xlsx", [["kode_unit", "nama_unit", "instansi"], *rows])


def open_wizard(qtbot, window) -> NewEvaluationWizard:
    start = window.start()
    qtbot.waitExposed(start)
    start.new_button.click()
    wizard = next(w for w in window.findChildren(NewEvaluationWizard) if w.isVisible())
    qtbot.waitExposed(wizard)
    return wizard


def test_from_mulai_to_a_new_evaluation_with_its_units_and_the_users_name(qtbot, window, tmp_path):
    window.entry.evaluator_box.setCurrentText("Evaluator Contoh A")  # what the example data left behind
    window.close()  # remembered in the settings, as on a first start over the example
    window = MainWindow(window.settings, window.db.path)
    qtbot.addWidget(window)
    wizard = open_wizard(qtbot, window)
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled()  # the filled fields need no typing
    wizard.year.setValue(2027)
    assert wizard.period.text() == "PEKPPP 2027"
    wizard.next()
    assert wizard.set_units(DATA / "daftar-unit.xlsx")  # the register in tests/data, as the README uses it
    assert wizard.units_note.text() == "3 unit siap diimpor."
    wizard.next()
    wizard.owner.setText("Sari Wulandari")
    wizard.lead_role.setChecked(True)
    wizard.next()
    assert wizard.path.text().endswith("evaluasi-pekppp-2027.sqlite")
    target = tmp_path / "tim" / "evaluasi-2027.sqlite"
    wizard.path.setText(str(target))
    wizard.button(QWizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: window.db.path == target)
    wait_ops(qtbot)
    wb = window.wb
    assert wb.registry.period().name == "PEKPPP 2027" and wb.registry.period().year == 2027
    assert {u.code for u in wb.registry.units()} == {u[0] for u in UNITS}
    assert wb.observations.find() == []  # an empty evaluation, ready for its first score
    assert "Evaluasi baru siap: 3 unit" in window.statusBar().currentMessage()
    assert "Pengguna: Sari Wulandari" in window.db_label.text()
    assert window.entry.evaluator == "Sari Wulandari"  # her scores are hers, not the example's evaluator's
    window.entry.select_unit("DPMPTSP-KTA")
    window.entry.choose_score(4)
    wait_ops(qtbot)
    assert window.wb.registry.evaluators() == ["Sari Wulandari"]
    logged = {(e["actor"], e["entity"]) for e in window.wb.audit.entries()}
    assert ("Sari Wulandari", "observation") in logged and ("Sari Wulandari", "setting") in logged
    assert window.wb.settings.get("owner_role") == "lead"


def test_a_bad_register_is_shown_and_not_used_and_nothing_is_left_when_creation_fails(qtbot, window, tmp_path):
    wizard = open_wizard(qtbot, window)
    wizard.next()
    bad = register(tmp_path, [("U1", "", "Pemda"), ("U1", "Dinas Dua", "Pemda")])
    assert not wizard.set_units(bad)
    assert "baris 2, kolom B (nama_unit)" in wizard.units_note.text() and wizard.units.text() == ""
    wizard.next()
    wizard.next()
    taken = tmp_path / "sudah-ada.sqlite"
    Workbook.create(taken).close()
    wizard.path.setText(str(taken))
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert wizard.isVisible() and "sudah ada" in wizard.file_note.text()
    wizard.encrypt.setChecked(True)
    wizard.passphrase.setText("pendek")
    wizard.path.setText(str(tmp_path / "baru.sqlite"))
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert "minimal 8 karakter" in wizard.file_note.text() and not (tmp_path / "baru.sqlite").exists()
    wizard.reject()


def test_an_encrypted_evaluation_opens_without_asking_again(qtbot, window, tmp_path):
    wizard = open_wizard(qtbot, window)
    for _ in range(3):
        wizard.next()
    wizard.encrypt.setChecked(True)
    wizard.passphrase.setText("sandi lapangan 2027")
    wizard.passphrase_again.setText("sandi lapangan 2027")
    target = tmp_path / "rahasia.sqlite"
    wizard.path.setText(str(target))
    wizard.button(QWizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: window.db.path == target)
    assert window.db.passphrase == "sandi lapangan 2027" and b"SQLite format 3" not in target.read_bytes()[:16]
    assert "Langkah berikutnya: Berkas → Impor daftar unit" in window.statusBar().currentMessage()


def test_the_wizard_proposes_a_free_file_name_and_says_at_once_when_one_is_taken(qtbot, window, tmp_path):
    folder = window.db.path.parent
    for taken in ("evaluasi-pekppp-2027.sqlite", "evaluasi-pekppp-2027-2.sqlite"):
        Workbook.create(folder / taken).close()
    wizard = open_wizard(qtbot, window)
    wizard.year.setValue(2027)
    for _ in range(3):
        wizard.next()
    assert wizard.path.text() == str(folder / "evaluasi-pekppp-2027-3.sqlite") and wizard.file_note.text() == ""
    wizard.path.setText(str(folder / "evaluasi-pekppp-2027.sqlite"))  # typed: told before Selesai
    assert "sudah ada; pilih nama lain" in wizard.file_note.text()
    wizard.path.setText(str(folder / "evaluasi-baru.sqlite"))
    assert wizard.file_note.text() == ""
    wizard.reject()


def test_file_dialogs_open_in_a_folder_that_exists(window, tmp_path):
    window.settings.set("persist/last_folder", str(tmp_path / "dihapus"))  # a folder used once, since removed
    assert window._folder() == str(window.db.path.parent)
    window.settings.set("persist/last_folder", str(tmp_path))
    assert window._folder() == str(tmp_path)
    # every screen's and dialog's file dialogs open there too, not in the home folder or the database's
    imports, certificates = window.import_sheets(), window.open_certificates()
    assert window.entry.form.folder() == window.surveys.folder() == window.team.folder() == str(tmp_path)
    assert imports.folder() == certificates.files_folder() == str(tmp_path)
    imports.close()
    certificates.close()
