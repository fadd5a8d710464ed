"""What people type, as clean values: scores, dates, methods, codes and text; and dates as Indonesians write them.

Each normaliser returns the clean value, None for an empty cell, or raises ValueError with the reason
in the user's language. The spreadsheet readers and the app's forms use the same rules.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from functools import lru_cache

from workbench.errors import WorkbenchError
from workbench.i18n import N_, tr

STATUSES = ("draft", "final", "verified")


def lowest_status(statuses: Iterable[str]) -> str:
    """A unit's status: the lowest of its observations' (draft before final before verified); draft when none."""
    return min(statuses, key=STATUSES.index, default="draft")
STATUS_LABELS = {"draft": N_("draf"), "final": N_("final"), "verified": N_("terverifikasi")}
METHODS = ("desk", "field", "interview")
MONTHS_ID = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
             "November", "Desember")
MONTHS = {
    "januari": 1, "jan": 1, "january": 1, "februari": 2, "feb": 2, "pebruari": 2, "february": 2, "maret": 3,
    "mar": 3, "march": 3, "april": 4, "apr": 4, "mei": 5, "may": 5, "juni": 6, "jun": 6, "june": 6, "juli": 7,
    "jul": 7, "july": 7, "agustus": 8, "agu": 8, "agt": 8, "ags": 8, "aug": 8, "august": 8, "september": 9,
    "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "oct": 10, "october": 10, "november": 11, "nov": 11,
    "nopember": 11, "desember": 12, "des": 12, "dec": 12, "december": 12,
}
METHOD_WORDS = {
    "desk": "desk", "deskevaluation": "desk", "deskreview": "desk", "dokumen": "desk", "evaluasidokumen": "desk",
    "field": "field", "lapangan": "field", "verlap": "field", "verifikasilapangan": "field",
    "kunjunganlapangan": "field", "observasi": "field", "interview": "interview", "wawancara": "interview",
}
MAX_CELL_CHARS = 32767  # Excel's own limit for a cell
# the longest text each kind of field takes: names fit a certificate's line and a QR code, notes a cell
LIMITS = {"code": 64, "name": 250, "institution": 250, "kind": 120, "region": 120, "address": 500, "person": 120,
          "period": 120, "reason": 2000, "setting": 2000, "note": MAX_CELL_CHARS}
# characters nobody types and some tools choke on or are fooled by: control characters (tab and line breaks
# become spaces instead), direction overrides that make text read otherwise than it is stored, zero-width
# and byte-order marks, and unpaired surrogates
_UNSEEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u200e\u200f\u202a-\u202e\u2060"
                     "\u2066-\u2069\ufeff\ud800-\udfff]")
EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 is 1900-01-01 in Excel's (1900) date system
_SPACES = re.compile(r"\s+")


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value: object) -> str:
    """Cell text with stray and repeated spaces removed, control and invisible characters dropped, in Unicode
    NFC (so that one name is stored one way); numbers without a trailing .0."""
    if value is None:
        return ""
    if isinstance(value, str):
        if not (value.isascii() and value.isprintable()):  # the common case skips the work below
            value = unicodedata.normalize("NFC", _UNSEEN.sub("", value))
        stripped = value.strip()
        if "  " in stripped or "\t" in stripped or "\n" in stripped or "\r" in stripped or "\xa0" in stripped:
            return _SPACES.sub(" ", stripped)
        return stripped
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def note(value: object) -> str:
    """Free text (notes, recommendations) within a spreadsheet cell's limit."""
    return bounded(value, "note")


def bounded(value: object, kind: str) -> str:
    """Clean text (see `text`) for a field of the kind (a key of LIMITS); ValueError when it is longer."""
    cleaned = text(value)
    if len(cleaned) > LIMITS[kind]:
        raise ValueError(tr("teks {length} karakter, melebihi batas {limit}", length=len(cleaned),
                            limit=LIMITS[kind]))
    return cleaned


