"""The team round trip in the app: an evaluator sends a package, the lead imports it in the wizard, finalises a
selection on Hasil and sees on Progres tim that the unit is ready."""

from PySide6.QtCore import QItemSelectionModel

from tests.conftest import UNITS, score_all
from tests.ui.conftest import wait_ops
from ui.main_window import MainWindow
from ui.settings import Settings
from workbench import Workbook


def test_package_from_an_evaluator_to_a_ready_unit_at_the_lead(qtbot, tmp_path):
    evaluator_db, lead_db = tmp_path / "ani.sqlite", tmp_path / "ketua.sqlite"
    for path in (evaluator_db, lead_db):
        with Workbook.create(path, period="PEKPPP 2026") as wb:
            for code, name, institution in UNITS:
                wb.registry.add_unit(code, name, institution)
    with Workbook(evaluator_db, actor="Ani") as wb:
        score_all(wb, "DPMPTSP-KTA", "Ani", lambda i: 5)  # 5.00: A
        score_all(wb, "SAMSAT-PRV", "Ani", lambda i: 5)
        wb.observations.save(unit="SAMSAT-PRV", indicator="30.f.B", evaluator="Ani", score=None)
        photo = tmp_path / "maklumat.jpg"
        photo.write_bytes(b"\xff\xd8\xff foto maklumat pelayanan")
        wb.evidence.add(wb.observations.get(unit="DPMPTSP-KTA", indicator="5.a.K", evaluator="Ani").uuid, photo)

    evaluator = MainWindow(Settings.from_file(tmp_path / "ani.ini"), evaluator_db)
    qtbot.addWidget(evaluator)
    evaluator.set_user("Ani")
    sending = evaluator.send_package()
    sending.encrypt.setChecked(True)
    sending.passphrase.setText("sandi-flashdisk")
    sending.repeat.setText("sandi-flashdisk")
    sending.send(str(tmp_path / "paket-ani.wbpkg"))
    wait_ops(qtbot)
    assert (tmp_path / "paket-ani.wbpkg").exists() and "62 observasi" in evaluator.statusBar().currentMessage()
    evaluator.close()

    lead = MainWindow(Settings.from_file(tmp_path / "ketua.ini"), lead_db)
    qtbot.addWidget(lead)
    lead.show()
    lead.set_user("Bu Ketua")
    wizard = lead.import_sheets()
    wizard.add_files([str(tmp_path / "paket-ani.wbpkg")])
    wizard.passphrase.setText("sandi-flashdisk")
    wizard.go(1)
    wizard.run_check()
    wait_ops(qtbot)
    assert wizard.report.problems == [] and wizard.report.added == 62 and not wizard.report.written
    wizard.run_import()
    wait_ops(qtbot)
    assert wizard.report.written and "62 baru" in wizard.summary.text()
    wizard.close()

    lead.tabs.setCurrentIndex(1)
    results = lead.results
    qtbot.waitUntil(lambda: results.model.rowCount() == 3 and results.model.index(0, 1).data() == "DPMPTSP-KTA",
                    timeout=5000)
    selection = results.table.selectionModel()
    for row in (0, 1):  # DPMPTSP-KTA (complete) and SAMSAT-PRV (30.f.B missing)
        selection.select(results.model.index(row, 0), QItemSelectionModel.SelectionFlag.Select
                         | QItemSelectionModel.SelectionFlag.Rows)
    assert results.selected_units() == ["DPMPTSP-KTA", "SAMSAT-PRV"]
    results.finalize_selected()
    wait_ops(qtbot)
    assert "31 observasi final (1 unit × evaluator); 1 belum lengkap: SAMSAT-PRV / Ani" in results.state.text()

    lead.tabs.setCurrentIndex(3)
    team = lead.team
    qtbot.waitUntil(lambda: team.table.rowCount() == 3, timeout=5000)
    rows = {team.table.item(r, 0).text(): [team.table.item(r, c).text() for c in range(7)]
            for r in range(team.table.rowCount())}
    assert rows["DPMPTSP-KTA"][2] == "Ani 30/30 final"
    assert rows["DPMPTSP-KTA"][6] == "siap" and rows["DPMPTSP-KTA"][5] == "A"
    assert rows["SAMSAT-PRV"][6] == "belum semua indikator dinilai; masih ada nilai draf"
    assert "1 dari 3 unit siap untuk piagam" == team.summary.text()
    with Workbook(lead_db) as wb:
        obs = wb.observations.get(unit="DPMPTSP-KTA", indicator="5.a.K", evaluator="Ani")
        assert [e["original_name"] for e in wb.evidence.of(obs.uuid)] == ["maklumat.jpg"]
        actors = [(e["actor"], e["field"]) for e in wb.observations.history([obs.uuid]) if e["field"] != "key"]
        assert actors == [("Ani", "score"), ("Bu Ketua", "score"), ("Bu Ketua", "status")]
    wait_ops(qtbot)
    lead.close()
