"""Evaluation packages out of an evaluator's workbook and into the lead's: one evaluator's work, with its
evidence files and history, carried on a stick, by e-mail or through a shared folder.

A package speaks for one evaluator and is signed by the key that speaks for them: the kit's key on a laptop
made from a kit, else the laptop's own key for the workbook. The lead accepts it only when that key is the
one registered for the evaluator it names (a kit registers it; a laptop set up without a kit is accepted
once the lead has compared the key's fingerprint with the evaluator, `trust_new_key`). The workbook id a
package names is never trusted: anyone can write one.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from workbench.db.audit import Change
from workbench.db.store import now
from workbench.domain.values import file_name_part
from workbench.errors import Location, NotFound, PeriodClosed, Problem, WorkbenchError
from workbench.exchange.container import Container, Refused, fingerprint, read_container, write_container
from workbench.exchange.import_log import Imported, ImportLog
from workbench.exchange.observation_sheets import FileCheck
from workbench.exchange.package import FIELDS, PACKAGE, SUFFIX, check, field_value, sender
from workbench.exchange.report import ImportReport
from workbench.exchange.team_parts import TeamParts
from workbench.i18n import source, tr
from workbench.observations import Incoming, Source
from workbench.progress import CancelToken, ProgressCallback, report

_EMPTY = {"notes": "", "recommendation": "", "status": "draft"}  # a field a package leaves out is this


@dataclass(frozen=True)
class Exported:
    """What went into a package."""

    path: Path
    observations: int
    units: int
    evidence: int
    evaluator: str
    sequence: int


@dataclass(eq=False)
class Packages(TeamParts):
    """Writes one evaluator's observations (or some units' of them) into a package, and merges packages into a
    workbook: by the version each observation carries, keeping statuses, history and evidence."""

    _imports: ImportLog

    # --- out ---------------------------------------------------------------------------------

    def sender(self, evaluator: str | None = None, period: str | None = None) -> str:
        """Whose work a package from this workbook carries: the kit's evaluator on a laptop made from a kit,
        else `evaluator`, else the only evaluator who scored in the period; WorkbenchError otherwise."""
        kit = self._team.kit()
        if kit is not None:
            if evaluator not in (None, kit.evaluator):
                raise WorkbenchError("Laptop ini dibuat dari kit untuk {evaluator}; paketnya hanya memuat pekerjaan "
                                     "{evaluator}", evaluator=kit.evaluator)
            return kit.evaluator
        if evaluator is not None:
            return evaluator
        names = self._observations.evaluators(period)
        if len(names) != 1:
            raise WorkbenchError("Paket memuat pekerjaan satu evaluator; sebutkan siapa (--evaluator): {names}",
                                 names=", ".join(names) or "-")
        return names[0]

    def export(self, out: str | Path, *, evaluator: str | None = None, units: Sequence[str] | None = None,
               period: str | None = None, passphrase: str | None = None) -> Exported:
        """Write one evaluator's observations (see `sender`) with every field and version, their audit history,
        their evidence files, the units they are about, and the period and instrument they belong to; the
        package gets the next number of that evaluator's series and is signed with this laptop's key."""
        p = self._registry.period(period)
        inst = self._registry.scored_instrument(p)
        evaluator = self.sender(evaluator, p.name)
        chosen = {self._registry.unit(code).code for code in units} if units else None
        rows = [o for o in self._observations.records(period=p.name, evaluator=evaluator)
                if chosen is None or o["unit"] in chosen]
        if not rows:
            raise WorkbenchError("Tidak ada penilaian untuk dikirim (periode {period}, evaluator {evaluator})",
                                 period=p.name, evaluator=evaluator)
        if self._evidence.encrypted and not passphrase:
            raise WorkbenchError("Basis data ini terenkripsi: paketnya harus disegel dengan kata sandi juga "
                                 "(--encrypt), agar bukti tidak keluar tanpa sandi")
        links = self._links(p.id)
        codes = sorted({o["unit"] for o in rows})
        units_data = [{"code": u.code, "name": u.name, "institution": u.institution,
                       "institution_kind": u.institution_kind, "region": u.region, "address": u.address}
                      for u in map(self._registry.unit, codes)]
        for o in rows:  # as `find` reads them, less where they came from, plus their evidence
            del o["source"]
            o["evidence"] = links.get(o["uuid"], [])
        history = [{k: e[k] for k in ("at", "actor", "entity", "entity_uuid", "field", "old", "new", "reason",
                                      "hash")} for e in self._observations.history([o["uuid"] for o in rows])
                   if e["entity"] == "observation"]
        files = {sha for o in rows for sha in o["evidence"]}
        evidence = {e["sha256"]: e for e in self._store.dicts(
            "SELECT sha256, original_name, size FROM evidence") if e["sha256"] in files}
        kit = self._team.kit()
        with self._store.transaction():
            sequence = self._team.next_package(evaluator, p, Path(out).name, len(rows))
            manifest = {"created_at": now(), "created_by": self._store.actor, "workbook": self._settings.identity(),
                        "period": {"name": p.name, "uuid": p.uuid, "year": p.year},
                        "instrument": {"id": inst.id, "version": inst.version}, "evaluator": evaluator,
                        "sequence": sequence, "kit": None if kit is None else {"sequence": kit.sequence,
                                                                               "lead_key_id": kit.lead_key_id},
                        "units": codes, "observations": len(rows), "evidence_files": len(evidence)}
            data = {"units": units_data, "observations": rows, "audit": history, "evidence": list(evidence.values())}
            path = write_container(out, PACKAGE, manifest, data, self._evidence.sources(evidence),
                                   self._audit.keyring.private_key(), passphrase=passphrase)
        return Exported(path, len(rows), len(codes), len(evidence), evaluator, sequence)

    def _links(self, period_id: int) -> dict[str, list[str]]:
        links: dict[str, list[str]] = {}
        for uuid, sha in self._store.execute(
                "SELECT o.uuid, oe.sha256 FROM observation_evidence oe JOIN observations o ON o.id = oe.observation_id "
                "WHERE o.period_id = ? ORDER BY oe.sha256", (period_id,)):
            links.setdefault(uuid, []).append(sha)
        return links

    # --- in ----------------------------------------------------------------------------------

    def import_(self, paths: Sequence[str | Path], *, passphrase: str | None = None, skip_invalid: bool = False,
                dry_run: bool = False, trust_new_key: bool = False, progress: ProgressCallback | None = None,
                cancel: CancelToken | None = None) -> ImportReport:
        """Check every package, then merge all of them in one transaction, or write nothing.

        A package is refused, with one line saying why and nothing of it written, when any byte differs from
        its manifest or it is cut short, sealed with another passphrase, bigger unpacked than the bounds
        allow, made for another instrument version or a period this workbook lacks or has closed, about
        units this workbook does not know (listed), when it speaks for anything but its own evaluator's
        observations (see `workbench.exchange.package.check`), when an observation's uuid belongs to another
        observation here, and when it is not signed by the key registered for its evaluator. A key not
        registered yet is accepted, and registered, only with `trust_new_key` (its fingerprint is in the
        report's notes, to compare with the evaluator). With `skip_invalid` the other packages are merged.
        A package merged before adds nothing; evidence files go into the store once every package is checked.
        """
        with ExitStack() as stack:
            staging = None if dry_run else stack.enter_context(self._evidence.staging())
            opened: list[tuple[FileCheck, Container | None]] = []
            imported = self._imports.seen()
            limit = self._settings.number("evidence_max_bytes")
            result = ImportReport([], dry_run=dry_run)
            keys: dict[str, str] = {}  # evaluator -> the key their packages in this import are signed with
            for n, path in enumerate(paths):
                if cancel:
                    cancel.check()
                report(progress, n, len(paths), tr("memeriksa {file}", file=Path(path).name))
                found = FileCheck(Path(path), "", layout="package")
                unpack = staging / str(n) if staging else None
                if unpack:
                    unpack.mkdir()
                try:
                    accept = partial(self._check_signer, Path(path).name, keys, imported, trust_new_key, result.notes)
                    package = stack.enter_context(read_container(path, PACKAGE, passphrase=passphrase,
                                                                 unpack_into=unpack, max_part=limit, signer=accept))
                    found.sha256 = package.sha256
                    found.already_imported = package.sha256 in imported
                    if not found.already_imported:
                        check(package)
                        found.rows, found.period = self._rows(package)
                except WorkbenchError as exc:  # its message names the file already
                    found.problems.append(Problem(Location(Path(path).name), "", _without_file(exc, path)))
                    package = None
                opened.append((found, package))
            result.files = [c for c, _ in opened]
            if result.problems and not skip_invalid and not dry_run:
                result.notes = []
                return result
            usable = [(c, p) for c, p in opened if p is not None and not c.problems and not c.already_imported]
            for _, package in usable:
                if package.unpacked is not None:
                    for sha in package.evidence():
                        self._evidence.place(package.unpacked / sha, sha)
            with self._store.transaction(dry_run=dry_run):
                for found, package in usable:
                    self._merge(found, package, result, progress, cancel)
            result.written = not dry_run
            return result

    def _check_signer(self, file: str, keys: dict[str, str], imported: set[str], trust_new_key: bool,
                      notes: list[str], manifest: dict[str, Any], signer: str) -> None:
        """Refuse a package not signed by the key registered for the evaluator it names (checked as soon as its
        signature holds, before its content is read). A key not registered yet is accepted, and then
        registered, only with `trust_new_key`; the note naming its fingerprint goes to `notes`. A key that
        replaces one registered is never taken from a package: a new kit with a new key does that."""
        if manifest.get("whole_sha256") in imported:
            return  # merged before: nothing of it will be written again
        try:
            evaluator = sender(manifest)
        except WorkbenchError as exc:
            raise Refused("{file}: isi paket tidak berbentuk seperti yang ditulis workbench", file=file) from exc
        owner = self._store.value("SELECT e.name FROM evaluator_keys k JOIN evaluators e ON e.id = k.evaluator_id "
                                  "WHERE k.key_id = ?", (signer,))
        owner = owner or next((name for name, key in keys.items() if key == signer and name != evaluator), None)
        if owner is not None and owner != evaluator:
            raise Refused("{file}: ditandatangani kunci {key} milik evaluator {owner}, padahal paket ini atas nama "
                          "{evaluator}; paket ditolak", file=file, key=signer, owner=owner, evaluator=evaluator)
        if keys.setdefault(evaluator, signer) != signer:
            raise Refused("{file}: {evaluator} mengirim paket lain dengan kunci {known} dalam impor ini; kunci {key} "
                          "ditolak", file=file, evaluator=evaluator, known=keys[evaluator], key=signer)
        registered = self._team.key_of(evaluator)
        if registered is not None and registered.key_id == signer:
            return
        if registered is not None:
            raise Refused("{file}: ditandatangani kunci {key}, padahal kunci yang terdaftar untuk {evaluator} "
                          "adalah {known}; paket ditolak. Bila {evaluator} memang berganti laptop, kirimkan kit "
                          "dengan kunci baru (workbench kit export --new-key)", file=file, key=signer,
                          evaluator=evaluator, known=registered.key_id)
        if not trust_new_key:
            raise Refused("{file}: kunci {key} belum terdaftar untuk evaluator {evaluator}. Bandingkan sidik jarinya, "
                          "{fingerprint}, dengan evaluator (mis. lewat telepon), lalu terima dengan --trust-new-key",
                          file=file, key=signer, evaluator=evaluator, fingerprint=fingerprint(signer))
        notes.append(tr("{file}: kunci baru {fingerprint} diterima untuk {evaluator}; pastikan sidik jari ini sama "
                        "dengan yang dibacakan evaluator", file=file, fingerprint=fingerprint(signer),
                        evaluator=evaluator))

    def _rows(self, package: Container) -> tuple[list[Incoming], str]:
        """The package's observations as rows of this workbook, and the name of their period here;
        Refused when they do not fit it."""
        manifest = package.manifest
        same = [p for p in self._registry.periods() if p.uuid == manifest["period"].get("uuid")]  # even renamed
        try:
            p = same[0] if same else self._registry.period(manifest["period"]["name"])
        except NotFound as exc:
            raise Refused("{file}: {reason}", None, file=package.name, reason=str(exc)) from exc
        if p.closed:
            raise PeriodClosed("Periode {name} sudah ditutup; buka kembali dengan alasan sebelum mengubah nilai",
                               name=p.name)
        inst = self._registry.scored_instrument(p)
        theirs = manifest["instrument"]
        if (theirs.get("id"), str(theirs.get("version"))) != (inst.id, inst.version):
            raise Refused("{file}: dibuat untuk instrumen {theirs} versi {their_version}, periode ini memakai "
                          "{ours} versi {our_version}", None, file=package.name, theirs=theirs.get("id"),
                          their_version=theirs.get("version"), ours=inst.id, our_version=inst.version)
        units = {code.casefold(): unit_id for code, unit_id in self._registry.unit_ids().items()}
        unknown = sorted({o["unit"] for o in package.data["observations"] if o["unit"].casefold() not in units})
        if unknown:
            raise Refused("{file}: unit tidak dikenal di basis data ini: {codes}", None, file=package.name,
                          codes=", ".join(unknown[:20]) + (" …" if len(unknown) > 20 else ""))
        indicators = self._registry.indicator_ids(inst.id)
        evaluator = sender(manifest)
        rows = []
        for n, o in enumerate(package.data["observations"], start=1):
            field = "indicator"
            try:
                if o["indicator"] not in indicators:
                    raise ValueError(tr("indikator tidak dikenal: {code}", code=o["indicator"]))
                values: dict[str, object] = {}
                for field in FIELDS:
                    given = o.get(field)
                    values[field] = _EMPTY.get(field) if given in (None, "") else \
                        field_value(field, given, inst.scale_min, inst.scale_max)
            except (ValueError, WorkbenchError) as exc:
                raise Refused("{file}: observasi {number}, {field}: {reason}", None, file=package.name,
                              number=n, field=field, reason=str(exc)) from exc
            rows.append(Incoming(n, units[o["unit"].casefold()], indicators[o["indicator"]], evaluator, values,
                                 uuid=str(o["uuid"]), version=int(o["version"])))
        self._refuse_collisions(package, rows, p.id)
        return rows, p.name

    def _refuse_collisions(self, package: Container, rows: list[Incoming], period_id: int) -> None:
        """Refuse a package whose observation uuid is, here, another observation (of another unit, indicator,
        evaluator or period)."""
        mine = {r.uuid: (period_id, r.unit_id, r.evaluator, r.indicator_id) for r in rows}
        uuids = list(mine)
        for start in range(0, len(uuids), 500):
            chunk = uuids[start:start + 500]
            for uuid, *key, unit, indicator in self._store.execute(
                    "SELECT o.uuid, o.period_id, o.unit_id, e.name, o.indicator_id, u.code, i.code FROM observations o "
                    "JOIN evaluators e ON e.id = o.evaluator_id JOIN units u ON u.id = o.unit_id JOIN indicators i "
                    f"ON i.id = o.indicator_id WHERE o.uuid IN ({','.join('?' * len(chunk))})", chunk):
                if tuple(key) != mine[uuid]:
                    raise Refused("{file}: observasi {uuid} sudah ada di sini sebagai observasi lain ({other}); "
                                  "paket ditolak", file=package.name, uuid=uuid,
                                  other=f"{unit}/{indicator}/{key[2]}")

    def _merge(self, found: FileCheck, package: Container, result: ImportReport, progress: ProgressCallback | None,
               cancel: CancelToken | None) -> None:
        p = self._registry.period(found.period)
        manifest = package.manifest
        evaluator = sender(manifest)
        # entries made on the evaluator's laptop: kept with their time and hash there, under the evaluator's name
        history = [Change(e["entity"], e["entity_uuid"], e["field"], e["old"], e["new"], e["reason"], at=e["at"],
                          actor=evaluator, origin=e["hash"]) for e in package.data["audit"]]
        counts = self._observations.merge(p, found.rows, Source(found.sha256, found.name, ""), history=history,
                                          reason=source("paket {file}", file=found.name), progress=progress,
                                          cancel=cancel)
        known = {e["sha256"]: e for e in package.data["evidence"]}
        self._evidence.link(period=p.name, evaluator=evaluator, files=[
            (o["unit"], o["indicator"], sha, known[sha]["original_name"], known[sha]["size"])
            for o in package.data["observations"] if o["uuid"] in counts.merged for sha in o["evidence"]])
        if self._team.key_of(evaluator) is None:  # a first key, accepted by `_check_signer`
            self._team.register_key(evaluator, package.signer, package.signer_pem, how="trusted",
                                    reason=source("paket {file}", file=found.name))
        last = self._team.last_received(evaluator)
        if last is not None and last.sequence > manifest["sequence"]:
            result.notes.append(tr("{file}: paket nomor {number} dari {evaluator} lebih lama dari nomor {last} yang "
                                   "sudah diterima ({when}); hanya yang lebih baru darinya digabungkan",
                                   file=found.name, number=manifest["sequence"], evaluator=evaluator,
                                   last=last.sequence, when=last.received_at))
        self._team.record_received(found.sha256, evaluator, manifest["sequence"], p, package.signer, found.name,
                                   manifest["created_at"])
        self._imports.note(Imported(found.sha256, found.name, "", "package", p.id, len(found.rows), counts.added,
                                    counts.updated, counts.unchanged))
        result.add(counts)


def _without_file(exc: WorkbenchError, path: str | Path) -> str:
    text = str(exc)
    return text.removeprefix(f"{Path(path).name}: ")


def package_name(evaluator: str | None, period: str) -> str:
    """A file name for a package: "paket-ani-pekppp-2026.wbpkg"."""
    return f"paket-{file_name_part((evaluator or 'tim').lower())}-{file_name_part(period.lower())}{SUFFIX}"
