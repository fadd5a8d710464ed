"""Keeping a workbook safe: backups (one-off and rolling), restoring one, and the integrity check."""

from __future__ import annotations

import shutil
import sqlite3
import time
from datetime import datetime
from pathlib import Path

from workbench.db.audit import AuditLog
from workbench.db.schema import SCHEMA_VERSION, foreign_objects, migrate
from workbench.db.store import Store, connect
from workbench.errors import NotAWorkbench, NotFound, WorkbenchError, foreign_schema
from workbench.events import Changes
from workbench.evidence import Evidence
from workbench.i18n import tr
from workbench.ledger import Ledger


class Maintenance:
    """Backups into `<database>.backups/`, restore, and `check` over the database, audit chain and evidence."""

    def __init__(self, store: Store, audit: AuditLog, evidence: Evidence, ledger: Ledger) -> None:
        self._store = store
        self._audit = audit
        self._evidence = evidence
        self._ledger = ledger

    def backup(self, out: str | Path, *, with_evidence: bool = True) -> Path:
        """A consistent copy of the database (SQLite online backup) and its evidence store; never overwrites."""
        out = Path(out)
        if out.exists():
            raise WorkbenchError("{file}: sudah ada; cadangan tidak menimpa berkas", file=str(out))
        partial = out.with_name(out.name + ".part")
        target = connect(partial, self._store.passphrase)  # a backup of an encrypted database stays encrypted
        try:
            self._store.copy_to(target)
        finally:
            target.close()
        partial.replace(out)
        if with_evidence and self._evidence.folder.is_dir():
            shutil.copytree(self._evidence.folder, out.with_name(out.name + ".evidence"), dirs_exist_ok=True)
        return out

    @property
    def backup_dir(self) -> Path:
        return self._store.path.with_name(self._store.path.name + ".backups")

    def rolling_backup(self, *, keep: int = 5, max_bytes: int = 2 * 1024**3, min_interval: float = 0) -> Path:
        """Add a timestamped copy to `<db>.backups/` and drop the oldest beyond `keep` copies or `max_bytes`.

        No copy is made when the newest is younger than `min_interval` seconds (it is returned instead).
        Evidence files are not copied: they are content-addressed and never deleted.
        """
        newest = self.backups()[:1]
        if newest and time.time() - newest[0].stat().st_mtime < min_interval:
            return newest[0]
        self.backup_dir.mkdir(exist_ok=True)
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        made = self.backup(self.backup_dir / f"{stamp}.sqlite", with_evidence=False)
        copies = self.backups()
        while len(copies) > 1 and (len(copies) > keep or sum(p.stat().st_size for p in copies) > max_bytes):
            copies.pop().unlink()  # the oldest
        return made

    def backups(self) -> list[Path]:
        """Rolling backups, newest first."""
        if not self.backup_dir.is_dir():
            return []
        return sorted(self.backup_dir.glob("*.sqlite"), reverse=True)

    def restore(self, backup: str | Path) -> None:
        """Replace the whole database with a backup, in place (SQLite online backup into this connection).

        The current state is kept first as one more rolling backup, so that a restore can be undone.
        """
        if not Path(backup).is_file():
            raise NotFound("{file}: basis data tidak ditemukan", file=str(backup))
        try:
            source = connect(backup, self._store.passphrase)
        except Exception as exc:
            raise NotAWorkbench("{file}: bukan basis data workbench atau terenkripsi ({detail})",
                                file=Path(backup).name, detail=str(exc)) from exc
        try:
            version = source.execute("PRAGMA user_version").fetchone()[0]
            if not version:
                raise NotAWorkbench("{file}: bukan basis data workbench atau terenkripsi ({detail})",
                                    file=Path(backup).name, detail="user_version 0")
            if version > SCHEMA_VERSION:
                raise WorkbenchError("{file}: dibuat oleh versi yang lebih baru (skema {found} > {known})",
                                     file=Path(backup).name, found=version, known=SCHEMA_VERSION)
            if strange := foreign_objects(source):
                raise foreign_schema(Path(backup).name, strange)
            if doubt := log_doubts(backup, self._store.passphrase):
                raise WorkbenchError("{file}: log audit cadangan ini tidak dapat dipercaya di komputer ini "
                                     "({problem}); tidak dipulihkan", file=Path(backup).name, problem=doubt[0])
            # a backup made by an earlier version gets this version's schema in memory first: if that fails,
            # the workbook is as it was
            staged = connect(":memory:", self._store.passphrase)
            try:
                source.backup(staged)
                migrate(staged)
                self.rolling_backup(keep=len(self.backups()) + 1)
                self._store.replace_with(staged)
            finally:
                staged.close()
        except WorkbenchError:
            raise
        except Exception as exc:
            raise NotAWorkbench("{file}: bukan basis data workbench atau terenkripsi ({detail})",
                                file=Path(backup).name, detail=str(exc)) from exc
        finally:
            source.close()
        self._audit.reset_mark()
        self._store.events.emit(Changes.everything())

    def check(self) -> list[str]:
        """Everything wrong with the workbook, one line each: SQLite's integrity and foreign-key checks, the
        audit log and its signed anchors, data that the log does not account for (scores, statuses, agreed
        scores, certificates, closed periods, settings changed outside the workbench), and evidence files
        missing or altered. [] when the workbook is sound; a damaged file is reported, never raised."""
        try:
            problems = [r[0] for r in self._store.execute("PRAGMA integrity_check") if r[0] != "ok"]
            if strange := self._store.foreign_objects():
                problems.append(tr("skema: {objects} tidak dibuat aplikasi versi ini (diubah di luar aplikasi)",
                                   objects=", ".join(strange)))
            problems += [tr("kunci asing: {table} baris {row} -> {parent}", table=r[0], row=r[1], parent=r[2])
                         for r in self._store.execute("PRAGMA foreign_key_check")]
            problems += self._audit.verify()
            problems += self._ledger.unaccounted()
            problems += self._evidence_problems()
        except sqlite3.DatabaseError as exc:
            return [tr("{file}: berkas basis data rusak ({detail}); pulihkan dari cadangan di {folder}",
                       file=self._store.path.name, detail=str(exc)[:120], folder=self.backup_dir)]
        return problems

    def _evidence_problems(self) -> list[str]:
        problems = []
        for sha, name in self._evidence.files():
            try:
                self._evidence.read(sha)
            except NotFound:
                problems.append(tr("bukti {name}: berkas hilang ({sha})", name=name, sha=sha[:12]))
            except WorkbenchError:
                problems.append(tr("bukti {name}: isi berubah ({sha})", name=name, sha=sha[:12]))
        return problems


