"""Ed25519 signatures for certificates: the office's key pair and compact signed tokens.

A token is ``PP1.<payload>.<signature>``, both parts base64url without padding; the payload is compact
JSON of the certificate's facts and the signing key's id, so that it fits a small QR code and can be
checked offline with nothing but the public key.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from workbench.db.audit import key_id

PREFIX = "PP1"
CLAIMS = {"n": "number", "u": "unit", "un": "unit_name", "i": "institution", "p": "period", "c": "category",
          "s": "score", "d": "date", "k": "key"}


@dataclass(frozen=True)
class KeyPair:
    key_id: str
    public_pem: bytes
    private_pem: bytes  # encrypted with the passphrase


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


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
    payload = _b64(json.dumps(short, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode())
    signature = _b64(private.sign(f"{PREFIX}.{payload}".encode()))
    return f"{PREFIX}.{payload}.{signature}"


def read(token: str) -> tuple[dict[str, object], bytes, bytes]:
    """(claims, signed bytes, signature) of a token; ValueError when it is not one."""
    parts = token.strip().split(".")
    if len(parts) != 3 or parts[0] != PREFIX:
        raise ValueError("not a certificate token")
    try:
        short = json.loads(_unb64(parts[1]))
        signature = _unb64(parts[2])
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValueError("not a certificate token") from exc
    if not isinstance(short, dict):
        raise ValueError("not a certificate token")
    return {CLAIMS.get(str(k), str(k)): v for k, v in short.items()}, f"{PREFIX}.{parts[1]}".encode(), signature


def signature_valid(public: Ed25519PublicKey, signed: bytes, signature: bytes) -> bool:
    """Whether `signature` is the key's signature of `signed`."""
    try:
        public.verify(signature, signed)
    except InvalidSignature:
        return False
    return True
