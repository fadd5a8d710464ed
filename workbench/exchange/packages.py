"""Evaluation packages out of one workbook and into another: an evaluator's work, with its evidence files and
its history, carried to the team lead on a stick, by e-mail or through a shared folder."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from workbench.db.audit import AuditLog, Change
from workbench.db.settings import Settings
from workbench.db.store import Store, now
from workbench.domain import values as clean
from workbench.domain.values import STATUSES, file_name_part
from workbench.errors import Location, NotFound, PeriodClosed, Problem, WorkbenchError
from workbench.evidence import Evidence
from workbench.exchange.observation_sheets import FileCheck
from workbench.exchange.package import SUFFIX, Package, PackageRefused, read_package, write_package
from workbench.exchange.report import ImportReport
from workbench.i18n import tr
from workbench.observations import Incoming, Observations, Source
from workbench.progress import CancelToken, ProgressCallback, report
from workbench.registry import Registry

FIELDS = ("score", "claim", "notes", "recommendation", "method", "observed_on", "status")


@dataclass(frozen=True)
class Exported:
    """What went into a package."""

    path: Path
    observations: int
    units: int
    evidence: int


class Packages:
    """Writes a workbook's observations (or one evaluator's, or some units') into a package, and merges
    packages into a workbook exactly as a sheet is merged, keeping statuses, history and evidence."""

    def __init__(self, store: Store, registry: Registry, observations: Observations, evidence: Evidence,
                 audit: AuditLog, settings: Settings) -> None:
        self._store = store
        self._registry = registry
        self._observations = observations
        self._evidence = evidence
        self._audit = audit
        self._settings = settings

    # --- out ---------------------------------------------------------------------------------

    def export(self, out: str | Path, *, evaluator: str | None = None, units: Sequence[str] | None = None,
               period: str | None = None, passphrase: str | None = None) -> Exported:
        """Write the chosen observations with every field, their audit history, their evidence files, the
        units they are about, and the period and instrument they belong to."""
        p = self._registry.period(period)
        inst = self._registry.scored_instrument(p)
        chosen = {self._registry.unit(code).code for code in units} if units else None
        observations = [o for o in self._observations.find(period=p.name, evaluator=evaluator)
                        if chosen is None or o.unit in chosen]
        if not observations:
            raise WorkbenchError("Tidak ada penilaian untuk dikirim (periode {period}, evaluator {evaluator})",
                                 period=p.name, evaluator=evaluator or tr("semua"))
        links = self._links(p.id)
        codes = sorted({o.unit for o in observations})
        units_data = [{"code": u.code, "name": u.name, "institution": u.institution,
                       "institution_kind": u.institution_kind, "region": u.region, "address": u.address}
                      for u in map(self._registry.unit, codes)]
        rows = [{"uuid": o.uuid, "unit": o.unit, "evaluator": o.evaluator, "indicator": o.indicator,
                 **{f: getattr(o, f) for f in FIELDS}, "version": o.version, "updated_at": o.updated_at,
                 "evidence": links.get(o.uuid, [])} for o in observations]
        history = [{k: e[k] for k in ("at", "actor", "entity", "entity_uuid", "field", "old", "new", "reason",
                                      "hash")} for e in self._observations.history([o.uuid for o in observations])]
        files = {sha for o in rows for sha in o["evidence"]}
        evidence = {e["sha256"]: e for e in self._store.dicts(
            "SELECT sha256, original_name, size FROM evidence") if e["sha256"] in files}
        manifest = {"created_at": now(), "created_by": self._store.actor, "workbook": self._settings.identity(),
                    "period": {"name": p.name, "uuid": p.uuid, "year": p.year},
                    "instrument": {"id": inst.id, "version": inst.version},
                    "evaluators": sorted({o.evaluator for o in observations}), "units": codes,
                    "observations": len(rows), "evidence_files": len(evidence)}
        data = {"units": units_data, "observations": rows, "audit": history, "evidence": list(evidence.values())}
        if self._evidence.encrypted and not passphrase:
            raise WorkbenchError("Basis data ini terenkripsi: paketnya harus disegel dengan kata sandi juga "
                                 "(--encrypt), agar bukti tidak keluar tanpa sandi")
        path = write_package(out, manifest, data, self._evidence.sources(evidence), self._audit.keyring.private_key(),
                             passphrase=passphrase)
        return Exported(path, len(rows), len(codes), len(evidence))

    def _links(self, period_id: int) -> dict[str, list[str]]:
        links: dict[str, list[str]] = {}
        for uuid, sha in self._store.conn.execute(
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
        its manifest, when it is cut short, sealed with another passphrase, made for another instrument
        version or a period this workbook lacks or has closed, or about units this workbook does not know
        (they are listed), and when its signature does not hold or its key differs from the one that
        signed earlier packages of the same workbook (unless `trust_new_key`: a new laptop). With
        `skip_invalid` the other packages are merged. A package merged before adds nothing; evidence files go
        into the store once every package is checked.
        """
        with ExitStack() as stack:
            staging = None if dry_run else stack.enter_context(self._evidence.staging())
            opened: list[tuple[FileCheck, Package | None]] = []
            imported = {r[0] for r in self._store.conn.execute("SELECT sha256 FROM imports")}
            for n, path in enumerate(paths):
                if cancel:
                    cancel.check()
                report(progress, n, len(paths), tr("memeriksa {file}", file=Path(path).name))
                check = FileCheck(Path(path), "", layout="package")
                unpack = staging / str(n) if staging else None
                if unpack:
                    unpack.mkdir()
                try:
                    package = stack.enter_context(read_package(path, passphrase=passphrase, unpack_into=unpack))
                    if not trust_new_key:
                        self._check_signer(package)
                    check.sha256, check.sheet = package.sha256, ""
                    check.rows, check.period = self._rows(package)
                    check.already_imported = package.sha256 in imported
                except WorkbenchError as exc:  # its message names the file already
                    check.problems.append(Problem(Location(Path(path).name), "", _without_file(exc, path)))
                    package = None
                opened.append((check, package))
            result = ImportReport([c for c, _ in opened], dry_run=dry_run)
            if result.problems and not skip_invalid and not dry_run:
                return result
            usable = [(c, p) for c, p in opened if p is not None and not c.problems and not c.already_imported]
            for _, package in usable:
                if package.unpacked is not None:
                    for sha in package.evidence():
                        self._evidence.place(package.unpacked / sha, sha)
            with self._store.transaction(dry_run=dry_run):
                for check, package in usable:
                    self._merge(check, package, result, progress, cancel)
            result.written = not dry_run
            return result

    def _check_signer(self, package: Package) -> None:
        """Refuse a package whose key is not the one that signed earlier packages of its workbook."""
        known = [r[0] for r in self._store.conn.execute(
            "SELECT key_id FROM package_signers WHERE workbook = ?", (str(package.manifest.get("workbook")),))]
        if known and package.signer not in known:
            raise PackageRefused("{file}: ditandatangani kunci {key}, padahal paket sebelumnya dari buku kerja yang "
                                 "sama ditandatangani kunci {known}; bila evaluatornya memang berganti laptop, "
                                 "terima kunci barunya (--trust-new-key)", None, file=package.name, key=package.signer,
                                 known=", ".join(known))

    def _rows(self, package: Package) -> tuple[list[Incoming], str]:
        """The package's observations as rows of this workbook, and the name of their period here;
        PackageRefused when they do not fit it."""
        manifest = package.manifest
        same = [p for p in self._registry.periods() if p.uuid == manifest["period"].get("uuid")]  # even renamed
        try:
            p = same[0] if same else self._registry.period(manifest["period"]["name"])
        except NotFound as exc:
            raise PackageRefused("{file}: {reason}", None, file=package.name, reason=str(exc)) from exc
        if p.closed:
            raise PeriodClosed("Periode {name} sudah ditutup; buka kembali dengan alasan sebelum mengubah nilai",
                               name=p.name)
        inst = self._registry.scored_instrument(p)
        theirs = manifest["instrument"]
        if (theirs.get("id"), str(theirs.get("version"))) != (inst.id, inst.version):
            raise PackageRefused("{file}: dibuat untuk instrumen {theirs} versi {their_version}, periode ini memakai "
                                 "{ours} versi {our_version}", None, file=package.name, theirs=theirs.get("id"),
                                 their_version=theirs.get("version"), ours=inst.id, our_version=inst.version)
        units = {code.casefold(): unit_id for code, unit_id in self._registry.unit_ids().items()}
        unknown = sorted({o["unit"] for o in package.data["observations"] if o["unit"].casefold() not in units})
        if unknown:
            raise PackageRefused("{file}: unit tidak dikenal di basis data ini: {codes}", None, file=package.name,
                                 codes=", ".join(unknown[:20]) + (" …" if len(unknown) > 20 else ""))
        indicators = self._registry.indicator_ids(inst.id)
        rows = []
        for n, o in enumerate(package.data["observations"], start=1):
            field = "indicator"
            try:
                if o["indicator"] not in indicators:
                    raise ValueError(tr("indikator tidak dikenal: {code}", code=o["indicator"]))
                values = {}
                for field in FIELDS:
                    if o.get(field) not in (None, ""):
                        values[field] = _checked(field, o[field], inst.scale_min, inst.scale_max)
                field = "evaluator"
                evaluator = clean.field_text(o["evaluator"], "person", field, required=True)
            except (ValueError, WorkbenchError) as exc:
                raise PackageRefused("{file}: observasi {number}, {field}: {reason}", None, file=package.name,
                                     number=n, field=field, reason=str(exc)) from exc
            rows.append(Incoming(n, units[o["unit"].casefold()], indicators[o["indicator"]], evaluator, values,
                                 uuid=str(o["uuid"])))
        return rows, p.name

    def _merge(self, check: FileCheck, package: Package, result: ImportReport, progress: ProgressCallback | None,
               cancel: CancelToken | None) -> None:
        p = self._registry.period(check.period)
        history = [Change(e["entity"], e["entity_uuid"], e["field"], e["old"], e["new"], e["reason"], at=e["at"],
                          actor=e["actor"], origin=e["hash"]) for e in package.data["audit"]]
        counts = self._observations.merge(p, check.rows, Source(check.sha256, check.name, ""), history=history,
                                          reason=tr("paket {file}", file=check.name), progress=progress,
                                          cancel=cancel)
        known = {e["sha256"]: e for e in package.data["evidence"]}
        for o in package.data["observations"]:
            for sha in o["evidence"]:
                self._evidence.link(period=p.name, unit=o["unit"], evaluator=o["evaluator"], indicator=o["indicator"],
                                    sha256=sha, original_name=known[sha]["original_name"], size=known[sha]["size"])
        self._store.conn.execute(
            "INSERT OR IGNORE INTO package_signers (workbook, key_id, public_pem, created_by, first_seen) "
            "VALUES (?, ?, ?, ?, ?)", (str(package.manifest.get("workbook")), package.signer,
                                       package.manifest["signer"]["public_pem"], package.manifest.get("created_by"),
                                       now()))
        self._store.conn.execute(
            "INSERT INTO imports (sha256, file_name, sheet, layout, period_id, rows, added, updated, unchanged, "
            "skipped, imported_by, imported_at) VALUES (?, ?, '', 'package', ?, ?, ?, ?, ?, 0, ?, ?)",
            (check.sha256, check.name, p.id, len(check.rows), counts.added, counts.updated, counts.unchanged,
             self._store.actor, now()))
        result.added += counts.added
        result.updated += counts.updated
        result.unchanged += counts.unchanged
        result.units |= counts.units


def _without_file(exc: WorkbenchError, path: str | Path) -> str:
    text = str(exc)
    return text.removeprefix(f"{Path(path).name}: ")


def _checked(field: str, value: object, lo: int, hi: int) -> object:
    """A field of a package's observation, held to the rules a sheet's cell is held to; ValueError if not."""
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


def package_name(evaluator: str | None, period: str) -> str:
    """A file name for a package: "paket-ani-pekppp-2026.wbpkg"."""
    return f"paket-{file_name_part((evaluator or 'tim').lower())}-{file_name_part(period.lower())}{SUFFIX}"
