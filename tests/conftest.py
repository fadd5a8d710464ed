import os
import tempfile
from pathlib import Path

import pytest

# the screens are drawn offscreen on the screen of the laptops evaluators carry: 1366 x 768
if os.environ.setdefault("QT_QPA_PLATFORM", "offscreen") == "offscreen":
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={Path(__file__).parent / 'data' / 'screen-1366x768.json'}"
os.environ["WORKBENCH_KEYS"] = tempfile.mkdtemp(prefix="workbench-keys-")  # never the user's own key folder
os.environ["WORKBENCH_LANG"] = "id"

from tests.helpers import UNITS
from workbench import Workbook
from workbench.domain.instrument import load


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


