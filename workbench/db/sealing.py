"""Files sealed with a passphrase: scrypt derives the key, AES-256-GCM encrypts and authenticates.

A sealed file is ``MAGIC``, a two-byte header length, a JSON header (KDF parameters, salt, nonce; it is
authenticated too), the ciphertext, and the 16-byte GCM tag. Files are processed in blocks, so a large
package needs little memory; on opening, the plaintext is written to a temporary file and kept only when
the tag proves that the passphrase is right and no byte was changed.
"""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path

from workbench.domain.passphrase import check_passphrase
from workbench.errors import WorkbenchError

MAGIC = b"PEKPPP-SEALED-1\n"
BLOCK = 1 << 20
SCRYPT = {"n": 2**15, "r": 8, "p": 1}  # about 0.1 s and 32 MB: slow to guess, quick to open
TAG = 16


class WrongPassphrase(WorkbenchError):
    """A sealed file whose passphrase is wrong, or which was changed or cut short."""


def _key(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt  # imported when a file is sealed or opened

    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase.encode())


def is_sealed(path: str | Path) -> bool:
    """Whether a file starts like a sealed file."""
    with Path(path).open("rb") as handle:
        return handle.read(len(MAGIC)) == MAGIC


def seal(source: str | Path, target: str | Path, passphrase: str) -> None:
    """Write `source` encrypted with `passphrase` (long enough: `check_passphrase`) to `target`."""
    check_passphrase(passphrase)
    salt, nonce = os.urandom(16), os.urandom(12)
    header = json.dumps({"kdf": "scrypt", **SCRYPT, "salt": base64.b64encode(salt).decode(),
                         "cipher": "AES-256-GCM", "nonce": base64.b64encode(nonce).decode()}).encode()
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    encryptor = Cipher(algorithms.AES(_key(passphrase, salt, **SCRYPT)), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(MAGIC + header)
    with Path(source).open("rb") as plain, Path(target).open("wb") as out:
        out.write(MAGIC + len(header).to_bytes(2, "big") + header)
        for block in iter(lambda: plain.read(BLOCK), b""):
            out.write(encryptor.update(block))
        out.write(encryptor.finalize() + encryptor.tag)


def unseal(source: str | Path, target: str | Path, passphrase: str) -> None:
    """Decrypt a sealed file to `target`; WrongPassphrase (and no `target`) when the passphrase is wrong or
    any byte of the file was changed or cut."""
    source, target = Path(source), Path(target)
    size = source.stat().st_size
    with source.open("rb") as sealed:
        if sealed.read(len(MAGIC)) != MAGIC:
            raise WrongPassphrase("{file}: bukan berkas terenkripsi", file=source.name)
        try:
            header_bytes = sealed.read(int.from_bytes(sealed.read(2), "big"))
            header = json.loads(header_bytes)
            salt, nonce = base64.b64decode(header["salt"]), base64.b64decode(header["nonce"])
            key = _key(passphrase, salt, int(header["n"]), int(header["r"]), int(header["p"]))
        except (ValueError, KeyError, TypeError) as exc:
            raise WrongPassphrase("{file}: kata sandi salah, atau berkas rusak atau terpotong",
                                  file=source.name) from exc
        body = size - sealed.tell() - TAG
        if body < 0:
            raise WrongPassphrase("{file}: kata sandi salah, atau berkas rusak atau terpotong", file=source.name)
        start = sealed.tell()
        sealed.seek(size - TAG)
        tag = sealed.read(TAG)
        sealed.seek(start)
        from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

        decryptor = Cipher(algorithms.AES(key), modes.GCM(nonce, tag)).decryptor()
        decryptor.authenticate_additional_data(MAGIC + header_bytes)
        partial = target.with_name(target.name + ".part")
        try:
            with partial.open("wb") as out:
                left = body
                while left:
                    block = sealed.read(min(BLOCK, left))
                    left -= len(block)
                    out.write(decryptor.update(block))
                decryptor.finalize()  # raises when the tag does not match: wrong passphrase or changed bytes
        except Exception as exc:
            partial.unlink(missing_ok=True)
            raise WrongPassphrase("{file}: kata sandi salah, atau berkas rusak atau terpotong",
                                  file=source.name) from exc
    partial.replace(target)
