"""A team round on separate laptops, each a home folder of its own with its own keys, run as real processes of
the command line: the lead assigns units from a sheet and sends kits; each evaluator's laptop is made from
its kit, scores, and sends packages back; the lead merges them by the work, not by the post."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import UNITS, dump, write_xlsx
from workbench import Workbook

PASS = "sandi-kit-tim-2026"
PERIOD = "PEKPPP 2026"
CODES = ("1.a.Ak", "2.a.P", "3.a.T")


class Laptop:
    """One computer: a home folder (where its keys are kept) and the command line run in it."""

    def __init__(self, root: Path, name: str) -> None:
        self.home = root / f"rumah-{name.lower()}"
        self.home.mkdir(parents=True, exist_ok=True)
        self.name = name

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ("WORKBENCH_KEYS", "XDG_DATA_HOME",
                                                                 "WORKBENCH_PASSPHRASE", "WORKBENCH_USER")}
        return env | {"HOME": str(self.home), "WORKBENCH_USER": self.name, "WORKBENCH_LANG": "id"} | extra

    def run(self, *args: object, passphrase: str | None = None, **extra: str) -> tuple[int, str, str]:
        env = self.env(**extra) | ({"WORKBENCH_PASSPHRASE": passphrase} if passphrase else {})
        done = subprocess.run([sys.executable, "-m", "workbench", *map(str, args)], env=env, capture_output=True,
                              text=True, timeout=120)
        assert "Traceback" not in done.stderr, done.stderr
        return done.returncode, done.stdout, done.stderr

    def ok(self, *args: object, **kw: str) -> str:
        code, out, err = self.run(*args, **kw)
        assert code == 0, out + err
        return out

    def made_from(self, kit: Path) -> Path:
        """This laptop's database, made from its kit."""
        mine = self.home / "evaluasi.sqlite"
        assert "dibuat dari kit" in self.ok("kit", "import", mine, kit, passphrase=PASS)
        return mine

    def scores(self, db: Path, sheet: Path, units, score: int) -> None:
        """Scores typed into this laptop's database (from a sheet, as the app's Impor would)."""
        self.ok("import", db, scores_sheet(sheet, self.name, units, score))

    @property
    def keys(self) -> Path:
        return self.home / ".local" / "share" / "pekppp-workbench" / "keys"

    def open(self, db: Path) -> Workbook:
        """The laptop's database opened in this test process, with this laptop's keys."""
        os.environ["WORKBENCH_KEYS"] = str(self.keys)
        return Workbook(db, actor=self.name)


def scores_sheet(path: Path, evaluator: str, units, score: int) -> Path:
    return write_xlsx(path, [["kode_unit", "kode_indikator", "nilai", "evaluator"],
                             *([u, c, score, evaluator] for u in units for c in CODES)])


@pytest.fixture
def keys_back():
    """Tests that open a laptop's database in-process point WORKBENCH_KEYS at its keys; put it back after."""
    before = os.environ["WORKBENCH_KEYS"]
    yield
    os.environ["WORKBENCH_KEYS"] = before


@pytest.fixture
def team(tmp_path, keys_back):
    """The lead's database with the register, units assigned from a sheet, and a kit for each evaluator."""
    lead = Laptop(tmp_path, "Ketua")
    db = tmp_path / "kantor" / "evaluasi.sqlite"
    db.parent.mkdir()
    lead.ok("init", db, "--period", PERIOD)
    lead.ok("units", "import", db, write_xlsx(tmp_path / "lokus.xlsx", [["Kode Unit", "Nama Unit", "Instansi"],
                                                                         *UNITS]))
    sheet = write_xlsx(tmp_path / "penugasan.xlsx", [["No", "Kode Unit", "Evaluator", "Catatan"],
                                                     [1, "DPMPTSP-KTA", "Ani", "hari 1"], [2, "SAMSAT-PRV", "Ani", ""],
                                                     [3, "DPMPTSP-KTA", "Budi", ""], [4, "DUKCAPIL-KTA", "Budi", ""]])
    assert "4 penugasan baru" in lead.ok("team", "assign", db, sheet)
    out = lead.ok("kit", "export", db, "--all", "--out", tmp_path / "kit", passphrase=PASS)
    assert out.count("(baru, dibuat untuk kit ini)") == 2
    kits = {name: tmp_path / "kit" / f"kit-{name.lower()}-pekppp-2026.wbkit" for name in ("Ani", "Budi")}
    return lead, db, kits


