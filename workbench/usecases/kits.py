"""Opening a kit on an evaluator's laptop: a new database made from it, or the one made before brought up to
date by a newer kit. The command line and the app's Mulai → Buka kit penugasan both come here."""

from __future__ import annotations

from pathlib import Path

from workbench.exchange.kits import KitApplied
from workbench.workbook import Workbook


def import_kit(db: str | Path, kit: str | Path, passphrase: str, *, actor: str | None = None,
               db_passphrase: str | None = None) -> KitApplied:
    """Make the evaluator's database `db` from `kit`, or, when `db` exists (made from an earlier kit of the
    same lead for the same evaluator), bring it up to date; all or nothing either way."""
    if Path(db).exists():
        with Workbook(db, actor=actor, passphrase=db_passphrase) as wb:
            return wb.kits.import_(kit, passphrase)
    made, applied = Workbook.from_kit(db, kit, passphrase, db_passphrase=db_passphrase)
    made.close()
    return applied
