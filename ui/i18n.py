"""The app's words: Indonesian in the code, English from the table below, one menu switch apart.

`tr("Berkas")` returns the text in the current language. A test checks that every literal passed
to `tr` in ui/ has an English entry, so nothing user-visible is left untranslated.
"""

from __future__ import annotations

from workbench import messages

_language = "id"

ENGLISH: dict[str, str] = {
}


def set_language(language: str) -> None:
    """Switch the app and the core's messages to "id" or "en"."""
    global _language
    messages.set_language(language)
    _language = language


def language() -> str:
    return _language


def tr(text: str) -> str:
    """`text` (Indonesian) in the current language."""
    return ENGLISH.get(text, text) if _language == "en" else text
