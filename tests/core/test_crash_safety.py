"""Kill -9 an import at several moments: the database is always as before or as after, never between."""

import os
import shutil
import signal
import subprocess
import sys
import time

import openpyxl
import pytest

from workbench import Workbook
from workbench.domain.instrument import load

UNITS = 600


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    folder = tmp_path_factory.mktemp("crash")
    db = folder / "dasar.sqlite"
    codes = [i.code for i in load("pekppp-2022-a").indicators]
    with Workbook.create(db, period="PEKPPP 2026") as wb, wb.transaction():
        for n in range(UNITS):
            wb.registry.add_unit(f"U{n:04d}", f"Unit {n}", f"Instansi {n // 20}")
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Data")
    sheet.append(["kode_unit", "kode_indikator", "nilai", "evaluator", "catatan"])
    for n in range(UNITS):
        for code in codes:
            sheet.append([f"U{n:04d}", code, (n + len(code)) % 6, "Ani", "catatan lapangan"])
    book.save(folder / "besar.xlsx")
    return db, folder / "besar.xlsx", UNITS * len(codes)


@pytest.mark.parametrize("delay", [0.2, 0.5, 0.8, 1.1, 1.5, 2.5])
def test_an_import_killed_at_any_moment_leaves_the_database_before_or_after(prepared, tmp_path, delay):
    base, sheet, rows = prepared
    db = tmp_path / "evaluasi.sqlite"
    shutil.copyfile(base, db)
    process = subprocess.Popen([sys.executable, "-m", "workbench", "import", str(db), str(sheet)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    if process.poll() is None:
        os.kill(process.pid, signal.SIGKILL)
    process.wait()
    with Workbook(db) as wb:
        assert wb.maintenance.check() == []
        count = len(wb.observations.find())
        audited = wb.store.conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]
        imports = wb.store.conn.execute("SELECT count(*) FROM imports").fetchone()[0]
    assert (count, audited, imports) in ((0, 0, 0), (rows, rows, 1))
