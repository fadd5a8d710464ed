"""The English app shows English only: no text of the catalogue is left in Indonesian on any screen or dialog."""

from PySide6.QtWidgets import QAbstractButton, QComboBox, QLabel, QLineEdit, QMenu, QTableWidget, QTabWidget, QWidget

from tests.helpers import DATA
from tests.ui.helpers import wait_ops
from tools.messages import english

# messages whose English is the same word, or which are names rather than words
SAME = {"Evaluator", "Unit", "Status:", "final"}


def shown_texts(root: QWidget) -> list[str]:
    """Every text a person can read on a widget tree: labels, buttons, fields, tabs, menus, headers, tooltips."""
    texts = [root.windowTitle()]
    for widget in [root, *root.findChildren(QWidget)]:
        if widget.objectName() == "file-content" or widget.parent() and widget.parent().objectName() == "file-content":
            continue  # a file's own words
        texts.append(widget.toolTip())
        if isinstance(widget, QLabel | QAbstractButton):
            texts.append(widget.text())
        if isinstance(widget, QLineEdit):
            texts.append(widget.placeholderText())
        if isinstance(widget, QComboBox):
            texts += [widget.itemText(i) for i in range(widget.count())]
        if isinstance(widget, QTabWidget):
            texts += [widget.tabText(i) for i in range(widget.count())]
        if isinstance(widget, QMenu):
            texts += [widget.title(), *(a.text() for a in widget.actions())]
        if isinstance(widget, QTableWidget):
            texts += [widget.horizontalHeaderItem(c).text() for c in range(widget.columnCount())
                      if widget.horizontalHeaderItem(c)]
    return [t for t in texts if t]


def indonesian_left(texts: list[str]) -> list[str]:
    catalogue = {m.id: m.string for m in english() if isinstance(m.id, str) and m.id and m.id != m.string}
    untranslated = {m for m in catalogue if m not in SAME and "{" not in m}
    return sorted({t for t in texts if t in untranslated})


def test_every_screen_and_dialog_in_english_shows_no_indonesian(qtbot, window):
    window.set_language("en")
    window.entry.select_unit("U1")
    texts = shown_texts(window)
    for tab in range(window.tabs.count()):
        window.tabs.setCurrentIndex(tab)
        texts += shown_texts(window)
    texts += [a.text() for menu in window.menuBar().findChildren(QMenu) for a in menu.actions()]
    importing = window.import_sheets()
    importing.add_files([str(DATA / "evaluator-budi-long.ods")])
    for step in (0, 1):
        importing.go(step)
        texts += shown_texts(importing)
    importing.close()
    certificates = window.open_certificates()
    texts += shown_texts(certificates)
    certificates.close()
    assert len(texts) > 150
    left = indonesian_left(texts)
    assert left == [], left
    assert "Scoring entry" in texts and "Import scoring sheets and packages" in texts and "Team progress" in texts
    assert "Award certificates · PEKPPP 2026" in texts
    wait_ops(qtbot)
    window.set_language("id")
    assert "Entri penilaian" in shown_texts(window)


def test_qt_own_dialogs_speak_the_apps_language(qtbot, window):
    """Qt ships no Indonesian: the app's own translation of Qt's dialogs is in use, and leaves with English."""
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    def button_texts():
        box = QMessageBox(QMessageBox.Icon.Question, "?", "?", QMessageBox.StandardButton.Save
                          | QMessageBox.StandardButton.Cancel, window)
        box.setDetailedText("rincian")
        texts = sorted(b.text().replace("&", "") for b in box.buttons())
        box.deleteLater()
        return texts

    assert button_texts() == ["Batal", "Simpan", "Tampilkan rincian..."]
    dialog = QFileDialog(window, "Buka", str(DATA))
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    assert {"Nama berkas:", "Jenis berkas:"} <= {t.replace("&", "") for t in shown_texts(dialog)}
    dialog.deleteLater()
    window.set_language("en")
    assert button_texts() == ["Cancel", "Save", "Show Details..."]
    window.set_language("id")
