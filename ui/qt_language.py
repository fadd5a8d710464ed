"""Qt's own dialogs (file, print, message boxes, context menus) in the app's language: Qt ships no
Indonesian, so the workbench carries its own translation of the strings it shows (translations/)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

QM = Path(__file__).resolve().parent / "translations" / "qtbase_{code}.qm"
_installed: QTranslator | None = None


def apply(code: str) -> bool:
    """Install the translation of Qt's dialogs for `code` ("id"), or remove it ("en"); whether one is active."""
    global _installed
    # dates and month names in Qt's own widgets follow the language too
    QLocale.setDefault(QLocale(QLocale.Language.Indonesian, QLocale.Country.Indonesia) if code == "id"
                       else QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    app = QCoreApplication.instance()
    if app is None:
        return False
    if _installed is not None:
        app.removeTranslator(_installed)
        _installed = None
    path = Path(str(QM).format(code=code))
    if not path.is_file():
        return False
    translator = QTranslator(app)
    if translator.load(str(path)):
        app.installTranslator(translator)
        _installed = translator
    return _installed is not None