def test_a_round_from_assignments_to_packages_on_separate_laptops(team, tmp_path):
    lead, db, kits = team
    listed = json.loads(lead.ok("team", "list", db, "--json"))
    assert [(m["evaluator"], m["units"], m["kit"]["sequence"]) for m in listed] == [
        ("Ani", ["DPMPTSP-KTA", "SAMSAT-PRV"], 1), ("Budi", ["DPMPTSP-KTA", "DUKCAPIL-KTA"], 1)]
    assert all(m["key_id"] and m["packages"]["count"] == 0 for m in listed)
    packages = []
    for name, units, score in (("Ani", ("DPMPTSP-KTA", "SAMSAT-PRV"), 4), ("Budi", ("DPMPTSP-KTA",), 3)):
        laptop = Laptop(tmp_path, name)
        mine = laptop.home / "evaluasi.sqlite"
        out = laptop.ok("kit", "import", mine, kits[name], passphrase=PASS)
        assert f"dibuat dari kit nomor 1 untuk {name}" in out
        assert laptop.keys.is_dir()
        registered = [u["code"] for u in json.loads(laptop.ok("units", "list", mine, "--json"))]
        assert sorted(registered) == sorted({*listed[0 if name == "Ani" else 1]["units"]})  # only the kit's units
        laptop.scores(mine, tmp_path / f"{name}.xlsx", units, score)
        out = laptop.ok("package", "export", mine, "--out", tmp_path / f"{name}.wbpkg")  # no --evaluator needed
        assert f"paket nomor 1 dari {name}" in out
        packages.append(tmp_path / f"{name}.wbpkg")
        assert laptop.ok("check", mine).strip().endswith(": baik")
    out = lead.ok("package", "import", db, *packages)
    assert "9 baru" in out and "TIDAK" not in out
    listed = {m["evaluator"]: m for m in json.loads(lead.ok("team", "list", db, "--json"))}
    assert (listed["Ani"]["packages"]["last_sequence"], listed["Ani"]["scored"]) == (1, 6)
    assert (listed["Budi"]["packages"]["last_sequence"], listed["Budi"]["scored"]) == (1, 3)
    assert lead.ok("check", db).strip().endswith(": baik")


def test_an_older_package_arriving_late_leaves_the_newer_scores(team, tmp_path):
    lead, db, kits = team
    ani = Laptop(tmp_path, "Ani")
    mine = ani.made_from(kits["Ani"])
    ani.scores(mine, tmp_path / "senin.xlsx", ["SAMSAT-PRV"], 2)
    ani.ok("package", "export", mine, "--out", tmp_path / "senin.wbpkg")
    ani.scores(mine, tmp_path / "selasa.xlsx", ["SAMSAT-PRV"], 4)  # corrected next day
    ani.ok("package", "export", mine, "--out", tmp_path / "selasa.wbpkg")
    assert "3 baru" in lead.ok("package", "import", db, tmp_path / "selasa.wbpkg")
    out = lead.ok("package", "import", db, tmp_path / "senin.wbpkg")  # the first e-mail, late
    assert "3 lebih lama dari yang ada, dibiarkan" in out and "0 diperbarui" in out
    assert "paket nomor 1 dari Ani lebih lama dari nomor 2" in out
    scores = json.loads(lead.ok("scores", db, "--by-evaluator", "--json"))
    assert {s["unit"]: s["scored"] for s in scores if s["evaluator"] == "Ani"} == {"SAMSAT-PRV": 3}
    with Workbook(db) as wb:
        assert {o.score for o in wb.observations.find(unit="SAMSAT-PRV", evaluator="Ani")} == {4}


