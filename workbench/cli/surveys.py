"""Commands of the service users' surveys: skm, survey, sample."""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict

from workbench.cli.common import Commands, Handler, open_workbook, print_json, print_table
from workbench.domain.scoring import SKM_WEIGHT_MODES, SkmResult, krejcie_morgan
from workbench.errors import ValidationFailed
from workbench.exchange.observation_sheets import FileCheck
from workbench.exchange.report import ImportReport, write_problem_report
from workbench.i18n import tr
from workbench.surveys import FORMS


def _index(r: SkmResult) -> dict[str, object]:
    """The index of a result for --json: null while an unsur has no answer, `missing` naming those unsur."""
    return {"ikm": None if r.ikm is None else round(r.ikm, 4), "nik": r.nik, "missing": list(r.missing)}


def _shown(r: SkmResult) -> tuple[str, str, str, str]:
    """IKM (1-4), IKM (25-100), quality and performance for a table: dashes and why, while incomplete."""
    if r.ikm is None or r.nik is None or r.band is None:
        return "–", "–", "–", tr("belum lengkap: {missing} tanpa jawaban", missing=", ".join(r.missing))
    return f"{r.ikm:.3f}", f"{r.nik:.2f}", r.band.code, r.band.label


def cmd_skm(args: argparse.Namespace) -> None:
    with open_workbook(args) as wb:
        results = wb.surveys.ikm(wb.exchange.skm_responses(args.file), mode=args.weight_mode)
    if args.json:
        return print_json([{"unit": unit, "respondents": r.respondents,
                            "nrr": {k: round(v, 3) for k, v in r.nrr.items()}, "weight": r.weight, **_index(r),
                            "category": r.band and r.band.code, "label": r.band and r.band.label}
                           for unit, r in results.items()])
    print_table([(unit or "-", r.respondents, *_shown(r)) for unit, r in results.items()],
                [tr("unit"), tr("responden"), "IKM (1-4)", "IKM (25-100)", tr("mutu"), tr("kinerja")])


def cmd_survey_import(args: argparse.Namespace) -> int:
    with open_workbook(args) as wb:
        done = wb.exchange.import_survey(args.file, form=args.form, unit=args.unit, period=args.period,
                                         mapping=args.map or None, skip_invalid=args.skip_invalid,
                                         dry_run=args.dry_run, entry=args.entry)
    if args.report:
        write_problem_report(ImportReport([FileCheck(done.file.path, done.sha256, done.file.sheet,
                                                     problems=done.problems)]), args.report)
    for problem in done.problems[:200]:
        print(f"  {problem}", file=sys.stderr)
    if done.already_imported:
        print(tr("{file}: sudah pernah diimpor; tidak ada yang ditambahkan", file=done.file.path.name))
    else:
        print(tr("{file}: {added} responden {form}{note}", file=done.file.path.name, added=done.added,
                 form=args.form, note="" if done.written else tr("; TIDAK disimpan")))
    if done.problems and not args.skip_invalid:
        print(tr("galat: {message}", message=ValidationFailed(done.problems)), file=sys.stderr)
        return 1
    return 0


def cmd_survey_compare(args: argparse.Namespace) -> None:
    with open_workbook(args) as wb:
        found = wb.surveys.compare(args.period, unit=args.unit, form=args.form)
    if args.json:
        return print_json({"differences": [asdict(d) | {"sheet": d.code} for d in found.differences],
                           "waiting": found.waiting, "agreed": found.agreed, "decided": found.decided,
                           "operators": [asdict(r) | {"rate": round(r.rate, 4)} for r in found.rates]})
    if found.differences:
        print_table([(d.code, d.field, d.first, d.second, d.first_by, d.second_by) for d in found.differences],
                    [tr("lembar"), tr("butir"), tr("entri 1"), tr("entri 2"), tr("pengetik 1"), tr("pengetik 2")])
    else:
        print(tr("Tidak ada isian yang berbeda"))
    print(tr("{agreed} lembar sama, {decided} diputuskan, {different} berbeda, {waiting} menunggu entri kedua",
             agreed=found.agreed, decided=found.decided, waiting=sum(found.waiting.values()),
             different=len({d.code for d in found.differences})))
    for rate in found.rates:
        print(tr("{operator}: {sheets} lembar, {differing} dari {fields} isian berbeda ({rate:.1%})",
                 operator=rate.operator, sheets=rate.sheets, differing=rate.differing, fields=rate.fields,
                 rate=rate.rate))
    return None


def cmd_survey_reconcile(args: argparse.Namespace) -> None:
    values: dict[str, object] = {}
    for pair in args.set or []:
        name, _, value = pair.partition("=")
        values[name.strip()] = int(value) if value.strip().isdigit() else value.strip() or None
    with open_workbook(args) as wb:
        wb.surveys.reconcile(args.unit, args.sheet, form=args.form, values=values, reason=args.reason,
                             period=args.period)
    print(tr("Lembar {unit}/{form}/{sheet:04d} diputuskan", unit=args.unit, form=args.form, sheet=args.sheet))


