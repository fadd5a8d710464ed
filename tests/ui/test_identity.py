"""Who works in a database, and where the app starts: the last evaluation reopens, the example data is marked
as such, someone else's database asks who you are (once), and the role decides the first screen."""

from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from main import opening
from tests.ui.helpers import wait_ops
from ui.identity import Identity
from ui.main_window import MainWindow
from ui.settings import Settings, default_database
from workbench import Workbook


def test_a_restart_reopens_the_last_evaluation_and_the_example_data_says_what_it_is(qtbot, tmp_path, db):
    settings = Settings.from_file(tmp_path / "baru.ini")
    assert opening(settings, []) == (default_database(), "")  # a first start: Mulai over the example data
    settings.add_recent(db)
    assert opening(settings, []) == (db.resolve(), None)  # every later start: the evaluation used last
    assert opening(settings, [str(tmp_path / "lain.sqlite")]) == (tmp_path / "lain.sqlite", None)
    moved = tmp_path / "dipindah.sqlite"
    Workbook.create(moved).close()
    settings.add_recent(moved)
    moved.unlink()
    assert opening(settings, []) == (default_database(), f"Basis data terakhir tidak ditemukan: {moved.resolve()}")

    settings.set("setting/user", "Ani")
    example = MainWindow(settings, default_database(), demo=True)
    qtbot.addWidget(example)
    assert "DATA CONTOH" in example.windowTitle()
    assert example.switch_database(db) and "DATA CONTOH" not in example.windowTitle()
    wait_ops(qtbot)
    example.close()


def owned_by_sari(tmp_path: Path) -> Path:
    path = tmp_path / "ketua.sqlite"
    with Workbook.create(path, period="PEKPPP 2026", actor="Sari") as wb:
        wb.registry.add_unit("U1", "Dinas Penanaman Modal dan PTSP", "Pemerintah Kota Contoh")
        wb.settings.set("owner", "Sari")
        wb.settings.set("owner_role", "lead")
    return path


def test_someone_elses_database_asks_who_you_are_once_and_never_renames_its_owner(qtbot, settings, tmp_path):
    path = owned_by_sari(tmp_path)
    asked = []

    def rahmat(*question):
        asked.append(question[1:])
        return Identity("Rahmat", "lead")

    window = MainWindow(settings, path, identify=rahmat)
    qtbot.addWidget(window)
    window.show()
    assert asked == [("ketua.sqlite", "Sari", [], Identity("Penguji", "lead"))]  # the owner named, a guess offered
    assert window.user == "Rahmat" and "Pengguna: Rahmat (Ketua tim)" in window.db_label.text()
    assert window.tabs.currentWidget() is window.team  # a lead starts on Progres tim
    window.entry.select_unit("U1")
    window.entry.choose_score(4)
    wait_ops(qtbot)
    window.set_user("Rahmat Hidayat")  # Berkas → Nama pengguna: who I am, not who owns the file
    wait_ops(qtbot)
    assert window.wb.settings.get("owner") == "Sari" and window.user == "Rahmat Hidayat"
    assert window.entry.evaluator == "Rahmat Hidayat"
    window.entry.choose_score(5)
    wait_ops(qtbot)
    actors = [e["actor"] for e in window.wb.audit.entries() if e["entity"] == "observation"]
    assert actors[0] == "Rahmat" and actors[-1] == "Rahmat Hidayat" and "Sari" not in actors
    window.close()

    again = MainWindow(settings, path, identify=rahmat)  # remembered: not asked again
    qtbot.addWidget(again)
    assert len(asked) == 1 and again.user == "Rahmat Hidayat"
    wait_ops(qtbot)
    again.close()


def test_choosing_only_to_look_opens_the_database_read_only(qtbot, settings, tmp_path):
    window = MainWindow(settings, owned_by_sari(tmp_path), identify=lambda *question: None)
    qtbot.addWidget(window)
    window.show()
    assert window.db.read_only and not window.entry.isEnabled()
    assert "hanya baca" in window.db_label.text() and "hanya baca" in window.statusBar().currentMessage()
    assert window.lock is None  # another window may open it for writing
    window.close()


def test_the_role_is_changed_in_berkas_and_shows_its_first_screen(qtbot, window):
    assert window.identity.role == "evaluator" and window.tabs.currentWidget() is window.entry
    berkas = window.menuBar().actions()[0].menu()
    roles = next(a.menu() for a in berkas.actions() if a.text() == "Pe&ran")
    lead = next(a for a in roles.actions() if a.text().startswith("&Ketua tim"))
    lead.trigger()
    assert window.identity.role == "lead" and window.tabs.currentWidget() is window.team
    assert "(Ketua tim)" in window.db_label.text()
    berkas = window.menuBar().actions()[0].menu()  # the menus are rebuilt: the role is checked there
    roles = next(a.menu() for a in berkas.actions() if a.text() == "Pe&ran")
    assert [a.isChecked() for a in roles.actions()] == [False, True]
    wait_ops(qtbot)


def test_changes_made_on_another_computer_are_said_and_their_keys_accepted_on_purpose(qtbot, settings, tmp_path,
                                                                                         monkeypatch):
    monkeypatch.setenv("WORKBENCH_KEYS", str(tmp_path / "kunci-ketua"))
    path = owned_by_sari(tmp_path)
    monkeypatch.setenv("WORKBENCH_KEYS", str(tmp_path / "kunci-pejabat"))  # the official's computer
    with Workbook(path, actor="Rahmat") as wb:
        wb.observations.save(unit="U1", indicator="1.a.Ak", evaluator="Rahmat", score=3)
    monkeypatch.setenv("WORKBENCH_KEYS", str(tmp_path / "kunci-ketua"))  # back at the lead's
    settings.set("setting/user", "Sari")
    window = MainWindow(settings, path)
    qtbot.addWidget(window)
    window.show()
    box = None

    def offered() -> bool:
        nonlocal box
        box = next((b for b in window.findChildren(QMessageBox) if b.isVisible()), None)
        return box is not None

    qtbot.waitUntil(offered)
    assert "diubah di komputer lain" in box.text() and window.wb.audit.strangers()
    box.defaultButton().click()
    wait_ops(qtbot)
    assert window.wb.audit.strangers() == [] and window.wb.maintenance.check() == []
    window.close()


def test_the_identity_question_shows_every_line_whole(qtbot):
    """Walking the app found it squashed to 164 pixels: the name field cut, the lead's role cut mid-sentence."""
    from ui.identity import Identity, IdentityDialog

    dialog = IdentityDialog("tim.sqlite", "Sari", ["Ani", "Budi"], Identity("Rina", "lead"))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    for widget in (dialog.name, dialog.evaluator_role, dialog.lead_role):
        assert widget.height() >= widget.minimumSizeHint().height(), widget
        assert widget.width() >= widget.sizeHint().width(), widget
