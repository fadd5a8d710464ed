import pytest

from workbench.errors import WorkbenchError


def test_rolling_backups_are_bounded_and_restorable(wb, tmp_path):
    import shutil

    wb.save_observation(unit="U1", indicator="1.a.Ak", evaluator="Ani", score=2)
    first = wb.rolling_backup()
    kept = shutil.copyfile(first, tmp_path / "simpanan.sqlite")
    wb.save_observation(unit="U1", indicator="1.a.Ak", evaluator="Ani", score=5)
    for _ in range(6):
        wb.rolling_backup(keep=3)
    assert len(wb.backups()) == 3 and first not in wb.backups()
    wb.rolling_backup(keep=10, max_bytes=1)  # over the size bound: only the newest stays
    assert len(wb.backups()) == 1
    with pytest.raises(WorkbenchError, match="tidak ditemukan"):
        wb.restore(first)  # rotated away: refused, nothing wiped
    wb.restore(kept)  # restoring also keeps the state it replaces
    assert wb.observation(unit="U1", indicator="1.a.Ak", evaluator="Ani").score == 2
    assert len(wb.backups()) == 2 and wb.check() == []
    wb.restore(wb.backups()[0])
    assert wb.observation(unit="U1", indicator="1.a.Ak", evaluator="Ani").score == 5


def test_restoring_a_broken_file_changes_nothing(wb, tmp_path):
    bad = tmp_path / "rusak.sqlite"
    bad.write_text("bukan basis data")
    wb.save_observation(unit="U1", indicator="1.a.Ak", evaluator="Ani", score=3)
    with pytest.raises(WorkbenchError, match="rusak.sqlite"):
        wb.restore(bad)
    assert wb.observation(unit="U1", indicator="1.a.Ak", evaluator="Ani").score == 3
