import sqlite3

import pytest

from workbench.db.schema import SCHEMA_VERSION, expected_objects
from workbench.errors import WorkbenchError


def test_rolling_backups_are_bounded_and_restorable(wb, tmp_path):
    import shutil

    wb.observations.save(unit="U1", indicator="1.a.Ak", evaluator="Ani", score=2)
    first = wb.maintenance.rolling_backup()
    kept = shutil.copyfile(first, tmp_path / "simpanan.sqlite")
    wb.observations.save(unit="U1", indicator="1.a.Ak", evaluator="Ani", score=5)
    for _ in range(6):
        wb.maintenance.rolling_backup(keep=3)
    assert len(wb.maintenance.backups()) == 3 and first not in wb.maintenance.backups()
    wb.maintenance.rolling_backup(keep=10, max_bytes=1)  # over the size bound: only the newest stays
    assert len(wb.maintenance.backups()) == 1
    with pytest.raises(WorkbenchError, match="tidak ditemukan"):
        wb.maintenance.restore(first)  # rotated away: refused, nothing wiped
    wb.maintenance.restore(kept)  # restoring also keeps the state it replaces
    assert wb.observations.get(unit="U1", indicator="1.a.Ak", evaluator="Ani").score == 2
    assert len(wb.maintenance.backups()) == 2 and wb.maintenance.check() == []
    wb.maintenance.restore(wb.maintenance.backups()[0])
    assert wb.observations.get(unit="U1", indicator="1.a.Ak", evaluator="Ani").score == 5


def test_restoring_a_broken_file_changes_nothing(wb, tmp_path):
    bad = tmp_path / "rusak.sqlite"
    bad.write_text("bukan basis data")
    wb.observations.save(unit="U1", indicator="1.a.Ak", evaluator="Ani", score=3)
    with pytest.raises(WorkbenchError, match="rusak.sqlite"):
        wb.maintenance.restore(bad)
    assert wb.observations.get(unit="U1", indicator="1.a.Ak", evaluator="Ani").score == 3


def edited_backup(wb, path, *scripts):
    """A backup of the workbook, then changed with sqlite3 as another version (or someone) would have it (each
    script on a connection of its own)."""
    wb.maintenance.backup(path, with_evidence=False)
    for script in scripts:
        conn = sqlite3.connect(path)
        conn.executescript(script)
        conn.close()
    return path


def definition_of(version: int, table: str) -> str:
    """A script that gives `table` the definition the migrations up to `version` wrote, its rows as they are
    (a rule such as a CHECK rewritten since then)."""
    sql = expected_objects(version)[("table", table)].replace("'", "''")
    return (f"PRAGMA writable_schema = ON; UPDATE sqlite_master SET sql = '{sql}' WHERE type = 'table' AND "
            f"name = '{table}'; PRAGMA writable_schema = OFF;")


# what migration 15 (kits and packages bound to evaluators) made, taken back as the version before had it
UNDO_KITS = ("DROP INDEX respondents_by_sheet; ALTER TABLE respondents DROP COLUMN sheet_id; "
             "ALTER TABLE respondents DROP COLUMN entry; DROP TABLE survey_decisions; DROP TABLE survey_sheets; "
             "DROP TABLE evaluator_keys; DROP TABLE assignments; DROP TABLE kits_issued; "
             "DROP TABLE packages_received; DROP TABLE packages_sent; DROP TABLE kit; DROP TABLE package_conflicts; "
             "ALTER TABLE observations DROP COLUMN origin_uuid; ALTER TABLE observations DROP COLUMN origin_version; "
             "ALTER TABLE observations DROP COLUMN origin_digest; "
             "CREATE TABLE package_signers (workbook TEXT NOT NULL, key_id TEXT NOT NULL, public_pem TEXT NOT NULL, "
             "created_by TEXT, first_seen TEXT NOT NULL, "
             "PRIMARY KEY (workbook, key_id)); PRAGMA user_version = 14;")


def test_a_backup_made_by_an_earlier_version_is_brought_up_to_date_and_a_newer_one_refused(wb, tmp_path):
    wb.observations.save(unit="U1", indicator="1.a.Ak", evaluator="Ani", score=4)
    old = edited_backup(wb, tmp_path / "versi-lama.sqlite",  # as the version before the per-indicator totals
                        definition_of(16, "observations"),
                        UNDO_KITS + "DROP TABLE indicator_totals; PRAGMA user_version = 13; CREATE TRIGGER "
                        "frozen_observation_insert BEFORE INSERT ON observations\n"
                        "        WHEN (SELECT closed FROM periods WHERE id = NEW.period_id) BEGIN SELECT RAISE(ABORT, "
                        "'period closed'); END; CREATE TRIGGER frozen_respondent_insert BEFORE INSERT ON respondents "
                        "WHEN (SELECT closed FROM periods WHERE id = NEW.period_id) BEGIN SELECT RAISE(ABORT, "
                        "'period closed'); END;")
    wb.observations.save(unit="U1", indicator="1.a.Ak", evaluator="Ani", score=1)
    wb.maintenance.restore(old)
    assert wb.store.value("PRAGMA user_version") == SCHEMA_VERSION
    assert wb.store.value("SELECT count(*) FROM sqlite_master WHERE name = 'frozen_observation_insert'") == 0
    assert wb.results.scores() == wb.results.scores(exact=True) and wb.maintenance.check() == []
    wb.observations.save(unit="U1", indicator="1.a.Ak", evaluator="Ani", score=5)  # writes work at once
    assert {r.unit: r.scored for r in wb.results.scores()}["U1"] == 1
    newer = edited_backup(wb, tmp_path / "versi-baru.sqlite", f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(WorkbenchError, match="versi yang lebih baru"):
        wb.maintenance.restore(newer)
    assert wb.observations.get(unit="U1", indicator="1.a.Ak", evaluator="Ani").score == 5


def test_a_backup_that_cannot_be_brought_up_to_date_changes_nothing(wb, tmp_path):
    wb.observations.save(unit="U1", indicator="1.a.Ak", evaluator="Ani", score=4)
    # says schema 14 but already has the tables 15 makes: the upgrade fails
    odd = edited_backup(wb, tmp_path / "aneh.sqlite", "PRAGMA user_version = 14")
    wb.observations.save(unit="U1", indicator="1.a.Ak", evaluator="Ani", score=1)
    with pytest.raises(WorkbenchError, match="aneh.sqlite"):
        wb.maintenance.restore(odd)
    assert wb.store.value("PRAGMA user_version") == SCHEMA_VERSION
    assert wb.observations.get(unit="U1", indicator="1.a.Ak", evaluator="Ani").score == 1
    wb.observations.save(unit="U1", indicator="1.a.Ak", evaluator="Ani", score=2)
    assert wb.maintenance.check() == []