def good_backups(path: str | Path, passphrase: str | None = None) -> list[Path]:
    """The rolling backups of the database at `path`, newest first, that are whole and hold only what this
    version makes for their schema: what a database changed outside the workbench can go back to."""
    found = []
    for backup in sorted(Path(path).with_name(Path(path).name + ".backups").glob("*.sqlite"), reverse=True):
        try:
            conn = connect(backup, passphrase, read_only=True)
        except Exception:  # sqlite3 and sqlcipher3 raise their own types for a file that is not a database
            continue
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            whole = conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
            if 0 < version <= SCHEMA_VERSION and whole and not foreign_objects(conn) \
                    and not log_doubts(backup, passphrase):
                found.append(backup)
        except sqlite3.DatabaseError:
            continue
        finally:
            conn.close()
    return found


def recover(path: str | Path, backup: str | Path, passphrase: str | None = None) -> Path:
    """Put `backup` in place of the database at `path`, which is kept beside it (renamed, never deleted);
    returns where it went. For a database that cannot be opened any more (a schema changed outside the
    workbench), so not through `Maintenance.restore`."""
    path = Path(path)
    aside = path.with_name(f"{path.stem}.diganti-{datetime.now():%Y%m%d-%H%M%S}{path.suffix}")
    for suffix in ("", "-wal", "-shm"):
        if Path(f"{path}{suffix}").exists():
            Path(f"{path}{suffix}").replace(Path(f"{aside}{suffix}"))
    source, target = connect(backup, passphrase, read_only=True), connect(path, passphrase)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()
    store = Store(path, passphrase=passphrase)
    try:
        AuditLog(store).reset_mark()  # this computer's last anchor is now the backup's
    finally:
        store.close()
    return aside


def log_doubts(path: str | Path, passphrase: str | None = None) -> list[str]:
    """What this computer doubts in a backup's audit log: altered or cut entries, anchors that do not hold,
    keys it does not trust (a backup signed again elsewhere). [] for a backup this computer can vouch for."""
    store = Store(path, passphrase=passphrase, read_only=True, inspect=True)
    try:
        if store.value("SELECT 1 FROM sqlite_master WHERE name = 'anchors'") is None:
            return []  # made before the log was anchored
        return AuditLog(store).verify(mark=False)
    finally:
        store.close()