def cmd_survey_results(args: argparse.Namespace) -> None:
    with open_workbook(args) as wb:
        waiting = wb.surveys.waiting(args.period, form=args.form)  # printed sheets not counted yet (double entry)
        if args.form != "skm":
            f03 = wb.surveys.f03_results(args.period, form=args.form)
            aspects = [code for code, *_ in getattr(wb.surveys.instrument(args.form), "aspects", ())]
            if args.json:
                return print_json([asdict(r) | {"waiting": waiting.get(r.unit, 0)} for r in f03])
            return print_table([(r.unit, r.respondents, f"{r.mean:.2f}" if r.mean is not None else "–",
                                 *(f"{r.aspects[a]:.2f}" if a in r.aspects else "–" for a in aspects),
                                 waiting.get(r.unit, 0)) for r in f03],
                               [tr("unit"), tr("responden"), tr("rata-rata"), *aspects, tr("menunggu")])
        inst = wb.surveys.instrument("skm")
        results = wb.surveys.results(args.period, mode=args.weight_mode)
        profiles = wb.surveys.profiles(args.period)
    names = {u.key: u.name for u in inst.unsur}
    if args.json:
        return print_json([{"unit": unit, "respondents": r.respondents,
                            "nrr": {k: round(v, 3) for k, v in r.nrr.items()},
                            "weighted_nrr": {k: round(v * r.weight, 4) for k, v in r.nrr.items()}, "weight": r.weight,
                            **_index(r), "mutu": r.band and r.band.code, "kinerja": r.band and r.band.label,
                            "lowest": r.lowest[0], "lowest_all": r.lowest, "profile": profiles.get(unit, {}),
                            "waiting": waiting.get(unit, 0)}
                           for unit, r in results.items()])
    print_table([(unit, r.respondents, *_shown(r), ", ".join(names[k] for k in r.lowest))
                 for unit, r in results.items()],
                [tr("unit"), tr("responden"), "IKM (1-4)", "IKM (25-100)", tr("mutu"), tr("kinerja"),
                 tr("unsur terendah")])


def cmd_survey_forms(args: argparse.Namespace) -> None:
    from workbench.usecases.reports import write_forms

    with open_workbook(args) as wb:
        sheets = write_forms(wb, args.unit, args.out, form=args.form, count=args.count, period=args.period)
    print(tr("{file}: {count} lembar kuesioner {form}, nomor {first} sampai {last}", file=args.out,
             count=len(sheets), form=args.form, first=sheets[0].serial, last=sheets[-1].serial))


def cmd_survey_report(args: argparse.Namespace) -> None:
    from workbench.usecases.reports import write_skm

    with open_workbook(args) as wb:
        path = write_skm(wb, args.unit, args.out, period=args.period)
    print(tr("Laporan SKM disimpan: {path}", path=path))


def cmd_survey_status(args: argparse.Namespace) -> None:
    with open_workbook(args) as wb:
        statuses = wb.surveys.status(args.period, form=args.form)
    if args.json:
        return print_json([asdict(s) | {"enough": s.enough, "over": s.over} for s in statuses])
    print_table([(s.unit, s.name, s.population or "–", s.sample or "–", s.collected,
                  tr("lebih dari {most}", most=s.maximum) if s.over else tr("cukup") if s.enough
                  else tr("kurang") if s.sample else "–") for s in statuses],
                [tr("unit"), tr("nama"), tr("populasi"), tr("sampel"), tr("terkumpul"), tr("keadaan")])


def cmd_survey_population(args: argparse.Namespace) -> None:
    with open_workbook(args) as wb:
        wb.surveys.set_population(args.unit, args.population, form=args.form, period=args.period)
    print(tr("{unit}: populasi {population}, sampel Krejcie-Morgan {sample}", unit=args.unit,
             population=args.population, sample=krejcie_morgan(args.population)))


def cmd_sample(args: argparse.Namespace) -> None:
    print(krejcie_morgan(args.population))



