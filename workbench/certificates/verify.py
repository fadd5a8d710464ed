"""Checking a certificate token offline, with nothing but the issuing office's public key."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from workbench.certificates import tokens
from workbench.i18n import tr


@dataclass(frozen=True)
class Verdict:
    """The outcome of checking a token: `valid`, and the message that says why (not)."""

    valid: bool
    message: str
    claims: dict[str, Any] = field(default_factory=dict)


def verify_token(token: str, public_keys: dict[str, bytes], revoked: dict[str, str] | None = None, *,
                 text_of_pdf: str | None = None) -> Verdict:
    """Check a certificate token: its format, the key that signed it, the signature, revocation (when a
    revocation list is given) and, for a PDF, that the printed text still says what was signed."""
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
    if text_of_pdf is not None:
        flat = " ".join(text_of_pdf.split())
        for name in ("number", "unit_name", "institution"):
            if str(claims.get(name, "")) not in flat:
                return Verdict(False, tr("TIDAK SAH: teks PDF tidak sesuai token ({field} tidak ditemukan)",
                                         field=name), claims)
    message = tr("SAH: piagam {number} untuk {unit_name} ({unit}), kategori {category}, periode {period}, "
                 "tanggal {date}", **{k: claims.get(k, "") for k in ("number", "unit_name", "unit", "category",
                                                                      "period", "date")})
    if revoked is None:
        message += tr(" (pencabutan tidak diperiksa: tanpa basis data)")
    return Verdict(True, message, claims)
