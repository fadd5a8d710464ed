from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog

from tests.helpers import write_xlsx
from tests.ui.helpers import wait_ops
from ui.certificates_dialog import output_folder
from ui.main_window import MainWindow
from ui.ops import run_op
from ui.settings import Settings, default_database
from workbench import Workbook
from workbench.demo import DEMO_PERIOD
from workbench.progress import ProgressUpdate


def test_language_switch_rebuilds_menus_in_english(qtbot, window, settings):
    assert [a.text() for a in window.menuBar().actions()][:2] == ["&Berkas", "&Sunting"]
    window.tabs.setCurrentIndex(1)
    window.results.select_row(1)
    shown = window.results.shown
    window.surveys.select("U2", "f03a")
    window.tabs.setCurrentIndex(0)
    window.entry.select_unit("U1")
    window.entry.choose_score(3)
    wait_ops(qtbot)
    window.set_language("en")
    assert window.results.shown == shown and window.results.table.currentIndex().row() == 1  # kept in view
    assert (window.surveys.unit, window.surveys.form) == ("U2", "f03a")
    assert window.undo_action.isEnabled()  # the score history outlives the rebuilt screens
    window.undo_action.trigger()
    wait_ops(qtbot)
    assert window.wb.observations.find(unit="U1")[0].score is None
    assert [a.text() for a in window.menuBar().actions()][:2] == ["&File", "&Edit"]
    assert window.tabs.tabText(1) == "Results" and settings.get("setting/language") == "en"
    window.entry.select_unit("U1")
    window.entry.finalize_unit()
    wait_ops(qtbot)
    assert "is not complete: 30 indicators are not scored" in window.entry.last_message
    window.set_language("id")
    assert window.tabs.tabText(1) == "Hasil"


def test_only_the_screen_in_front_is_built_at_start_and_each_other_when_first_shown(qtbot, settings, db):
    settings.set("persist/tab", 1)
    settings.set("persist/last_database", str(db.resolve()))  # reopening: the screen left is shown again
    window = MainWindow(settings, db)
    qtbot.addWidget(window)
    assert [window.built(tab) is not None for tab in range(5)] == [False, True, False, False, False]
    assert window.tabs.currentWidget() is window.results and window.results.model.rowCount() == 3
    next(a for a in window.findChildren(QAction) if a.shortcut().toString() == "Ctrl+5").trigger()  # Survei
    assert window.built(4) is not None and window.tabs.currentIndex() == 4
    assert window.tabs.currentWidget() is window.surveys
    assert window.undo_group.activeStack() is window.surveys.undo_stack
    window.tabs.setCurrentIndex(0)
    assert window.tabs.currentWidget() is window.entry and window.undo_group.activeStack() is window.score_history
    assert [window.tabs.tabText(t) for t in range(5)] == ["Entri penilaian", "Hasil", "Konflik", "Progres tim",
                                                         "Survei"]
    assert window.built(2) is None and window.built(3) is None


def test_going_back_to_a_screen_puts_the_keys_in_its_list_not_in_its_period_list(qtbot, window):
    """From the survey grid, Ctrl+1 used to leave the focus on the entry screen's period list, where the arrow
    keys meant for the units changed the period."""
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    window.tabs.setCurrentIndex(4)
    window.surveys.grid.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.surveys.grid)
    period = window.entry.period
    window.tabs.setCurrentIndex(0)
    assert QApplication.focusWidget() is window.entry.navigator
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down)
    assert window.entry.period == period


def test_geometry_splitters_and_recent_files_are_remembered(qtbot, settings, db, tmp_path):
    first = MainWindow(settings, db)
    qtbot.addWidget(first)
    first.resize(760, 560)
    first.entry.splitter.setSizes([200, 300, 500])
    sizes = first.entry.splitter.sizes()
    first.close()
    second = MainWindow(Settings.from_file(tmp_path / "settings.ini"), db)  # read back from the file
    qtbot.addWidget(second)
    assert (second.size().width(), second.size().height()) == (760, 560) and second.entry.splitter.sizes() == sizes
    other = tmp_path / "lain.sqlite"
    Workbook.create(other).close()
    assert second.switch_database(other)
    assert settings.get("persist/recent_files")[:2] == [str(other.resolve()), str(db.resolve())]
    assert [a.text() for a in second.recent_menu.actions()][0] == str(other.resolve())
    assert not second.switch_database(tmp_path / "tidak-ada.sqlite")  # says why, keeps the open one
    assert second.db.path == other
    wait_ops(qtbot)
    second.close()


