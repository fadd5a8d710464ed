"""This computer's signing key for a workbook, kept outside the database file.

Every write that adds to the audit log is sealed by a signature over the log's head (an *anchor*, see
`workbench.db.audit`). The private key lives in a folder of this computer's user, never in the database, so
that someone who has only the file cannot rewrite the log and sign it again. Its public half is stored in
the database, where anyone can check the anchors. A second file beside the key remembers the last anchor
this computer wrote, so that a log cut short after it is noticed here.

The folder is ``WORKBENCH_KEYS``, else ``pekppp-workbench/keys`` in the user's data folder.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey


def keys_folder() -> Path:
    """Where this user's workbook keys are kept."""
    if os.environ.get("WORKBENCH_KEYS"):
        return Path(os.environ["WORKBENCH_KEYS"])
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "pekppp-workbench" / "keys"


class Keyring:
    """The signing key of one workbook on this computer, made on first use, and its high-water mark."""

    def __init__(self, workbook: str, folder: Path | None = None) -> None:
        self.folder = folder or keys_folder()
        self._key_path = self.folder / f"{workbook}.key"
        self._mark_path = self.folder / f"{workbook}.mark"
        self._key: Ed25519PrivateKey | None = None

    def private_key(self) -> Ed25519PrivateKey:
        """This computer's key for the workbook (made and saved, readable by this user only, when missing)."""
        if self._key is None:
            if self._key_path.is_file():
                loaded = serialization.load_pem_private_key(self._key_path.read_bytes(), password=None)
                if not isinstance(loaded, Ed25519PrivateKey):
                    raise ValueError(f"{self._key_path}: not an Ed25519 key")
                self._key = loaded
            else:
                self._key = Ed25519PrivateKey.generate()
                self.folder.mkdir(parents=True, exist_ok=True)
                partial = self._key_path.with_suffix(".part")
                partial.write_bytes(self._key.private_bytes(serialization.Encoding.PEM,
                                                            serialization.PrivateFormat.PKCS8,
                                                            serialization.NoEncryption()))
                partial.chmod(0o600)
                partial.replace(self._key_path)
        return self._key

    def public_pem(self) -> str:
        return self.private_key().public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()

    def mark(self) -> tuple[int, str] | None:
        """(anchor id, head) of the last anchor this computer wrote, or None."""
        try:
            data = json.loads(self._mark_path.read_text())
            return int(data["anchor"]), str(data["head"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def set_mark(self, anchor: int, head: str) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            partial = self._mark_path.with_suffix(".mark-part")
            partial.write_text(json.dumps({"anchor": anchor, "head": head}))
            partial.replace(self._mark_path)
        except OSError:
            pass  # the mark only helps to notice a cut log on this computer; a write must not fail for it
