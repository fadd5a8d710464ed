"""What the lead sees when trust is at stake: a score that arrived in two versions waits on Konflik until the
lead picks one; a database changed outside the app is not opened, and its last whole backup is offered."""

import sqlite3

from PySide6.QtWidgets import QApplication, QMessageBox

from tests.helpers import UNITS
from tests.ui.helpers import wait_ops
from ui.identity import Identity
from ui.main_window import MainWindow
from ui.settings import Settings
from workbench import Workbook

PASS = "sandi-kit-tim-2026"


def test_two_versions_of_one_score_wait_on_konflik_until_the_lead_picks_one(qtbot, tmp_path, monkeypatch):
    lead_db = tmp_path / "ketua.sqlite"
    monkeypatch.setenv("WORKBENCH_KEYS", str(tmp_path / "kunci-ketua"))
    with Workbook.create(lead_db, period="PEKPPP 2026", actor="Ketua") as lead:
        for code, name, institution in UNITS:
            lead.registry.add_unit(code, name, institution)
        lead.team.assign([("SAMSAT-PRV", "Ani")])
        lead.kits.export(tmp_path / "ani.wbkit", evaluator="Ani", passphrase=PASS)
    packages = []
    for n, score in enumerate((2, 5)):  # one kit opened on two laptops, the same score given otherwise
        monkeypatch.setenv("WORKBENCH_KEYS", str(tmp_path / f"kunci-laptop-{n}"))
        laptop, _ = Workbook.from_kit(tmp_path / f"laptop-{n}.sqlite", tmp_path / "ani.wbkit", PASS)
        with laptop:
            laptop.observations.save(unit="SAMSAT-PRV", indicator="1.a.Ak", evaluator="Ani", score=score)
            packages.append(laptop.packages.export(tmp_path / f"paket-{n}.wbpkg").path)
    monkeypatch.setenv("WORKBENCH_KEYS", str(tmp_path / "kunci-ketua"))
    with Workbook(lead_db, actor="Ketua") as lead:
        assert lead.packages.import_(packages).conflicted == 1

    window = MainWindow(Settings.from_file(tmp_path / "ketua.ini"), lead_db,
                        identify=lambda *question: Identity("Ketua", "lead"))
    qtbot.addWidget(window)
    window.show()
    window.tabs.setCurrentIndex(2)
    page = window.conflicts
    qtbot.waitUntil(lambda: page.table.rowCount() == 1, timeout=5000)
    assert page.table.item(0, 2).text() == "Ani: 2 di sini · 5 di paket paket-1.wbpkg"
    assert page.score.value() == 5
    page.reason.setText("ditelepon: laptop kedua yang dipakai")
    page.resolve_selected()
    wait_ops(qtbot)
    qtbot.waitUntil(lambda: page.table.rowCount() == 0, timeout=5000)
    with Workbook(lead_db) as lead:
        assert lead.observations.get(unit="SAMSAT-PRV", indicator="1.a.Ak", evaluator="Ani").score == 5
        assert lead.maintenance.check() == []
    window.close()


def test_a_database_changed_outside_the_app_is_not_opened_and_its_last_whole_backup_is_offered(qtbot, settings,
                                                                                                 tmp_path):
    path = tmp_path / "evaluasi.sqlite"
    with Workbook.create(path, period="PEKPPP 2026") as wb:
        wb.registry.add_unit("U1", "Unit 1", "Instansi")
        wb.observations.save(unit="U1", indicator="1.a.Ak", evaluator="Ani", score=4)
    window = MainWindow(settings, path)  # opening it keeps a rolling backup
    qtbot.addWidget(window)
    wait_ops(qtbot)
    window.close()
    conn = sqlite3.connect(path)
    conn.executescript("CREATE TRIGGER ubah_nilai AFTER INSERT ON observations BEGIN "
                       "UPDATE observations SET score = 5 WHERE id = NEW.id; END;")
    conn.close()

    window = MainWindow(settings, path)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QMessageBox), timeout=5000)
    box = QApplication.activeModalWidget()
    assert window.db.path != path  # the changed file was not opened
    assert "trigger ubah_nilai" in box.text() and "Cadangan otomatis terakhir yang utuh" in box.informativeText()
    box.defaultButton().click()
    qtbot.waitUntil(lambda: window.db.path == path, timeout=5000)
    assert "berkas yang diubah disimpan sebagai evaluasi.diganti-" in window.statusBar().currentMessage()
    assert list(tmp_path.glob("evaluasi.diganti-*.sqlite"))
    assert window.wb.maintenance.check() == []
    wait_ops(qtbot)
    window.close()
