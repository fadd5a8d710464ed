"""The team round trip in the app, each laptop with keys of its own: the lead assigns units from a sheet on
Progres tim and sends kits; the evaluator opens her kit from Mulai, sees only her units, scores and sends a
package; the lead imports it in the wizard, sees it arrive on Progres tim, finalises a selection on Hasil and
sees that the unit is ready."""

import os

from PySide6.QtCore import QItemSelectionModel

from tests.helpers import UNITS, write_xlsx
from tests.ui.helpers import wait_ops
from ui.identity import Identity
from ui.main_window import MainWindow
from ui.settings import Settings
from workbench import Workbook
from workbench.exchange.container import fingerprint

PASS = "sandi-kit-tim-2026"


def test_kits_out_packages_back_and_a_ready_unit_at_the_lead(qtbot, tmp_path, monkeypatch):
    lead_db = tmp_path / "ketua.sqlite"
    with Workbook.create(lead_db, period="PEKPPP 2026") as wb:
        for code, name, institution in UNITS:
            wb.registry.add_unit(code, name, institution)
    monkeypatch.setenv("WORKBENCH_KEYS", str(tmp_path / "kunci-ketua"))
    lead = MainWindow(Settings.from_file(tmp_path / "ketua.ini"), lead_db,
                      identify=lambda *question: Identity("Bu Ketua", "lead"))  # asked once, on first open
    qtbot.addWidget(lead)
    lead.show()
    assert lead.tabs.currentWidget() is lead.team  # a lead starts on Progres tim
    lead.tabs.setCurrentIndex(3)
    team = lead.team
    sheet = write_xlsx(tmp_path / "penugasan.xlsx", [["Kode Unit", "Evaluator"], ["DPMPTSP-KTA", "Ani"],
                                                     ["SAMSAT-PRV", "Ani"]])
    team.assign_from_sheet(sheet)
    wait_ops(qtbot)
    qtbot.waitUntil(lambda: team.team.rowCount() == 1, timeout=5000)
    assert [team.team.item(0, c).text() for c in (0, 1, 3, 4)] == ["Ani", "2", "–", "–"]
    assert team.team.item(0, 2).text() == "–"
    units = {team.table.item(r, 0).text(): team.table.item(r, 2).text() for r in range(team.table.rowCount())}
    assert units == {"DPMPTSP-KTA": "Ani", "DUKCAPIL-KTA": "–", "SAMSAT-PRV": "Ani"}
    team.team.selectRow(0)
    team.export_kits(team.selected_evaluators(), tmp_path, PASS)
    wait_ops(qtbot)
    kit = tmp_path / "kit-ani-pekppp-2026.wbkit"
    assert kit.exists() and "1 kit di" in lead.statusBar().currentMessage()
    qtbot.waitUntil(lambda: team.team.item(0, 3) is not None and team.team.item(0, 3).text().startswith("#1"),
                    timeout=5000)
    with Workbook(lead_db) as wb:  # the key as read out on the phone
        assert team.team.item(0, 2).text() == fingerprint(wb.team.key_of("Ani").key_id)
    lead.close()

    monkeypatch.setenv("WORKBENCH_KEYS", str(tmp_path / "kunci-ani"))  # her laptop
    evaluator = MainWindow(Settings.from_file(tmp_path / "ani.ini"), tmp_path / "contoh.sqlite", demo=True,
                           identify=lambda *question: Identity("Ani"))
    qtbot.addWidget(evaluator)
    evaluator.show()
    mine = tmp_path / "laptop-ani" / "evaluasi-ani.sqlite"
    mine.parent.mkdir()
    evaluator.open_kit(kit, PASS, mine)
    wait_ops(qtbot)
    qtbot.waitUntil(lambda: evaluator.db.path == mine, timeout=10000)
    assert "Kit nomor 1 untuk Ani: 2 unit" in evaluator.statusBar().currentMessage()
    assert evaluator.user == "Ani" and evaluator.entry.evaluator == "Ani"
    entry = evaluator.entry
    listed = sorted(entry.navigator.topLevelItem(n).child(c).text(0).split(" · ")[0]
                    for n in range(entry.navigator.topLevelItemCount())
                    for c in range(entry.navigator.topLevelItem(n).childCount()))
    assert listed == ["DPMPTSP-KTA", "SAMSAT-PRV"]  # her units, not the whole register
    with Workbook(mine, actor="Ani") as wb:
        for ind in wb.registry.instrument(wb.registry.period().instrument_id).indicators:
            wb.observations.save(unit="DPMPTSP-KTA", indicator=ind.code, evaluator="Ani", score=5)
        photo = tmp_path / "maklumat.jpg"
        photo.write_bytes(b"\xff\xd8\xff foto maklumat pelayanan")
        wb.evidence.add(wb.observations.get(unit="DPMPTSP-KTA", indicator="5.a.K", evaluator="Ani").uuid, photo)
    sending = evaluator.send_package()
    assert sending.evaluator.currentText() == "Ani" and not sending.evaluator.isEnabled()  # the kit's evaluator
    sending.send(str(tmp_path / "paket-ani.wbpkg"))
    wait_ops(qtbot)
    assert "paket nomor 1 dari Ani: 31 observasi" in evaluator.statusBar().currentMessage()
    evaluator.close()

    monkeypatch.setenv("WORKBENCH_KEYS", str(tmp_path / "kunci-ketua"))
    lead = MainWindow(Settings.from_file(tmp_path / "ketua.ini"), lead_db)
    qtbot.addWidget(lead)
    lead.show()
    wizard = lead.import_sheets()
    wizard.add_files([str(tmp_path / "paket-ani.wbpkg")])
    wizard.go(1)
    wizard.run_check()
    wait_ops(qtbot)
    assert wizard.report.problems == [] and wizard.report.added == 31 and not wizard.report.written
    wizard.run_import()
    wait_ops(qtbot)
    assert wizard.report.written and "31 baru" in wizard.summary.text()
    wizard.close()

    lead.tabs.setCurrentIndex(3)
    team = lead.team
    qtbot.waitUntil(lambda: team.team.item(0, 4) is not None and team.team.item(0, 4).text().startswith("#1"),
                    timeout=5000)
    assert team.team.item(0, 5).text() == "30/60"

    lead.tabs.setCurrentIndex(1)
    results = lead.results
    qtbot.waitUntil(lambda: results.model.rowCount() == 3 and results.model.index(0, 1).data() == "DPMPTSP-KTA",
                    timeout=5000)
    selection = results.table.selectionModel()
    selection.select(results.model.index(0, 0), QItemSelectionModel.SelectionFlag.Select
                     | QItemSelectionModel.SelectionFlag.Rows)
    results.finalize_selected()
    wait_ops(qtbot)
    assert "31 observasi final (1 unit × evaluator)" in results.state.text()
    results.finalize_selected()  # again: nothing left to do, said in one line
    wait_ops(qtbot)
    assert results.state.text() == "Tidak ada yang perlu difinalkan: penilaian unit terpilih sudah final."
    assert results.state.height() < 2 * results.state.fontMetrics().height()

    lead.tabs.setCurrentIndex(3)
    qtbot.waitUntil(lambda: team.table.rowCount() == 3 and team.team.item(0, 6) is not None
                    and team.team.item(0, 6).text() == "30", timeout=5000)
    rows = {team.table.item(r, 0).text(): [team.table.item(r, c).text() for c in range(8)]
            for r in range(team.table.rowCount())}
    assert rows["DPMPTSP-KTA"][3] == "Ani 30/30 final" and rows["DPMPTSP-KTA"][7] == "siap"
    assert "1 dari 3 unit siap untuk piagam" == team.summary.text()
    with Workbook(lead_db) as wb:
        obs = wb.observations.get(unit="DPMPTSP-KTA", indicator="5.a.K", evaluator="Ani")
        assert [e["original_name"] for e in wb.evidence.of(obs.uuid)] == ["maklumat.jpg"]
        assert wb.team.key_of("Ani").how == "kit"
    assert os.environ["WORKBENCH_KEYS"].endswith("kunci-ketua")
    wait_ops(qtbot)
    lead.close()
