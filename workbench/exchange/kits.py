"""Kits out of the lead's workbook, into an evaluator's: what one laptop needs for a round (see
`workbench.exchange.kit`). The lead's office makes each evaluator's signing key with the first kit and
registers its public half, so that the packages coming back are known by it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.db.audit import key_id
from workbench.db.settings import SETTINGS
from workbench.db.store import now
from workbench.domain import instrument as instruments
from workbench.domain.passphrase import check_passphrase
from workbench.domain.values import file_name_part
from workbench.errors import WorkbenchError
from workbench.exchange.container import Container, Refused, public_pem, read_container, write_container
from workbench.exchange.kit import KIT, SUFFIX, check
from workbench.exchange.package import FIELDS, field_value
from workbench.exchange.team_parts import TeamParts
from workbench.i18n import source
from workbench.observations import Incoming, Source
from workbench.registry import Period

if TYPE_CHECKING:  # cryptography is imported when a key is used (the app starts sooner)
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey


@dataclass(frozen=True)
class KitExported:
    """What went into a kit."""

    path: Path
    evaluator: str
    sequence: int
    units: int
    claims: int
    key_id: str
    new_key: bool  # the kit carries a private key the lead's office made for it


@dataclass(frozen=True)
class KitApplied:
    """What a kit did to the evaluator's workbook."""

    evaluator: str
    period: str
    sequence: int
    units: int
    claims: int
    observations: int  # the evaluator's own earlier work the kit brought back (a new laptop)
    key_id: str


