from PySide6.QtCore import Qt

from tests.helpers import DATA, UNITS, write_xlsx
from tests.ui.helpers import wait_ops
from ui.import_dialog import ImportDialog
from ui.main_window import MainWindow
from workbench import Workbook


def lead_window(qtbot, settings, tmp_path):
    path = tmp_path / "ketua.sqlite"
    with Workbook.create(path, period="PEKPPP 2026") as wb:
        for code, name, institution in UNITS:
            wb.registry.add_unit(code, name, institution)
    window = MainWindow(settings, path)
    qtbot.addWidget(window)
    window.show()
    return window


def test_wizard_previews_maps_reports_and_imports(qtbot, settings, tmp_path):
    window = lead_window(qtbot, settings, tmp_path)
    odd = write_xlsx(tmp_path / "format-lain.xlsx", [["Rekap Dedi"], ["Unit Kerja ID", "Butir", "Skor Akhir"],
                                                     ["SAMSAT-PRV", "1.a.Ak", 3], ["SAMSAT-PRV", "2.a.P", 9]])
    dialog = window.import_sheets()
    assert isinstance(dialog, ImportDialog)
    dialog.add_files([str(DATA / "evaluator-budi-long.ods"), str(odd), str(tmp_path / "catatan.txt")])
    assert dialog.files.count() == 2  # only spreadsheets
    dialog.evaluator.setText("Dedi")
    dialog.next.click()  # to the columns step
    assert dialog.stack.currentIndex() == 1 and dialog.preview_table.rowCount() > 0
    assert dialog.status.text() == "Lembar 'Penilaian Budi', judul di baris 4"
    dialog.file_box.setCurrentIndex(1)
    assert [dialog.preview_table.horizontalHeaderItem(c).text() for c in range(3)] == [
        "Unit Kerja ID", "Butir", "Skor Akhir"]
    dialog.set_field("Unit Kerja ID", "kode_unit")
    dialog.set_field("Butir", "kode_indikator")
    dialog.set_field("Skor Akhir", "nilai")
    assert dialog.mapping() == {"Unit Kerja ID": "kode_unit", "Butir": "kode_indikator", "Skor Akhir": "nilai"}

    dialog.next.click()  # check: a dry run in the worker
    wait_ops(qtbot)
    assert dialog.stack.currentIndex() == 2 and dialog.problems.rowCount() == 1
    assert dialog.problems.item(0, 5).text() == "9 di luar skala 0-5" and dialog.problems.item(0, 2).text() == "4"
    assert dialog.report_title.text() == "3. Laporan pemeriksaan; belum ada yang disimpan:"
    assert dialog.summary.text().startswith("evaluator-budi-long.ods (Penilaian Budi, satu baris per nilai): ")
    assert not dialog.next.isEnabled()  # a problem blocks the import...
    with Workbook(window.wb.path) as other:
        assert other.observations.find() == []  # ...and nothing was written by the check
    dialog.skip_invalid.setChecked(True)  # ...unless the invalid rows are skipped
    assert dialog.next.isEnabled() and dialog.next.text() == "Impor"
    with qtbot.waitSignal(dialog.imported, timeout=10000) as done:
        dialog.next.click()
    assert done.args[0].added == 63 and done.args[0].written
    assert "konflik terbuka: 0" in dialog.summary.text() and "disimpan" in dialog.summary.text()
    assert dialog.report_title.text() == "3. Hasil impor:" and dialog.status.text() == "Impor selesai."
    wait_ops(qtbot)
    assert sorted(window.wb.registry.evaluators()) == ["Budi", "Dedi"]
    assert window.wb.exchange.column_mapping()["skorakhir"] == "nilai"  # remembered for next time
    dialog.close()
    window.close()


def test_a_damaged_workbook_is_named_with_what_is_wrong(qtbot, settings, tmp_path):
    window = lead_window(qtbot, settings, tmp_path)
    damaged = tmp_path / "rusak.xlsx"
    damaged.write_bytes(b"PK\x03\x04 bukan lembar kerja")
    dialog = window.import_sheets()
    dialog.add_files([str(damaged)])
    dialog.next.click()
    assert "rusak.xlsx" in dialog.status.text() and "Paket" not in dialog.status.text()
    header = dialog.mapping_table.horizontalHeader()  # the column titles are whole
    assert header.sectionSize(0) >= header.sectionSizeFromContents(0).width()
    dialog.close()
    window.close()


def test_conflicts_page_shows_scores_side_by_side_and_records_the_agreement(qtbot, settings, tmp_path):
    window = lead_window(qtbot, settings, tmp_path)
    with Workbook(window.db.path) as other:  # as a lead importing from the command line would
        other.exchange.import_observations([DATA / "evaluator-ani-libreoffice.xlsx",
                                            DATA / "evaluator-budi-long.ods"])
    window.tabs.setCurrentIndex(2)
    page = window.conflicts
    qtbot.waitUntil(lambda: page.table.rowCount() == 1, timeout=5000)  # the window noticed the outside write
    assert page.table.rowCount() == 1
    assert [page.table.item(0, c).text() for c in range(4)] == ["DPMPTSP-KTA", "1.a.Ak", "Ani: 5 · Budi: 1", "4"]
    page.table.selectRow(0)
    page.score.setValue(3)
    page.resolve_selected()  # no reason: refused
    wait_ops(qtbot)
    assert "Isi alasan kesepakatan dahulu" in page.message.text() and page.table.rowCount() == 1
    page.reason.setText("Dibahas di rapat tim")
    page.resolve_selected()
    wait_ops(qtbot)
    assert page.table.rowCount() == 0 and "disepakati: 3" in page.message.text()
    assert window.wb.conflicts.agreed(unit="DPMPTSP-KTA")["1.a.Ak"]["reason"] == "Dibahas di rapat tim"
    wait_ops(qtbot)
    window.close()


