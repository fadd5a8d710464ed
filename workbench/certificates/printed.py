"""What a certificate prints for each signed fact, and the check that a page prints exactly that.

The drawing (reports/certificate.py) and the check share these lines, so a page drawn by the workbench
passes and a page altered after signing does not: every signed fact must be printed exactly once, in the
text a reader sees, with nothing hidden, covered or drawn over another text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from workbench.domain.values import indonesian_date
from workbench.i18n import tr

TOKEN_MARK = "Token verifikasi: "
# the unit's name and its institution, smaller when long (tried in this order): no other text has these sizes
NAME_LAYOUTS = ((24.0, 16.0), (20.0, 16.0), (17.0, 16.0), (15.0, 16.0), (15.0, 13.5), (12.5, 13.5))
UNIT_NAME_SIZES = tuple(sorted({name for name, _ in NAME_LAYOUTS}, reverse=True))
INSTITUTION_SIZES = tuple(sorted({institution for _, institution in NAME_LAYOUTS}, reverse=True))
TOKEN_SIZE = 6.0  # legible on paper; certificates printed before 2026-12 have it at 4.2 points
TOKEN_SIZES = (TOKEN_SIZE, 4.2)  # what a verifier takes for the printed token
# the token is printed under the QR code's caption in lines TOKEN_STEP apart from TOKEN_TOP down, each as
# wide as TOKEN_WIDTH allows (the signature block begins to their right); TOKEN_LINES of them stay above the
# page's inner frame (at 34 points): a longer token is carried by the QR code alone
TOKEN_TOP, TOKEN_STEP, TOKEN_WIDTH, TOKEN_LINES = 88.0, 7.0, 350.0, 7
SIZE_TOLERANCE = 0.05
_CODE_IN_BRACKETS = re.compile(r"\(([A-F][+-]?)\)")  # how a category code is printed: "(A-)"


def number_line(number: str) -> str:
    return f"Nomor: {number}"


def unit_line(unit: str, period: str) -> str:
    return f"Kode unit: {unit} · Periode: {period}"


def category_text(label: str, category: str) -> str:
    return f"{label.upper()} ({category})"


def score_line(score: float) -> str:
    return f"Indeks Pelayanan Publik: {score:.2f}".replace(".", ",")


def date_text(iso: str) -> str:
    try:
        return indonesian_date(iso)
    except ValueError:
        return iso


@dataclass(frozen=True)
class PrintedText:
    """One run of text on the page, as a PDF reader finds it."""

    text: str
    size: float  # the size it is drawn at, in points
    box: tuple[float, float, float, float]  # left, bottom, right, top
    hidden: str | None = None  # why a reader of the page cannot see it; None when it is visible


@dataclass(frozen=True)
class PrintedPage:
    """The text of a certificate's page in drawing order, the token in its metadata, and anything else that
    could put words before a reader that are not in the text (annotations, further pages)."""

    texts: list[PrintedText]
    token: str | None = None
    oddities: list[str] = field(default_factory=list)

    def visible(self) -> list[PrintedText]:
        return [t for t in self.texts if t.hidden is None]

    def printed_token(self) -> str | None:
        """The token as printed under the QR code (its lines joined), if any."""
        runs = [t.text for t in self.visible() if any(abs(t.size - size) < SIZE_TOLERANCE for size in TOKEN_SIZES)]
        joined = "".join("".join(runs).split())
        mark = "".join(TOKEN_MARK.split())
        return joined[len(mark):] if joined.startswith(mark) else None


def _flat(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def _same(a: str, b: str) -> bool:
    # wrapping may break a long word without a space, so compare without spaces
    return "".join(_flat(a).split()) == "".join(_flat(b).split())


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> float:
    """The share of the smaller box that the two boxes have in common."""
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    if width <= 0 or height <= 0:
        return 0.0
    smaller = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
    return width * height / smaller if smaller > 0 else 1.0


def page_problem(claims: dict[str, object], page: PrintedPage, token: str) -> str | None:
    """Why the page does not print exactly what the token says (one line), or None when it does."""
    if page.oddities:
        return page.oddities[0]
    hidden = [t for t in page.texts if t.hidden is not None]
    if hidden:
        return tr("teks tersembunyi di halaman ({why}): \u201c{text}\u201d", why=hidden[0].hidden,
                  text=_flat(hidden[0].text)[:80])
    visible = page.visible()
    for n, a in enumerate(visible):
        for b in visible[n + 1:]:
            if _overlap(a.box, b.box) > 0.2:
                return tr("teks ditumpuk di atas teks lain: \u201c{text}\u201d", text=_flat(b.text)[:80])
    printed = page.printed_token()
    if printed is not None and printed != token:
        return tr("token yang tercetak berbeda dengan token di berkas")
    lines = [_flat(t.text) for t in visible]
    everything = " ".join(lines)

    def sized(*sizes: float) -> str:
        return " ".join(_flat(t.text) for t in visible if any(abs(t.size - s) < SIZE_TOLERANCE for s in sizes))

    def one_line(field_name: str, prefix: str, expected: str) -> str | None:
        found = [line for line in lines if line.startswith(prefix)]
        if len(found) != 1 or not _same(found[0], expected):
            return _mismatch(field_name, " / ".join(found), expected)
        return None

    number, unit, period = (str(claims.get(k, "")) for k in ("number", "unit", "period"))
    checks = [one_line("number", "Nomor:", number_line(number))]
    if not _same(sized(*UNIT_NAME_SIZES), str(claims.get("unit_name", ""))):
        checks.append(_mismatch("unit_name", sized(*UNIT_NAME_SIZES), str(claims.get("unit_name", ""))))
    if not _same(sized(*INSTITUTION_SIZES), str(claims.get("institution", ""))):
        checks.append(_mismatch("institution", sized(*INSTITUTION_SIZES), str(claims.get("institution", ""))))
    if "Kode unit:" in everything or claims.get("label") is not None:  # printed on certificates since labels
        checks.append(one_line("unit", "Kode unit:", unit_line(unit, period)))
    category = str(claims.get("category", ""))
    wording = " ".join(_flat(t.text) for t in visible
                       if not _named(t) and not t.text.startswith(("Nomor:", "Kode unit:")))
    codes = _CODE_IN_BRACKETS.findall(wording)
    label = claims.get("label")
    if codes != [category] or (label is not None and category_text(str(label), category) not in wording):
        checks.append(_mismatch("category", ", ".join(f"({c})" for c in codes),
                                category_text(str(label), category) if label is not None else f"({category})"))
    date = date_text(str(claims.get("date", "")))
    if everything.count(date) != 1:
        checks.append(_mismatch("date", "", date))
    if "Indeks Pelayanan Publik" in everything:
        score = claims.get("score")
        expected = score_line(float(score)) if isinstance(score, int | float) else ""
        checks.append(one_line("score", "Indeks Pelayanan Publik", expected))
    return next((c for c in checks if c is not None), None)


def _named(text: PrintedText) -> bool:
    """Whether the text is the unit's or the institution's name (which may hold anything, brackets too)."""
    return any(abs(text.size - size) < SIZE_TOLERANCE for size in (*UNIT_NAME_SIZES, *INSTITUTION_SIZES))


def _mismatch(field_name: str, printed: str, expected: str) -> str:
    return tr("{field} tercetak \u201c{printed}\u201d, token menyatakan \u201c{expected}\u201d", field=field_name,
              printed=printed[:120], expected=expected[:120])
