"""Excel round trip with real files: templates resaved by LibreOffice, .ods, .xls, foreign layouts."""

import csv
import shutil

import openpyxl
import pytest

from tests.helpers import DATA, dump, write_xlsx
from workbench.errors import SheetError
from workbench.observations import KEY_SQL


def by_key(wb, evaluator):
    return {(o.unit, o.indicator): o for o in wb.observations.find(evaluator=evaluator)}


def test_template_is_a_real_excel_form(lead, tmp_path):
    out = tmp_path / "templat-ani.xlsx"
    assert lead.exchange.write_template(out, evaluator="Ani", units=["samsat-prv"]) == 31
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Petunjuk", "Penilaian", "Rubrik", "_workbench"]
    assert book["_workbench"].sheet_state == "hidden" and book.active.title == "Penilaian"
    entry = book["Penilaian"]
    assert [c.value for c in entry[1]] == ["Kode Unit", "Nama Unit", "Kode Indikator", "Uraian Indikator", "Nilai",
                                           "Klaim Unit", "Catatan", "Rekomendasi", "Metode", "Tanggal"]
    assert entry.freeze_panes == "A2" and entry.protection.sheet
    assert entry["A2"].protection.locked and not entry["E2"].protection.locked
    assert entry.column_dimensions["D"].width >= 50
    validations = {str(v.sqref): v.formula1 for v in entry.data_validations.dataValidation}
    assert validations == {"E2:E32 F2:F32": '"0,1,2,3,4,5"', "I2:I32": '"desk,lapangan,wawancara"'}
    meta = {r[0].value: r[1].value for r in book["_workbench"].iter_rows()}
    assert (meta["evaluator"], meta["period"], meta["instrument"], meta["database"]) == (
        "Ani", "PEKPPP 2026", "pekppp-2022-a", lead.identity)
    assert "Tidak ada Standar Pelayanan" in [c.value for c in book["Rubrik"][2]]
    assert "PETUNJUK" in book["Petunjuk"]["A1"].value


def test_three_evaluators_from_libreoffice_ods_and_xls_merged_with_a_conflict_resolved(lead):
    result = lead.exchange.import_observations([DATA / "evaluator-ani-libreoffice.xlsx",
                                                DATA / "evaluator-budi-long.ods"])
    assert result.written and result.problems == []
    assert [(f.layout, f.sheet, len(f.rows)) for f in result.files] == [("template", "Penilaian", 92),
                                                                          ("long", "Penilaian Budi", 62)]
    result = lead.exchange.import_observations([DATA / "evaluator-citra-wide.xls"], evaluator="Citra")
    assert (result.files[0].layout, result.added) == ("wide", 93)
    # the results read from the totals each import keeps are those the observations give
    assert lead.results.scores() == lead.results.scores(exact=True)

    ani, budi = by_key(lead, "Ani"), by_key(lead, "Budi")
    assert ani[("DPMPTSP-KTA", "1.a.Ak")].score == 5
    first = ani[("DUKCAPIL-KTA", "1.a.Ak")]  # the template's first row: units by institution, then name
    assert (first.score, first.claim, first.method, first.observed_on, first.source) == (4, 5, "field", "2026-03-08",
                                                                                         "file")
    assert first.notes == "SP ditetapkan dengan SK Kepala Dinas"
    # the file's rows are logged as one batch; the history still tells who brought each and from which file
    assert [(e["actor"], e["field"], e["old"], e["new"], e["reason"]) for e in lead.observations.history(
        [first.uuid])] == [("Ketua", "key", None, lead.store.one(KEY_SQL + " WHERE o.uuid = ?", (first.uuid,))[1],
                            "impor evaluator-ani-libreoffice.xlsx"),
                           ("Ketua", "score", None, "4", "impor evaluator-ani-libreoffice.xlsx")]
    assert first.recommendation == "=Publikasikan di SIPPN"  # text that looks like a formula stays text
    assert ("SAMSAT-PRV", "30.f.B") not in ani  # left empty in the template
    # Budi's untidy values: " dpmptsp-kta " codes, "4,0" scores, Excel serial and Indonesian dates, methods
    assert budi[("DPMPTSP-KTA", "2.a.P")].observed_on == "2026-03-09"
    assert budi[("DPMPTSP-KTA", "1.a.Ak")].observed_on == "2026-03-08"
    assert budi[("DPMPTSP-KTA", "3.a.T")].score == 4 and budi[("DPMPTSP-KTA", "2.a.P")].method == "desk"
    assert budi[("DPMPTSP-KTA", "1.a.Ak")].notes == "SP belum ditetapkan, baru draf"

    conflicts = lead.conflicts.open()
    assert [(c.unit, c.indicator, c.scores) for c in conflicts] == [
        ("DPMPTSP-KTA", "1.a.Ak", {"Ani": 5, "Budi": 1, "Citra": 3})]
    assert {r.unit: r.conflicts for r in lead.results.scores()}["DPMPTSP-KTA"] == 1
    lead.conflicts.resolve(unit="DPMPTSP-KTA", indicator="1.a.Ak", score=4, reason="SK ada, publikasi belum lengkap")
    assert lead.conflicts.open() == []
    unit = {r.unit: r for r in lead.results.scores()}["DPMPTSP-KTA"]
    assert unit.conflicts == 0 and unit.evaluators == 3
    assert lead.results.scores() == lead.results.scores(exact=True)
    agreement = lead.conflicts.agreement()
    assert agreement.items == 60 + 29 and set(agreement.evaluators) == {"Ani", "Budi", "Citra"}
    assert agreement.evaluators["Budi"] > 0 and agreement.overall is not None
    assert lead.maintenance.check() == []


