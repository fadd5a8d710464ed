from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QMessageBox

from tests.ui.helpers import wait_ops
from ui.main_window import MainWindow
from workbench import Workbook


def press(qtbot, widget, key):
    qtbot.keyClick(widget, key)


def drop_files(widget, paths):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(QPoint(5, 5), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    widget.dropEvent(event)


def test_score_with_keyboard_attach_undo_close_and_find_everything(qtbot, window, db, tmp_path, settings):
    entry = window.entry
    entry.evaluator_box.setCurrentText("Ani")
    entry.reload()
    entry.select_unit("U1")
    assert entry.unit == "U1" and entry.indicator == "1.a.Ak"
    rubric = entry.form.rubric
    rubric.setFocus()
    press(qtbot, rubric, Qt.Key.Key_4)  # digits choose the level
    assert entry.form.rubric.currentRow() == 4 and rubric.item(4).text().startswith("✓ 4")
    press(qtbot, rubric, Qt.Key.Key_Down)  # the arrows move the cursor; the stored level keeps its mark
    assert rubric.currentRow() == 5 and rubric.item(4).text().startswith("✓ 4")
    assert not rubric.item(5).text().startswith("✓")
    press(qtbot, rubric, Qt.Key.Key_N)  # next unscored indicator
    assert entry.indicator == "2.a.P"
    press(qtbot, rubric, Qt.Key.Key_3)
    press(qtbot, rubric, Qt.Key.Key_N)
    assert entry.indicator == "3.a.T"
    press(qtbot, rubric, Qt.Key.Key_5)
    assert entry.navigator.currentItem().text(1) == "3/30 · draf"
    press(qtbot, rubric, Qt.Key.Key_Delete)  # a score given by mistake is taken away, and can be given back
    wait_ops(qtbot)
    assert entry.navigator.currentItem().text(1) == "2/30 · draf" and entry.form.rubric.currentRow() == -1
    assert window.wb.observations.get(unit="U1", indicator="3.a.T", evaluator="Ani").score is None
    window.undo_action.trigger()
    assert entry.form.rubric.currentRow() == 5 and entry.navigator.currentItem().text(1) == "3/30 · draf"

    window.undo_action.trigger()  # Ctrl+Z: 3.a.T back to no score
    assert entry.form.rubric.currentRow() == -1
    window.undo_action.trigger()  # and 2.a.P
    window.redo_action.trigger()  # Ctrl+Shift+Z: 2.a.P = 3 again
    assert entry.navigator.currentItem().text(1) == "2/30 · draf"

    photo = tmp_path / "papan-maklumat.jpg"
    photo.write_bytes(b"\xff\xd8\xff foto papan maklumat".ljust(1045))
    drop_files(entry.form.evidence, [photo])
    qtbot.waitUntil(lambda: entry.form.evidence.count() == 1)
    assert entry.form.evidence.count() == 1
    assert entry.form.evidence.item(0).text() == "papan-maklumat.jpg  (1,0 KB)"  # 1,045 bytes, not "2 KB"

    entry.form.notes.setFocus()
    qtbot.keyClicks(entry.form.notes, "Papan maklumat belum terpasang")
    entry.form.recommendation.setFocus()  # leaving the field saves it
    qtbot.keyClicks(entry.form.recommendation, "Pasang di ruang tunggu")
    window.close()  # closing saves the field still being typed in

    with Workbook(db) as wb:
        got = {o.indicator: o for o in wb.observations.find(unit="U1", evaluator="Ani")}
        assert (got["1.a.Ak"].score, got["2.a.P"].score, got["3.a.T"].score) == (4, 3, None)
        assert got["3.a.T"].notes == "Papan maklumat belum terpasang"
        assert got["3.a.T"].recommendation == "Pasang di ruang tunggu"
        assert [e["original_name"] for e in wb.evidence.of(got["3.a.T"].uuid)] == ["papan-maklumat.jpg"]
        scored = [e for e in wb.audit.entries(got["3.a.T"].uuid) if e["field"] == "score"]
        assert [(e["old"], e["new"]) for e in scored] == [(None, "5"), ("5", None), (None, "5"), ("5", None)]

    again = MainWindow(settings, db)
    qtbot.addWidget(again)
    assert again.entry.evaluator == "Ani"  # remembered
    again.entry.select_unit("U1")
    assert again.entry.navigator.currentItem().text(1) == "2/30 · draf"
    again.entry.select_indicator("3.a.T")
    assert again.entry.form.notes.toPlainText() == "Papan maklumat belum terpasang"
    wait_ops(qtbot)
    again.close()


def test_finalising_with_a_missing_score_says_which(qtbot, window):
    entry = window.entry
    entry.select_unit("U2")
    for code in [i.code for i in entry.instrument.indicators][:-3]:
        entry.select_indicator(code)
        entry.choose_score(4)
    entry.finalize_unit()
    wait_ops(qtbot)
    assert "3 indikator belum dinilai (29.f.B, 30.f.B, INF)" not in entry.last_message
    assert "2 indikator belum dinilai (29.f.B, 30.f.B)" in entry.last_message
    shown = [m for m in window.findChildren(QMessageBox) if m.isVisible()]
    assert shown and "29.f.B, 30.f.B" in shown[0].text()
    shown[0].close()


def test_editing_a_final_score_asks_for_a_reason_that_lands_in_the_audit_log(qtbot, window, db):
    entry = window.entry
    entry.select_unit("U3")
    for code in [i.code for i in entry.instrument.indicators]:
        entry.select_indicator(code)
        entry.choose_score(3)
    entry.finalize_unit()
    wait_ops(qtbot)
    assert entry.navigator.currentItem().text(1) == "30/30 · final"
    entry.select_indicator("14.b.K")
    entry.ask_reason = lambda prompt: None  # the evaluator cancels the question
    entry.choose_score(5)
    assert entry.form.rubric.currentRow() == 3
    entry.ask_reason = lambda prompt: "Foto seragam baru diterima"
    entry.choose_score(5)
    wait_ops(qtbot)
    with Workbook(db) as wb:
        obs = wb.observations.get(unit="U3", indicator="14.b.K", evaluator=entry.evaluator)
        last = wb.audit.entries(obs.uuid)[-1]
        assert (obs.score, last["old"], last["new"], last["reason"]) == (5, "3", "5", "Foto seragam baru diterima")
    wait_ops(qtbot)


def test_window_renders_not_blank(qtbot, window, tmp_path):
    window.resize(1280, 800)
    window.entry.select_unit("U1")
    shot = tmp_path / "entry.png"
    assert window.grab().save(str(shot))
    image = window.grab().toImage()
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
    assert len(colours) > 20 and Path(shot).stat().st_size > 10_000


def test_the_form_is_reached_by_tab_field_after_field_and_by_alt_letters(qtbot, window):
    entry = window.entry
    window.activateWindow()
    entry.select_unit("U1")
    entry.indicators.setFocus()
    qtbot.waitUntil(entry.indicators.hasFocus)
    visited = []
    for _ in range(len(entry.form.tab_order)):
        qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Tab)
        visited.append(window.focusWidget())
    assert visited == entry.form.tab_order  # rubric, claim, method, date, notes, recommendation, evidence, ...
    for key, field in ((Qt.Key.Key_C, entry.form.notes), (Qt.Key.Key_R, entry.form.recommendation),
                       (Qt.Key.Key_I, entry.form.evidence), (Qt.Key.Key_G, entry.form.date)):
        qtbot.keyClick(window.focusWidget(), key, Qt.KeyboardModifier.AltModifier)
        assert window.focusWidget() is field and field.toolTip().endswith(f"Alt+{chr(key)})" if field is
                                                                              entry.form.date else f"Alt+{chr(key)}")


