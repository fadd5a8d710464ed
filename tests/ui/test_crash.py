"""An unexpected failure is logged, explained in plain words with its details to copy, and the app goes on."""

import sys
import threading

import pytest

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from ui import crash


@pytest.fixture
def installed(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    yield crash.install(tmp_path / "data")
    while crash_box() is not None:
        crash_box().done(0)


def crash_box():
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.objectName() == "crash-box"
             and w.isVisible()]
    return found[0] if found else None


@pytest.mark.qt_no_exception_capture
def test_a_failure_in_a_slot_is_logged_shown_and_copied(qtbot, installed):
    QTimer.singleShot(0, lambda: 1 / 0)
    qtbot.waitUntil(lambda: crash_box() is not None)
    box = crash_box()
    assert "Data Anda aman" in box.text() and str(installed) in box.text()
    assert "ZeroDivisionError" in box.detailedText()
    copy = next(b for b in box.buttons() if isinstance(b, QPushButton) and b.text().replace("&", "") == "Salin rincian")
    copy.click()
    assert "ZeroDivisionError" in QApplication.clipboard().text() and box.isVisible()
    for handler in crash.log.handlers:
        handler.flush()
    assert "ZeroDivisionError: division by zero" in installed.read_text(encoding="utf-8")


@pytest.mark.qt_no_exception_capture
def test_a_failure_in_a_worker_thread_reaches_the_user_too(qtbot, installed):
    worker = threading.Thread(target=lambda: {}["tidak-ada"])
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: crash_box() is not None)
    assert "KeyError: 'tidak-ada'" in crash_box().detailedText()