def test_conflicts_show_the_rubric_beside_each_score_and_settled_ones_stay_listed(qtbot, settings, tmp_path):
    window = lead_window(qtbot, settings, tmp_path)
    with Workbook(window.db.path) as other:
        other.exchange.import_observations([DATA / "evaluator-ani-libreoffice.xlsx",
                                            DATA / "evaluator-budi-long.ods"])
    indicator = window.wb.registry.scored_instrument(window.wb.registry.period()).indicator("1.a.Ak")
    window.tabs.setCurrentIndex(2)
    page = window.conflicts
    qtbot.waitUntil(lambda: page.table.rowCount() == 1, timeout=5000)
    shown = page.detail.toPlainText()
    assert indicator.text in shown  # the indicator's text, not only its code
    lines = shown.splitlines()
    for level, who in ((5, "Ani"), (1, "Budi")):  # each level of the rubric, with who gave it
        line = next(n for n, text in enumerate(lines) if indicator.levels[level][:40] in text)
        assert who in " ".join(lines[line - 1:line + 2])
    page.reason.setText("Dibahas di rapat tim")
    page.score.setValue(3)
    qtbot.keyClick(page.reason, Qt.Key.Key_Return)
    wait_ops(qtbot)
    qtbot.waitUntil(lambda: page.table.rowCount() == 0, timeout=5000)
    qtbot.keyClick(page, Qt.Key.Key_M, Qt.KeyboardModifier.AltModifier)  # Ta&mpilkan: the filter
    assert page.filter.hasFocus()
    page.filter.setCurrentIndex(page.filter.findData("settled"))
    assert page.table.rowCount() == 1 and page.table.item(0, 4).text() == "3 oleh Penguji"
    assert "Dibahas di rapat tim" in page.detail.toPlainText() and page.score.value() == 3
    page.filter.setCurrentIndex(page.filter.findData("all"))
    assert page.table.rowCount() == 1 and "1 dari 1 konflik" in page.count.text()
    window.close()


def test_an_import_that_changes_a_certified_unit_offers_to_revoke_its_certificate(qtbot, settings, tmp_path):
    from PySide6.QtWidgets import QMessageBox

    from tests.helpers import score_all

    path = tmp_path / "kantor.sqlite"
    with Workbook.create(path, period="PEKPPP 2026") as wb:
        wb.registry.add_unit("PRIMA", "Dinas Prima", "Pemda Contoh")
        score_all(wb, "PRIMA", "Ani", lambda i: 5)
        wb.observations.finalize(evaluator="Ani")
        wb.certificates.init_keys("kunci-rahasia")
        wb.certificates.issue("kunci-rahasia")
    window = MainWindow(settings, path)
    qtbot.addWidget(window)
    sheet = write_xlsx(tmp_path / "budi.xlsx", [["kode_unit", "kode_indikator", "nilai", "evaluator"],
                                               ["PRIMA", "1.a.Ak", 1, "Budi"]])
    dialog = window.import_sheets()
    dialog.add_files([str(sheet)])
    dialog.next.click()
    dialog.next.click()
    wait_ops(qtbot)
    with qtbot.waitSignal(dialog.imported, timeout=10000):
        dialog.next.click()
    box = dialog.certified_box
    assert isinstance(box, QMessageBox) and "001/PP/2026 · PRIMA" in box.text()
    next(b for b in box.buttons() if b.text() == "Cabut piagam ini").click()
    wait_ops(qtbot)
    cert = window.wb.certificates.issued()[0]
    assert cert.revoked and "impor" in cert.revoked_reason
    dialog.close()
    window.close()


def test_after_an_agreement_the_next_conflict_is_ready_and_enter_agrees(qtbot, settings, tmp_path):
    window = lead_window(qtbot, settings, tmp_path)
    with Workbook(window.db.path) as other:
        other.exchange.import_observations([DATA / "evaluator-ani-libreoffice.xlsx",
                                            DATA / "evaluator-budi-long.ods"])
        other.settings.set("conflict_threshold", 1, other.registry.period())  # more disagreements count
    window.tabs.setCurrentIndex(2)
    page = window.conflicts
    qtbot.waitUntil(lambda: page.table.rowCount() == 2, timeout=5000)
    first = (page.conflicts[0].unit, page.conflicts[0].indicator)
    page.score.setValue(0)  # a value neither evaluator gave, left over from the conflict agreed before
    page.reason.setText("Dibahas di rapat tim")
    qtbot.keyClick(page.reason, Qt.Key.Key_Return)
    wait_ops(qtbot)
    qtbot.waitUntil(lambda: (page.conflicts[0].unit, page.conflicts[0].indicator) != first, timeout=5000)
    scores = sorted(page.conflicts[0].scores.values())
    assert page.table.currentRow() == 0 and page.score.value() == scores[len(scores) // 2]  # the next one's median
    assert window.wb.conflicts.agreed(unit=first[0])[first[1]]["score"] == 0
    window.close()
