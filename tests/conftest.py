import os
from pathlib import Path

import openpyxl
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["WORKBENCH_LANG"] = "id"

from workbench import Workbook  # noqa: E402
from workbench.instrument import load  # noqa: E402


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "evaluasi.sqlite"


@pytest.fixture
def wb(db_path: Path):
    workbook = Workbook.create(db_path, period="PEKPPP 2026", actor="tester")
    workbook.add_unit("U1", "Dinas Penanaman Modal dan PTSP", "Pemerintah Kota Contoh")
    workbook.add_unit("U2", "Dinas Kependudukan dan Pencatatan Sipil", "Pemerintah Kota Contoh")
    yield workbook
    workbook.close()


@pytest.fixture
def pekppp():
    return load("pekppp-2022-a")


def score_all(wb, unit, evaluator, score_of, period=None):
    """Score every indicator of the period's instrument; score_of(indicator) -> int."""
    inst = wb.instrument(wb.period(period).instrument_id)
    with wb.transaction():
        for ind in inst.indicators:
            wb.save_observation(unit=unit, indicator=ind.code, evaluator=evaluator, period=period,
                                score=score_of(ind))


def write_xlsx(path: Path, rows, title="Data"):
    """Write rows (lists) to a one-sheet xlsx with openpyxl; returns the path."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path
