from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QColor

from tests.conftest import score_all
from tests.ui.conftest import wait_ops
from ui.results_model import BAND_COLOURS, UnitCodeRole
from workbench import Workbook


def fill(db):
    with Workbook(db) as wb:
        score_all(wb, "U1", "Ani", lambda ind: 5 if ind.aspect in ("I", "II", "IV") else 4)  # 4.60 A
        score_all(wb, "U2", "Ani", lambda ind: 4)  # 4.00 B
        score_all(wb, "U2", "Budi", lambda ind: 1 if ind.code == "1.a.Ak" else 4)  # conflict on 1.a.Ak
        wb.observations.save(unit="U2", indicator="1.a.Ak", evaluator="Budi", notes="SP belum ditetapkan")


def test_results_table_sorts_filters_colours_and_shows_a_unit(qtbot, window, db):
    fill(db)
    window.tabs.setCurrentIndex(1)  # showing the results recomputes them in the background
    page = window.results
    qtbot.waitUntil(lambda: page.model.index(0, 4).data() == "4,60", timeout=5000)
    model = page.model
    assert model.rowCount() == 3
    column = {name: n for n, name in enumerate(model.columns)}
    cell = lambda row, name, role=Qt.ItemDataRole.DisplayRole: model.index(row, column[name]).data(role)  # noqa: E731
    assert [cell(r, "unit") for r in range(3)] == ["U1", "U2", "U3"]
    assert (cell(0, "rank"), cell(0, "ipp"), cell(0, "category"), cell(0, "label")) == (1, "4,60", "A",
                                                                                       "Pelayanan Prima")
    assert cell(0, "category", Qt.ItemDataRole.BackgroundRole) == QColor(BAND_COLOURS["A"])
    assert (cell(1, "evaluators"), cell(1, "conflicts"), cell(2, "ipp"), cell(2, "rank")) == (2, 1, "–", "–")
    assert cell(0, "I") == "1,20"  # numbers as Indonesian writes them, as the PDFs print them
    window.set_language("en")
    assert (cell(0, "ipp"), cell(0, "I")) == ("4.60", "1.20")
    window.set_language("id")

    page.table.sortByColumn(column["ipp"], Qt.SortOrder.AscendingOrder)
    assert [cell(r, "unit") for r in range(3)] == ["U2", "U1", "U3"]  # unscored units stay last
    page.search.setText("kependudukan")
    assert model.rowCount() == 1 and cell(0, "unit") == "U2"
    page.search.clear()
    page.category.setCurrentIndex(page.category.findData("A"))
    assert model.rowCount() == 1 and cell(0, "unit", UnitCodeRole) == "U1"
    assert page.count.text() == "1 unit"
    page.category.setCurrentIndex(0)

    page.table.sortByColumn(column["rank"], Qt.SortOrder.AscendingOrder)
    page.select_row(1)
    assert "U2" in page.title.text() and "IPP 3,94 · B" in page.title.text()  # 4 - 0.0408 x 1.5
    assert [round(v, 2) for _, v in page.chart.bars] == [3.75, 4.0, 4.0, 4.0, 4.0, 4.0]  # mean of 4 and 1 on 1.a.Ak
    first = page.detail.topLevelItem(0).child(0)
    assert first.text(1) == "Ani: 4 · Budi: 1" and "SP belum ditetapkan" in first.text(3)


def test_entering_a_score_shows_on_hasil_at_once_and_f5_recomputes_in_full(qtbot, window, db):
    fill(db)
    window.tabs.setCurrentIndex(1)
    wait_ops(qtbot)
    window.results.select_row(0)  # U1 in the detail panel
    assert "IPP 4,60" in window.results.title.text()
    window.tabs.setCurrentIndex(0)
    entry = window.entry
    entry.evaluator_box.setCurrentText("Ani")
    entry.reload()
    entry.select_unit("U1")
    entry.choose_score(0)  # 1.a.Ak from 5 to 0: 4.60 - 0.0408 x 5 = 4.40
    wait_ops(qtbot)
    assert window.wb.results.is_fresh() and window.wb.results.page()[0].ipp == 4.40  # stored with the score
    window.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: window.results.model.index(0, 4).data() == "4,40", timeout=5000)
    assert "IPP 4,40" in window.results.title.text()  # the panel follows the change too, without a click
    with qtbot.waitSignal(window.results.recomputed, timeout=5000):
        next(a for a in window.findChildren(QAction) if a.shortcut().toString() == "F5").trigger()
    assert window.results.model.index(0, 4).data() == "4,40" and window.wb.maintenance.check() == []
    assert window.results.state.text() == "Hasil 3 unit dihitung ulang dari nilai"  # F5 says what it did
