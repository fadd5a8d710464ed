from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QColor

from tests.helpers import score_all
from tests.ui.helpers import wait_ops
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


def test_chart_table_export_pdf_and_command_line_agree_to_the_last_digit(qtbot, settings, tmp_path, capsys):
    """Found walking the app: the Hasil chart said 3,80 where the export and the PDF said 3,75 (the chart
    divided a rounded weighted score by its weight). Every place that shows a unit's aspect scores now takes
    them from one computation and rounds once, at the end; this compares all five on the fixtures."""
    import json
    import re

    from openpyxl import load_workbook
    from pypdf import PdfReader

    from tests.helpers import DATA, UNITS
    from ui.main_window import MainWindow
    from workbench.cli import main
    from workbench.i18n import decimal
    from workbench.usecases.reports import write_reports

    db = tmp_path / "ketua.sqlite"
    with Workbook.create(db, period="PEKPPP 2026", actor="Ketua") as wb:
        for code, name, institution in UNITS:
            wb.registry.add_unit(code, name, institution)
        assert wb.exchange.import_observations([DATA / "evaluator-ani-libreoffice.xlsx",
                                                DATA / "evaluator-budi-long.ods"]).written
        assert wb.exchange.import_observations([DATA / "evaluator-citra-wide.xls"], evaluator="Citra").written
        inst = wb.registry.scored_instrument(wb.registry.period())
        aspects = [a.code for a in inst.aspects if a.weight > 0]
        wb.exchange.export_results(tmp_path / "rekap.xlsx")
        write_reports(wb, tmp_path / "laporan")
    assert main(["scores", str(db), "--json"]) == 0
    cli = {r["unit"]: {a: decimal(r["aspects"][a], language="id") for a in aspects}
           for r in json.loads(capsys.readouterr().out)}
    book = load_workbook(tmp_path / "rekap.xlsx")
    recap = {row[1]: dict(zip(aspects, (decimal(v, language="id") for v in row[4:4 + len(aspects)]), strict=True))
             for row in book.worksheets[0].iter_rows(min_row=2, values_only=True) if row[1]}
    within_book = {a: {row[0]: decimal(row[-1], language="id") for row in book[f"Aspek {a}"].iter_rows(
        min_row=2, values_only=True) if row[0]} for a in aspects}
    window = MainWindow(settings, db)
    qtbot.addWidget(window)
    window.tabs.setCurrentIndex(1)
    page = window.results
    qtbot.waitUntil(lambda: page.model.rowCount() == 3, timeout=5000)
    column = {name: n for n, name in enumerate(page.model.columns)}
    for row in range(3):
        unit = page.model.index(row, column["unit"]).data()
        table = {a: page.model.index(row, column[a]).data() for a in aspects}
        page.select_row(row)
        qtbot.waitUntil(lambda unit=unit: page.shown == unit, timeout=5000)
        chart = {name.split()[0]: decimal(value, language="id") for name, value in page.chart.bars}
        text = " ".join(PdfReader(tmp_path / "laporan" / f"laporan-{unit}.pdf").pages[0].extract_text().split())
        pdf_within, pdf_weighted = {}, {}
        for a in aspects:
            found = re.search(rf"\b{a} [^%]+?\d+% (\d+,\d\d) (\d+,\d\d)", text)
            assert found, (unit, a, text[:400])
            pdf_within[a], pdf_weighted[a] = found.groups()
        assert chart == pdf_within == {a: within_book[a][unit] for a in aspects}, unit
        assert table == pdf_weighted == cli[unit] == recap[unit], unit
    wait_ops(qtbot)
    window.close()


def test_the_detail_follows_the_cursor_and_finalising_is_reached_by_keyboard(qtbot, window, db):
    fill(db)
    window.tabs.setCurrentIndex(1)
    page = window.results
    qtbot.waitUntil(lambda: page.model is not None and page.model.rowCount() == 3, timeout=5000)
    page.select_row(1)
    window.activateWindow()
    qtbot.waitActive(window)  # Alt+letter reaches the buttons of the active window
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)  # every row selected
    assert len(page.selected_units()) == 3 and page.shown == page.model.row(1).unit  # the cursor's row
    qtbot.keyClick(page.table, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    assert page.shown == page.model.row(2).unit
    qtbot.keyClick(page.table, Qt.Key.Key_F, Qt.KeyboardModifier.AltModifier)  # &Finalkan terpilih
    qtbot.waitUntil(lambda: "observasi final" in page.state.text(), timeout=5000)  # a mnemonic clicks after 100 ms
    wait_ops(qtbot)  # the results recomputed after it: what the button said stays
    assert "observasi final" in page.state.text()