def test_escape_goes_back_from_the_form_to_the_indicators(qtbot, window):
    entry = window.entry
    window.activateWindow()
    entry.select_unit("U1")
    entry.form.notes.setFocus()
    qtbot.waitUntil(entry.form.notes.hasFocus)
    qtbot.keyClick(entry.form.notes, Qt.Key.Key_Escape)
    assert window.focusWidget() is entry.indicators  # where 0-5 and N score again


def test_a_date_typed_as_indonesians_write_it_is_saved(qtbot, window):
    from datetime import date

    entry = window.entry
    entry.evaluator_box.setCurrentText("Ani")
    entry.reload()
    entry.select_unit("U1")
    field = entry.form.date

    def typed(text):
        field.setFocus()
        field.selectAll()
        qtbot.keyClicks(field, text)
        qtbot.keyClick(field, Qt.Key.Key_Tab)
        wait_ops(qtbot)
        obs = window.wb.observations.get(unit="U1", indicator=entry.indicator, evaluator="Ani")
        return obs.observed_on if obs else None

    assert typed("28112026") == "2026-11-28" and field.text() == "28-11-2026"
    assert typed("8 Maret 2022") == "2022-03-08"
    assert typed("28/11/2026") == "2026-11-28"
    assert typed("31 Februari 2026") == "2026-11-28"  # refused: the stored date stays
    assert "bukan tanggal" in entry.last_message and "border" in field.styleSheet()
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_Semicolon, Qt.KeyboardModifier.ControlModifier)  # today, as in a spreadsheet
    wait_ops(qtbot)
    assert window.wb.observations.get(unit="U1", indicator=entry.indicator, evaluator="Ani").observed_on == \
        date.today().isoformat()


