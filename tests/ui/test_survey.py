"""Typing paper questionnaires with the keyboard only: three SKM forms, the IKM on screen and on the command line."""

import json

from PySide6.QtCore import Qt

from tests.helpers import run
from tests.ui.helpers import wait_ops
from workbench import Workbook


def test_three_questionnaires_typed_with_the_keyboard_give_the_ikm(qtbot, window, capsys):
    window.tabs.setCurrentIndex(4)  # Survei (Ctrl+5)
    page = window.surveys
    page.select("U1", "skm")
    grid = page.grid
    grid.setFocus()
    assert grid.currentColumn() == grid.first_answer  # the cursor waits on the first question of a new row
    for answers in ("444444444", "333333333", "432432432"):
        for digit in answers:  # a digit answers and moves on; the ninth stores the questionnaire
            qtbot.keyClick(grid, digit)
        wait_ops(qtbot)
    assert [r.number for r in page.respondents] == [1, 2, 3]
    assert grid.currentRow() == 3 and grid.item(3, 0).text() == "4"  # the next form, numbered on
    assert page.last_message == "Kuesioner 3 tersimpan"
    # persyaratan (4, 3, 4), prosedur (4, 3, 3), waktu (4, 3, 2): NRR 3.67, 3.33, 3.00 ... IKM 3.333 x 25
    assert "IKM 83,33 · mutu B (Baik) · 3 responden" in page.summary.text()
    assert "Unsur terendah: Waktu Penyelesaian, Kompetensi Pelaksana, Sarana dan Prasarana (3,00)" \
        in page.summary.text()  # every unsur that ties for lowest is named
    grid.setCurrentCell(2, grid.first_answer)
    qtbot.keyClick(grid, "1")  # a correction in a stored questionnaire
    wait_ops(qtbot)
    assert page.respondents[2].answers["persyaratan"] == 1
    window.undo_action.trigger()  # Ctrl+Z takes it back
    wait_ops(qtbot)
    assert page.respondents[2].answers["persyaratan"] == 4
    code, out, _ = run(capsys, "survey", "results", window.db.path, "--json")
    result = json.loads(out)[0]
    assert code == 0 and (result["unit"], result["respondents"], result["nik"], result["mutu"]) == ("U1", 3, 83.33,
                                                                                                    "B")


def test_ctrl_z_takes_back_one_keystroke_even_the_one_that_stored_a_questionnaire(qtbot, window):
    window.tabs.setCurrentIndex(4)
    page = window.surveys
    page.select("U1", "skm")
    grid = page.grid
    grid.setFocus()
    for digit in "444444443":
        qtbot.keyClick(grid, digit)
    wait_ops(qtbot)
    assert [r.answers["sarana"] for r in page.respondents] == [3]
    window.undo_action.trigger()  # the ninth digit: the questionnaire is taken back, eight answers stay typed
    wait_ops(qtbot)
    assert page.respondents == [] and len(page.draft["answers"]) == 8 and "sarana" not in page.draft["answers"]
    assert (grid.currentRow(), grid.currentColumn()) == (0, grid.columnCount() - 1)
    window.undo_action.trigger()  # and the eighth
    assert len(page.draft["answers"]) == 7 and grid.item(0, grid.columnCount() - 2).text() == ""
    qtbot.keyClick(grid, "5")  # no answer on a 1-4 scale: said, not typed
    assert "5 bukan jawaban: skala 1-4" in page.message.text() and len(page.draft["answers"]) == 7
    qtbot.keyClick(grid, Qt.Key.Key_Backspace)  # on the empty cell: takes back the answer before
    assert len(page.draft["answers"]) == 6 and grid.currentColumn() == grid.columnCount() - 3
    for digit in "444":
        qtbot.keyClick(grid, digit)
    wait_ops(qtbot)
    assert len(page.respondents) == 1 and page.respondents[0].number == 1
    page.grid.item(0, 1).setText("perempuan")  # the profile of a stored questionnaire, corrected
    wait_ops(qtbot)
    assert page.respondents[0].profile == {"jenis_kelamin": "P"}
    page.grid.item(0, 2).setText("abc")  # no age: said, and nothing stored
    wait_ops(qtbot)
    assert "bukan usia" in page.message.text() and page.respondents[0].profile == {"jenis_kelamin": "P"}
    assert grid.item(0, 2).text() == ""
    page.select("U2", "skm")  # another unit: nothing it could take back is off screen
    assert page.undo_stack.count() == 0
    grid.setFocus()
    qtbot.keyClick(grid, Qt.Key.Key_Tab)  # Tab leaves the grid
    assert not grid.hasFocus()


def test_a_survey_file_is_imported_and_the_skm_report_written_from_the_screen(qtbot, window, tmp_path):
    from tests.helpers import excel_csv, published_example

    page = window.surveys
    window.tabs.setCurrentIndex(4)
    page.select("U2", "skm")
    page.commands.import_file(excel_csv(tmp_path / "loket.csv", published_example()))
    wait_ops(qtbot)
    assert "loket.csv: 29 responden skm" in page.last_message and len(page.respondents) == 29
    assert "IKM 91,48 · mutu A" in page.summary.text()
    page.commands.write_report(tmp_path / "skm-U2.pdf")
    wait_ops(qtbot)
    assert (tmp_path / "skm-U2.pdf").stat().st_size > 10_000 and "Laporan SKM disimpan" in page.last_message


