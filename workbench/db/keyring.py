"""This computer's signing key for a workbook, and what this computer trusts of it, kept outside the file.

Every write that adds to the audit log is sealed by a signature over the log's head (an *anchor*, see
`workbench.db.audit`). The private key lives in a folder of this computer's user, never in the database, so
that someone who has only the file cannot rewrite the log and sign it again. Its public half is stored in
the database, where anyone can check the anchors. Beside the key: a note of its public half (with the key
file's digest, so a workbook opens without loading cryptography), the last anchor this computer wrote (a log
cut short after it is noticed here), the other keys this computer trusts for the workbook (its lead's key
from a kit, its own earlier key, keys accepted on purpose), and which workbook each database file on this
computer is (a file replaced by another workbook's is noticed).

The folder is ``WORKBENCH_KEYS``, else ``pekppp-workbench/keys`` in the user's data folder.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

# cryptography is imported when a key is used, not when a workbook opens (the app starts sooner)
if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey


def key_id(public: Ed25519PublicKey) -> str:
    """16 hex digits of the sha256 of the raw public key: short enough for a QR, long enough to tell keys apart."""
    from cryptography.hazmat.primitives import serialization

    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def pem_key_id(pem: str) -> str:
    """`key_id` of an Ed25519 public key written as PEM, read without cryptography: the key's 32 raw bytes
    end the PEM's DER body."""
    body = "".join(line for line in pem.strip().splitlines() if not line.startswith("-----"))
    return hashlib.sha256(base64.b64decode(body)[-32:]).hexdigest()[:16]


def keys_folder() -> Path:
    """Where this user's workbook keys are kept."""
    if os.environ.get("WORKBENCH_KEYS"):
        return Path(os.environ["WORKBENCH_KEYS"])
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "pekppp-workbench" / "keys"


def _write(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Write a file of the keys folder whole (beside it, then moved into place), readable by this user only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    partial.write_bytes(data)
    partial.chmod(mode)
    partial.replace(path)


def _public_pem(key: Ed25519PrivateKey) -> str:
    from cryptography.hazmat.primitives import serialization

    return key.public_key().public_bytes(serialization.Encoding.PEM,
                                         serialization.PublicFormat.SubjectPublicKeyInfo).decode()


class Keyring:
    """The signing key of one workbook on this computer (made on first use, or installed from a kit), its
    high-water mark, and the other keys this computer trusts for it."""

    def __init__(self, workbook: str, folder: Path | None = None) -> None:
        self.workbook = workbook
        self.folder = folder or keys_folder()
        self._key_path = self.folder / f"{workbook}.key"
        self._mark_path = self.folder / f"{workbook}.mark"
        self._trust_path = self.folder / f"{workbook}.trusted"
        self._public_path = self.folder / f"{workbook}.public"
        self._key: Ed25519PrivateKey | None = None

    def has_key(self) -> bool:
        """Whether this computer holds a key for the workbook (it wrote to it, or a kit made it here)."""
        return self._key is not None or self._key_path.is_file()

    def install(self, key: Ed25519PrivateKey) -> None:
        """Make `key` this computer's key for the workbook (a kit's); a key held before stays trusted."""
        if self.has_key():
            old = self.private_key()
            if _public_pem(old) == _public_pem(key):
                return
            self.trust({key_id(old.public_key()): _public_pem(old)})
        from cryptography.hazmat.primitives import serialization

        _write(self._key_path, key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                 serialization.NoEncryption()))
        self._key = key
        self._note_public()

    def trusted(self) -> dict[str, str]:
        """Key id -> public PEM of the keys this computer trusts for the workbook besides its own."""
        try:
            data = json.loads(self._trust_path.read_text())
            return {str(k): str(v) for k, v in data.items()}
        except (OSError, ValueError, AttributeError):
            return {}

    def trust(self, keys: dict[str, str]) -> None:
        """Trust these keys (id -> public PEM) for the workbook on this computer from now on."""
        known = self.trusted()
        if keys.keys() - known.keys():
            _write(self._trust_path, json.dumps(known | keys, indent=1).encode())

    def known_as(self, path: Path) -> str | None:
        """The workbook this computer last signed at this database path, or None."""
        try:
            return str(json.loads((self.folder / "workbooks.json").read_text())[str(path.resolve())])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def remember(self, path: Path) -> None:
        """Note that the database at `path` is this workbook (it signs there now)."""
        if path.name.endswith(".part"):  # a database being built, moved into place when complete
            return
        index = self.folder / "workbooks.json"
        try:
            known = json.loads(index.read_text())
            known = known if isinstance(known, dict) else {}
        except (OSError, ValueError):
            known = {}
        if known.get(str(path.resolve())) != self.workbook:
            try:
                _write(index, json.dumps(known | {str(path.resolve()): self.workbook}, indent=1).encode())
            except OSError:
                pass  # it only helps to notice a replaced file on this computer; a write must not fail for it

    def private_key(self) -> Ed25519PrivateKey:
        """This computer's key for the workbook (made and saved, readable by this user only, when missing)."""
        if self._key is None:
            from cryptography.hazmat.primitives import serialization
            from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

            if self._key_path.is_file():
                loaded = serialization.load_pem_private_key(self._key_path.read_bytes(), password=None)
                if not isinstance(loaded, Ed25519PrivateKey):
                    raise ValueError(f"{self._key_path}: not an Ed25519 key")
                self._key = loaded
            else:
                key = Ed25519PrivateKey.generate()
                _write(self._key_path, key.private_bytes(serialization.Encoding.PEM,
                                                         serialization.PrivateFormat.PKCS8,
                                                         serialization.NoEncryption()))
                self._key = key
                self._note_public()
        return self._key

    def public_pem(self) -> str:
        return _public_pem(self.private_key())

    def own(self) -> tuple[str, str]:
        """(id, public PEM) of this computer's key for the workbook, read from a note kept beside the key (the
        key file's digest in it tells a note that no longer belongs to it), else from the key itself: a
        workbook opens without loading cryptography."""
        try:
            note = json.loads(self._public_path.read_text())
            if note["key_sha256"] == hashlib.sha256(self._key_path.read_bytes()).hexdigest():
                return pem_key_id(note["public_pem"]), str(note["public_pem"])
        except (OSError, ValueError, KeyError, TypeError):
            pass
        pem = self._note_public()
        return pem_key_id(pem), pem

    def _note_public(self) -> str:
        pem = self.public_pem()
        try:
            _write(self._public_path, json.dumps({"key_sha256": hashlib.sha256(self._key_path.read_bytes())
                                                  .hexdigest(), "public_pem": pem}).encode())
        except OSError:
            pass  # it only spares loading the key at the next opening
        return pem

    def mark(self) -> tuple[int, str] | None:
        """(anchor id, head) of the last anchor this computer wrote, or None."""
        try:
            data = json.loads(self._mark_path.read_text())
            return int(data["anchor"]), str(data["head"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def set_mark(self, anchor: int, head: str) -> None:
        try:
            _write(self._mark_path, json.dumps({"anchor": anchor, "head": head}).encode())
        except OSError:
            pass  # the mark only helps to notice a cut log on this computer; a write must not fail for it
