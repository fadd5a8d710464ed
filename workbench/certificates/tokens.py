"""Ed25519 signatures for certificates: the office's key pair and compact signed tokens.

A token is ``PP2:<base32>``: the certificate's facts and the signing key's id in a fixed binary layout,
followed by the 64-byte signature, in RFC 4648 base32 without padding. Its letters are all in the QR
code's alphanumeric set, which packs them a third tighter than bytes, so the code is small and quick to
draw and scan. Certificates printed before carry ``PP1.<payload>.<signature>`` (base64url of compact JSON
and of the signature); both verify with nothing but the public key.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from workbench.db.audit import key_id
from workbench.domain.passphrase import check_passphrase
from workbench.errors import WorkbenchError

if TYPE_CHECKING:  # cryptography is imported when a key is made, loaded or used, not with the screens
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

PREFIX, LEGACY = "PP2:", "PP1"
CLAIMS = {"n": "number", "u": "unit", "un": "unit_name", "i": "institution", "p": "period", "c": "category",
          "l": "label", "s": "score", "d": "date", "k": "key"}
REQUIRED = ("n", "u", "un", "i", "p", "c", "d", "k")  # tokens signed before the label was added have no "l"
# a QR code (version 40, error correction M) holds 3,391 letters of its alphanumeric set: the longest token
QR_LETTERS = 3391
MAX_LENGTH = 3400
_SHAPE = re.compile(r"PP1\.[A-Za-z0-9_-]{1,3000}\.[A-Za-z0-9_-]{86}")  # 64 bytes of signature: 86 characters
_COMPACT_SHAPE = re.compile(rf"PP2:[A-Z2-7]{{120,{QR_LETTERS - 4}}}")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_FROM_URL = str.maketrans("-_", "+/")
# the compact layout: flags, key id, date, [score], then the texts, each as a length (LEB128) and UTF-8
_TEXTS = ("number", "unit", "unit_name", "institution", "period", "category", "label")
_HAS_SCORE, FIRST_DATE = 1, date(2000, 1, 1)
LAST_DATE = FIRST_DATE + timedelta(days=0xFFFF)  # the date is two bytes of days since FIRST_DATE


def too_long(number: str) -> WorkbenchError:
    """The error for a certificate whose names make a token too long for its QR code or its printed lines."""
    return WorkbenchError("Piagam {number}: nama unit, instansi dan periode terlalu panjang untuk token piagam; "
                          "singkatkan salah satunya", number=number)


def certificate_date(text: str) -> date:
    """The date of a certificate from its ISO spelling (YYYY-MM-DD), within what a token can carry."""
    try:
        day = date.fromisoformat(text) if _ISO_DATE.fullmatch(text) else None
    except ValueError:
        day = None
    if day is None or not FIRST_DATE <= day <= LAST_DATE:
        raise WorkbenchError("Tanggal piagam {value}: diharapkan tanggal antara {first} dan {last} (TTTT-BB-HH)",
                             value=text, first=FIRST_DATE.isoformat(), last=LAST_DATE.isoformat())
    return day


@dataclass(frozen=True)
class KeyPair:
    key_id: str
    public_pem: bytes
    private_pem: bytes  # encrypted with the passphrase


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    """Strict base64url: the only text that decodes to these bytes is the text `_b64` makes of them, so a
    token cannot be varied (padding, stray characters, unused low bits) and still verify."""
    try:
        data = base64.b64decode(text.translate(_FROM_URL) + "=" * (-len(text) % 4), validate=True)
    except binascii.Error as exc:
        raise ValueError("not base64url") from exc
    if _b64(data) != text:
        raise ValueError("not canonical base64url")
    return data


def new_key_pair(passphrase: str) -> KeyPair:
    """A fresh Ed25519 pair; the private half is encrypted with the passphrase (PKCS#8, best available)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    check_passphrase(passphrase)
    private = Ed25519PrivateKey.generate()
    public = private.public_key()
    return KeyPair(
        key_id(public),
        public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo),
        private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                              serialization.BestAvailableEncryption(passphrase.encode())))


def load_private(private_pem: bytes, passphrase: str) -> Ed25519PrivateKey:
    """The private key; ValueError when the passphrase is wrong."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = serialization.load_pem_private_key(private_pem, password=passphrase.encode())
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("not an Ed25519 private key")
    return key


def load_public(public_pem: bytes) -> Ed25519PublicKey:
    """The public key from PEM; ValueError when it is not an Ed25519 key."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    key = serialization.load_pem_public_key(public_pem)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return key


