"""One message catalogue for the core, the command line and the app (gettext).

Messages are written in Indonesian where they are used: ``tr("Periode tidak dikenal: {name}", name=n)``.
Indonesian is the source language; the English catalogue is
``workbench/locale/en/LC_MESSAGES/workbench.po``, compiled to ``.mo`` by ``make messages``. Error classes
take their message the same way (``NotFound("Periode tidak dikenal: {name}", name=n)``) and render it in
the language current when they are shown. ``tests/test_messages.py`` fails when a message has no
English translation, or when the compiled catalogue is older than its source.
"""

from __future__ import annotations

import gettext
import math
import os
from functools import cache
from pathlib import Path

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "workbench"
LANGUAGES = ("id", "en")
# functions whose first argument is a message; error classes are added by the extractor (tests, make messages)
KEYWORDS = {"tr": (1,), "N_": (1,)}

_language = os.environ.get("WORKBENCH_LANG", "id") if os.environ.get("WORKBENCH_LANG") in LANGUAGES else "id"


@cache
def _catalogue(language: str) -> gettext.NullTranslations:
    if language == "id":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True)


def set_language(language: str) -> None:
    """Choose the language of every message: "id" (the default) or "en"."""
    global _language
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}")
    _language = language


def language() -> str:
    """The language messages are shown in now."""
    return _language


def decimal(value: float | None, places: int = 2, *, language: str | None = None) -> str:
    """A number as a reader of the language writes it, "–" for none: 4,67 in Indonesian, 4.67 in English;
    rounded half up, as scores are published (3,745 -> 3,75), whatever the float's last bits say."""
    if value is None:
        return "–"
    scale = 10**places
    rounded = math.copysign(math.floor(round(abs(value) * scale, 6) + 0.5) / scale, value)
    text = f"{rounded:.{places}f}"
    return text.replace(".", ",") if (language or _language) == "id" else text


def file_size(size: int) -> str:
    """A file's size for a person: 1045 bytes is "1,0 KB", 734003 bytes "717 KB", 5 MB "5,0 MB" (KB = 1024)."""
    if size < 1024:
        return f"{size} B"
    value, unit = size / 1024, "KB"
    for bigger in ("MB", "GB"):
        if value < 1024:
            break
        value, unit = value / 1024, bigger
    return f"{decimal(value, 1 if value < 100 else 0)} {unit}"


def tr(message: str, /, **params: object) -> str:
    """`message` (Indonesian) in the current language, with its {placeholders} filled in.

    ``tr("Periode tidak dikenal: {name}", name="2024")`` gives "Unknown period: 2024" in English.
    """
    translated = _catalogue(_language).gettext(message)
    return translated.format(**params) if params else translated


def source(message: str, /, **params: object) -> str:
    """`message` in the source language, Indonesian, with its {placeholders} filled in: for text that is
    stored (an audit reason, a revocation), so that the hash-chained log reads the same whatever language the
    screen or the command line spoke."""
    return message.format(**params) if params else message


def N_(message: str) -> str:
    """Mark a message for the catalogue without translating it now (it is translated where it is shown)."""
    return message


def pick(indonesian: str, english: str) -> str:
    """Choose between the two names that instrument data carries (aspects, bands) for the current language."""
    return english if _language == "en" and english else indonesian
