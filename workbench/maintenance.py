"""Backups and the integrity and consistency check."""

from __future__ import annotations

import shutil
import time
from datetime import datetime
from pathlib import Path

from workbench.certificates import Certificates
from workbench.errors import WorkbenchError
from workbench.store import GENESIS_HASH, audit_hash, file_sha256, raw_connect


class Maintenance(Certificates):
    """Keeping a workbook safe: backup and check."""

    def backup(self, out: str | Path, *, with_evidence: bool = True) -> Path:
        """A consistent copy of the database (SQLite online backup) and its evidence store; never overwrites."""
        out = Path(out)
        if out.exists():
            raise WorkbenchError("backup_target_exists", file=str(out))
        partial = out.with_name(out.name + ".part")
        target = raw_connect(partial, self.passphrase)  # a backup of an encrypted database stays encrypted
        try:
            self.conn.backup(target)
        finally:
            target.close()
        partial.replace(out)
        if with_evidence and self.evidence_dir.is_dir():
            shutil.copytree(self.evidence_dir, out.with_name(out.name + ".evidence"), dirs_exist_ok=True)
        return out

    @property
    def backup_dir(self) -> Path:
        return self.path.with_name(self.path.name + ".backups")

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
            raise WorkbenchError("db_missing", file=str(backup))
        source = raw_connect(backup, self.passphrase)
        try:
            if not source.execute("PRAGMA user_version").fetchone()[0]:
                raise WorkbenchError("db_not_workbench", file=Path(backup).name, detail="user_version 0")
            self.rolling_backup(keep=len(self.backups()) + 1)
            source.backup(self.conn)
        except WorkbenchError:
            raise
        except Exception as exc:
            raise WorkbenchError("db_not_workbench", file=Path(backup).name, detail=str(exc)) from exc
        finally:
            source.close()

    def check(self) -> list[str]:
        """Problems found by integrity_check, foreign_key_check, the audit chain and the scores; [] when sound."""
        problems = [r[0] for r in self.conn.execute("PRAGMA integrity_check") if r[0] != "ok"]
        problems += [f"foreign key: {r[0]} row {r[1]} -> {r[2]}" for r in self.conn.execute("PRAGMA foreign_key_check")]
        prev = GENESIS_HASH
        for row in self.conn.execute("SELECT id, at, actor, entity, entity_uuid, field, old, new, reason, prev_hash, "
                                     "hash FROM audit_log ORDER BY id"):
            if row[9] != prev or row[10] != audit_hash(prev, row[1:9]):
                problems.append(f"audit_log {row[0]}: rantai hash rusak / hash chain broken")
                break
            prev = row[10]
        problems += [f"observation {r[0]}: indikator bukan milik instrumen periode / indicator not of the period's "
                     "instrument" for r in self.conn.execute(
                         "SELECT o.uuid FROM observations o JOIN periods p ON p.id = o.period_id "
                         "JOIN indicators i ON i.id = o.indicator_id WHERE i.instrument_id <> p.instrument_id")]
        problems += [f"observation {r[0]}: status {r[1]} tanpa nilai / without a score" for r in self.conn.execute(
            "SELECT uuid, status FROM observations WHERE status <> 'draft' AND score IS NULL")]
        # the audit log must agree with the current score of every audited observation
        problems += [f"observation {r[0]}: nilai {r[1]} tidak sesuai log audit ({r[2]}) / score disagrees with the "
                     "audit log" for r in self.conn.execute(
                         "SELECT o.uuid, o.score, a.new FROM observations o JOIN audit_log a ON a.id = "
                         "(SELECT max(id) FROM audit_log WHERE entity_uuid = o.uuid AND field = 'score') "
                         "WHERE coalesce(CAST(o.score AS TEXT), '') <> coalesce(a.new, '')")]
        for sha, name in self.conn.execute("SELECT sha256, original_name FROM evidence"):
            stored = self.evidence_path(sha)
            if not stored.is_file():
                problems.append(f"evidence {name}: berkas hilang / file missing ({sha[:12]})")
            elif file_sha256(stored) != sha:
                problems.append(f"evidence {name}: isi berubah / content changed ({sha[:12]})")
        return problems
