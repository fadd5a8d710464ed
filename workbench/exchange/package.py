"""The evaluation package (.wbpkg): one file that carries an evaluator's work to the team lead.

A zip archive, because every operating system opens one, it streams large evidence files without loading
them, and each entry has its own CRC: ``manifest.json`` (what the package holds, the sha256 and size of
every part, and one sha256 over all of them), ``data.json`` (observations with every field, their audit
history, the units, the evidence list) and ``evidence/<sha256>`` (the files, stored as they are). The zip
comment holds the manifest's own sha256 and an Ed25519 signature of the manifest by the key that signs
the evaluator's audit log (its public half is in the manifest), so that a lead can tell a package is what
that workbook signed, and that later packages from it come from the same key. With a passphrase the whole
archive is sealed (`workbench.db.sealing`: scrypt and AES-256-GCM).

`read_package` checks everything before anything is used and refuses with one clear line: a sealed file
with a wrong passphrase, a file that is not a package or is cut short, entry names outside the format
(``../``), a size past the limits, any part whose bytes differ from the manifest.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import re
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from workbench.db import sealing
from workbench.db.audit import key_id
from workbench.errors import WorkbenchError

FORMAT = "pekppp-workbench-package"
VERSION = 1
SUFFIX = ".wbpkg"
ENTRY = re.compile(r"manifest\.json|data\.json|evidence/[0-9a-f]{64}")
MAX_BYTES = 8 * 1024**3  # what a package may expand to: thousands of photos, not a zip bomb
MAX_JSON = 512 * 1024**2
MAX_RATIO = 200  # expansion of any part larger than 32 MB; JSON compresses about 10-20 times


class PackageRefused(WorkbenchError):
    """A package that cannot be used as it is; nothing of it was written."""


def _changed(file: str, part: str) -> PackageRefused:
    return PackageRefused("{file}: bagian {part} berubah; paket ditolak", file=file, part=part)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _whole(parts: dict[str, dict[str, Any]]) -> str:
    """One sha256 over every part's name and sha256."""
    return _sha256("".join(f"{name} {parts[name]['sha256']}\n" for name in sorted(parts)).encode())