def test_first_start_creates_the_default_database_with_a_demo_period(qtbot, settings):
    path = default_database()
    path.unlink(missing_ok=True)
    win = MainWindow(settings, path, demo=True)
    qtbot.addWidget(win)
    period = win.wb.registry.period()
    assert path.exists() and period.name == DEMO_PERIOD and period.demo
    assert "DEMO" in win.results.period_box.currentText() and "contoh" in win.results.period_box.currentText()
    assert str(path) in win.db_label.text() and win.save_label.text() == "Semua perubahan tersimpan"
    wait_ops(qtbot)
    win.close()


def test_long_work_shows_its_progress_and_can_be_cancelled(qtbot, window):
    done, failed, shown = [], [], []

    def work(progress, cancel):
        for step in range(1000):
            progress(ProgressUpdate(step, 1000, "langkah"))
            cancel.check()
            __import__("time").sleep(0.002)
        return "selesai"

    token = run_op(window, work, on_success=done.append, on_failure=failed.append, label="Bekerja…")

    def progress_shown() -> bool:
        found = [d for d in window.findChildren(QProgressDialog) if d.isVisible()]
        if found:
            shown.append((found[0].value(), found[0].maximum()))
        return bool(found) and found[0].value() > 10

    qtbot.waitUntil(progress_shown, timeout=5000)
    value, maximum = shown[-1]
    assert maximum == 1000 and 10 < value < 1000  # the dialog follows the work's own progress
    token.cancel()
    wait_ops(qtbot)
    assert done == [] and failed == []  # a cancelled operation is neither a result nor an error
    seen = []
    run_op(window, lambda progress, cancel: 42, on_success=seen.append)
    wait_ops(qtbot)
    assert seen == [42]


def test_an_encrypted_database_opens_in_the_app_with_its_passphrase(qtbot, window, tmp_path):
    path = tmp_path / "rahasia.sqlite"
    Workbook.create(path, period="PEKPPP 2026", passphrase="sandi-laptop-1").close()
    window.ask_passphrase = lambda p: "salah"
    assert not window.switch_database(path)
    window.ask_passphrase = lambda p: "sandi-laptop-1"
    assert window.switch_database(path) and window.db.passphrase == "sandi-laptop-1"
    window.tabs.setCurrentIndex(1)  # the reader and writer threads use the same passphrase
    qtbot.waitUntil(window.wb.results.is_fresh, timeout=10000)
    wait_ops(qtbot)


def test_a_second_window_on_the_same_database_is_read_only(qtbot, window, settings, db):
    wait_ops(qtbot)
    second = MainWindow(settings, db)
    qtbot.addWidget(second)
    assert second.db.read_only and not second.entry.isEnabled()
    assert "hanya baca" in second.db_label.text()
    assert [a for a in second.menuBar().actions()[0].menu().actions() if a.text() == "Pulihkan ca&dangan…"][
        0].isEnabled() is False
    second.close()
    window.close()  # the writer leaves: the next window may write
    third = MainWindow(settings, db)
    qtbot.addWidget(third)
    assert not third.db.read_only and third.entry.isEnabled()
    wait_ops(qtbot)
    third.close()


def test_a_rolling_backup_is_kept_on_open_and_can_be_restored(qtbot, window):
    wait_ops(qtbot)
    backups = window.wb.maintenance.backups()
    assert len(backups) == 1
    window.entry.select_unit("U1")
    window.entry.choose_score(2)
    wait_ops(qtbot)
    assert window.wb.observations.find() != []
    window.restore_from(backups[0])
    wait_ops(qtbot)
    assert window.wb.observations.find() == [] and len(window.wb.maintenance.backups()) == 2
    assert window.entry.navigator.currentItem().text(1) == "0/30 · draf"  # the screen heard the restore


def test_units_are_imported_from_a_sheet_in_the_app(qtbot, window, tmp_path):
    good = write_xlsx(tmp_path / "lokus.xlsx", [["Kode Unit", "Nama Unit", "Instansi"],
                                                ["U9", "Kantor Imigrasi", "Kementerian Contoh"]])
    window.import_units(good)
    wait_ops(qtbot)
    assert "U9 · Kantor Imigrasi" in [window.entry.navigator.topLevelItem(i).child(j).text(0)
                                      for i in range(window.entry.navigator.topLevelItemCount())
                                      for j in range(window.entry.navigator.topLevelItem(i).childCount())]
    bad = write_xlsx(tmp_path / "salah.xlsx", [["Kode Unit", "Nama Unit", "Instansi"], ["U10", "", "X"]])
    window.import_units(bad)
    wait_ops(qtbot)
    shown = [m for m in window.findChildren(QMessageBox) if m.isVisible()]
    assert "salah.xlsx, lembar 'Data', baris 2" in shown[-1].text()


