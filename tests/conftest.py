import os
import tempfile
from pathlib import Path

import openpyxl
import pytest

# the screens are drawn offscreen on the screen of the laptops evaluators carry: 1366 x 768
if os.environ.setdefault("QT_QPA_PLATFORM", "offscreen") == "offscreen":
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={Path(__file__).parent / 'data' / 'screen-1366x768.json'}"
os.environ["WORKBENCH_KEYS"] = tempfile.mkdtemp(prefix="workbench-keys-")  # never the user's own key folder
os.environ["WORKBENCH_LANG"] = "id"

from workbench import Workbook
from workbench.domain.instrument import load

DATA = Path(__file__).resolve().parent / "data"
# the units of the spreadsheet fixtures in tests/data (made by tests/data/make_files.py)
UNITS = (("DPMPTSP-KTA", "DPMPTSP Kota Arga", "Pemerintah Kota Arga"),
         ("DUKCAPIL-KTA", "Disdukcapil Kota Arga", "Pemerintah Kota Arga"),
         ("SAMSAT-PRV", "Samsat Induk", "Pemerintah Provinsi Bahari"))


def dump(wb):
    """The whole database as SQL, to show that a refused operation changed nothing."""
    return list(wb.store.conn.iterdump())


@pytest.fixture
def lead(tmp_path: Path):
    """A team lead's database with the fixture units."""
    workbook = Workbook.create(tmp_path / "ketua-tim.sqlite", period="PEKPPP 2026", actor="Ketua")
    for code, name, institution in UNITS:
        workbook.registry.add_unit(code, name, institution)
    yield workbook
    workbook.close()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "evaluasi.sqlite"


@pytest.fixture
def wb(db_path: Path):
    workbook = Workbook.create(db_path, period="PEKPPP 2026", actor="tester")
    workbook.registry.add_unit("U1", "Dinas Penanaman Modal dan PTSP", "Pemerintah Kota Contoh")
    workbook.registry.add_unit("U2", "Dinas Kependudukan dan Pencatatan Sipil", "Pemerintah Kota Contoh")
    yield workbook
    workbook.close()


@pytest.fixture
def pekppp():
    return load("pekppp-2022-a")


def score_all(wb, unit, evaluator, score_of, period=None):
    """Score every indicator of the period's instrument; score_of(indicator) -> int."""
    inst = wb.registry.instrument(wb.registry.period(period).instrument_id)
    with wb.transaction():
        for ind in inst.indicators:
            wb.observations.save(unit=unit, indicator=ind.code, evaluator=evaluator, period=period,
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
