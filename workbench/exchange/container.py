"""The signed file that carries work between laptops: an evaluation package (.wbpkg, evaluator → lead) and
a kit (.wbkit, lead → evaluator) are both one.

A zip archive, because every operating system opens one, it streams large evidence files without loading
them, and each entry has its own CRC: ``manifest.json`` (what the file holds, the sha256 and size of every
part, and one sha256 over all of them), ``data.json`` (the records) and ``evidence/<sha256>`` (files, stored
as they are, never compressed). The zip comment holds the manifest's own sha256 and an Ed25519 signature of
the manifest by the sender's key (its public half is in the manifest). With a passphrase the whole archive
is sealed (`workbench.db.sealing`: scrypt and AES-256-GCM).

`read_container` checks everything before anything is used and refuses with one clear line: a sealed file
with a wrong passphrase, a file that is not of its kind or is cut short, entry names outside the format
(``../``), a part that would expand past the bounds (each part, all of them against the file's own size,
and absolutely: a zip bomb is refused from the archive's directory, before a byte is inflated), a
signature that does not hold, and any part whose bytes differ from the manifest.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import re
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.db import sealing
from workbench.db.audit import key_id
from workbench.errors import WorkbenchError

if TYPE_CHECKING:  # cryptography is imported when a key is used (the app starts sooner)
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

ENTRY = re.compile(r"manifest\.json|data\.json|evidence/[0-9a-f]{64}")
MAX_BYTES = 8 * 1024**3  # what a file may expand to in all: thousands of photos, not a zip bomb
# an evaluator's 1,000 units with notes and history take about 20 MB; parsing JSON takes up to 25 times its size
MAX_JSON = 64 * 1024**2
MAX_RATIO = 100  # expansion of any compressed part over 1 MB; JSON compresses about 5-20 times
SLACK = 64 * 1024**2  # all parts together may expand to twice the file, plus this
UNPACKERS = 4  # threads hashing and unpacking parts
# what a damaged or hand-made zip raises while it is read: each is a refusal, never a traceback
DAMAGED = (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, zlib.error, NotImplementedError, RuntimeError,
           ValueError)
SignerCheck = Callable[[dict[str, Any], str], None]


@dataclass(frozen=True)
class Kind:
    """What a container file is: the format named in its manifest and comment, its version and suffix."""

    format: str
    version: int
    suffix: str


class Refused(WorkbenchError):
    """A package or kit that cannot be used as it is; nothing of it was written."""


def _changed(file: str, part: str) -> Refused:
    return Refused("{file}: bagian {part} berubah; paket ditolak", file=file, part=part)


def _too_large(file: str) -> Refused:
    return Refused("{file}: paket terlalu besar bila diurai; paket ditolak", file=file)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _whole(parts: dict[str, dict[str, Any]]) -> str:
    """One sha256 over every part's name and sha256."""
    return _sha256("".join(f"{name} {parts[name]['sha256']}\n" for name in sorted(parts)).encode())


def public_pem(public: Ed25519PublicKey) -> str:
    """A public key as PEM text."""
    from cryptography.hazmat.primitives import serialization

    return public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def fingerprint(key: str) -> str:
    """A key id as a person reads it out on the phone: "3F2A-91C0-77DE-0B14"."""
    return "-".join(key[i:i + 4] for i in range(0, len(key), 4)).upper()


def write_container(out: str | Path, kind: Kind, manifest: dict[str, Any], data: dict[str, Any],
                    evidence: dict[str, Path | bytes], signer: Ed25519PrivateKey, *, passphrase: str | None = None
                    ) -> Path:
    """Write a container of `kind`: `manifest` (without its parts, which are added here), `data`, and evidence
    files by their sha256, signed by `signer`. Sealed when a passphrase is given. Written beside `out` and
    moved into place at the end."""
    out = Path(out)
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    parts = {"data.json": {"sha256": _sha256(body), "size": len(body)}}
    partial = out.with_name(out.name + ".part")
    with tempfile.TemporaryDirectory(dir=out.parent) as scratch:
        archive = Path(scratch) / "container.zip" if passphrase else partial
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zipped:
            zipped.writestr("data.json", body)
            for sha, source in sorted(evidence.items()):
                name = f"evidence/{sha}"  # photos and PDFs are compressed already: stored as they are
                if isinstance(source, bytes):
                    zipped.writestr(name, source, compress_type=zipfile.ZIP_STORED)
                    parts[name] = {"sha256": sha, "size": len(source)}
                else:
                    zipped.write(source, name, compress_type=zipfile.ZIP_STORED)
                    parts[name] = {"sha256": sha, "size": source.stat().st_size}
            public = signer.public_key()
            signed_by = {"key_id": key_id(public), "public_pem": public_pem(public)}
            whole = {**manifest, "format": kind.format, "version": kind.version, "parts": parts,
                     "whole_sha256": _whole(parts), "signer": signed_by}
            manifest_bytes = json.dumps(whole, ensure_ascii=False, indent=1).encode()
            zipped.writestr("manifest.json", manifest_bytes)
            signature = base64.b64encode(signer.sign(manifest_bytes)).decode()
            zipped.comment = f"{kind.format} manifest-sha256={_sha256(manifest_bytes)} signature={signature}".encode()
        if passphrase:
            sealing.seal(archive, partial, passphrase)
        partial.replace(out)
    return out