def test_importing_the_same_file_again_adds_nothing(lead):
    first = lead.exchange.import_observations([DATA / "evaluator-budi-long.ods"])
    again = lead.exchange.import_observations([DATA / "evaluator-budi-long.ods"])
    assert first.added == 62 and again.files[0].already_imported and (again.added, again.updated) == (0, 0)
    copy = lead.exchange.import_observations([DATA / "evaluator-budi-long.ods"], dry_run=True)
    assert copy.files[0].already_imported


def test_a_changed_row_from_the_same_evaluator_updates_and_is_audited(lead, tmp_path):
    lead.exchange.import_observations([DATA / "evaluator-budi-long.ods"])
    changed = write_xlsx(tmp_path / "budi-revisi.xlsx", [
        ["kode_unit", "kode_indikator", "nilai", "evaluator", "catatan"],
        ["DPMPTSP-KTA", "1.a.Ak", 2, "Budi", "SP sudah ditetapkan"],
        ["DPMPTSP-KTA", "2.a.P", 4, "Budi", ""]])
    result = lead.exchange.import_observations([changed])
    assert (result.added, result.updated, result.unchanged) == (0, 1, 1)
    obs = lead.observations.get(unit="DPMPTSP-KTA", indicator="1.a.Ak", evaluator="Budi")
    assert (obs.score, obs.notes, obs.version) == (2, "SP sudah ditetapkan", 2)
    last = lead.audit.entries(obs.uuid)[-1]
    assert (last["old"], last["new"], last["reason"], last["actor"]) == ("1", "2", "impor budi-revisi.xlsx", "Ketua")
    row = lead.store.conn.execute("SELECT source_sha256, source_sheet, source_row FROM observations WHERE uuid = ?",
                            (obs.uuid,)).fetchone()
    assert row[1:] == ("Data", 2) and len(row[0]) == 64


