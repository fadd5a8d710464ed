import sys

from PySide6.QtWidgets import QApplication, QLabel


def test_qt_calls_returning_nothing_keep_the_reference_to_none(qapp):
    # PySide6 6.12.0 on Python 3.11 decremented None's count on every such call and crashed the app
    label = QLabel()
    before = sys.getrefcount(None)
    for _ in range(2000):
        label.setText("x")
        QApplication.processEvents()
    assert sys.getrefcount(None) - before > -100
