"""What many tests share: the fixture files and their units, a database's contents as SQL, scoring a unit,
writing a sheet, running the command line, and the published SKM example."""

import csv
from pathlib import Path

import openpyxl

from workbench.cli import main
from workbench.domain.instrument import load

DATA = Path(__file__).resolve().parent / "data"


# the units of the spreadsheet fixtures in tests/data (made by tests/data/make_files.py)


UNITS = (("DPMPTSP-KTA", "DPMPTSP Kota Arga", "Pemerintah Kota Arga"),
         ("DUKCAPIL-KTA", "Disdukcapil Kota Arga", "Pemerintah Kota Arga"),
         ("SAMSAT-PRV", "Samsat Induk", "Pemerintah Provinsi Bahari"))


def dump(wb):
    """The whole database as SQL, to show that a refused operation changed nothing."""
    return list(wb.store.conn.iterdump())


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


def run(capsys, *argv):
    """Run the command line in this process: its exit code, standard output and standard error."""
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


# the published SKM example of docs/rules.md: 29 respondents, sums per unsur 105/101/100/116/102/105/106/105/115


SKM_SUMS = {"persyaratan": 105, "prosedur": 101, "waktu": 100, "biaya": 116, "produk": 102, "kompetensi": 105,
            "perilaku": 106, "pengaduan": 105, "sarana": 115}


def skm_responses(n=29, sums=SKM_SUMS):
    """n respondents whose answers add up to `sums` per unsur."""
    responses = [{} for _ in range(n)]
    for key, total in sums.items():
        base, extra = divmod(total, n)
        for i, response in enumerate(responses):
            response[key] = base + (1 if i < extra else 0)
    return responses


HEAD = ["Kode Aspek", "Nama Aspek", "Bobot Aspek", "Kode Indikator", "Nama Indikator", "Bobot Indikator",
        "Level 0", "Level 1", "Level 2", "Level 3", "Level 4", "Level 5"]


LEVELS = ["tidak ada", "sedikit", "sebagian", "cukup", "hampir", "penuh"]


def published_example() -> list[dict[str, int]]:
    """29 respondents whose answers add up to SKM_SUMS: so many 4s, the rest 3s."""
    return [{key: 4 if n < total - 3 * 29 else 3 for key, total in SKM_SUMS.items()} for n in range(29)]


def excel_csv(path, respondents, *, encoding="cp1252", bom=False):
    """A CSV as Indonesian Excel saves it: ';' between cells, decimal commas, Windows-1252."""
    with path.open("w", encoding=encoding, newline="") as handle:
        if bom:
            handle.write("\ufeff")
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["No", "Nama responden", "Jenis Kelamin", "Umur", *(f"U{n}" for n in range(1, 10))])
        for n, answers in enumerate(respondents, start=1):
            writer.writerow([n, "Désiré" if n == 1 else f"Responden {n}", "L" if n % 2 else "P", 30 + n,
                             *(f"{answers[u.key]},0" for u in load("skm-2017").unsur)])
    return path