def test_two_laptops_with_one_kit_editing_the_same_score_wait_for_the_lead(team, tmp_path):
    """Same kit on two laptops (a copy made 'to be safe'): the same observation changed to different scores
    under the same version is not decided by which package came first."""
    lead, db, kits = team
    first, second = Laptop(tmp_path, "Ani"), Laptop(tmp_path / "cadangan", "Ani")
    for n, laptop in enumerate((first, second)):
        mine = laptop.made_from(kits["Ani"])
        laptop.scores(mine, tmp_path / f"x{n}.xlsx", ["SAMSAT-PRV"], 2 + n * 3)
        laptop.ok("package", "export", mine, "--out", tmp_path / f"laptop-{n}.wbpkg")
    lead.ok("package", "import", db, tmp_path / "laptop-0.wbpkg")
    out = lead.ok("package", "import", db, tmp_path / "laptop-1.wbpkg")
    assert "3 versi bersaing dengan yang ada" in out
    with Workbook(db) as wb:
        assert {o.score for o in wb.observations.find(unit="SAMSAT-PRV", evaluator="Ani")} == {2}
        waiting = wb.observations.version_conflicts()
        assert [(c.unit, c.evaluator, c.here["score"], c.incoming["score"]) for c in waiting] == [
            ("SAMSAT-PRV", "Ani", 2, 5)] * 3
    conflicts = json.loads(lead.ok("conflicts", db, "--json"))
    assert {(c["unit"], c["kind"]) for c in conflicts} == {("SAMSAT-PRV", "version")}
    lead.ok("resolve", db, "--unit", "SAMSAT-PRV", "--indicator", "1.a.Ak", "--evaluator", "Ani", "--score", "5",
            "--reason", "ditelepon: laptop cadangan yang benar")
    with Workbook(db) as wb:
        assert wb.observations.get(unit="SAMSAT-PRV", indicator="1.a.Ak", evaluator="Ani").score == 5
        assert len(wb.observations.version_conflicts()) == 2
    assert lead.ok("check", db).strip().endswith(": baik")


def test_a_newer_kit_brings_new_units_and_loses_no_work(team, tmp_path):
    lead, db, kits = team
    ani = Laptop(tmp_path, "Ani")
    mine = ani.made_from(kits["Ani"])
    ani.scores(mine, tmp_path / "a.xlsx", ["SAMSAT-PRV"], 4)
    lead.ok("team", "assign", db, "--evaluator", "Ani", "--unit", "DUKCAPIL-KTA")
    lead.ok("team", "assign", db, "--evaluator", "Ani", "--unit", "SAMSAT-PRV", "--remove")  # reassigned
    lead.ok("period", "settings", db, "--set", "conflict_threshold=1")
    out = lead.ok("kit", "export", db, "--evaluator", "Ani", "--out", tmp_path / "kit-2.wbkit", passphrase=PASS)
    assert "kit nomor 2" in out and "baru, dibuat" not in out  # the laptop keeps its key
    out = ani.ok("kit", "import", mine, tmp_path / "kit-2.wbkit", passphrase=PASS)
    assert "diperbarui dari kit nomor 2" in out
    with ani.open(mine) as wb:
        assert wb.team.units_of("Ani") == ["DPMPTSP-KTA", "DUKCAPIL-KTA"]
        assert {o.score for o in wb.observations.find(unit="SAMSAT-PRV", evaluator="Ani")} == {4}  # kept
        assert wb.settings.get("conflict_threshold", wb.registry.period()) == "1"
    code, _, err = ani.run("kit", "import", mine, tmp_path / "kit-2.wbkit", passphrase=PASS)
    assert code == 1 and "tidak lebih baru dari kit nomor 2" in err
    code, _, err = ani.run("kit", "import", mine, kits["Ani"], passphrase="sandi-yang-salah")
    assert code == 1 and "kata sandi salah" in err


def test_a_lost_laptop_gets_a_new_key_and_its_work_back(team, tmp_path):
    lead, db, kits = team
    old = Laptop(tmp_path, "Ani")
    mine = old.made_from(kits["Ani"])
    old.scores(mine, tmp_path / "a.xlsx", ["SAMSAT-PRV"], 4)
    old.ok("package", "export", mine, "--out", tmp_path / "lama.wbpkg")
    lead.ok("package", "import", db, tmp_path / "lama.wbpkg")
    out = lead.ok("kit", "export", db, "--evaluator", "Ani", "--new-key", "--out", tmp_path / "baru.wbkit",
                  passphrase=PASS)
    assert "baru, dibuat untuk kit ini" in out
    new = Laptop(tmp_path / "laptop-pengganti", "Ani")
    fresh = new.home / "evaluasi.sqlite"
    assert "3 penilaian sebelumnya" in new.ok("kit", "import", fresh, tmp_path / "baru.wbkit", passphrase=PASS)
    new.scores(fresh, tmp_path / "b.xlsx", ["SAMSAT-PRV"], 5)
    new.ok("package", "export", fresh, "--out", tmp_path / "baru.wbpkg")
    assert "3 diperbarui" in lead.ok("package", "import", db, tmp_path / "baru.wbpkg")
    old.scores(mine, tmp_path / "c.xlsx", ["DPMPTSP-KTA"], 1)
    old.ok("package", "export", mine, "--out", tmp_path / "dari-yang-hilang.wbpkg")
    before = dump_file(db)
    code, _, err = lead.run("package", "import", db, tmp_path / "dari-yang-hilang.wbpkg")
    assert code == 1 and "padahal kunci yang terdaftar untuk Ani adalah" in err and dump_file(db) == before