@dataclass
class Container:
    """An opened, checked container: its manifest and data, who signed it, and where its evidence files were
    unpacked."""

    name: str
    sha256: str  # over all its parts (the manifest's whole_sha256): a file imported twice is recognised
    signer: str  # the id of the key that signed it
    signer_pem: str
    manifest: dict[str, Any]
    data: dict[str, Any]
    unpacked: Path | None  # evidence/<sha256> checked and written here, when asked for

    def evidence(self) -> list[str]:
        """The sha256 of every evidence file it carries."""
        return [name.removeprefix("evidence/") for name in self.manifest["parts"] if name.startswith("evidence/")]


@contextmanager
def read_container(path: str | Path, kind: Kind, *, passphrase: str | None = None, unpack_into: Path | None = None,
                   max_part: int = MAX_BYTES, signer: SignerCheck | None = None) -> Iterator[Container]:
    """Open and check a container completely (see the module's docstring); Refused names what is wrong.

    With `unpack_into` (a folder), each evidence file is written there while its sha256 is checked: one pass
    over the bytes; the caller removes the folder when the file is refused. `max_part` bounds each evidence
    file (the receiving workbook's own limit). `signer(manifest, key id)` may refuse the sender's key once its
    signature holds, before anything else is read or unpacked.
    """
    path = Path(path)
    if not path.is_file():
        raise Refused("{file}: berkas tidak ditemukan", file=path.name)
    with tempfile.TemporaryDirectory() as scratch:
        archive_path = path
        if sealing.is_sealed(path):
            if not passphrase:
                raise Refused("{file}: paket terenkripsi; beri kata sandinya", file=path.name)
            archive_path = Path(scratch) / "container.zip"
            sealing.unseal(path, archive_path, passphrase)
        if not zipfile.is_zipfile(archive_path):
            raise Refused("{file}: bukan paket workbench, atau terpotong", file=path.name)
        try:
            with zipfile.ZipFile(archive_path) as archive:
                checked = _checked(path, kind, archive, archive_path.stat().st_size, unpack_into, max_part, signer)
        except DAMAGED as exc:
            raise Refused("{file}: paket rusak atau terpotong ({detail})", file=path.name,
                          detail=str(exc)[:120]) from exc
        yield checked


def _bounded(path: Path, infos: list[zipfile.ZipInfo], size: int, max_part: int) -> None:
    """Refuse, from the archive's directory alone, parts that would expand past the bounds."""
    for info in infos:
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) or info.flag_bits & 0x1:
            raise Refused("{file}: paket rusak atau terpotong ({detail})", file=path.name, detail=info.filename[:80])
        if info.filename.startswith("evidence/"):
            if info.compress_type != zipfile.ZIP_STORED or info.compress_size != info.file_size:
                raise _too_large(path.name)  # written stored, never inflated: a compressed one is made by hand
            if info.file_size > max_part:
                raise Refused("{file}: berkas bukti {size} bita melebihi batas {limit} bita; paket ditolak",
                              file=path.name, size=info.file_size, limit=max_part)
        elif info.file_size > MAX_JSON or (info.file_size > 2**20 and info.file_size > MAX_RATIO * info.compress_size):
            raise _too_large(path.name)
    total = sum(i.file_size for i in infos)
    if total > MAX_BYTES or total > 2 * size + SLACK:  # entries sharing their bytes, or many small bombs
        raise _too_large(path.name)


