"""Evidence files (bukti dukung): stored once by their sha256 in a folder beside the database, linked to
observations."""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from workbench.db.settings import Settings
from workbench.db.store import Store, now
from workbench.domain.values import field_text, file_name_part
from workbench.errors import NotFound, PeriodClosed, WorkbenchError
from workbench.events import Changes
from workbench.i18n import tr

MAGIC = b"WBE1"  # an encrypted evidence file: MAGIC, a 12-byte nonce, then AES-256-GCM ciphertext and tag
_SHA256 = re.compile(r"[0-9a-f]{64}")


def file_sha256(path: str | Path) -> str:
    """The sha256 of a file's bytes, as hex."""
    with Path(path).open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


class Evidence:
    """A content-addressed store (<database>.evidence/ab/abcdef...) and the links of its files to observations.

    In an encrypted workbook every file is encrypted too (AES-256-GCM, bound to its sha256) with a random key
    kept inside the encrypted database, and stored under a keyed hash of its sha256, so that the folder tells
    someone without the passphrase neither what the files say nor which known files are among them.
    """

    def __init__(self, store: Store, settings: Settings) -> None:
        self._store = store
        self._settings = settings
        self._key: bytes | None = None

    @property
    def folder(self) -> Path:
        return self._store.path.with_name(self._store.path.name + ".evidence")

    @property
    def encrypted(self) -> bool:
        return bool(self._store.passphrase)

    @contextmanager
    def staging(self) -> Iterator[Path]:
        """A fresh folder inside the store for files on their way in (a rename away from their place);
        removed with whatever is left in it."""
        self.folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix=".incoming-", dir=self.folder) as folder:
            yield Path(folder)

    def place(self, staged: Path, sha256: str) -> None:
        """Move a checked file from the staging folder to its place in the store (kept when already there)."""
        target = self.path(sha256)
        if target.exists():
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        if self.encrypted:
            staged.write_bytes(self._seal(staged.read_bytes(), sha256))
        staged.replace(target)

    def path(self, sha256: str) -> Path:
        """Where the file with this sha256 is stored (encrypted, in an encrypted workbook)."""
        if not _SHA256.fullmatch(sha256):
            raise WorkbenchError("Bukti: '{sha}' bukan sha256", sha=sha256[:80])
        name = hmac.new(self._data_key(), sha256.encode(), "sha256").hexdigest() if self.encrypted else sha256
        return self.folder / name[:2] / name

    def read(self, sha256: str) -> bytes:
        """The bytes of a stored file, decrypted; WorkbenchError when it is missing, altered or undecryptable."""
        try:
            data = self.path(sha256).read_bytes()
        except OSError as exc:
            raise NotFound("Bukti {sha}: berkas hilang", sha=sha256[:12]) from exc
        if self.encrypted:
            if not data.startswith(MAGIC):
                raise WorkbenchError("Bukti {sha}: isi berubah", sha=sha256[:12])
            from cryptography.exceptions import InvalidTag
            from cryptography.hazmat.primitives.ciphers.aead import AESGCM

            try:
                data = AESGCM(self._data_key()).decrypt(data[4:16], data[16:], sha256.encode())
            except InvalidTag as exc:
                raise WorkbenchError("Bukti {sha}: isi berubah", sha=sha256[:12]) from exc
        if hashlib.sha256(data).hexdigest() != sha256:
            raise WorkbenchError("Bukti {sha}: isi berubah", sha=sha256[:12])
        return data

    def viewable(self, sha256: str, folder: Path) -> Path:
        """A file to open in another program: the stored file itself, or in an encrypted workbook a decrypted
        copy written into `folder` (which the caller removes when done)."""
        if not self.encrypted:
            return self.path(sha256)
        name = self._store.value("SELECT original_name FROM evidence WHERE sha256 = ?", (sha256,))
        original = Path(str(name or sha256))  # the extension kept, so that the system picks the right viewer
        suffix = file_name_part(original.suffix.removeprefix("."))
        target = folder / sha256[:12] / (file_name_part(original.stem) + (f".{suffix}" if suffix else ""))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(self.read(sha256))
        return target

    def sources(self, shas: Iterable[str]) -> dict[str, Path | bytes]:
        """What a package needs of each file: its path, or its decrypted bytes in an encrypted workbook."""
        return {sha: self.read(sha) if self.encrypted else self.path(sha) for sha in shas}

    def add(self, observation_uuid: str, file: str | Path) -> str:
        """Copy a file into the store and link it to an observation; returns its sha256.

        The file is read once, hashed while it is copied, and refused when it is not a regular file or grows
        past the size limit while being read."""
        file = Path(file)
        observation = self._store.one("SELECT o.id, u.code, p.closed, p.name FROM observations o JOIN units u "
                                      "ON u.id = o.unit_id JOIN periods p ON p.id = o.period_id WHERE o.uuid = ?",
                                      (observation_uuid,))
        if observation is None:
            raise NotFound("Observasi tidak dikenal: {code}", code=observation_uuid)
        if observation[2]:
            raise PeriodClosed("Periode {name} sudah ditutup; buka kembali dengan alasan sebelum mengubah nilai",
                               name=observation[3])
        if not file.is_file():
            raise WorkbenchError("{file}: bukan berkas biasa atau tidak ditemukan", file=str(file))
        name = field_text(file.name, "name", tr("Nama berkas"), required=True)
        sha, size = self._copy_in(file)
        with self._store.transaction():
            self._store.execute("INSERT OR IGNORE INTO evidence (sha256, original_name, size, added_at) "
                                     "VALUES (?, ?, ?, ?)", (sha, name, size, now()))
            self._store.execute("INSERT OR IGNORE INTO observation_evidence (observation_id, sha256) "
                                     "VALUES (?, ?)", (observation[0], sha))
            self._store.changed(Changes(evidence=True, units=frozenset({observation[1]})))
        return sha

    def _copy_in(self, file: Path) -> tuple[str, int]:
        limit = self._settings.number("evidence_max_bytes")
        digest, size, blocks = hashlib.sha256(), 0, []
        with self.staging() as staging:
            partial = staging / "file"
            with file.open("rb") as source, partial.open("wb") as out:
                for block in iter(lambda: source.read(1 << 20), b""):
                    size += len(block)
                    if size > limit:
                        raise WorkbenchError("{file}: {size} bita melebihi batas {limit} bita", file=file.name,
                                             size=size, limit=limit)
                    digest.update(block)
                    if self.encrypted:
                        blocks.append(block)
                    else:
                        out.write(block)
                if self.encrypted:
                    out.write(self._seal(b"".join(blocks), digest.hexdigest()))
            target = self.path(digest.hexdigest())
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                partial.replace(target)  # atomic: a crash never leaves a half file under the real name
        return digest.hexdigest(), size

    def _seal(self, data: bytes, sha256: str) -> bytes:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM  # only an encrypted workbook needs it

        nonce = os.urandom(12)
        return MAGIC + nonce + AESGCM(self._data_key()).encrypt(nonce, data, sha256.encode())

    def _data_key(self) -> bytes:
        """The encrypted workbook's evidence key, made on first use and kept in the (encrypted) database."""
        if self._key is None:
            stored = self._store.value("SELECT value FROM secrets WHERE name = 'evidence_key'")
            if stored is None and (self._store.query_only or self._store.read_only):
                raise NotFound("Bukti terenkripsi belum ada di basis data ini")
            if stored is None:
                with self._store.transaction():
                    self._store.execute("INSERT OR IGNORE INTO secrets (name, value) VALUES ('evidence_key', ?)",
                                             (os.urandom(32),))  # an AES-256 key
                stored = self._store.value("SELECT value FROM secrets WHERE name = 'evidence_key'")
            self._key = bytes(stored)
        return self._key

    def link(self, *, period: str, evaluator: str, files: Iterable[tuple[str, str, str, str, int]]) -> None:
        """Link files already in the store to an evaluator's observations, each named by (unit, indicator,
        sha256, original name, size), inside the caller's write; NotFound names the first observation that
        is not here."""
        ids = {(unit.casefold(), indicator): id_ for id_, unit, indicator in self._store.execute(
            "SELECT o.id, u.code, i.code FROM observations o JOIN periods p ON p.id = o.period_id "
            "JOIN units u ON u.id = o.unit_id JOIN evaluators e ON e.id = o.evaluator_id "
            "JOIN indicators i ON i.id = o.indicator_id WHERE p.name = ? AND e.name = ? "
            "AND i.instrument_id = p.instrument_id", (period, evaluator))}
        stamp, stored, links, units = now(), [], [], set()
        for unit, indicator, sha256, original_name, size in files:
            found = ids.get((unit.casefold(), indicator))
            if found is None:
                raise NotFound("Observasi tidak dikenal: {code}", code=f"{unit}/{indicator}/{evaluator}")
            stored.append((sha256, field_text(original_name, "name", tr("Nama berkas"), required=True), size, stamp))
            links.append((found, sha256))
            units.add(unit)
        self._store.executemany("INSERT OR IGNORE INTO evidence (sha256, original_name, size, added_at) "
                                "VALUES (?, ?, ?, ?)", stored)
        self._store.executemany("INSERT OR IGNORE INTO observation_evidence (observation_id, sha256) VALUES (?, ?)",
                                links)
        if links:
            self._store.changed(Changes(evidence=True, units=frozenset(units)))

    def of(self, observation_uuid: str) -> list[dict[str, Any]]:
        """Evidence linked to an observation: sha256, original_name, size."""
        return self._store.dicts(
            "SELECT e.sha256 AS sha256, e.original_name AS original_name, e.size AS size FROM evidence e "
            "JOIN observation_evidence oe ON oe.sha256 = e.sha256 JOIN observations o ON o.id = oe.observation_id "
            "WHERE o.uuid = ? ORDER BY e.original_name", (observation_uuid,))

    def remove(self, observation_uuid: str, sha256: str) -> None:
        """Unlink evidence from an observation; the stored file stays for other links and backups."""
        with self._store.transaction():
            self._store.execute("DELETE FROM observation_evidence WHERE sha256 = ? AND observation_id = "
                                     "(SELECT id FROM observations WHERE uuid = ?)", (sha256, observation_uuid))
            self._store.changed(Changes(evidence=True))

    def files(self) -> list[tuple[str, str]]:
        """(sha256, original name) of every stored file."""
        return [(r[0], r[1]) for r in self._store.execute("SELECT sha256, original_name FROM evidence")]