def test_every_problem_is_reported_and_nothing_is_written(lead, tmp_path):
    bad = write_xlsx(tmp_path / "salah.xlsx", [
        ["Rekap evaluator"], [],
        ["Kode Unit", "Kode Indikator", "Nilai", "Penilai", "Tanggal"],
        ["DPMPTSP-KTB", "1.a.Ak", 4, "Dedi", ""],
        ["DPMPTSP-KTA", "1.a.AK2", 4, "Dedi", ""],
        ["DPMPTSP-KTA", "2.a.P", 7, "Dedi", ""],
        ["DPMPTSP-KTA", "3.a.T", 3, "Dedi", "31 Februari 2026"],
        ["DPMPTSP-KTA", "4.a.K", 3, "Dedi", ""],
        ["DPMPTSP-KTA", "4.a.K", 2, "Dedi", ""],
        ["SAMSAT-PRV", "4.a.K", "tiga", "Dedi", ""],
        ["SAMSAT-PRV", "5.a.K", 3, "Dedi", ""]], title="Dedi")
    before = dump(lead)
    result = lead.exchange.import_observations([bad])
    assert not result.written and dump(lead) == before
    assert [(p.location.row, p.location.column, p.value, p.reason) for p in result.problems] == [
        (4, "A (Kode Unit)", "DPMPTSP-KTB", "Kode unit tidak dikenal: DPMPTSP-KTB (maksud Anda DPMPTSP-KTA?)"),
        (5, "B (Kode Indikator)", "1.a.AK2", "Kode indikator tidak dikenal: 1.a.AK2 (maksud Anda 1.a.Ak?)"),
        (6, "C (Nilai)", "7", "7 di luar skala 0-5"),
        (7, "E (Tanggal)", "31 Februari 2026", "'31 Februari 2026' bukan tanggal (contoh: 28-11-2026, 8 Maret 2022)"),
        (9, "B (Kode Indikator)", "DPMPTSP-KTA", "kode 'DPMPTSP-KTA' sudah ada di baris 8"),
        (10, "C (Nilai)", "tiga", "'tiga' bukan angka; diharapkan 0-5"),
    ]
    assert str(result.problems[0]).startswith("salah.xlsx, lembar 'Dedi', baris 4, kolom A (Kode Unit): ")
    skipped = lead.exchange.import_observations([bad], skip_invalid=True)
    assert skipped.written and (skipped.added, skipped.skipped_rows) == (2, 6)
    assert sorted(o.indicator for o in lead.observations.find(evaluator="Dedi")) == ["4.a.K", "5.a.K"]


def test_missing_evaluator_and_missing_columns(lead, tmp_path):
    no_evaluator = write_xlsx(tmp_path / "tanpa-penilai.xlsx", [["kode_unit", "kode_indikator", "nilai"],
                                                               ["SAMSAT-PRV", "1.a.Ak", 3]])
    result = lead.exchange.import_observations([no_evaluator])
    assert "diharapkan evaluator" in str(result.problems[0]) and not result.written
    assert lead.exchange.import_observations([no_evaluator], evaluator="Eka").added == 1
    no_score = write_xlsx(tmp_path / "tanpa-nilai.xlsx", [["kode_unit", "kode_indikator"], ["SAMSAT-PRV", "1.a.Ak"]])
    with pytest.raises(SheetError, match="tidak ditemukan baris judul dengan kolom kode_unit, kode_indikator, nilai"):
        lead.exchange.import_observations([no_score], evaluator="Eka")


def test_column_mapping_is_applied_and_remembered(lead, tmp_path):
    odd = write_xlsx(tmp_path / "format-lain.xlsx", [["Unit Kerja ID", "Butir", "Skor Akhir"],
                                                     ["SAMSAT-PRV", "1.a.Ak", 3]])
    with pytest.raises(SheetError):
        lead.exchange.import_observations([odd], evaluator="Eka")
    result = lead.exchange.import_observations([odd], evaluator="Eka", mapping=["Unit Kerja ID=kode_unit",
                                                                       "Butir=kode_indikator", "Skor Akhir=nilai"])
    assert result.added == 1
    again = write_xlsx(tmp_path / "format-lain-2.xlsx", [["Unit Kerja ID", "Butir", "Skor Akhir"],
                                                         ["SAMSAT-PRV", "2.a.P", 4]])
    assert lead.exchange.import_observations([again], evaluator="Eka").added == 1  # no mapping given: remembered


@pytest.mark.parametrize("make, message", [
    (lambda p: p.write_text("kode_unit,nilai\nU1,4\n"), "bukan lembar kerja yang dapat dibaca"),
    (lambda p: p.write_bytes((DATA / "evaluator-ani-libreoffice.xlsx").read_bytes()[:6000]),
     "bukan lembar kerja yang dapat dibaca"),
    (lambda p: write_xlsx(p, []), "lembar kosong"),
    (lambda p: shutil.copyfile(DATA / "dilindungi-sandi.xlsx", p), "dilindungi kata sandi"),
])
def test_bad_files_give_one_clear_error_and_change_nothing(lead, tmp_path, make, message):
    path = tmp_path / "berkas.xlsx"
    make(path)
    before = dump(lead)
    with pytest.raises(SheetError, match=message) as caught:
        lead.exchange.import_observations([path], evaluator="Eka")
    assert str(caught.value).startswith("berkas.xlsx") and "\n" not in str(caught.value)
    assert dump(lead) == before


