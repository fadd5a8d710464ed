"""Kill -9 an import in each of its phases: the database is always as before or as after, never between.

The importing child writes a line to a marker file at every progress step; the test kills it the moment a
chosen step appears, and then reads the markers again to prove where the kill landed.
"""

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
CHILD = """
import sys
from workbench import Workbook
markers = open(sys.argv[3], "a", buffering=1)
with Workbook(sys.argv[1]) as wb:
    wb.exchange.import_observations([sys.argv[2]], progress=lambda u: markers.write(f"{u.message}|{u.current}\\n"))
markers.write("committed\\n")
"""


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
    with Workbook(db) as wb:
        logged = wb.store.value("SELECT count(*) FROM audit_log")  # the units and instruments, as registered
    return db, folder / "besar.xlsx", UNITS * len(codes), logged


def lines(path):
    return path.read_text().splitlines() if path.exists() else []


# (the step at which the kill is sent, the step that must not have been reached, what the database then holds)
MOMENTS = [
    ("membaca", "menggabungkan", "before"),  # reading and checking the sheet, nothing written yet
    ("menggabungkan besar.xlsx|0", "menggabungkan besar.xlsx|5000", "before"),  # the merge has begun
    ("menggabungkan besar.xlsx|10000", "mencatat", "before"),  # two thirds merged
    ("mencatat jejak audit", "committed", "before"),  # every row inserted, the audit trail being written
    ("committed", None, "after"),
]


@pytest.mark.parametrize("kill_at, not_reached, outcome", MOMENTS)
def test_an_import_killed_in_any_phase_leaves_the_database_before_or_after(prepared, tmp_path, kill_at, not_reached,
                                                                             outcome):
    base, sheet, rows, logged = prepared
    db, markers = tmp_path / "evaluasi.sqlite", tmp_path / "langkah.txt"
    shutil.copyfile(base, db)
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(db), str(sheet), str(markers)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not any(line.startswith(kill_at) for line in lines(markers)):
        assert child.poll() is None or kill_at == "committed", child.stderr.read().decode()
        assert time.monotonic() < deadline
        time.sleep(0.0005)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    seen = lines(markers)
    if not_reached is not None:  # the kill landed in the phase named, not after it
        assert not any(line.startswith(not_reached) for line in seen), seen
        assert "committed" not in seen
    with Workbook(db) as wb:
        assert wb.maintenance.check() == []
        count = len(wb.observations.find())
        audited = wb.store.value("SELECT count(*) FROM audit_log")
        imports = wb.store.value("SELECT count(*) FROM imports")
    # after: the new evaluator, and one entry for the batch of new observations (their digest)
    assert (count, audited, imports) == ((0, logged, 0) if outcome == "before" else (rows, logged + 2, 1))