def sign(claims: dict[str, object], private: Ed25519PrivateKey) -> str:
    """A compact token for the claims (keys of CLAIMS' values; all but score required), adding the key id;
    WorkbenchError when it would be longer than a QR code holds."""
    score = claims.get("score")
    body = bytearray([_HAS_SCORE if score is not None else 0])
    body += bytes.fromhex(key_id(private.public_key()))
    body += (certificate_date(str(claims["date"])) - FIRST_DATE).days.to_bytes(2, "big")
    if score is not None:  # in hundredths, exactly as the certificate prints it
        hundredths = int(Decimal(f"{float(str(score)):.2f}") * 100)
        if not 0 <= hundredths <= 0xFFFF:
            raise WorkbenchError("Nilai piagam {value} di luar 0-655", value=score)
        body += hundredths.to_bytes(2, "big")
    for name in _TEXTS:
        text = str(claims[name]).encode()
        body += _varint(len(text)) + text
    signature = private.sign(PREFIX.encode() + bytes(body))
    token = PREFIX + base64.b32encode(bytes(body) + signature).decode().rstrip("=")
    if len(token) > QR_LETTERS:
        raise too_long(str(claims["number"]))
    return token


def read(token: str) -> tuple[dict[str, object], bytes, bytes]:
    """(claims, signed bytes, signature) of a token of either format; ValueError when it is not one.

    Strict, so that one certificate has exactly one token: shape and size are fixed and the text must be
    exactly what `sign` (or, for PP1, the signer of that time) writes of those claims, so no variant of a
    genuine token verifies.
    """
    token = token.strip()
    if len(token) > MAX_LENGTH:
        raise ValueError("not a certificate token")
    if _COMPACT_SHAPE.fullmatch(token):
        return _read_compact(token)
    if _SHAPE.fullmatch(token):
        return _read_legacy(token)
    raise ValueError("not a certificate token")


def _read_compact(token: str) -> tuple[dict[str, object], bytes, bytes]:
    text = token[len(PREFIX):]
    try:
        data = base64.b32decode(text + "=" * (-len(text) % 8))
    except binascii.Error as exc:
        raise ValueError("not a certificate token") from exc
    if base64.b32encode(data).decode().rstrip("=") != text or len(data) < 64 + 11:
        raise ValueError("not a certificate token")  # unused low bits set: not the one spelling of these bytes
    body, signature = data[:-64], data[-64:]
    try:
        claims, at = _fixed_part(body)
        for name in _TEXTS:
            length, at = _read_varint(body, at)
            if at + length > len(body):
                raise ValueError("text runs past the end")
            claims[name] = body[at:at + length].decode("utf-8")
            at += length
    except (ValueError, UnicodeDecodeError, IndexError) as exc:
        raise ValueError("not a certificate token") from exc
    if at != len(body) or not claims["category"]:
        raise ValueError("not a certificate token")
    return {CLAIMS[k]: claims[CLAIMS[k]] for k in CLAIMS if CLAIMS[k] in claims}, PREFIX.encode() + body, signature


def _fixed_part(body: bytes) -> tuple[dict[str, object], int]:
    flags = body[0]
    if flags not in (0, _HAS_SCORE):
        raise ValueError("unknown flags")
    claims: dict[str, object] = {"key": body[1:9].hex(),
                                 "date": (FIRST_DATE + timedelta(days=int.from_bytes(body[9:11], "big"))).isoformat()}
    if flags & _HAS_SCORE:
        claims["score"] = int.from_bytes(body[11:13], "big") / 100
        return claims, 13
    return claims, 11


def _varint(n: int) -> bytes:
    out = bytearray()
    while n >= 0x80:
        out.append(n & 0x7F | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def _read_varint(data: bytes, at: int) -> tuple[int, int]:
    """(value, position after it) of the LEB128 number at `at`; only the shortest spelling is accepted."""
    value, shift, start = 0, 0, at
    while True:
        byte = data[at]
        value |= (byte & 0x7F) << shift
        at += 1
        if not byte & 0x80:
            break
        shift += 7
        if shift > 14:
            raise ValueError("length too long")
    if _varint(value) != data[start:at]:
        raise ValueError("not the shortest length")
    return value, at


def _read_legacy(token: str) -> tuple[dict[str, object], bytes, bytes]:
    _, payload, sig = token.split(".")
    try:
        raw, signature = _unb64(payload), _unb64(sig)
        short = json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise ValueError("not a certificate token") from exc
    if (not isinstance(short, dict) or not set(REQUIRED) <= short.keys() <= CLAIMS.keys() or len(signature) != 64
            or any(isinstance(v, bool) or not isinstance(v, str | int | float) for v in short.values())
            or _canonical(short) != raw):
        raise ValueError("not a certificate token")
    return {CLAIMS[k]: v for k, v in short.items()}, f"{LEGACY}.{payload}".encode(), signature


def _canonical(short: dict[str, object]) -> bytes:
    return json.dumps(short, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def signature_valid(public: Ed25519PublicKey, signed: bytes, signature: bytes) -> bool:
    """Whether `signature` is the key's signature of `signed`."""
    from cryptography.exceptions import InvalidSignature

    try:
        public.verify(signature, signed)
    except InvalidSignature:
        return False
    return True
