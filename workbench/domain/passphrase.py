"""The one rule for passphrases: whatever one seals (a database, a package, a kit, the office's signing key)
has at least MIN_PASSPHRASE characters. The core enforces it; screens only say it early."""

from __future__ import annotations

from workbench.errors import WorkbenchError

MIN_PASSPHRASE = 8  # characters


class WeakPassphrase(WorkbenchError):
    """A passphrase too short to seal anything with."""


def check_passphrase(passphrase: str) -> str:
    """The passphrase, when it is long enough to seal with; WeakPassphrase otherwise."""
    if len(passphrase) < MIN_PASSPHRASE:
        raise WeakPassphrase("Kata sandi minimal {count} karakter", count=MIN_PASSPHRASE)
    return passphrase
