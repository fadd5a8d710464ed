"""Every Alt+letter on a screen does one thing: no two buttons, labels, tabs or menus visible together share a
mnemonic (in the wizard, Alt+K was both "< Kembali" and "Ketua tim", and the role silently stayed Evaluator)."""

import re
from collections import defaultdict

import pytest

from PySide6.QtWidgets import (
    QAbstractButton,
    QGroupBox,
    QLabel,
    QMenu,
    QTabBar,
    QWidget,
    QWizard,
)

from tests.ui.helpers import wait_ops
from ui.identity import Identity, IdentityDialog
from ui.start_dialog import StartDialog


def mnemonic(text: str) -> str | None:
    found = re.search(r"&([^&\s])", text.replace("&&", ""))
    return found.group(1).lower() if found else None


def clashes(top: QWidget, extra: list[str] = ()) -> dict[str, list[str]]:
    """The letters used more than once among what `top` shows now (and `extra`, e.g. the menu bar's titles)."""
    texts = list(extra)
    for w in top.findChildren(QWidget):
        if not w.isVisibleTo(top) or w.window() is not top:
            continue
        if isinstance(w, QAbstractButton):
            texts.append(w.text())
        elif isinstance(w, QLabel) and w.buddy() is not None:
            texts.append(w.text())
        elif isinstance(w, QGroupBox):
            texts.append(w.title())
        elif isinstance(w, QTabBar):
            texts += [w.tabText(i) for i in range(w.count())]
    letters: dict[str, list[str]] = defaultdict(list)
    for text in texts:
        if (letter := mnemonic(text)) is not None:
            letters[letter].append(text)
    return {k: v for k, v in letters.items() if len(v) > 1}


def menu_clashes(menu: QMenu) -> dict[str, list[str]]:
    letters: dict[str, list[str]] = defaultdict(list)
    for action in menu.actions():
        if (letter := mnemonic(action.text())) is not None:
            letters[letter].append(action.text())
    return {k: v for k, v in letters.items() if len(v) > 1}


def test_the_checker_finds_a_clash(qtbot):
    from PySide6.QtWidgets import QPushButton, QVBoxLayout

    top = QWidget()
    qtbot.addWidget(top)
    layout = QVBoxLayout(top)
    layout.addWidget(QPushButton("< &Kembali"))
    layout.addWidget(QPushButton("&Ketua tim"))
    top.show()
    assert clashes(top) == {"k": ["< &Kembali", "&Ketua tim"]}


def test_every_page_of_the_wizard_has_its_own_keys(qtbot, window):
    wizard = window.new_evaluation()
    qtbot.waitExposed(wizard)
    for _ in wizard.pageIds():
        assert clashes(wizard) == {}, wizard.currentPage().title()
        wizard.next()
    wizard.reject()


def test_every_screen_and_menu_of_the_main_window_has_its_own_keys(qtbot, window):
    bar = [a.text() for a in window.menuBar().actions()]
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        assert clashes(window, bar) == {}, window.tabs.tabText(index)
    for menu in window.menuBar().findChildren(QMenu):
        assert menu_clashes(menu) == {}, menu.title()
    wait_ops(qtbot)


@pytest.mark.parametrize("opener", ["start", "import_sheets", "open_certificates", "send_package", "period_settings",
                                    "show_guide"])
def test_every_dialog_has_its_own_keys(qtbot, window, opener):
    dialog = getattr(window, opener)()
    qtbot.waitExposed(dialog)
    tabs = dialog.findChildren(QTabBar)
    for index in range(max(1, *(t.count() for t in tabs)) if tabs else 1):
        for bar in tabs:
            if index < bar.count():
                bar.setCurrentIndex(index)
        assert clashes(dialog) == {}, (opener, index)
    if isinstance(dialog, QWizard):
        while dialog.currentId() != dialog.pageIds()[-1]:
            dialog.next()
            assert clashes(dialog) == {}, (opener, dialog.currentPage().title())
    dialog.reject()
    wait_ops(qtbot)


def test_the_identity_question_has_its_own_keys(qtbot):
    dialog = IdentityDialog("tim.sqlite", "Sari", ["Ani", "Budi"], Identity("Rina", "lead"))
    qtbot.addWidget(dialog)
    dialog.show()
    assert clashes(dialog) == {}
    start = StartDialog([])
    qtbot.addWidget(start)
    start.show()
    assert clashes(start) == {}
