"""The README's command lines run as written, in order, from an empty folder, with the exit status they state."""

import re
import shlex
import shutil
from pathlib import Path

from tests.helpers import DATA, HEAD, LEVELS, skm_responses, write_xlsx
from workbench.cli import main

ROOT = Path(__file__).resolve().parents[1]
MARK = "<!-- run: tests/test_readme.py -->"


def walkthrough() -> list[str]:
    """Every line of the shell blocks that follow the mark, in order."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    lines = []
    for part in text.split(MARK)[1:]:
        block = re.search(r"```sh\n(.*?)```", part, re.S)
        assert block, "a marked block must be a shell block"
        lines += [line for line in block.group(1).splitlines() if line.strip()]
    return lines


def files(folder: Path) -> None:
    """The files the README names, made from the test data."""
    shutil.copyfile(DATA / "evaluator-ani-libreoffice.xlsx", folder / "ani.xlsx")
    shutil.copyfile(DATA / "evaluator-budi-long.ods", folder / "budi.ods")
    shutil.copyfile(DATA / "evaluator-citra-wide.xls", folder / "citra.xls")
    shutil.copyfile(DATA / "daftar-unit.xlsx", folder / "lokus.xlsx")
    shutil.copyfile(DATA / "penugasan.xlsx", folder / "penugasan.xlsx")
    write_xlsx(folder / "salah.xlsx", [["kode_unit", "kode_indikator", "nilai", "evaluator"],
                                       ["DPMPTSP-KTA", "1.a.Ak", 9, "Dedi"]])
    order = ["persyaratan", "prosedur", "waktu", "biaya", "produk", "kompetensi", "perilaku", "pengaduan", "sarana"]
    write_xlsx(folder / "jawaban-skm.xlsx", [["kode_unit", *[f"U{n}" for n in range(1, 10)]],
                                             *[["SAMSAT-PRV", *[r[k] for k in order]] for r in skm_responses()]])
    shutil.copyfile(DATA / "survei-f03a.ods", folder / "f03a.ods")
    from tests.helpers import excel_csv, published_example

    excel_csv(folder / "skm-loket.csv", published_example())
    write_xlsx(folder / "instrumen.xlsx", [HEAD, ["K", "Kebijakan", "60%", "K1", "Standar pelayanan", 1, *LEVELS],
                                           ["S", "SDM", 0.4, "S1", "Kode etik", 1, *LEVELS]])


def test_the_readme_walkthrough_runs(tmp_path, monkeypatch, capsys):
    files(tmp_path)
    monkeypatch.chdir(tmp_path)
    lines = walkthrough()
    assert len(lines) > 25
    ran = []
    for line in lines:
        comment = line[line.index(" #"):] if " #" in line else ""
        words = shlex.split(line, comments=True)
        if not words:
            continue  # a comment of its own
        if words[:1] == ["export"]:
            name, _, value = words[1].partition("=")
            monkeypatch.setenv(name, value)
            continue
        with monkeypatch.context() as this_line:
            while "=" in words[0]:  # VAR=value before the command holds for that command only
                name, _, value = words.pop(0).partition("=")
                this_line.setenv(name, value)
            assert words[0] == "workbench", line
            expected = 1 if "exit 1" in comment else 0
            code = main(words[1:])
        out, err = capsys.readouterr()
        assert code == expected, f"{line}\n{out}\n{err}"
        ran.append(words[1])
    assert {"init", "import", "package", "status", "resolve", "finalize", "certificates", "verify", "revoke",
            "reports", "period", "team", "kit"} <= set(ran)
    assert (tmp_path / "piagam" / "piagam-semua.pdf").exists() and (tmp_path / "laporan" / "rekapitulasi.pdf").exists()