def test_n_moves_on_from_a_scored_unit_starts_without_one_and_says_when_all_are_scored(qtbot, window, db):
    from tests.helpers import score_all

    with Workbook(db) as wb:
        last = wb.registry.scored_instrument(wb.registry.period()).scored_indicators[-1].code
        score_all(wb, "U1", "Ani", lambda ind: 4)
        score_all(wb, "U2", "Ani", lambda ind: None if ind.code == last else 3)
    entry = window.entry
    entry.evaluator_box.setCurrentText("Ani")
    entry.reload()
    entry.navigator.setFocus()
    assert entry.unit is None
    press(qtbot, entry.navigator, Qt.Key.Key_N)  # no unit chosen yet: the first with something left to score
    assert (entry.unit, entry.indicator) == ("U2", last) and entry.form.rubric.hasFocus()
    press(qtbot, entry.form.rubric, Qt.Key.Key_4)
    press(qtbot, entry.form.rubric, Qt.Key.Key_N)  # the unit is done: on to the next one, said so
    assert (entry.unit, entry.indicator) == ("U3", "1.a.Ak")
    assert entry.last_message == "Unit U2 sudah dinilai semua; lanjut ke U3."
    wait_ops(qtbot)
    with Workbook(db) as wb:
        assert wb.observations.get(unit="U2", indicator=last, evaluator="Ani").score == 4
        score_all(wb, "U3", "Ani", lambda ind: 2)
    qtbot.waitUntil(lambda: entry.navigator.topLevelItem(1).child(0).text(1).startswith("30/30"))  # heard
    entry.select_unit("U1")
    assert not entry.notice.isVisible()
    press(qtbot, entry.form.rubric, Qt.Key.Key_N)  # nothing left anywhere: said above the lists, cursor stays
    assert entry.notice.isVisible() and "sudah dinilai" in entry.notice.text() and entry.unit == "U1"
    entry.select_unit("U2")
    assert not entry.notice.isVisible()


def test_the_whole_form_fits_a_maximised_window_on_a_1366x768_laptop(qtbot, window):
    window.showNormal()
    window.setFixedSize(1366, 668)  # 1366×768 less the taskbar and the title bar
    window.entry.select_unit("U1")
    qtbot.waitUntil(lambda: window.entry.form.isEnabled())
    scroll = window.entry.form.parentWidget().parentWidget()
    qtbot.waitUntil(lambda: window.entry.form.height() <= scroll.viewport().height())
    remove = window.entry.form.tab_order[-1]  # the last of the evidence buttons
    corner = remove.mapTo(scroll.viewport(), remove.rect().bottomRight())
    assert scroll.viewport().rect().contains(corner) and not scroll.verticalScrollBar().isVisible()


def test_a_field_of_a_final_observation_is_saved_where_it_was_typed_even_if_the_screen_moves(qtbot, window, db):
    """Found walking the app: while the reason was asked, a reload moved the screen to 1.a.Ak, and the date
    typed for another indicator was saved there."""
    from tests.helpers import score_all

    with Workbook(db) as wb:
        score_all(wb, "U1", "Ani", lambda ind: 4)
        wb.observations.finalize(evaluator="Ani")
    entry = window.entry
    entry.evaluator_box.setCurrentText("Ani")
    entry.reload()
    entry.select_unit("U1")
    entry.select_indicator("2.a.P")

    def answer(prompt):
        entry.select_indicator("1.a.Ak")  # as a reload heard meanwhile would
        return "Tanggal kunjungan dibetulkan"

    entry.ask_reason = answer
    entry.save_field("observed_on", "2026-11-27")
    wait_ops(qtbot)
    with Workbook(db) as wb:
        assert wb.observations.get(unit="U1", indicator="2.a.P", evaluator="Ani").observed_on == "2026-11-27"
        assert wb.observations.get(unit="U1", indicator="1.a.Ak", evaluator="Ani").observed_on is None