def _checked(path: Path, kind: Kind, archive: zipfile.ZipFile, size: int, unpack_into: Path | None,
             max_part: int, accept: SignerCheck | None) -> Container:
    infos = archive.infolist()
    names = [i.filename for i in infos]
    strange = [n for n in names if not ENTRY.fullmatch(n)]
    if strange or len(set(names)) != len(names):
        raise Refused("{file}: nama bagian tidak sah ({name}); paket ditolak", file=path.name,
                      name=(strange or names)[0][:80])
    if "manifest.json" not in names or "data.json" not in names:
        raise Refused("{file}: bukan paket workbench, atau terpotong", file=path.name)
    _bounded(path, infos, size, max_part)
    sizes = {i.filename: i.file_size for i in infos}
    manifest_bytes = archive.read("manifest.json")
    comment = re.fullmatch(re.escape(kind.format) + r" manifest-sha256=([0-9a-f]{64}) signature=([A-Za-z0-9+/]{86}==)",
                           archive.comment.decode(errors="replace"))
    if comment is None or comment[1] != _sha256(manifest_bytes):
        if archive.comment.decode(errors="replace").split(" ")[0] not in ("", kind.format):
            raise Refused("{file}: bukan berkas jenis ini ({kind}); paket ditolak", file=path.name, kind=kind.suffix)
        raise _changed(path.name, "manifest.json")
    try:
        manifest = load_json(manifest_bytes)
        parts = manifest["parts"]
        ok = (manifest.get("format") == kind.format and isinstance(parts, dict)
              and isinstance(manifest.get("whole_sha256"), str) and all(
                  isinstance(part, dict) and isinstance(part.get("sha256"), str) and SHA256.fullmatch(part["sha256"])
                  and isinstance(part.get("size"), int) and not isinstance(part["size"], bool)
                  for part in parts.values()))
    except (ValueError, KeyError, TypeError, RecursionError, AttributeError):
        ok = False
    if not ok:
        raise Refused("{file}: bukan paket workbench, atau terpotong", file=path.name)
    if manifest.get("version") != kind.version:
        raise Refused("{file}: dibuat oleh versi aplikasi lain (format {found}, di sini {known}); minta dikirim "
                      "ulang dari aplikasi versi ini", file=path.name, found=str(manifest.get("version"))[:10],
                      known=kind.version)
    signer, signer_pem = _signer(path.name, manifest, manifest_bytes, comment[2])  # before a byte is unpacked
    if accept is not None:
        accept(manifest, signer)
    if sorted(parts) != sorted(n for n in names if n != "manifest.json") or manifest["whole_sha256"] != _whole(parts):
        raise _changed(path.name, "manifest.json")
    for name, expected in parts.items():
        if name.startswith("evidence/") and expected["sha256"] != name.removeprefix("evidence/"):
            raise _changed(path.name, name)
        if sizes[name] != expected["size"]:
            raise _changed(path.name, name)

    def whole(name: str) -> None:
        """Refuse the part unless its bytes are those its sha256 says; an evidence file is unpacked meanwhile."""
        digest = hashlib.sha256()
        target = unpack_into / name.removeprefix("evidence/") if unpack_into and name.startswith("evidence/") else None
        with archive.open(name) as part, target.open("wb") if target else contextlib.nullcontext() as out:
            for block in iter(lambda: part.read(1 << 20), b""):  # zipfile checks each entry's CRC as it reads
                digest.update(block)
                if out is not None:
                    out.write(block)
        if digest.hexdigest() != parts[name]["sha256"]:
            raise _changed(path.name, name)

    # hashing and writing files leave Python's lock: a few threads unpack a thousand photos in half the time
    # (the archive reads each part under its own lock); the first part refused, in order, is the one named
    with ThreadPoolExecutor(UNPACKERS) as pool:
        checks = [pool.submit(whole, name) for name in parts]
        try:
            for check in checks:
                check.result()
        except BaseException:
            for check in checks:  # nothing more is read of a refused file
                check.cancel()
            raise
    try:
        data = load_json(archive.read("data.json"))
    except (ValueError, RecursionError) as exc:
        raise _changed(path.name, "data.json") from exc
    if not isinstance(data, dict):
        raise Refused("{file}: isi paket tidak berbentuk seperti yang ditulis workbench", file=path.name)
    return Container(path.name, manifest["whole_sha256"], signer, signer_pem, manifest, data, unpack_into)


def _signer(file: str, manifest: dict[str, Any], manifest_bytes: bytes, signature: str) -> tuple[str, str]:
    """The id and PEM of the key whose signature of the manifest the file carries; Refused when it does not
    hold (someone changed the manifest and wrote a new hash, without the key)."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        pem = str(manifest["signer"]["public_pem"])
        public = serialization.load_pem_public_key(pem.encode())
        if not isinstance(public, Ed25519PublicKey):
            raise ValueError("not Ed25519")
        public.verify(base64.b64decode(signature, validate=True), manifest_bytes)
    except (InvalidSignature, ValueError, KeyError, TypeError) as exc:
        raise Refused("{file}: tanda tangan paket tidak sah; paket ditolak", file=file) from exc
    return key_id(public), pem


def load_json(data: bytes) -> Any:
    """JSON as the workbench writes it: NaN and Infinity are refused (ValueError), not read as numbers."""
    return json.loads(data, parse_constant=_no_constant)


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not a number a package holds")


SHA256 = re.compile(r"[0-9a-f]{64}")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def shaped(records: object, shape: dict[str, type | tuple[type, ...]]) -> bool:
    """Whether `records` is a list of dicts with these fields of these types."""
    return isinstance(records, list) and all(
        isinstance(r, dict) and all(isinstance(r.get(k), t) and not (t is int and isinstance(r.get(k), bool))
                                    for k, t in shape.items()) for r in records)
