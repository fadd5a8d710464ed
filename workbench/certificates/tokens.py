"""Ed25519 signatures for certificates: the office's key pair and compact signed tokens.

A token is ``PP1.<payload>.<signature>``, both parts base64url without padding; the payload is compact
JSON of the certificate's facts and the signing key's id, so that it fits a small QR code and can be
checked offline with nothing but the public key.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from workbench.db.audit import key_id

PREFIX = "PP1"
CLAIMS = {"n": "number", "u": "unit", "un": "unit_name", "i": "institution", "p": "period", "c": "category",
          "l": "label", "s": "score", "d": "date", "k": "key"}
REQUIRED = ("n", "u", "un", "i", "p", "c", "d", "k")  # tokens signed before the label was added have no "l"
MAX_LENGTH = 3200  # the longest names the workbench accepts, in a script of 3 bytes a letter, fit well within
_SHAPE = re.compile(r"PP1\.[A-Za-z0-9_-]{1,3000}\.[A-Za-z0-9_-]{86}")  # 64 bytes of signature: 86 characters
_FROM_URL = str.maketrans("-_", "+/")


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
    if len(passphrase) < 8:
        raise ValueError("passphrase too short")
    private = Ed25519PrivateKey.generate()
    public = private.public_key()
    return KeyPair(
        key_id(public),
        public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo),
        private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                              serialization.BestAvailableEncryption(passphrase.encode())))


def load_private(private_pem: bytes, passphrase: str) -> Ed25519PrivateKey:
    """The private key; ValueError when the passphrase is wrong."""
    key = serialization.load_pem_private_key(private_pem, password=passphrase.encode())
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("not an Ed25519 private key")
    return key


def load_public(public_pem: bytes) -> Ed25519PublicKey:
    """The public key from PEM; ValueError when it is not an Ed25519 key."""
    key = serialization.load_pem_public_key(public_pem)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return key


def sign(claims: dict[str, object], private: Ed25519PrivateKey) -> str:
    """A token for the claims (keys of CLAIMS' values), adding the key id."""
    short = {k: claims[name] for k, name in CLAIMS.items() if name in claims}
    short["k"] = key_id(private.public_key())
    payload = _b64(_canonical(short))
    signature = _b64(private.sign(f"{PREFIX}.{payload}".encode()))
    return f"{PREFIX}.{payload}.{signature}"


def read(token: str) -> tuple[dict[str, object], bytes, bytes]:
    """(claims, signed bytes, signature) of a token; ValueError when it is not one.

    Strict, so that one certificate has exactly one token: the shape and size are fixed, both parts must be
    canonical base64url and the payload the canonical JSON that `sign` writes (a flat object of known claims
    with text or number values), so no variant of a genuine token verifies.
    """
    token = token.strip()
    if len(token) > MAX_LENGTH or not _SHAPE.fullmatch(token):
        raise ValueError("not a certificate token")
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
    return {CLAIMS[k]: v for k, v in short.items()}, f"{PREFIX}.{payload}".encode(), signature


def _canonical(short: dict[str, object]) -> bytes:
    return json.dumps(short, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def signature_valid(public: Ed25519PublicKey, signed: bytes, signature: bytes) -> bool:
    """Whether `signature` is the key's signature of `signed`."""
    try:
        public.verify(signature, signed)
    except InvalidSignature:
        return False
    return True
