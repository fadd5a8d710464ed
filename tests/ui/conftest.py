from pathlib import Path

import pytest

from PySide6.QtCore import QStandardPaths

from tests.ui.helpers import wait_ops
from ui import identity, process
from ui.main_window import MainWindow
from ui.settings import Settings
from workbench import Workbook, i18n

QStandardPaths.setTestModeEnabled(True)  # never touch the real user folders
process.tune()  # as main.py does


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    settings = Settings.from_file(tmp_path / "settings.ini")
    settings.set("setting/user", "Penguji")  # the name given once in this app; databases it opens are not asked
    return settings


@pytest.fixture(autouse=True)
def _never_asked_unawares(monkeypatch):
    """A window that asks who the user is when the test did not expect it fails instead of waiting forever."""
    def ask(*question):
        raise AssertionError(f"asked who the user is: {question[1:]}")

    monkeypatch.setattr(identity, "ask", ask)


@pytest.fixture(autouse=True)
def _indonesian():
    i18n.set_language("id")
    yield
    i18n.set_language("id")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "lapangan.sqlite"
    with Workbook.create(path, period="PEKPPP 2026") as wb:
        wb.registry.add_unit("U1", "Dinas Penanaman Modal dan PTSP", "Pemerintah Kota Contoh")
        wb.registry.add_unit("U2", "Dinas Kependudukan dan Pencatatan Sipil", "Pemerintah Kota Contoh")
        wb.registry.add_unit("U3", "Samsat Induk", "Pemerintah Provinsi Contoh")
    return path


@pytest.fixture
def window(qtbot, settings, db):
    win = MainWindow(settings, db)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    wait_ops(qtbot)