def test_the_window_fits_a_1366_by_768_laptop_with_its_status_bar_in_sight(qtbot, settings, tmp_path):
    from PySide6.QtCore import QPoint

    window = MainWindow(settings, tmp_path / "demo.sqlite", demo=True)  # long names, questionnaires, populations
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    screen = window.screen().availableGeometry()
    assert (screen.width(), screen.height()) == (1366, 768)
    assert screen.contains(window.frameGeometry()), window.frameGeometry()
    bar = window.statusBar()
    bottom = bar.mapTo(window, QPoint(0, bar.height())).y()
    assert bar.isVisible() and bottom <= window.height() and window.save_label.isVisible()
    assert window.minimumSizeHint().height() <= screen.height()
    long_name = "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kabupaten Kepulauan Contoh"
    window.db.write(lambda wb, progress, cancel: wb.registry.add_unit("PANJANG-01", long_name, long_name))
    wait_ops(qtbot)
    window.surveys.select("DEMO-02")
    for tab in range(window.tabs.count()):  # no screen's long names or buttons widen the window
        window.tabs.setCurrentIndex(tab)
        wait_ops(qtbot)
        qtbot.wait(20)  # layouts settle on posted events
        assert window.minimumSizeHint().width() <= screen.width(), window.tabs.tabText(tab)
        assert screen.contains(window.frameGeometry()), window.tabs.tabText(tab)
    window.tabs.setCurrentIndex(1)  # Hasil: what matters without scrolling sideways
    wait_ops(qtbot)
    table = window.results.table
    assert table.horizontalScrollBar().maximum() == 0, table.horizontalScrollBar().maximum()
    aspect = table.model().columns.index("I")
    assert table.model().headerData(aspect, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole).startswith("I · ")


def test_help_shows_the_guide_in_the_apps_language_and_about_names_version_database_and_log(qtbot, window):
    from importlib.metadata import version

    guide = window.show_guide()
    text = guide.browser.toPlainText()
    assert "Pintasan keyboard" in text and "Ctrl+Shift+F" in text and "Alt+C" in text
    guide.close()
    about = window._about()
    assert version("pekppp-workbench") in about.text() and str(window.db.path) in about.text()
    about.close()
    window.set_language("en")
    guide = window.show_guide()
    assert "A short guide" in guide.browser.toPlainText()
    guide.close()
    window.set_language("id")


def test_evaluation_reports_are_written_from_the_app(qtbot, settings, tmp_path):
    from tests.helpers import score_all

    path = tmp_path / "kantor.sqlite"
    with Workbook.create(path, period="PEKPPP 2026") as wb:
        wb.registry.add_unit("U1", "Dinas Satu", "Pemda Contoh")
        score_all(wb, "U1", "Ani", lambda i: 4)
    window = MainWindow(settings, path)
    qtbot.addWidget(window)
    window.write_reports(tmp_path / "laporan")
    wait_ops(qtbot)
    assert sorted(p.name for p in (tmp_path / "laporan").iterdir()) == ["laporan-U1.pdf", "rekapitulasi.pdf"]
    assert "2 laporan PDF" in window.statusBar().currentMessage()
    settings.set("persist/certificate_folder", str(tmp_path / "Dokumen" / "Piagam"))  # never the real documents
    proposed = output_folder(settings) / "PEKPPP-2026"
    dialog = window.write_reports()  # Ctrl+L: the folder proposed exists, so that Enter takes it
    assert proposed.is_dir() and Path(dialog.directory().absolutePath()) == proposed
    dialog.reject()  # cancelled: a folder made only to be proposed is not left behind
    assert not (tmp_path / "Dokumen").exists()
    dialog = window.write_reports()
    dialog.accept()
    wait_ops(qtbot)
    assert sorted(p.name for p in proposed.iterdir()) == ["laporan-U1.pdf", "rekapitulasi.pdf"]
    window.close()


def test_results_are_published_from_the_app_as_the_command_line_does(qtbot, window, tmp_path, capsys):
    from tests.helpers import run, score_all

    with Workbook(window.db.path) as wb:
        score_all(wb, "U1", "Ani", lambda ind: 4)
    wait_ops(qtbot)
    publish = next(a for a in window.menuBar().actions()[0].menu().actions() if "Terbitkan" in a.text())
    assert publish.isEnabled()
    window.publish_results(tmp_path / "dari-aplikasi.sqlite")
    wait_ops(qtbot)
    assert "3 unit, 0 piagam" in window.statusBar().currentMessage()
    assert run(capsys, "publish", window.db.path, "--out", tmp_path / "dari-cli.sqlite")[0] == 0
    assert (tmp_path / "dari-aplikasi.sqlite").read_bytes() == (tmp_path / "dari-cli.sqlite").read_bytes()