def test_a_questionnaire_stored_with_questions_unanswered_says_so(qtbot, window):
    window.tabs.setCurrentIndex(4)
    page = window.surveys
    page.select("U1", "skm")
    grid = page.grid
    grid.setFocus()
    for digit in "4321":
        qtbot.keyClick(grid, digit)
    qtbot.keyClick(grid, Qt.Key.Key_Return)  # Enter stores the row as typed: a respondent may skip questions
    wait_ops(qtbot)
    assert len(page.respondents) == 1 and len(page.respondents[0].answers) == 4
    assert page.last_message == "Kuesioner 1 tersimpan dengan 5 pertanyaan tidak dijawab"


def test_printed_sheets_are_entered_by_their_number_or_scanned_code_once_each(qtbot, window, tmp_path):
    with Workbook(window.db.path) as wb:
        wb.surveys.print_sheets("U1", count=5)
        wb.surveys.print_sheets("U2", count=2)
    window.tabs.setCurrentIndex(4)
    page, grid = window.surveys, window.surveys.grid
    page.select("U1", "skm")
    grid.setFocus()
    assert (grid.currentRow(), grid.currentColumn()) == (0, 0)  # a new row starts with its sheet number
    assert "nomor lembar" in page.question.text()

    def sheet(typed):
        qtbot.keyClicks(grid, typed)
        qtbot.keyClick(grid, Qt.Key.Key_Return)

    sheet("3")
    assert grid.currentColumn() == grid.first_answer and grid.item(0, 0).text() == "3"
    for digit in "444444444":
        qtbot.keyClick(grid, digit)
    wait_ops(qtbot)
    assert [(r.number, r.answers["persyaratan"]) for r in page.respondents] == [(3, 4)]
    assert grid.currentRow() == 1 and grid.currentColumn() == 0 and grid.item(1, 0).text() == ""
    for typed, refusal in (("3", "sudah dimasukkan"), ("9", "tidak pernah dicetak untuk U1 (skm); yang dicetak: 1-5"),
                           ("U2/skm/0001", "milik U2")):
        sheet(typed)
        assert refusal in page.last_message and grid.currentColumn() == 0
    grid.setCurrentCell(1, grid.first_answer)
    for digit in "333333333":  # answers without a sheet number are kept on screen, not stored
        qtbot.keyClick(grid, digit)
    assert "nomor lembar" in page.last_message and len(page.respondents) == 1 and grid.currentColumn() == 0
    sheet("U1/skm/0005")  # as a USB barcode reader types it
    qtbot.keyClick(grid, Qt.Key.Key_Return)  # the answers typed before: Enter stores them
    wait_ops(qtbot)
    with Workbook(window.db.path) as wb:
        assert [r.number for r in wb.surveys.respondents(unit="U1")] == [3, 5]


def test_double_entry_in_the_app_keys_twice_blind_compares_and_settles(qtbot, window, tmp_path):
    with Workbook(window.db.path) as wb:
        wb.settings.set("double_entry", "1", wb.registry.period())
    window.tabs.setCurrentIndex(4)
    page, grid = window.surveys, window.surveys.grid
    page.select("U1", "skm")
    assert not grid.by_sheet
    page.commands.print_forms(tmp_path / "kuesioner.pdf", 2)  # Cetak kuesioner…
    wait_ops(qtbot)
    assert grid.by_sheet and grid.currentColumn() == 0  # the screen heard the printing: rows start with a sheet
    assert "2 lembar kuesioner SKM" in page.last_message
    assert page.entry_box.isEnabled() and page.compare_button.isEnabled()

    def key(sheet, digits):
        grid.setFocus()
        qtbot.keyClicks(grid, sheet)
        qtbot.keyClick(grid, Qt.Key.Key_Return)
        for digit in digits:
            qtbot.keyClick(grid, digit)
        wait_ops(qtbot)

    key("1", "444444444")
    assert "1 lembar belum dihitung" in page.summary.text()  # nothing counts before the second keying
    page.entry_box.setCurrentIndex(1)  # the second operator
    assert page.respondents == [] and grid.rowCount() == 1  # the first keying is not shown
    key("1", "ddddcdddd")  # the paper's letters: a 1, b 2, c 3, d 4
    assert [(r.entry, r.answers["produk"]) for r in page.respondents] == [(2, 3)]
    assert "terkumpul 1" in page.sample.text()  # a sheet keyed twice is one questionnaire
    dialog = page.commands.compare()
    assert [(d.serial, d.field, d.first, d.second) for d in dialog.differences] == [(1, "produk", 4, 3)]
    assert "1 berbeda" in dialog.summary.text()
    dialog.table.selectRow(0)
    dialog.choose(1)
    dialog.ask_reason = lambda: ("Dibaca di kertas: 4", True)
    dialog.save()
    wait_ops(qtbot)
    assert dialog.differences == [] and "1 lembar diputuskan" in dialog.message.text()
    dialog.close()
    page.entry_box.setCurrentIndex(0)
    wait_ops(qtbot)
    assert "1 responden" in page.summary.text()