def test_problem_report_as_csv_and_xlsx(lead, tmp_path):
    from workbench.exchange.report import write_problem_report

    bad = write_xlsx(tmp_path / "salah.xlsx", [["kode_unit", "kode_indikator", "nilai", "evaluator"],
                                               ["X-1", "1.a.Ak", 4, "Dedi"]])
    result = lead.exchange.import_observations([bad])
    with write_problem_report(result, tmp_path / "laporan.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][0] == "berkas" and rows[1][:4] == ["salah.xlsx", "Data", "2", "A (kode_unit)"]
    book = openpyxl.load_workbook(write_problem_report(result, tmp_path / "laporan.xlsx"))
    assert book["Masalah"]["F2"].value.startswith("Kode unit tidak dikenal: X-1")


def test_export_writes_recap_aspects_conflicts_and_never_a_formula(lead, tmp_path):
    lead.exchange.import_observations([DATA / "evaluator-ani-libreoffice.xlsx", DATA / "evaluator-budi-long.ods"])
    lead.observations.save(unit="SAMSAT-PRV", indicator="1.a.Ak", evaluator="Ani", notes="=HYPERLINK(\"x\")")
    lead.registry.add_unit("@EVIL", "+cmd|' /C calc'!A0", "-Instansi")
    lead.settings.set("conflict_threshold", 1, lead.registry.period())  # 2.a.P (5 and 4) stays open
    lead.conflicts.resolve(unit="DPMPTSP-KTA", indicator="1.a.Ak", score=3, reason="Rapat panel", actor="Sari")
    out = lead.exchange.export_results(tmp_path / "rekap.xlsx")
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Rekap", "Aspek I", "Aspek II", "Aspek III", "Aspek IV", "Aspek V", "Aspek VI",
                               "Konflik", "Kesepakatan"]
    recap = book["Rekap"]
    assert recap.freeze_panes == "A2" and recap["B1"].value == "Kode Unit"
    rows = {r[1].value: r for r in recap.iter_rows(min_row=2)}
    # mean of Ani and Budi: 1.a.Ak (5+1)/2 = 3, 2.a.P (5+4)/2 = 4.5, the rest 4: 4 - 0.0408 + 0.0168 = 3.98
    assert rows["DPMPTSP-KTA"][10].value == 3.98 and rows["DPMPTSP-KTA"][11].value == "B"
    evil = rows["@EVIL"]
    assert [(c.value, c.data_type) for c in evil[1:4]] == [("@EVIL", "s"), ("+cmd|' /C calc'!A0", "s"),
                                                          ("-Instansi", "s")]
    conflicts = [[c.value for c in row] for row in book["Konflik"].iter_rows(min_row=1)]
    assert conflicts[0][5:] == ["Nilai kesepakatan", "Alasan", "Disepakati oleh", "Waktu (UTC)"]
    agreed = next(r for r in conflicts if r[:2] == ["DPMPTSP-KTA", "1.a.Ak"])
    assert agreed[2:4] == ["Ani: 5; Budi: 1", 4] and agreed[5:8] == [3, "Rapat panel", "Sari"]
    assert agreed[8].startswith("20")  # when, to the second
    still_open = next(r for r in conflicts if r[:2] == ["DPMPTSP-KTA", "2.a.P"])
    assert still_open[5:] == [None, "belum disepakati", None, None]
    assert book["Aspek I"]["C1"].value == "1.a.Ak"
    assert book["Kesepakatan"]["A2"].value == "Keseluruhan"


