"""Screens hear every change: made on another screen, by an import in the app, or by another program."""

import subprocess
import sys

from PySide6.QtCore import Qt

from bench._data import make_large_db
from tests.helpers import DATA, UNITS, score_all
from tests.ui.helpers import wait_ops
from ui import process
from ui.main_window import MainWindow
from workbench import Workbook


def indicator_row(window, code):
    return next(i for i in range(window.results.model.rowCount()) if window.results.model.row(i).unit == code)


def test_a_score_changed_on_entri_shows_on_hasil_and_konflik_without_any_button(qtbot, settings, db):
    with Workbook(db) as wb:
        score_all(wb, "U1", "Ani", lambda ind: 4)
        score_all(wb, "U1", "Budi", lambda ind: 4)
    window = MainWindow(settings, db)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitActive(window)  # the rubric's digit keys are shortcuts of the active window
    wait_ops(qtbot)  # the screens' first reads
    window.tabs.setCurrentIndex(1)
    results = window.results
    qtbot.waitUntil(lambda: results.model.rowCount() == 3 and results.model.index(0, 4).data() == "4,00",
                    timeout=5000)
    window.tabs.setCurrentIndex(2)
    qtbot.waitUntil(lambda: window.conflicts.table.rowCount() == 0)

    window.tabs.setCurrentIndex(0)
    entry = window.entry
    entry.evaluator_box.setCurrentText("Budi")
    entry.reload()
    entry.select_unit("U1")
    entry.form.rubric.setFocus()
    qtbot.keyClick(entry.form.rubric, Qt.Key.Key_1)  # 1.a.Ak from 4 to 1: Ani 4, Budi 1 disagree

    window.tabs.setCurrentIndex(2)
    page = window.conflicts
    qtbot.waitUntil(lambda: page.table.rowCount() == 1, timeout=5000)
    assert [page.table.item(0, c).text() for c in range(3)] == ["U1", "1.a.Ak", "Ani: 4 · Budi: 1"]
    window.tabs.setCurrentIndex(1)  # mean of 4 and 1 on 1.a.Ak: 4 - 0.0408 x 1.5 = 3.94
    qtbot.waitUntil(lambda: results.model.index(indicator_row(window, "U1"), 4).data() == "3,94", timeout=5000)
    assert results.model.index(indicator_row(window, "U1"), results.model.columns.index("conflicts")).data() == 1
    wait_ops(qtbot)
    window.close()


def test_an_import_from_the_command_line_shows_in_the_open_app(qtbot, settings, tmp_path):
    path = tmp_path / "ketua.sqlite"
    with Workbook.create(path, period="PEKPPP 2026") as wb:
        for code, name, institution in UNITS:
            wb.registry.add_unit(code, name, institution)
    window = MainWindow(settings, path)
    qtbot.addWidget(window)
    window.show()
    window.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: window.results.model.rowCount() == 3, timeout=5000)
    assert window.results.model.index(0, 4).data() == "–"
    done = subprocess.run([sys.executable, "-m", "workbench", "import", str(path),
                           str(DATA / "evaluator-ani-libreoffice.xlsx"), str(DATA / "evaluator-budi-long.ods")],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    qtbot.waitUntil(lambda: window.results.model.index(0, 4).data() not in ("–", None), timeout=8000)
    window.tabs.setCurrentIndex(2)
    qtbot.waitUntil(lambda: window.conflicts.table.rowCount() == 1, timeout=5000)
    window.tabs.setCurrentIndex(0)
    window.entry.evaluator_box.setCurrentText("Ani")
    window.entry.reload()
    assert "Budi" in [window.entry.evaluator_box.itemText(i) for i in range(window.entry.evaluator_box.count())]
    window.entry.select_unit("DPMPTSP-KTA")
    assert window.entry.navigator.currentItem().text(1).startswith("31/30") is False
    assert window.entry.indicators.topLevelItem(0).child(0).text(1) == "5"  # Ani's 1.a.Ak, from the import
    wait_ops(qtbot)
    window.close()


def test_every_score_typed_while_results_are_recomputed_is_saved(qtbot, settings, tmp_path):
    """Scores typed while the results of 2,500 units are recomputed beside them are all saved, and the
    recomputing goes on meanwhile (how long the window may stall is measured by bench/ui_typing.py)."""
    path = make_large_db(tmp_path / "besar.sqlite", units=2500, evaluators=2, unscored=1)
    window = MainWindow(settings, path)
    qtbot.addWidget(window)
    window.show()
    wait_ops(qtbot)
    process.settle()  # as main.py does once the window shows
    entry = window.entry
    entry.evaluator_box.setCurrentText("Evaluator 1")
    entry.reload()
    entry.select_unit("U00001")  # no scores yet: every key below saves one
    recomputed: list[int] = []
    typed = 0
    window.results.recomputed.connect(lambda: recomputed.append(typed))
    while typed < 30:
        if not window.results._computing:
            window.results.recompute(force=True)  # the long work: 2,500 units, 155,000 observations
        entry.form.rubric.setFocus()
        for key in (Qt.Key.Key_3, Qt.Key.Key_N):
            qtbot.keyClick(entry.form.rubric, key)
        typed += 1
        qtbot.wait(40)
    wait_ops(qtbot)
    assert recomputed and recomputed[0] < typed  # a recompute finished while scores were still being typed
    with Workbook(path) as wb:
        assert len([o for o in wb.observations.find(unit="U00001", evaluator="Evaluator 1")
                    if o.score == 3]) == typed  # every typed score was saved
    window.close()