def field_text(value: object, kind: str, name: str, *, required: bool = False) -> str:
    """`bounded` for a value given to the workbench: WorkbenchError naming the field when the text is too long
    or, when required, empty. Every text that enters the database passes here or through a sheet reader."""
    try:
        cleaned = bounded(value, kind)
    except ValueError as exc:
        raise WorkbenchError("{field}: {reason}", field=name, reason=str(exc)) from exc
    if required and not cleaned:
        raise WorkbenchError("{field} tidak boleh kosong", field=name)
    return cleaned


def optional_text(value: str | None, kind: str, name: str) -> str | None:
    """`field_text` for a field that may be left out: None stays None, and so does empty text."""
    return None if value is None else field_text(value, kind, name) or None


def code(value: object) -> str:
    """A unit or indicator code as typed, without spaces around it ("U-01 " -> "U-01", 12.0 -> "12")."""
    return text(value).replace(" ", "")


def score(value: object, lo: int = 0, hi: int = 5) -> int | None:
    """An integer score within [lo, hi]: 4, 4.0, "4", " 4 ", "4,0" are all 4."""
    if type(value) is float and value.is_integer() and lo <= value <= hi:  # the common case, fast
        return int(value)
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise ValueError(tr("'{value}' bukan angka; diharapkan {expected}", value=value, expected=f"{lo}-{hi}"))
    try:
        number = float(value) if isinstance(value, int | float) else float(text(value).replace(",", "."))
    except ValueError:
        raise ValueError(tr("'{value}' bukan angka; diharapkan {expected}", value=text(value),
                            expected=f"{lo}-{hi}")) from None
    if not number.is_integer():
        raise ValueError(tr("{value} bukan bilangan bulat", value=text(value)))
    if not lo <= number <= hi:
        raise ValueError(tr("{value} di luar skala {lo}-{hi}", value=int(number), lo=lo, hi=hi))
    return int(number)


def observed_date(value: object) -> str | None:
    """An ISO date from a date cell, an Excel serial, "8 Maret 2022", "08/03/2022" (day first), "08032022"
    or ISO text."""
    if is_blank(value):
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2958466:  # up to 9999-12-31
            return _serial_date(int(value))
        raise ValueError(tr("'{value}' bukan tanggal (contoh: 28-11-2026, 8 Maret 2022)", value=value))
    return _text_date(text(value))


@lru_cache(maxsize=4096)  # a sheet repeats the same few dates thousands of times
def _serial_date(serial: int) -> str:
    return (EXCEL_EPOCH + timedelta(days=serial)).isoformat()


@lru_cache(maxsize=4096)
def _text_date(typed: str) -> str:
    raw = typed.lower().replace(",", " ")
    try:
        match = re.fullmatch(r"(\d{1,2})[\s.-]+([a-z]+)\.?[\s.-]+(\d{4})", raw)
        if match and match.group(2) in MONTHS:
            return date(int(match.group(3)), MONTHS[match.group(2)], int(match.group(1))).isoformat()
        match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t].*)?", raw)
        if match:
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3))).isoformat()
        match = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", raw) or re.fullmatch(r"(\d{2})(\d{2})(\d{4})", raw)
        if match:
            return date(int(match.group(3)), int(match.group(2)), int(match.group(1))).isoformat()
    except ValueError:
        pass
    raise ValueError(tr("'{value}' bukan tanggal (contoh: 28-11-2026, 8 Maret 2022)", value=typed))


@lru_cache(maxsize=1024)
def method(value: object) -> str | None:
    """desk, field or interview from their Indonesian or English names."""
    if is_blank(value):
        return None
    key = re.sub(r"[^a-z]", "", text(value).lower())
    if key in METHOD_WORDS:
        return METHOD_WORDS[key]
    raise ValueError(tr("'{value}' bukan metode (desk, lapangan, wawancara)", value=text(value)))


def indonesian_date(iso: str) -> str:
    """"2022-03-08" -> "8 Maret 2022"."""
    day = date.fromisoformat(iso)
    return f"{day.day} {MONTHS_ID[day.month - 1]} {day.year}"


def file_name_part(text: str) -> str:
    """Text made safe for a file name: letters, digits, - and _ kept, anything else becomes -
    ("001/PP/2026" -> "001-PP-2026")."""
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in text)
