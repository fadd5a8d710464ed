"""What an evaluation package (.wbpkg) holds: one evaluator's observations with every field and version, their
history and evidence files, numbered in that evaluator's series and signed by the evaluator's key. The
container is `workbench.exchange.container`; `check` refuses a package that does not have the shape the
workbench writes, or that speaks for anything but its own evaluator's observations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from workbench.domain import values as clean
from workbench.domain.values import STATUSES
from workbench.errors import WorkbenchError
from workbench.exchange.container import SHA256, UUID, Container, Kind, Refused, shaped
from workbench.i18n import tr
from workbench.observations import EDITABLE

PACKAGE = Kind("pekppp-workbench-package", 2, ".wbpkg")
SUFFIX = PACKAGE.suffix
FIELDS = ("score", "claim", "notes", "recommendation", "method", "observed_on", "status")
# what a package's history may say of its observations: made (key), and each field (a final one's, with reason)
HISTORY_FIELDS = ("key", *EDITABLE)
MAX_NUMBER = 2**31  # versions and sequence numbers: far above any real count, far below SQLite's limit


def sender(manifest: dict[str, Any]) -> str:
    """The evaluator a package (or kit) names, as this workbook would store the name (WorkbenchError when it
    is no name): so that "Ani" with an invisible character is Ani for every check, or for none."""
    return clean.field_text(manifest.get("evaluator"), "person", "evaluator", required=True)


def field_value(field: str, value: object, lo: int, hi: int) -> object:
    """A field of an observation that came from another workbook, held to the rules a sheet's cell is held
    to; ValueError (or WorkbenchError) when it breaks them."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError(tr("bukan teks atau angka"))
    if field in ("score", "claim"):
        return clean.score(value, lo, hi)
    if field in ("notes", "recommendation"):
        return clean.note(value)
    if field == "method":
        return clean.method(value)
    if field == "observed_on":
        return clean.observed_date(value)
    if value not in STATUSES:
        raise ValueError(tr("Status tidak dikenal: {status} (draft, final, verified)", status=value))
    return value

_SHAPES: dict[str, dict[str, type | tuple[type, ...]]] = {
    "observations": {"uuid": str, "unit": str, "indicator": str, "evaluator": str, "evidence": list, "version": int},
    "audit": {"at": str, "actor": str, "entity": str, "entity_uuid": str, "field": str, "hash": str,
              "old": (str, type(None)), "new": (str, type(None)), "reason": (str, type(None))},
    "evidence": {"sha256": str, "original_name": str, "size": int},
}


def _malformed(file: str) -> Refused:
    return Refused("{file}: isi paket tidak berbentuk seperti yang ditulis workbench", file=file)


def _well_formed(manifest: dict[str, Any], data: dict[str, Any]) -> bool:
    period, instrument = manifest.get("period"), manifest.get("instrument")
    return (isinstance(period, dict) and isinstance(period.get("name"), str) and isinstance(period.get("uuid"), str)
            and isinstance(instrument, dict) and isinstance(manifest.get("workbook"), str)
            and isinstance(manifest.get("created_by"), str | None) and isinstance(manifest.get("created_at"), str)
            and isinstance(manifest.get("evaluator"), str) and bool(manifest["evaluator"].strip())
            and isinstance(manifest.get("sequence"), int) and not isinstance(manifest["sequence"], bool)
            and 1 <= manifest["sequence"] < MAX_NUMBER
            and all(shaped(data.get(part), shape) for part, shape in _SHAPES.items()))


def check(package: Container) -> None:
    """Refuse (Refused, one line) a package not shaped as the workbench writes one, or one that speaks for
    anything but the observations of the evaluator it names: observations of another evaluator, the same
    observation twice, history about anything else (certificates, units, settings, other observations),
    history dated in the future, evidence files no observation uses; and one that holds no observation."""
    manifest, data, file = package.manifest, package.data, package.name
    if not _well_formed(manifest, data):
        raise _malformed(file)
    observations = data["observations"]
    if not observations:
        raise Refused("{file}: paket tidak memuat observasi; paket ditolak", file=file)
    uuids = [o["uuid"] for o in observations]
    if not all(UUID.fullmatch(u) for u in uuids) or any(not 1 <= o["version"] < MAX_NUMBER for o in observations):
        raise _malformed(file)
    keys = {(o["unit"].casefold(), o["indicator"]) for o in observations}
    if len(set(uuids)) != len(uuids) or len(keys) != len(observations):
        raise Refused("{file}: observasi yang sama muncul dua kali; paket ditolak", file=file)
    try:
        evaluator = sender(manifest)
        other = next((o for o in observations if sender(o) != evaluator), None)
    except WorkbenchError as exc:
        raise _malformed(file) from exc
    if other is not None:
        raise Refused("{file}: observasi {code} milik evaluator {other}, bukan {evaluator}; paket hanya boleh memuat "
                      "pekerjaan pengirimnya", file=file, code=f"{other['unit']}/{other['indicator']}",
                      other=other["evaluator"][:60], evaluator=evaluator)
    own = set(uuids)
    latest = datetime.now(UTC) + timedelta(days=1)
    for entry in data["audit"]:
        if entry["entity"] != "observation" or entry["entity_uuid"] not in own or entry["field"] not in HISTORY_FIELDS:
            raise Refused("{file}: riwayatnya memuat entri tentang {entity} {key} ({field}); paket hanya boleh membawa "
                          "riwayat observasinya sendiri", file=file, entity=entry["entity"][:40],
                          key=entry["entity_uuid"][:60], field=entry["field"][:40])
        try:
            at = datetime.fromisoformat(entry["at"])
        except ValueError:
            at = None
        if at is None or at.tzinfo is None or at > latest:
            raise Refused("{file}: riwayatnya memuat waktu yang tidak sah ({at}); paket ditolak", file=file,
                          at=entry["at"][:40])
    files = {e["sha256"] for e in data["evidence"]}
    carried = set(package.evidence())
    if not all(isinstance(sha, str) for o in observations for sha in o["evidence"]):
        raise _malformed(file)
    used = {sha for o in observations for sha in o["evidence"]}
    if not all(SHA256.fullmatch(sha) for sha in files) or not used <= files or files != carried:
        raise _malformed(file)
    if carried - used:
        raise Refused("{file}: {count} berkas bukti tidak dipakai observasi mana pun; paket ditolak", file=file,
                      count=len(carried - used))
