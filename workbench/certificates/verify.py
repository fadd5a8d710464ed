"""Checking a certificate token offline, with nothing but the issuing office's public key."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from workbench.certificates import tokens
from workbench.certificates.printed import PrintedPage, category_text, date_text, page_problem, score_line
from workbench.i18n import N_, tr

# what a person compares with the paper, in the order it is printed
FACTS = (("number", N_("Nomor")), ("unit_name", N_("Unit")), ("institution", N_("Instansi")),
         ("unit", N_("Kode unit")), ("period", N_("Periode")), ("category", N_("Kategori")),
         ("score", N_("Indeks")), ("date", N_("Tanggal")), ("key", N_("Kunci")))


@dataclass(frozen=True)
class Verdict:
    """The outcome of checking a token: `valid`, the message that says why (not), and the signed claims."""

    valid: bool
    message: str
    claims: dict[str, Any] = field(default_factory=dict)

    def facts(self) -> list[tuple[str, str]]:
        """(label, value) of what the token says, for a person to compare with the paper."""
        shown = dict(self.claims)
        if "category" in shown:
            label = shown.get("label")
            shown["category"] = category_text(str(label), str(shown["category"])) if label else shown["category"]
        if isinstance(shown.get("score"), int | float):
            shown["score"] = score_line(float(shown["score"])).split(": ")[1]
        if "date" in shown:
            shown["date"] = date_text(str(shown["date"]))
        return [(tr(label), str(shown[name])) for name, label in FACTS if name in shown]


def verify_token(token: str, public_keys: dict[str, bytes], revoked: dict[str, str] | None = None, *,
                 page: PrintedPage | None = None) -> Verdict:
    """Check a certificate token: its strict format, the key that signed it, the signature, revocation
    (when a revocation list is given) and, for a PDF, that its page prints exactly what was signed."""
    try:
        claims, signed, signature = tokens.read(token)
    except ValueError:
        return Verdict(False, tr("TIDAK SAH: bukan token piagam"))
    key = str(claims.get("key", ""))
    if key not in public_keys:
        return Verdict(False, tr("TIDAK SAH: ditandatangani kunci yang tidak dikenal ({key_id})", key_id=key), claims)
    if not tokens.signature_valid(tokens.load_public(public_keys[key]), signed, signature):
        return Verdict(False, tr("TIDAK SAH: tanda tangan tidak cocok (isi token diubah)"), claims)
    number = str(claims.get("number", ""))
    if revoked is not None and number in revoked:
        return Verdict(False, tr("TIDAK SAH: piagam {number} dicabut: {reason}", number=number,
                                 reason=revoked[number]), claims)
    if page is not None:
        problem = page_problem(claims, page, token.strip())
        if problem is not None:
            return Verdict(False, tr("TIDAK SAH: halaman PDF tidak sesuai token: {problem}", problem=problem), claims)
    message = tr("SAH: piagam {number} untuk {unit_name} ({unit}), kategori {category}, periode {period}, "
                 "tanggal {date}", **{k: claims.get(k, "") for k in ("number", "unit_name", "unit", "category",
                                                                      "period", "date")})
    if revoked is None:
        message += tr(" (pencabutan tidak diperiksa: tanpa basis data)")
    return Verdict(True, message, claims)