def dump_file(db: Path) -> list[str]:
    with Workbook(db) as wb:
        return dump(wb)


KILLER = """
import sys
from workbench.usecases.kits import import_kit
import_kit(sys.argv[1], sys.argv[2], sys.argv[3])
print("done", flush=True)
"""


def test_a_kit_import_killed_at_any_moment_leaves_no_half_made_database(team, tmp_path):
    """kill -9 at ten moments of a kit import: the database is then absent or whole, never half-made; an
    import started again afterwards makes it whole."""
    lead, db, _ = team
    with Workbook(db, actor="Ketua") as wb:  # a heavier kit: many units and claims with their evidence files
        with wb.transaction():
            for n in range(300):
                wb.registry.add_unit(f"X{n:03d}", f"Unit {n}", "Instansi X")
            wb.team.assign([(f"X{n:03d}", "Citra") for n in range(300)])
            for n in range(0, 300, 3):
                wb.observations.save(unit=f"X{n:03d}", indicator="1.a.Ak", evaluator="Ketua", claim=3)
        photo = tmp_path / "bukti.jpg"
        for n in range(0, 60, 3):
            photo.write_bytes(b"\xff\xd8" + bytes([n]) * 200_000)
            wb.evidence.add(wb.observations.get(unit=f"X{n:03d}", indicator="1.a.Ak", evaluator="Ketua").uuid, photo)
    kit = tmp_path / "kit-citra.wbkit"
    lead.ok("kit", "export", db, "--evaluator", "Citra", "--out", kit, passphrase=PASS)
    citra = Laptop(tmp_path, "Citra")
    env = citra.env()

    def start(target: Path) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-c", KILLER, str(target), str(kit), PASS], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    began = time.monotonic()
    child = start(citra.home / "ukur.sqlite")
    assert child.wait(timeout=120) == 0, child.stderr.read().decode()
    whole = time.monotonic() - began
    halfway = 0
    for n in range(10):
        target = citra.home / f"laptop-{n}.sqlite"
        child = start(target)
        time.sleep(whole * (0.15 + 0.085 * n))
        child.send_signal(signal.SIGKILL)
        child.wait()
        partial = target.with_name(target.name + ".part")
        halfway += partial.exists()
        if target.exists():
            with citra.open(target) as wb:
                assert wb.maintenance.check() == [] and len(wb.team.units_of("Citra")) == 300
                assert wb.team.kit() is not None
        child = start(target if not target.exists() else citra.home / f"lagi-{n}.sqlite")
        assert child.wait(timeout=120) == 0, child.stderr.read().decode()
    assert halfway >= 3  # most kills landed while the database was being built beside its name
    assert not list(citra.home.glob("*.part"))


def test_a_kit_holds_only_what_its_evaluator_needs(team, tmp_path):
    lead, db, kits = team
    with Workbook(db, actor="Ketua") as wb:
        wb.observations.save(unit="DUKCAPIL-KTA", indicator="1.a.Ak", evaluator="Budi", score=5, notes="rahasia Budi")
        wb.certificates.init_keys("kunci-rahasia-kantor")
    lead.ok("kit", "export", db, "--evaluator", "Ani", "--out", tmp_path / "ani-2.wbkit", passphrase=PASS)
    from workbench.exchange.container import read_container
    from workbench.exchange.kit import KIT

    with read_container(tmp_path / "ani-2.wbkit", KIT, passphrase=PASS) as opened:
        text = json.dumps(opened.data)
        assert {u["code"] for u in opened.data["units"]} == {"DPMPTSP-KTA", "SAMSAT-PRV"}
        assert "DUKCAPIL" not in text and "rahasia Budi" not in text and "Budi" not in text
        assert "PRIVATE KEY" not in text  # the second kit: the laptop has its key already
    assert (tmp_path / "ani-2.wbkit").read_bytes().startswith(b"PEKPPP-SEALED-1")
    shutil.rmtree(tmp_path / "kit")
