"""The Workbook: one evaluation database and the services that own its rules, composed over one Store."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Self

from workbench.conflicts import Conflicts
from workbench.db.audit import AuditLog
from workbench.db.settings import Settings
from workbench.db.store import Store
from workbench.domain import instrument as instruments
from workbench.domain.passphrase import check_passphrase
from workbench.events import Events
from workbench.evidence import Evidence
from workbench.exchange.import_log import ImportLog
from workbench.ledger import Ledger
from workbench.observations import Observations
from workbench.registry import Registry
from workbench.results import Results
from workbench.surveys import Surveys
from workbench.team import Team

if TYPE_CHECKING:  # made on first use (below): opening a workbook loads neither files nor signatures
    from workbench.certificates.service import Certificates
    from workbench.exchange.kits import KitApplied, Kits
    from workbench.exchange.packages import Packages
    from workbench.exchange.service import Exchange
    from workbench.maintenance import Maintenance


class Workbook:
    """An evaluation database (SQLite) and its services, each owning one part of the rules:

    - ``registry``: instruments, periods, institutions, units, evaluators
    - ``observations``: scores, notes and statuses; merging checked rows
    - ``evidence``: evidence files, stored by their sha256
    - ``conflicts``: disagreements, consensus, agreement between evaluators
    - ``results``: IPP, categories, ranks, and the results cache
    - ``surveys``: SKM / IKM
    - ``exchange``: spreadsheets in (observations, units, SKM) and out (templates, results)
    - ``team``: assignments, evaluators' keys, kits issued and packages received; this laptop's kit
    - ``packages``: evaluation packages out (an evaluator's work, evidence, history) and in (the lead's merge)
    - ``kits``: kits out (what an evaluator's laptop needs) and in (made or brought up to date from one)
    - ``certificates``: keys, eligibility, issuing, revoking, verifying
    - ``maintenance``: backups, restore, the integrity check
    - ``settings``, ``audit``: stored settings and the audit log

    Open an existing one with ``Workbook(path)`` (``inspect=True`` opens one whose schema was changed outside
    the workbench, to check or copy it); make a new one with ``Workbook.create(path)``, or an evaluator's
    from a kit with ``Workbook.from_kit(path, kit, passphrase)``.
    Every write is one transaction: a crash leaves the database as before or as after, never between.
    After each committed write, ``events`` announces what changed.

    Example::

        with Workbook.create("pekppp.sqlite", period="2026") as wb:
            wb.registry.add_unit("DPMPTSP-01", "DPMPTSP", "Pemerintah Kota Contoh")
            wb.observations.save(unit="DPMPTSP-01", indicator="1.a.Ak", evaluator="Ani", score=4)
            print(wb.results.scores()[0].ipp)
    """

    def __init__(self, path: str | Path, *, actor: str | None = None, passphrase: str | None = None,
                 read_only: bool = False, query_only: bool = False, inspect: bool = False,
                 _create: bool = False) -> None:
        self.store = Store(path, create=_create, actor=actor, passphrase=passphrase, read_only=read_only,
                           query_only=query_only, inspect=inspect)
        store = self.store
        self.audit = AuditLog(store)
        self.settings = Settings(store, self.audit)
        self.registry = Registry(store, self.audit)
        self.observations = Observations(store, self.registry, self.audit)
        self.evidence = Evidence(store, self.settings)
        self.conflicts = Conflicts(store, self.registry, self.settings, self.audit)
        self.results = Results(store, self.registry, self.settings, self.observations)
        self.surveys = Surveys(store, self.registry, self.settings, self.audit)
        self.team = Team(store, self.registry, self.audit)
        self.imports = ImportLog(store)
        self.ledger = Ledger(store, self.audit, self.registry, self.observations, self.results, self.surveys)

    # the services a screen or command needs only now and then: made (and their modules imported) on first use

    @cached_property
    def exchange(self) -> Exchange:
        from workbench.exchange.service import Exchange

        return Exchange(self.store, self.registry, self.observations, self.conflicts, self.results, self.settings,
                        self.surveys, self.team, self.imports)

    @cached_property
    def certificates(self) -> Certificates:
        from workbench.certificates.service import Certificates

        return Certificates(self.store, self.registry, self.observations, self.results, self.audit)

    @cached_property
    def packages(self) -> Packages:
        from workbench.exchange.packages import Packages

        return Packages(self.store, self.registry, self.observations, self.evidence, self.audit, self.settings,
                        self.team, self.imports)

    @cached_property
    def kits(self) -> Kits:
        from workbench.exchange.kits import Kits

        return Kits(self.store, self.registry, self.observations, self.evidence, self.audit, self.settings,
                    self.team)

    @cached_property
    def maintenance(self) -> Maintenance:
        from workbench.maintenance import Maintenance

        return Maintenance(self.store, self.audit, self.evidence, self.ledger)

    @classmethod
    def create(cls, path: str | Path, *, instrument: str = instruments.DEFAULT_INSTRUMENT,
               period: str | None = None, year: int | None = None, actor: str | None = None,
               passphrase: str | None = None) -> Workbook:
        """Create a database with an instrument (shipped id, or a .json/.xlsx/.ods file) and a first period.

        The period is named after the current year unless `period` is given; its year is `year`, else the
        year in its name. With a `passphrase` the file
        is encrypted (SQLCipher). The file is built beside its final name and moved into place only when complete.
        """
        path = Path(path)
        if passphrase is not None:
            check_passphrase(passphrase)
        if path.exists():
            Store(path, create=True)  # raises: the file exists
        if Path(instrument).suffix:
            from workbench.exchange.instrument_sheet import load_path

            inst = load_path(instrument)
        else:
            inst = instruments.load(instrument)
        partial = _partial(path)
        with cls(partial, actor=actor, passphrase=passphrase, _create=True) as wb:
            wb._start(inst)
            wb.registry.add_period(period or str(date.today().year), instrument_id=inst.id, year=year or _year(period))
            wb._finish(path)
        return cls(path, actor=actor, passphrase=passphrase)

    @classmethod
    def from_kit(cls, path: str | Path, kit: str | Path, passphrase: str, *, db_passphrase: str | None = None
                 ) -> tuple[Workbook, KitApplied]:
        """Make an evaluator's database at `path` from a kit (`workbench.exchange.kit`), whole or not at all:
        built beside its final name and moved into place only when complete. Its signing key is the one the
        lead's office made for the evaluator (so that the lead knows its packages), and the lead's key is
        trusted on this computer from now on. Returns the open workbook and what the kit brought."""
        path = Path(path)
        if db_passphrase is not None:
            check_passphrase(db_passphrase)
        if path.exists():
            Store(path, create=True)  # raises: the file exists
        partial = _partial(path)
        with cls(partial, passphrase=db_passphrase, _create=True) as wb:
            with wb.evidence.staging() as staging, wb.kits.opened(kit, passphrase, unpack_into=staging) as opened:
                wb.store.actor = opened.manifest["evaluator"]
                private = wb.kits.private_key(opened, passphrase)
                if private is None:
                    from workbench.exchange.container import Refused

                    raise Refused("{file}: kit ini tidak membawa kunci evaluator untuk laptop baru; minta kit dengan "
                                  "kunci baru (workbench kit export --new-key)", file=opened.name)
                wb.audit.keyring.install(private)  # before the first write signs anything
                wb._start()
                wb.kits.place_evidence(opened)
                applied = wb.kits.apply(opened, passphrase)
            wb._finish(path)
        return cls(path, actor=applied.evaluator, passphrase=db_passphrase), applied

    def _start(self, inst: instruments.AnyInstrument | None = None) -> None:
        """A new database's first write: the ledger's note, the instrument and the survey questionnaires."""
        with self.transaction():
            self.ledger.complete()
            if inst is not None:
                self.registry.add_instrument(inst)
            for questionnaire in ("skm-2017", "f03a-2022", "f03b-2022"):
                self.registry.add_instrument(instruments.load(questionnaire))

    def _finish(self, path: Path) -> None:
        """Move a database built beside `path` (and its evidence folder) into place, whole."""
        self.store.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        built = self.evidence.folder
        if built.is_dir():
            target = path.with_name(path.name + ".evidence")
            for file in sorted(built.rglob("*")):
                if file.is_file():
                    (target / file.relative_to(built)).parent.mkdir(parents=True, exist_ok=True)
                    file.replace(target / file.relative_to(built))
            shutil.rmtree(built, ignore_errors=True)
        self.close()
        for suffix in ("-wal", "-shm"):
            Path(str(self.path) + suffix).unlink(missing_ok=True)
        self.path.replace(path)
        self.audit.keyring.remember(path)

    def reopen(self, *, query_only: bool = False) -> Self:
        """Another connection to the same database (same passphrase and actor), e.g. for a worker thread."""
        return type(self)(self.path, actor=self.actor, passphrase=self.passphrase, read_only=self.read_only,
                          query_only=query_only)

    @property
    def path(self) -> Path:
        return self.store.path

    @property
    def actor(self) -> str:
        """Who this workbook's writes are recorded as, in the audit log."""
        return self.store.actor

    @property
    def passphrase(self) -> str | None:
        return self.store.passphrase

    @property
    def read_only(self) -> bool:
        return self.store.read_only

    @property
    def closed(self) -> bool:
        return self.store.closed

    @property
    def events(self) -> Events:
        """Announces what changed after every committed write (see `workbench.events`)."""
        return self.store.events

    @property
    def identity(self) -> str:
        """This database's own UUID; templates carry it so that imports know their origin."""
        return self.settings.identity()

    @contextmanager
    def transaction(self, *, dry_run: bool = False) -> Iterator[None]:
        """Group several calls into one all-or-nothing write (rolled back at the end when a `dry_run`)."""
        with self.store.transaction(dry_run=dry_run):
            yield

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _partial(path: Path) -> Path:
    """Where a new database is built: beside its final name, cleared of what a killed attempt left."""
    partial = path.with_name(path.name + ".part")
    for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        leftover.unlink(missing_ok=True)
    shutil.rmtree(partial.with_name(partial.name + ".evidence"), ignore_errors=True)
    return partial


def _year(period: str | None) -> int:
    digits = "".join(c if c.isdigit() else " " for c in period or "").split()
    years = [int(d) for d in digits if len(d) == 4]
    return years[0] if years else date.today().year