class Kits(TeamParts):
    """Writes an evaluator's kit from the lead's workbook, and applies one to an evaluator's workbook."""

    # --- out (the lead's office) -----------------------------------------------------------------

    def export(self, out: str | Path, *, evaluator: str, passphrase: str, period: str | None = None,
               new_key: bool = False) -> KitExported:
        """Write `evaluator`'s kit for the period (the newest by default), sealed with `passphrase`, signed with
        this workbook's key, and note it. The first kit of an evaluator, a kit for one bound so far to a key
        accepted from a package, or one asked `new_key` (a lost laptop) carries a new signing key, whose
        public half is registered for the evaluator at once: packages signed with the key before are refused
        from then on."""
        check_passphrase(passphrase)
        p = self._registry.period(period)
        inst = self._registry.scored_instrument(p)
        codes = self._team.units_of(evaluator, p.name)
        if not codes:
            raise WorkbenchError("{evaluator} belum ditugasi unit di periode {period} (workbench team assign)",
                                 evaluator=evaluator, period=p.name)
        units = [self._registry.unit(code) for code in codes]
        claims = self._claims(p, [u.id for u in units])
        registered = self._team.key_of(evaluator)
        fresh = new_key or registered is None or registered.how != "kit"
        with self._store.transaction():
            own = [{k: v for k, v in r.items() if k != "id"} | {"evidence": self._evidence_of(r["id"])}
                   for r in self._observations.hand_over(p, evaluator)]
            files = {sha for record in [*claims, *own] for sha in record["evidence"]}
            evidence = {e["sha256"]: e for e in self._store.dicts("SELECT sha256, original_name, size FROM evidence")
                        if e["sha256"] in files}
            sequence = self._team.next_kit(evaluator)
            private_pem = None
            if fresh:
                from cryptography.hazmat.primitives import serialization
                from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

                private = Ed25519PrivateKey.generate()
                key, pem = key_id(private.public_key()), public_pem(private.public_key())
                private_pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                    serialization.BestAvailableEncryption(passphrase.encode())).decode()
                self._team.register_key(evaluator, key, pem, how="kit", reason=source("kit {number}", number=sequence))
            else:
                assert registered is not None
                key, pem = registered.key_id, registered.public_pem
            evaluator_uuid = self._store.value("SELECT uuid FROM evaluators WHERE name = ?", (evaluator,))
            manifest = {"created_at": now(), "created_by": self._store.actor, "workbook": self._settings.identity(),
                        "evaluator": evaluator, "sequence": sequence, "period": {"name": p.name, "uuid": p.uuid},
                        "instrument": {"id": inst.id, "version": inst.version}, "units": len(units)}
            data = {"evaluator": {"name": evaluator, "uuid": evaluator_uuid},
                    "period": {"uuid": p.uuid, "name": p.name, "year": p.year, "settings": self._settings.of_period(p)},
                    "instrument": inst.definition,
                    "units": [{"uuid": u.uuid, "code": u.code, "name": u.name, "institution": u.institution,
                               "institution_kind": u.institution_kind, "region": u.region, "address": u.address}
                              for u in units],
                    "claims": claims, "observations": own, "evidence": list(evidence.values()),
                    "identity": {"key_id": key, "public_pem": pem, "private_pem": private_pem}}
            path = write_container(out, KIT, manifest, data, self._evidence.sources(evidence),
                                   self._audit.keyring.private_key(), passphrase=passphrase)
            self._team.record_kit(evaluator, sequence, p, key, len(units), path.name)
        return KitExported(path, evaluator, sequence, len(units), len(claims), key, fresh)

    def _claims(self, period: Period, unit_ids: list[int]) -> list[dict[str, Any]]:
        """The units' F-01 claims as the lead has them (the newest of each indicator), with the evidence files
        linked to the observations that hold them."""
        marks = ",".join("?" * len(unit_ids))
        latest: dict[tuple[str, str], dict[str, Any]] = {}
        for observation_id, unit, indicator, claim in self._store.execute(
                "SELECT o.id, u.code, i.code, o.claim FROM observations o JOIN units u ON u.id = o.unit_id "
                "JOIN indicators i ON i.id = o.indicator_id WHERE o.period_id = ? AND o.claim IS NOT NULL "
                f"AND o.unit_id IN ({marks}) ORDER BY o.updated_at, o.id", (period.id, *unit_ids)):
            latest[(unit, indicator)] = {"unit": unit, "indicator": indicator, "claim": claim,
                                         "evidence": self._evidence_of(observation_id)}
        return list(latest.values())

    def _evidence_of(self, observation_id: int) -> list[str]:
        return [r[0] for r in self._store.execute(
            "SELECT sha256 FROM observation_evidence WHERE observation_id = ? ORDER BY sha256", (observation_id,))]

    # --- in (the evaluator's laptop) -----------------------------------------------------------------

    @contextmanager
    def opened(self, path: str | Path, passphrase: str, unpack_into: Path | None = None) -> Iterator[Container]:
        """A kit, opened and checked (see `read_container` and `workbench.exchange.kit.check`)."""
        with read_container(path, KIT, passphrase=passphrase, unpack_into=unpack_into) as kit:
            check(kit)
            yield kit

    def private_key(self, kit: Container, passphrase: str) -> Ed25519PrivateKey | None:
        """The signing key the kit carries for its evaluator (decrypted), or None; Refused when it is not the
        key the kit names."""
        identity = kit.data["identity"]
        if identity["private_pem"] is None:
            return None
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        try:
            key = serialization.load_pem_private_key(identity["private_pem"].encode(), passphrase.encode())
        except (ValueError, TypeError) as exc:
            raise Refused("{file}: kunci evaluator di dalam kit tidak dapat dibuka", file=kit.name) from exc
        if not isinstance(key, Ed25519PrivateKey) or key_id(key.public_key()) != identity["key_id"]:
            raise Refused("{file}: kunci evaluator di dalam kit tidak dapat dibuka", file=kit.name)
        return key

    def apply(self, kit: Container, passphrase: str) -> KitApplied:
        """Bring a kit into this evaluator's workbook, in one write: the period (with the lead's uuid, so that
        packages find it) and its settings, the instrument, the assigned units, the claims and evidence files,
        the evaluator's own earlier work where this workbook lacks it, and the kit's keys. Nothing here is
        lost: a unit no longer assigned keeps its scores, a claim typed here is not replaced.

        Refused when the workbook was made from another lead's kit or for another evaluator, when the kit is
        not newer than the one applied, and when a kit without a key comes to a laptop without that key.
        """
        manifest, data = kit.manifest, kit.data
        evaluator = manifest["evaluator"]
        here = self._team.kit()
        if here is not None:
            if kit.signer != here.lead_key_id:
                raise Refused("{file}: ditandatangani kunci {key}, bukan kunci ketua tim {lead} yang membuat laptop "
                              "ini; kit ditolak", file=kit.name, key=kit.signer, lead=here.lead_key_id)
            if evaluator != here.evaluator:
                raise Refused("{file}: kit untuk {evaluator}, padahal laptop ini milik {owner}; kit ditolak",
                              file=kit.name, evaluator=evaluator, owner=here.evaluator)
            if manifest["sequence"] <= here.sequence:
                raise Refused("{file}: kit nomor {number} tidak lebih baru dari kit nomor {current} yang sudah dipakai",
                              file=kit.name, number=manifest["sequence"], current=here.sequence)
        elif self._observations_exist():
            raise Refused("{file}: basis data ini tidak dibuat dari kit; buka kit sebagai basis data baru (Mulai → "
                          "Buka kit penugasan, atau workbench kit import BERKAS_BARU)", file=kit.name)
        identity = data["identity"]
        private = self.private_key(kit, passphrase)
        if private is None and (not self._audit.keyring.has_key() or key_id(
                self._audit.keyring.private_key().public_key()) != identity["key_id"]):
            raise Refused("{file}: kit ini tidak membawa kunci evaluator, dan laptop ini tidak memegang kuncinya "
                          "({key}); minta kit dengan kunci baru (workbench kit export --new-key)", file=kit.name,
                          key=identity["key_id"])
        with self._store.transaction():
            p = self._period(kit)
            codes = self._units(data["units"], evaluator, data["evaluator"]["uuid"], p)
            own = self._merge(kit, "observations", p, evaluator)
            claims = self._merge(kit, "claims", p, evaluator)
            self._link_evidence(kit, p, evaluator)
            self._team.set_kit(evaluator, p, identity["key_id"], kit.signer, kit.signer_pem, manifest["workbook"],
                               manifest["sequence"])
            self._settings.set("owner", evaluator)
            self._settings.set("owner_role", "evaluator")
        if private is not None:  # a new laptop's key was put in place before its first write; a new key here now
            self._audit.keyring.install(private)
        self._audit.keyring.trust({kit.signer: kit.signer_pem})
        return KitApplied(evaluator, p.name, manifest["sequence"], len(codes), claims, own, identity["key_id"])

    def _observations_exist(self) -> bool:
        return self._store.value("SELECT 1 FROM observations LIMIT 1") is not None

    def _period(self, kit: Container) -> Period:
        """The kit's period here (added, with its instrument, when new), its settings as the lead set them."""
        given = kit.data["period"]
        inst = instruments.from_dict(kit.data["instrument"])
        same = [p for p in self._registry.periods() if p.uuid == given["uuid"]]
        if same:
            p = same[0]
            ours = self._registry.scored_instrument(p)
            if (ours.id, ours.version) != (inst.id, inst.version):
                raise Refused("{file}: dibuat untuk instrumen {theirs} versi {their_version}, periode ini memakai "
                              "{ours} versi {our_version}", None, file=kit.name, theirs=inst.id,
                              their_version=inst.version, ours=ours.id, our_version=ours.version)
        else:
            if inst.id not in self._registry.instrument_ids():
                self._registry.add_instrument(inst)
            elif self._registry.instrument(inst.id).version != inst.version:
                raise Refused("{file}: instrumen {id} versi {theirs} berbeda dengan versi {ours} di sini", None,
                              file=kit.name, id=inst.id, theirs=inst.version, ours=self._registry.instrument(inst.id)
                              .version)
            p = self._registry.add_period(given["name"], instrument_id=inst.id, year=given["year"], uuid=given["uuid"])
        if not p.closed:
            for key, value in given["settings"].items():
                if key in SETTINGS and SETTINGS[key].per_period:
                    self._settings.set(key, value, p)
        return p

    def _units(self, units: list[dict[str, str]], evaluator: str, evaluator_uuid: str, period: Period) -> list[str]:
        """Register the kit's units (with the lead's uuids) and make them the evaluator's assignments."""
        self._registry.evaluator_id(evaluator, uuid=evaluator_uuid)
        for u in units:
            self._registry.add_unit(u["code"], u["name"], u["institution"], institution_kind=u.get("institution_kind"),
                                    region=u.get("region"), address=u.get("address"), uuid=u["uuid"])
        codes = [u["code"] for u in units]
        before = self._team.units_of(evaluator, period.name)
        self._team.assign([(code, evaluator) for code in codes], period=period.name)
        gone = [(code, evaluator) for code in before if code not in codes]
        if gone:
            self._team.assign(gone, period=period.name, remove=True)
        return codes

    def _rows(self, kit: Container, records: list[dict[str, Any]], evaluator: str, period: Period, *,
              versioned: bool) -> list[Incoming]:
        """The kit's records as rows of this workbook, for the keys this workbook has no observation of yet;
        Refused when one is about a unit or indicator the kit does not bring."""
        units = {code.casefold(): unit_id for code, unit_id in self._registry.unit_ids().items()}
        indicators = self._registry.indicator_ids(period.instrument_id)
        present = {(u, i) for u, i in self._store.execute(
            "SELECT o.unit_id, o.indicator_id FROM observations o JOIN evaluators e ON e.id = o.evaluator_id "
            "WHERE o.period_id = ? AND e.name = ?", (period.id, evaluator))}
        inst = self._registry.scored_instrument(period)
        rows = []
        for n, r in enumerate(records, start=1):
            unit, indicator = units.get(str(r["unit"]).casefold()), indicators.get(str(r["indicator"]))
            if unit is None or indicator is None:
                raise Refused("{file}: isi kit tidak berbentuk seperti yang ditulis workbench", file=kit.name)
            if (unit, indicator) in present:
                continue
            try:
                values = {f: None if r.get(f) in (None, "") else field_value(f, r[f], inst.scale_min, inst.scale_max)
                          for f in (FIELDS if versioned else ("claim",))}
            except (ValueError, WorkbenchError) as exc:
                raise Refused("{file}: isi kit tidak berbentuk seperti yang ditulis workbench", file=kit.name) from exc
            if versioned:
                values |= {"notes": values["notes"] or "", "recommendation": values["recommendation"] or "",
                           "status": values["status"] or "draft"}
                rows.append(Incoming(n, unit, indicator, evaluator, values, uuid=str(r["uuid"]),
                                     version=int(r["version"])))
            else:
                rows.append(Incoming(n, unit, indicator, evaluator, values))
        return rows

    def _merge(self, kit: Container, part: str, period: Period, evaluator: str) -> int:
        """Merge the kit's claims or earlier observations (`part`) where this workbook has none of its own."""
        rows = self._rows(kit, kit.data[part], evaluator, period, versioned=part == "observations")
        if rows:
            self._observations.merge(period, rows, Source(kit.sha256, kit.name, ""),
                                     reason=source("kit {file}", file=kit.name))
        return len(rows)

    def _link_evidence(self, kit: Container, period: Period, evaluator: str) -> None:
        known = {e["sha256"]: e for e in kit.data["evidence"]}
        self._evidence.link(period=period.name, evaluator=evaluator, files=[
            (record["unit"], record["indicator"], sha, known[sha]["original_name"], known[sha]["size"])
            for record in [*kit.data["claims"], *kit.data["observations"]] for sha in record["evidence"]])

    def import_(self, path: str | Path, passphrase: str) -> KitApplied:
        """Open a kit and bring it into this workbook (see `apply`); its evidence files are checked on the way
        in and kept only when the kit is whole."""
        with self._evidence.staging() as staging, self.opened(path, passphrase, unpack_into=staging) as kit:
            self.place_evidence(kit)
            return self.apply(kit, passphrase)

    def place_evidence(self, kit: Container) -> None:
        """Move the kit's checked evidence files into this workbook's store (before `apply`)."""
        if kit.unpacked is not None:
            for sha in kit.evidence():
                self._evidence.place(kit.unpacked / sha, sha)


def kit_name(evaluator: str, period: str) -> str:
    """A file name for a kit: "kit-ani-pekppp-2026.wbkit"."""
    return f"kit-{file_name_part(evaluator.lower())}-{file_name_part(period.lower())}{SUFFIX}"