def write_package(out: str | Path, manifest: dict[str, Any], data: dict[str, Any],
                  evidence: dict[str, Path | bytes], signer: Ed25519PrivateKey, *, passphrase: str | None = None
                  ) -> Path:
    """Write a package: `manifest` (without its parts, which are added here), `data`, and evidence files by
    their sha256, signed by `signer`. Sealed when a passphrase is given. Written beside `out` and moved into
    place at the end."""
    out = Path(out)
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    parts = {"data.json": {"sha256": _sha256(body), "size": len(body)}}
    partial = out.with_name(out.name + ".part")
    with tempfile.TemporaryDirectory(dir=out.parent) as scratch:
        archive = Path(scratch) / "package.zip" if passphrase else partial
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zipped:
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
            whole = {**manifest, "format": FORMAT, "version": VERSION, "parts": parts, "whole_sha256": _whole(parts),
                     "signer": {"key_id": key_id(public), "public_pem": public.public_bytes(
                         serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()}}
            manifest_bytes = json.dumps(whole, ensure_ascii=False, indent=1).encode()
            zipped.writestr("manifest.json", manifest_bytes)
            signature = base64.b64encode(signer.sign(manifest_bytes)).decode()
            zipped.comment = f"{FORMAT} manifest-sha256={_sha256(manifest_bytes)} signature={signature}".encode()
        if passphrase:
            sealing.seal(archive, partial, passphrase)
        partial.replace(out)
    return out


@dataclass
class Package:
    """An opened, checked package: its manifest and data, and where its evidence files were unpacked."""

    name: str
    sha256: str  # over all its parts (the manifest's whole_sha256): a package imported twice is recognised
    signer: str  # the id of the key that signed it
    manifest: dict[str, Any]
    data: dict[str, Any]
    unpacked: Path | None  # evidence/<sha256> checked and written here, when asked for

    def evidence(self) -> list[str]:
        """The sha256 of every evidence file in the package."""
        return [name.removeprefix("evidence/") for name in self.manifest["parts"] if name.startswith("evidence/")]


@contextmanager
def read_package(path: str | Path, *, passphrase: str | None = None, unpack_into: Path | None = None
                 ) -> Iterator[Package]:
    """Open and check a package completely (see the module's docstring); PackageRefused names what is wrong.

    With `unpack_into` (a folder), each evidence file is written there while its sha256 is checked: one pass
    over the bytes; the caller removes the folder when the package is refused.
    """
    path = Path(path)
    if not path.is_file():
        raise PackageRefused("{file}: berkas tidak ditemukan", file=path.name)
    with tempfile.TemporaryDirectory() as scratch:
        archive_path = path
        if sealing.is_sealed(path):
            if not passphrase:
                raise PackageRefused("{file}: paket terenkripsi; beri kata sandinya", file=path.name)
            archive_path = Path(scratch) / "package.zip"
            sealing.unseal(path, archive_path, passphrase)
        if not zipfile.is_zipfile(archive_path):
            raise PackageRefused("{file}: bukan paket workbench, atau terpotong", file=path.name)
        try:
            with zipfile.ZipFile(archive_path) as archive:
                checked = _checked(path, archive, unpack_into)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as exc:
            raise PackageRefused("{file}: paket rusak atau terpotong ({detail})", file=path.name,
                                 detail=str(exc)[:120]) from exc
        yield checked


def _checked(path: Path, archive: zipfile.ZipFile, unpack_into: Path | None) -> Package:

    infos = archive.infolist()
    names = [i.filename for i in infos]
    strange = [n for n in names if not ENTRY.fullmatch(n)]
    if strange or len(set(names)) != len(names):
        raise PackageRefused("{file}: nama bagian tidak sah ({name}); paket ditolak", file=path.name,
                             name=(strange or names)[0][:80])
    bomb = [i for i in infos if i.file_size > 32 * 2**20 and i.file_size > MAX_RATIO * max(i.compress_size, 1)]
    if sum(i.file_size for i in infos) > MAX_BYTES or bomb:
        raise PackageRefused("{file}: paket terlalu besar bila diurai; paket ditolak", file=path.name)
    if "manifest.json" not in names or "data.json" not in names:
        raise PackageRefused("{file}: bukan paket workbench, atau terpotong", file=path.name)
    sizes = {i.filename: i.file_size for i in infos}
    if sizes["manifest.json"] > MAX_JSON or sizes["data.json"] > MAX_JSON:
        raise PackageRefused("{file}: paket terlalu besar bila diurai; paket ditolak", file=path.name)
    manifest_bytes = archive.read("manifest.json")
    comment = _COMMENT.fullmatch(archive.comment.decode(errors="replace"))
    if comment is None or comment[1] != _sha256(manifest_bytes):
        raise _changed(path.name, "manifest.json")
    try:
        manifest = _json(manifest_bytes)
        parts = manifest["parts"]
        ok = (manifest.get("format") == FORMAT and manifest.get("version") == VERSION and isinstance(parts, dict)
              and isinstance(manifest.get("whole_sha256"), str) and all(
                  isinstance(part, dict) and isinstance(part.get("sha256"), str) and _SHA256.fullmatch(part["sha256"])
                  and isinstance(part.get("size"), int) and not isinstance(part["size"], bool)
                  for part in parts.values()))
    except (ValueError, KeyError, TypeError, RecursionError, AttributeError):
        ok = False
    if not ok:
        raise PackageRefused("{file}: bukan paket workbench, atau terpotong", file=path.name)
    if sorted(parts) != sorted(n for n in names if n != "manifest.json") or manifest["whole_sha256"] != _whole(parts):
        raise _changed(path.name, "manifest.json")
    for name, expected in parts.items():
        if name.startswith("evidence/") and expected["sha256"] != name.removeprefix("evidence/"):
            raise _changed(path.name, name)
        digest = hashlib.sha256()
        target = unpack_into / name.removeprefix("evidence/") if unpack_into and name.startswith("evidence/") else None
        with archive.open(name) as part, target.open("wb") if target else contextlib.nullcontext() as out:
            for block in iter(lambda: part.read(1 << 20), b""):  # zipfile checks each entry's CRC as it reads
                digest.update(block)
                if out is not None:
                    out.write(block)
        if digest.hexdigest() != expected["sha256"] or sizes[name] != expected["size"]:
            raise _changed(path.name, name)
    try:
        data = _json(archive.read("data.json"))
    except (ValueError, RecursionError) as exc:
        raise _changed(path.name, "data.json") from exc
    if not _well_formed(manifest, data):
        raise PackageRefused("{file}: isi paket tidak berbentuk seperti yang ditulis workbench", file=path.name)
    return Package(path.name, manifest["whole_sha256"], _signer(path.name, manifest, manifest_bytes, comment[2]),
                   manifest, data, unpack_into)


_COMMENT = re.compile(FORMAT + r" manifest-sha256=([0-9a-f]{64}) signature=([A-Za-z0-9+/]{86}==)")


def _signer(file: str, manifest: dict[str, Any], manifest_bytes: bytes, signature: str) -> str:
    """The id of the key whose signature of the manifest the package carries; PackageRefused when it does
    not hold (someone changed the manifest and wrote a new hash, without the key)."""
    try:
        public = serialization.load_pem_public_key(str(manifest["signer"]["public_pem"]).encode())
        if not isinstance(public, Ed25519PublicKey):
            raise ValueError("not Ed25519")
        public.verify(base64.b64decode(signature, validate=True), manifest_bytes)
    except (InvalidSignature, ValueError, KeyError, TypeError) as exc:
        raise PackageRefused("{file}: tanda tangan paket tidak sah; paket ditolak", file=file) from exc
    return key_id(public)


def _json(data: bytes) -> Any:
    """JSON as the workbench writes it: NaN and Infinity are refused (ValueError), not read as numbers."""
    return json.loads(data, parse_constant=_no_constant)


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not a number a package holds")


# what each record of a package holds: a package whose hashes agree may still have been made by hand
_SHAPES: dict[str, dict[str, type | tuple[type, ...]]] = {
    "observations": {"uuid": str, "unit": str, "indicator": str, "evaluator": str, "evidence": list},
    "audit": {"at": str, "actor": str, "entity": str, "entity_uuid": str, "field": str, "hash": str,
              "old": (str, type(None)), "new": (str, type(None)), "reason": (str, type(None))},
    "evidence": {"sha256": str, "original_name": str, "size": int},
}
_SHA256 = re.compile(r"[0-9a-f]{64}")
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _well_formed(manifest: object, data: object) -> bool:
    """Whether the manifest and data have the fields and types `write_package`'s callers give them."""
    if not (isinstance(manifest, dict) and isinstance(manifest.get("period"), dict)
            and isinstance(manifest["period"].get("name"), str) and isinstance(manifest.get("instrument"), dict)
            and isinstance(manifest.get("workbook"), str) and isinstance(manifest.get("created_by"), str | None)
            and isinstance(data, dict)):
        return False
    if not all(_UUID.fullmatch(o.get("uuid", "")) for o in data.get("observations", []) if isinstance(o, dict)
               and isinstance(o.get("uuid"), str)):
        return False
    for part, shape in _SHAPES.items():
        records = data.get(part)
        if not isinstance(records, list) or not all(
                isinstance(r, dict) and all(isinstance(r.get(k), t) for k, t in shape.items()) for r in records):
            return False
    files = {e["sha256"] for e in data["evidence"]}
    carried = {name.removeprefix("evidence/") for name in manifest["parts"] if name.startswith("evidence/")}
    return files <= carried and all(_SHA256.fullmatch(e) for e in files) and all(
        isinstance(sha, str) and sha in files for o in data["observations"] for sha in o["evidence"])
