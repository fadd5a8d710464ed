"""The Workbook: one evaluation database and the services that own its rules, composed over one Store."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Self

from workbench.certificates.service import Certificates
from workbench.conflicts import Conflicts
from workbench.db.audit import AuditLog
from workbench.db.settings import Settings
from workbench.db.store import Store
from workbench.domain import instrument as instruments
from workbench.events import Events
from workbench.evidence import Evidence
from workbench.exchange.packages import Packages
from workbench.exchange.service import Exchange
from workbench.ledger import Ledger
from workbench.maintenance import Maintenance
from workbench.observations import Observations
from workbench.registry import Registry
from workbench.results import Results
from workbench.surveys import Surveys


class Workbook:
    """An evaluation database (SQLite) and its services, each owning one part of the rules:

    - ``registry``: instruments, periods, institutions, units, evaluators
    - ``observations``: scores, notes and statuses; merging checked rows
    - ``evidence``: evidence files, stored by their sha256
    - ``conflicts``: disagreements, consensus, agreement between evaluators
    - ``results``: IPP, categories, ranks, and the results cache
    - ``surveys``: SKM / IKM
    - ``exchange``: spreadsheets in (observations, units, SKM) and out (templates, results)
    - ``packages``: evaluation packages out (an evaluator's work, evidence, history) and in (the lead's merge)
    - ``certificates``: keys, eligibility, issuing, revoking, verifying
    - ``maintenance``: backups, restore, the integrity check
    - ``settings``, ``audit``: stored settings and the audit log

    Open an existing one with ``Workbook(path)``; make a new one with ``Workbook.create(path)``.
    Every write is one transaction: a crash leaves the database as before or as after, never between.
    After each committed write, ``events`` announces what changed.

    Example::

        with Workbook.create("pekppp.sqlite", period="2026") as wb:
            wb.registry.add_unit("DPMPTSP-01", "DPMPTSP", "Pemerintah Kota Contoh")
            wb.observations.save(unit="DPMPTSP-01", indicator="1.a.Ak", evaluator="Ani", score=4)
            print(wb.results.scores()[0].ipp)
    """

    def __init__(self, path: str | Path, *, actor: str | None = None, passphrase: str | None = None,
                 read_only: bool = False, query_only: bool = False, _create: bool = False) -> None:
        self.store = Store(path, create=_create, actor=actor, passphrase=passphrase, read_only=read_only,
                           query_only=query_only)
        store = self.store
        self.audit = AuditLog(store)
        self.settings = Settings(store, self.audit)
        self.registry = Registry(store, self.audit)
        self.observations = Observations(store, self.registry, self.audit)
        self.evidence = Evidence(store, self.settings)
        self.conflicts = Conflicts(store, self.registry, self.settings, self.audit)
        self.results = Results(store, self.registry, self.settings, self.observations)
        self.surveys = Surveys(store, self.registry, self.settings, self.audit)
        self.exchange = Exchange(store, self.registry, self.observations, self.conflicts, self.results,
                                 self.settings, self.surveys)
        self.certificates = Certificates(store, self.registry, self.observations, self.results, self.audit)
        self.packages = Packages(store, self.registry, self.observations, self.evidence, self.audit, self.settings)
        self.ledger = Ledger(store, self.audit, self.registry, self.observations, self.results, self.surveys)
        self.maintenance = Maintenance(store, self.audit, self.evidence, self.ledger)

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
        if path.exists():
            Store(path, create=True)  # raises: the file exists
        if Path(instrument).suffix:
            from workbench.exchange.instrument_sheet import load_path

            inst = load_path(instrument)
        else:
            inst = instruments.load(instrument)
        partial = path.with_name(path.name + ".part")
        partial.unlink(missing_ok=True)
        with cls(partial, actor=actor, passphrase=passphrase, _create=True) as wb:
            with wb.transaction():
                wb.ledger.complete()
                wb.registry.add_instrument(inst)
                for questionnaire in ("skm-2017", "f03a-2022", "f03b-2022"):
                    wb.registry.add_instrument(instruments.load(questionnaire))
            wb.registry.add_period(period or str(date.today().year), instrument_id=inst.id, year=year or _year(period))
            wb.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        for suffix in ("-wal", "-shm"):
            Path(str(partial) + suffix).unlink(missing_ok=True)
        partial.replace(path)
        return cls(path, actor=actor, passphrase=passphrase)

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


def _year(period: str | None) -> int:
    digits = "".join(c if c.isdigit() else " " for c in period or "").split()
    years = [int(d) for d in digits if len(d) == 4]
    return years[0] if years else date.today().year