def register(cli: Commands) -> None:
    """Add this group's commands to the parser."""
    command, db_argument, period_option, json_option = cli.command, cli.db_argument, cli.period_option, cli.json_option
    survey_sub = cli.group("survey", tr("Survei: kuesioner SKM dan F-03 para pengguna layanan"))
    forms = list(FORMS)
    p = command("import", cmd_survey_import, tr("Impor kuesioner (xlsx, xls, ods, csv): satu baris satu responden"),
                survey_sub)
    db_argument(p)
    p.add_argument("file", metavar="FILE", help=tr("lembar kerja atau CSV kuesioner"))
    p.add_argument("--unit", metavar="CODE", help=tr("unit yang disurvei (bila berkas tidak punya kolom kode_unit)"))
    p.add_argument("--form", choices=forms, default="skm", help=tr("formulir (bawaan: skm)"))
    p.add_argument("--map", action="append", metavar="HEADER=FIELD",
                   help=tr("kolom berkas = kode butir atau data responden (boleh berulang)"))
    cli.checking_options(p, tr("lewati baris yang salah, impor sisanya"))
    p.add_argument("--entry", type=int, choices=(1, 2), default=1,
                   help=tr("2: ketikan kedua lembar cetak (entri ganda); kolom nomor menyebut lembarnya"))
    period_option(p)
    p = command("compare", cmd_survey_compare, tr("Entri ganda: beda antara dua ketikan setiap lembar, per butir"),
                survey_sub)
    db_argument(p)
    p.add_argument("--unit", metavar="CODE", help=tr("hanya unit ini"))
    p.add_argument("--form", choices=forms, help=tr("hanya formulir ini"))
    period_option(p)
    json_option(p)
    p = command("reconcile", cmd_survey_reconcile, tr("Putuskan isian lembar yang diketik berbeda, dari kertasnya"),
                survey_sub)
    db_argument(p)
    p.add_argument("--unit", metavar="CODE", required=True, help=tr("kode unit"))
    p.add_argument("--sheet", type=int, required=True, metavar="N", help=tr("nomor lembar"))
    p.add_argument("--form", choices=forms, default="skm", help=tr("formulir (bawaan: skm)"))
    p.add_argument("--set", action="append", metavar="FIELD=VALUE",
                   help=tr("isian menurut kertas, untuk setiap butir yang berbeda (boleh berulang)"))
    p.add_argument("--reason", required=True, help=tr("alasan (tercatat di log audit)"))
    period_option(p)
    p = command("results", cmd_survey_results, tr("IKM per unit (SKM) atau rata-rata F-03"), survey_sub)
    db_argument(p)
    p.add_argument("--form", choices=forms, default="skm", help=tr("formulir (bawaan: skm)"))
    p.add_argument("--weight-mode", choices=SKM_WEIGHT_MODES, help=tr("bobot unsur (bawaan: pengaturan)"))
    period_option(p)
    json_option(p)
    p = command("status", cmd_survey_status,
                tr("Responden terkumpul dibanding sampel (SKM: Krejcie-Morgan; F-03: 10-20 per unit)"), survey_sub)
    db_argument(p)
    p.add_argument("--form", choices=forms, default="skm", help=tr("formulir (bawaan: skm)"))
    period_option(p)
    json_option(p)
    def unit_pdf(name: str, handler: Handler, text: str) -> argparse.ArgumentParser:
        """A command that writes a PDF for one unit."""
        p = command(name, handler, text, survey_sub)
        db_argument(p)
        p.add_argument("--unit", metavar="CODE", required=True, help=tr("kode unit"))
        p.add_argument("--out", metavar="FILE.pdf", required=True, help=tr("berkas PDF yang ditulis"))
        period_option(p)
        return p

    p = unit_pdf("forms", cmd_survey_forms, tr("Cetak kuesioner kertas bernomor untuk sebuah unit (PDF A4)"))
    p.add_argument("--form", choices=forms, default="skm", help=tr("formulir (bawaan: skm)"))
    p.add_argument("--count", type=int, required=True, metavar="N", help=tr("jumlah lembar, bernomor lanjut"))
    unit_pdf("report", cmd_survey_report, tr("Laporan SKM sebuah unit (PDF)"))
    p = command("population", cmd_survey_population, tr("Catat populasi pengguna layanan unit dalam periode"),
                survey_sub)
    db_argument(p)
    p.add_argument("--unit", metavar="CODE", required=True, help=tr("kode unit"))
    p.add_argument("population", type=int, metavar="N", help=tr("jumlah pengguna layanan dalam periode"))
    p.add_argument("--form", choices=forms, default="skm", help=tr("formulir (bawaan: skm)"))
    period_option(p)
    p = command("skm", cmd_skm, tr("IKM dari lembar jawaban survei"))
    db_argument(p)
    p.add_argument("file", metavar="FILE", help=tr("lembar jawaban: satu baris per responden, kolom U1-U9"))
    p.add_argument("--weight-mode", choices=SKM_WEIGHT_MODES,
                   help=tr("bobot per unsur (bawaan: pengaturan basis data, awalnya exact)"))
    json_option(p)
    p = command("sample", cmd_sample, tr("Ukuran sampel Krejcie-Morgan untuk populasi"))
    p.add_argument("population", type=int, metavar="POPULATION", help=tr("jumlah pengguna layanan"))
