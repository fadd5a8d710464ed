"""Make the spreadsheet fixtures once, with openpyxl and LibreOffice; the test suite only reads them.

Run from the project folder: `.venv/bin/python tests/data/make_files.py` (needs `soffice`, and
msoffcrypto-tool for the password-protected file: `.venv/bin/pip install msoffcrypto-tool`).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from workbench import Workbook  # noqa: E402
from workbench.domain.instrument import load  # noqa: E402

PERIOD = "PEKPPP 2026"
UNITS = (("DPMPTSP-KTA", "DPMPTSP Kota Arga", "Pemerintah Kota Arga"),
         ("DUKCAPIL-KTA", "Disdukcapil Kota Arga", "Pemerintah Kota Arga"),
         ("SAMSAT-PRV", "Samsat Induk", "Pemerintah Provinsi Bahari"))
CODES = [i.code for i in load("pekppp-2022-a").indicators]


def soffice(source: Path, target_format: str, out_dir: Path) -> Path:
    """Convert with LibreOffice headless; returns the converted file."""
    subprocess.run(["soffice", "--headless", "--convert-to", target_format, "--outdir", str(out_dir), str(source)],
                   check=True, capture_output=True, timeout=180)
    suffix = "." + target_format.split(":")[0]
    return out_dir / (source.stem + suffix)


def ani_template(work: Path) -> Path:
    """Our template for evaluator Ani, filled in with openpyxl as an evaluator would in Excel."""
    db = work / "lead.sqlite"
    with Workbook.create(db, period=PERIOD) as wb:
        for code, name, institution in UNITS:
            wb.registry.add_unit(code, name, institution)
        wb.exchange.write_template(work / "evaluator-ani.xlsx", evaluator="Ani")
    book = openpyxl.load_workbook(work / "evaluator-ani.xlsx")
    sheet = book["Penilaian"]
    for row in range(2, sheet.max_row + 1):
        unit, indicator = sheet.cell(row, 1).value, sheet.cell(row, 3).value
        sheet.cell(row, 5).value = 5 if unit == "DPMPTSP-KTA" and indicator.startswith(("1.", "2.")) else 4
        if unit == "SAMSAT-PRV" and indicator == "30.f.B":
            sheet.cell(row, 5).value = None  # Ani did not score this one
    sheet["G2"] = "SP ditetapkan dengan SK Kepala Dinas"
    sheet["H2"] = "=Publikasikan di SIPPN"  # typed as text ('=...), must stay text all the way
    sheet["H2"].data_type = "s"
    sheet["I2"] = "lapangan"
    sheet["J2"] = "8 Maret 2026"
    sheet["F2"] = 5
    book.save(work / "evaluator-ani.xlsx")
    return work / "evaluator-ani.xlsx"


def budi_long(work: Path) -> Path:
    """A foreign long layout: title rows, Indonesian headers, untidy values."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Penilaian Budi"
    sheet.append(["REKAP PENILAIAN PEKPPP TAHUN 2026"])
    sheet.append(["Evaluator: Budi Santoso"])
    sheet.append([])
    sheet.append(["No", "Kode UPP", "Kode Indikator", "Skor Evaluator", "Penilai", "Keterangan", "Saran",
                  "Tanggal Penilaian", "Metode", "Klaim"])
    n = 0
    for code, _, _ in UNITS[:2]:
        for indicator in CODES:
            n += 1
            score: object = "4,0" if n % 3 == 0 else 4
            if code == "DPMPTSP-KTA" and indicator == "1.a.Ak":
                score = 1  # disagrees with Ani's 5 by 4 points
            sheet.append([n, f" {code.lower()} ", indicator, score, "Budi", "", "", 46089 if n % 2 else "9 Maret 2026",
                          "Verifikasi lapangan" if n % 2 else "desk", None])
    sheet.cell(5, 6).value = "SP belum ditetapkan, baru draf"
    book.save(work / "evaluator-budi-long.xlsx")
    return work / "evaluator-budi-long.xlsx"


