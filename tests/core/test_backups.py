import pytest

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
