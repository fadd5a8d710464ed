"""The Workbook facade: one object over one evaluation database, used by the CLI, the GUI and reports."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from workbench import instrument as instruments
from workbench.maintenance import Maintenance


class Workbook(Maintenance):
    """An evaluation database (SQLite) with its instruments, units, observations and results.

    Open an existing one with ``Workbook(path)``; make a new one with ``Workbook.create(path)``.
    Every write is one transaction: a crash leaves the database as before or as after, never between.

    Example::

        with Workbook.create("pekppp.sqlite", period="2026") as wb:
            wb.add_unit("DPMPTSP-01", "DPMPTSP", "Pemerintah Kota Contoh")
            wb.save_observation(unit="DPMPTSP-01", indicator="1.a.Ak", evaluator="Ani", score=4)
            print(wb.scores()[0].ipp)
    """

    @classmethod
    def create(cls, path: str | Path, *, instrument: str = instruments.DEFAULT_INSTRUMENT,
               period: str | None = None, actor: str | None = None, passphrase: str | None = None) -> Workbook:
        """Create a database with an instrument (shipped id, or a .json/.xlsx/.ods file) and a first period.

        The period is named after the current year unless `period` is given. With a `passphrase` the file
        is encrypted (SQLCipher). The file is built beside its final name and moved into place only when complete.
        """
        path = Path(path)
        if path.exists():
            cls(path, create=True)  # raises db_exists
        inst = instruments.load_path(instrument) if Path(instrument).suffix else instruments.load(instrument)
        partial = path.with_name(path.name + ".part")
        partial.unlink(missing_ok=True)
        with cls(partial, create=True, actor=actor, passphrase=passphrase) as wb:
            wb.add_instrument(inst)
            wb.add_instrument(instruments.load("skm-2017"))
            wb.add_period(period or str(date.today().year), instrument_id=inst.id, year=_year(period))
            wb.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        for suffix in ("-wal", "-shm"):
            Path(str(partial) + suffix).unlink(missing_ok=True)
        partial.replace(path)
        return cls(path, actor=actor, passphrase=passphrase)


def _year(period: str | None) -> int:
    digits = "".join(c if c.isdigit() else " " for c in period or "").split()
    years = [int(d) for d in digits if len(d) == 4]
    return years[0] if years else date.today().year