def citra_wide(work: Path) -> Path:
    """A foreign wide layout: one row per unit, one column per indicator (code and text in the header)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Nilai"
    sheet.append(["Lembar Kerja Evaluasi - Citra"])
    sheet.append([])
    texts = {i.code: i.text for i in load("pekppp-2022-a").indicators}
    sheet.append(["Kode Unit", "Nama Unit", *(f"{c} {texts[c][:20]}" for c in CODES)])
    for code, name, _ in UNITS:
        sheet.append([code, name, *(3 if c == "1.a.Ak" else 4 for c in CODES)])
    book.save(work / "evaluator-citra-wide.xlsx")
    return work / "evaluator-citra-wide.xlsx"


def protected(work: Path) -> Path:
    """An xlsx encrypted with a password (as Excel's "Encrypt with password" makes it)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = citra_wide(work)
    target = work / "dilindungi-sandi.xlsx"
    with plain.open("rb") as source, target.open("wb") as out:
        OOXMLFile(source).encrypt("rahasia", out)
    return target


# F-03 A answers of four respondents of DPMPTSP-KTA: the means the tests expect are worked out by hand
F03A = [[5, 4, 5, 4, 4, 5, 5, 3, 4, 2, 4, 5, 4, 4],
        [4, 4, 5, 3, 4, 4, 5, 3, 3, 2, 3, 4, 4, 3],
        [5, 5, 5, 4, 5, 5, 4, 2, 4, 3, 4, 5, 5, 4],
        [4, 3, 5, 3, 3, 4, 4, 2, 3, 1, 3, 4, 3, 3]]


def survey_f03a(work: Path) -> Path:
    """F-03 A questionnaires as a field team types them: number, profile, one column per item code."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "F-03 A"
    sheet.append(["Rekap kuesioner F-03 A · DPMPTSP Kota Arga"])
    sheet.append(["No", "Jenis kelamin", "Usia", *(u.key for u in load("f03a-2022").unsur)])
    for n, answers in enumerate(F03A, start=1):
        sheet.append([n, "P" if n % 2 else "L", 20 + 7 * n, *answers])
    path = work / "survei-f03a.xlsx"
    book.save(path)
    return path


def register(work: Path) -> Path:
    """The unit register a lead imports (Berkas → Impor daftar unit), as the ministry's list comes."""
    return sheet(work / "daftar-unit.xlsx", "Lokus", [["Kode Unit", "Nama Unit", "Instansi"], *UNITS])


def assignments(work: Path) -> Path:
    """Who visits which unit (Progres tim → Tugaskan dari lembar): Ani all three, Budi two of them."""
    return sheet(work / "penugasan.xlsx", "Penugasan", [["Kode Unit", "Evaluator"], *([u[0], "Ani"] for u in UNITS),
                                                        ["DPMPTSP-KTA", "Budi"], ["DUKCAPIL-KTA", "Budi"]])


def sheet(path: Path, title: str, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    active = book.active
    assert active is not None
    active.title = title
    for row in rows:
        active.append(row)
    book.save(path)
    return path


def main() -> None:
    work = Path(tempfile.mkdtemp())
    makers = {
        "evaluator-ani-libreoffice.xlsx": lambda: soffice(ani_template(work), "xlsx", work / "lo"),
        "evaluator-budi-long.ods": lambda: soffice(budi_long(work), "ods", work / "lo"),
        "evaluator-citra-wide.xls": lambda: soffice(citra_wide(work), "xls:MS Excel 97", work / "lo"),
        "dilindungi-sandi.xlsx": lambda: protected(work),
        "survei-f03a.ods": lambda: soffice(survey_f03a(work), "ods", work / "lo"),
        "daftar-unit.xlsx": lambda: register(work),
        "penugasan.xlsx": lambda: assignments(work),
    }
    wanted = sys.argv[1:] or list(makers)  # names of the files to make again, or all of them
    outputs = {name: makers[name]() for name in wanted}
    for name, path in outputs.items():
        shutil.copyfile(path, HERE / name)
        print(HERE / name)


if __name__ == "__main__":
    main()
