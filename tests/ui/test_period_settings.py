"""Periode → Pengaturan penilaian: a lead sets how the period's results are formed with the keyboard, and a
closed period shows its settings frozen."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialogButtonBox

from tests.helpers import score_all
from tests.ui.helpers import wait_ops
from ui.period_settings import PeriodSettingsDialog


def test_the_lead_sets_the_f03_weight_and_the_unit_score_rule_with_the_keyboard(qtbot, window):
    menu = next(a for a in window.menuBar().actions() if a.text() == "&Periode").menu()
    action = next(a for a in menu.actions() if a.text() == "&Pengaturan penilaian…")
    action.trigger()
    dialog = next(d for d in window.findChildren(PeriodSettingsDialog) if d.isVisible())
    qtbot.waitActive(dialog)  # Alt keys reach the active window
    assert dialog.windowTitle() == "Pengaturan penilaian · periode PEKPPP 2026"
    rule = dialog.fields["unit_score_rule"]
    assert isinstance(rule, QComboBox) and rule.currentText() == "kesepakatan bila ada, selain itu rata-rata"
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)  # "&Nilai unit bila ..."
    assert rule.hasFocus()
    qtbot.keyClick(rule, Qt.Key.Key_Down)  # the next choice: the plain mean
    weight = dialog.fields["f03_weight"]
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)  # "B&obot persepsi ..."
    assert weight.hasFocus() and weight.suffix() == " %"
    weight.selectAll()
    qtbot.keyClicks(weight, "20")
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Return)
    wait_ops(qtbot)
    assert not dialog.isVisible()
    period = window.wb.registry.period()
    assert window.wb.settings.of_period(period) == {"unit_score_rule": "mean", "skm_weight_mode": "exact",
                                                    "conflict_threshold": "2", "f03_weight": "20",
                                                    "f03_min_respondents": "10", "f03_max_respondents": "20",
                                                    "double_entry": "0"}
    assert window.wb.audit.entries(f"{period.uuid}/f03_weight")[-1]["new"] == "20"


def test_a_closed_period_shows_its_settings_frozen(qtbot, window):
    def close(wb, progress, cancel):
        score_all(wb, "U1", "Ani", lambda ind: 4)
        wb.registry.close_period("PEKPPP 2026", reason="Sidang selesai")

    window.db.write(close)
    wait_ops(qtbot)
    dialog = window.period_settings()
    qtbot.waitExposed(dialog)
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled() and not any(f.isEnabled() for f in dialog.fields.values())
    dialog.reject()