def test_the_command_line_and_the_app_write_the_same_audit_entries_in_either_language(tmp_path, capsys):
    """One path for one job: `workbench import` (here in English) and the import wizard's use case (here in
    Indonesian) store the same entries, in the source language, whatever the screen spoke."""
    from tests.helpers import UNITS, run
    from workbench import Workbook, i18n
    from workbench.usecases.imports import import_files

    files = [DATA / "evaluator-ani-libreoffice.xlsx", DATA / "evaluator-budi-long.ods"]
    made = []
    for name in ("cli", "app"):
        with Workbook.create(tmp_path / f"{name}.sqlite", period="PEKPPP 2026", actor="Sari") as wb:
            for unit in UNITS:
                wb.registry.add_unit(*unit)
        made.append(tmp_path / f"{name}.sqlite")
    i18n.set_language("en")  # as WORKBENCH_LANG=en sets it
    try:
        code, out, _ = run(capsys, "import", made[0], *files, "--as", "Sari")
        assert code == 0 and "154 added" in out  # the command line spoke English
    finally:
        i18n.set_language("id")
    with Workbook(made[1], actor="Sari") as wb:
        assert import_files(wb, files).written
    entries, merged = [], []
    for path in made:
        with Workbook(path) as wb:
            # a batch's digest covers its observations' uuids, new in each database: compared below by content
            entries.append(sorted((e["actor"], e["entity"], e["field"], e["old"] or "",
                                   "" if e["entity"] == "observation_batch" else e["new"] or "", e["reason"] or "")
                                  for e in wb.audit.entries() if e["entity"] != "setting"))
            merged.append(sorted((o.unit, o.indicator, o.evaluator, o.score, o.notes, o.status, o.version)
                                 for o in wb.observations.find()))
    assert entries[0] == entries[1] and merged[0] == merged[1] and len(merged[0]) == 154
    assert [e[5] for e in entries[0] if e[1] == "observation_batch"] == [
        "impor evaluator-ani-libreoffice.xlsx", "impor evaluator-budi-long.ods"]  # not "import ..."


def test_an_imported_sheet_gives_what_typing_each_value_gives(lead, tmp_path):
    """The import's fast path (each column checked once per distinct value, new rows written in one statement
    and logged as one batch) against the row-by-row audited path of the entry screen: the same observations,
    results and history, and both databases check clean."""
    from tests.helpers import UNITS
    from workbench import Workbook

    rows = [["Kode Unit", "Kode Indikator", "Nilai", "Penilai", "Catatan", "Rekomendasi", "Metode", "Tanggal"]]
    codes = [i.code for i in lead.registry.instrument(lead.registry.period().instrument_id).indicators]
    for n, (unit, indicator) in enumerate((u[0], c) for u in UNITS for c in codes):
        rows.append([unit, indicator, n % 6, ("Ani", "Budi")[n % 2], f"catatan {n % 4}" if n % 3 else "",
                     "Perbaiki SOP" if n % 5 == 0 else "", ("desk", "lapangan", "wawancara")[n % 3],
                     "2026-03-08" if n % 2 else "8 Maret 2026"])
    sheet = write_xlsx(tmp_path / "penilaian.xlsx", rows, title="Penilaian")
    imported = lead.exchange.import_observations([sheet])
    assert imported.written and imported.added == len(rows) - 1
    typed = Workbook.create(tmp_path / "diketik.sqlite", period="PEKPPP 2026", actor="Ketua")
    for unit in UNITS:
        typed.registry.add_unit(*unit)
    unit_code = {unit_id: code for code, unit_id in lead.registry.unit_ids().items()}
    indicator_code = {ind_id: code for code, ind_id in lead.registry.indicator_ids("pekppp-2022-a").items()}
    with typed.transaction():
        for row in imported.files[0].rows:  # each checked row of the sheet, typed as on the entry screen
            typed.observations.save(unit=unit_code[row.unit_id], indicator=indicator_code[row.indicator_id],
                                    evaluator=row.evaluator, **row.values)

    def seen(wb):
        found = sorted((o.unit, o.indicator, o.evaluator, o.score, o.claim, o.notes, o.recommendation, o.method,
                        o.observed_on, o.status, o.version) for o in wb.observations.find())
        history = sorted((o.unit, o.indicator, o.evaluator, e["actor"], e["field"], e["old"], e["new"])
                         for o in wb.observations.find() for e in wb.observations.history([o.uuid])
                         if e["field"] != "key")
        return found, history, wb.results.scores(), wb.maintenance.check()

    assert seen(lead) == seen(typed)
    assert seen(lead)[3] == [] and len(seen(lead)[1]) >= len(rows) - 1
    typed.close()
