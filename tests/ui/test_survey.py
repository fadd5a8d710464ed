"""Typing paper questionnaires with the keyboard only: three SKM forms, the IKM on screen and on the command line."""

import json

from tests.core.test_cli import run
from tests.ui.conftest import wait_ops


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
    # persyaratan (4, 3, 4), prosedur (4, 3, 3), waktu (4, 3, 2): NRR 3.67, 3.33, 3.00 ... IKM 3.333 x 25
    assert "IKM 83.33 · mutu B (Baik) · 3 responden" in page.summary.text()
    assert "Unsur terendah: Waktu Penyelesaian (3.00)" in page.summary.text()
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


def test_a_survey_file_is_imported_and_the_skm_report_written_from_the_screen(qtbot, window, tmp_path):
    from tests.core.test_surveys import excel_csv, published_example

    page = window.surveys
    window.tabs.setCurrentIndex(4)
    page.select("U2", "skm")
    page.import_file(excel_csv(tmp_path / "loket.csv", published_example()))
    wait_ops(qtbot)
    assert "loket.csv: 29 responden skm" in page.last_message and len(page.respondents) == 29
    assert "IKM 91.48 · mutu A" in page.summary.text()
    page.write_report(tmp_path / "skm-U2.pdf")
    wait_ops(qtbot)
    assert (tmp_path / "skm-U2.pdf").stat().st_size > 10_000 and "Laporan SKM disimpan" in page.last_message
