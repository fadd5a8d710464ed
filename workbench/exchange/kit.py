"""What a kit (.wbkit) holds: what one evaluator's laptop needs for a round and nothing more. The period and
its settings, the instrument, the register entries of the units assigned to that evaluator, the units' F-01
claims with their evidence files, the evaluator's own work as the lead has it (a new laptop goes on from
there), and the evaluator's signing identity: its public key, and its private key
(encrypted with the kit's passphrase) when the lead's office made a new one. Always sealed with a
passphrase; signed with the lead's key, which the laptop remembers so that a later kit must come from it."""

from __future__ import annotations

from typing import Any

from workbench.exchange.container import SHA256, UUID, Container, Kind, Refused, shaped
from workbench.exchange.package import MAX_NUMBER

KIT = Kind("pekppp-workbench-kit", 1, ".wbkit")
SUFFIX = KIT.suffix

_SHAPES: dict[str, dict[str, type | tuple[type, ...]]] = {
    "units": {"uuid": str, "code": str, "name": str, "institution": str},
    "claims": {"unit": str, "indicator": str, "claim": int, "evidence": list},
    "observations": {"uuid": str, "unit": str, "indicator": str, "version": int, "evidence": list},
    "evidence": {"sha256": str, "original_name": str, "size": int},
}


def _well_formed(manifest: dict[str, Any], data: dict[str, Any]) -> bool:
    period, evaluator, identity = data.get("period"), data.get("evaluator"), data.get("identity")
    return (isinstance(manifest.get("evaluator"), str) and isinstance(manifest.get("sequence"), int)
            and not isinstance(manifest["sequence"], bool) and 1 <= manifest["sequence"] < MAX_NUMBER
            and isinstance(manifest.get("workbook"), str)
            and isinstance(period, dict) and isinstance(period.get("uuid"), str) and UUID.fullmatch(period["uuid"])
            is not None and isinstance(period.get("name"), str) and isinstance(period.get("settings"), dict)
            and isinstance(period.get("year"), int | None) and isinstance(data.get("instrument"), dict)
            and isinstance(evaluator, dict) and evaluator.get("name") == manifest["evaluator"]
            and isinstance(evaluator.get("uuid"), str)
            and isinstance(identity, dict) and isinstance(identity.get("key_id"), str)
            and isinstance(identity.get("public_pem"), str) and isinstance(identity.get("private_pem"), str | None)
            and all(shaped(data.get(part), shape) for part, shape in _SHAPES.items())
            and all(1 <= o["version"] < MAX_NUMBER for o in data["observations"]))


def check(kit: Container) -> None:
    """Refuse (Refused, one line) a kit not shaped as the workbench writes one."""
    data = kit.data
    if not _well_formed(kit.manifest, data):
        raise Refused("{file}: isi kit tidak berbentuk seperti yang ditulis workbench", file=kit.name)
    shas = [sha for part in ("claims", "observations") for record in data[part] for sha in record["evidence"]]
    files = {e["sha256"] for e in data["evidence"]}
    if not all(isinstance(sha, str) and SHA256.fullmatch(sha) for sha in [*shas, *files]) \
            or files != set(kit.evidence()) or not set(shas) <= files:
        raise Refused("{file}: isi kit tidak berbentuk seperti yang ditulis workbench", file=kit.name)
