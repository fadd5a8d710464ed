"""Backups and the integrity and consistency check."""

from __future__ import annotations

import shutil
from pathlib import Path

from workbench.certificates import Certificates
from workbench.errors import WorkbenchError
from workbench.store import GENESIS_HASH, audit_hash, raw_connect


class Maintenance(Certificates):
    """Keeping a workbook safe: backup and check."""

    def backup(self, out: str | Path) -> Path:
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
        if self.evidence_dir.is_dir():
            shutil.copytree(self.evidence_dir, out.with_name(out.name + ".evidence"), dirs_exist_ok=True)
        return out

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
        return problems
