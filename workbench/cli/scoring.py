"""Commands of the lead's scoring work: import, status, conflicts, resolve, finalize, scores, export, reports."""

from __future__ import annotations

import argparse
import csv
import sys
from dataclasses import asdict

from workbench.certificates.service import REASONS
from workbench.cli.common import Commands, actor, import_report, open_workbook, print_json, print_table
from workbench.domain.values import STATUS_LABELS
from workbench.errors import WorkbenchError
from workbench.exchange.cells import csv_safe
from workbench.i18n import tr
from workbench.usecases.imports import affected_certificates, import_files


def cmd_import(args: argparse.Namespace) -> int:
    with open_workbook(args) as wb:
        result = import_files(wb, args.files, period=args.period, evaluator=args.evaluator,
                              mapping=args.map or None, skip_invalid=args.skip_invalid, dry_run=args.dry_run,
                              final=args.final)
        standing = affected_certificates(wb, result)
    return import_report(args, result, standing)


def cmd_status(args: argparse.Namespace) -> None:
    with open_workbook(args) as wb:
        statuses = wb.certificates.readiness(args.period)
    if args.json:
        return print_json([{"unit": s.unit, "name": s.name, "institution": s.institution, "ipp": s.ipp,
                            "category": s.category, "label": s.label, "conflicts": s.conflicts, "ready": s.ready,
                            "reasons": s.reasons, "certificate": s.certificate,
                            "evaluators": [{"name": e.unit, "scored": e.scored, "total": e.total, "status": e.status}
                                           for e in s.evaluators]} for s in statuses])
    print_table([(s.unit, ", ".join(f"{e.unit} {e.scored}/{e.total} {tr(STATUS_LABELS[e.status])}"
                           for e in s.evaluators) or "-",
                  s.conflicts or "", "-" if s.ipp is None else f"{s.ipp:.2f}", s.category or "-",
                  s.certificate or (tr("siap") if s.ready else "; ".join(tr(REASONS[r]) for r in s.reasons)))
                 for s in statuses],
                [tr("unit"), tr("evaluator"), tr("konflik"), "IPP", tr("kat."), tr("piagam")])


def cmd_conflicts(args: argparse.Namespace) -> None:
    with open_workbook(args) as wb:
        conflicts = wb.conflicts.listed(args.period, which="all" if args.all else "open")
        versions = wb.observations.version_conflicts(args.period)
    if args.json:
        return print_json([{"kind": "scores", "unit": c.unit, "indicator": c.indicator, "scores": c.scores,
                            "spread": c.spread, "notes": c.notes, "agreed": c.agreed and asdict(c.agreed)}
                           for c in conflicts]
                          + [{"kind": "version", "unit": v.unit, "indicator": v.indicator, "evaluator": v.evaluator,
                              "version": v.version, "here": v.here, "incoming": v.incoming, "package": v.package,
                              "received_at": v.received_at} for v in versions])
    print_table([(c.unit, c.indicator, ", ".join(f"{e}: {s}" for e, s in c.scores.items()), c.spread,
                  *([tr("{score} ({who}: {reason})", score=c.agreed.score, who=c.agreed.decided_by,
                        reason=c.agreed.reason[:40]) if c.agreed else "-"] if args.all else []),
                  " | ".join(f"{e}: {n}" for e, n in c.notes.items() if n)[:80]) for c in conflicts],
                [tr("unit"), tr("indikator"), tr("nilai"), tr("selisih"), *([tr("disepakati")] if args.all else []),
                 tr("catatan")])
    if versions:
        print()
        print(tr("Versi bersaing dari paket (putuskan dengan workbench resolve ... --evaluator NAMA):"))
        print_table([(v.unit, v.indicator, v.evaluator, v.here["score"], v.incoming.get("score"), v.version,
                      v.package) for v in versions],
                    [tr("unit"), tr("indikator"), tr("evaluator"), tr("di sini"), tr("di paket"), tr("versi"),
                     tr("paket")])


def cmd_resolve(args: argparse.Namespace) -> None:
    with open_workbook(args) as wb:
        if args.evaluator:
            wb.observations.settle_version(unit=args.unit, indicator=args.indicator, evaluator=args.evaluator,
                                           score=args.score, reason=args.reason, period=args.period)
        else:
            wb.conflicts.resolve(unit=args.unit, indicator=args.indicator, score=args.score, reason=args.reason,
                                 period=args.period)
    print(tr("{unit} {indicator} = {score}: disepakati", unit=args.unit, indicator=args.indicator, score=args.score))


def cmd_finalize(args: argparse.Namespace) -> int:
    if not args.unit and not args.all:
        raise WorkbenchError("Sebutkan --unit KODE (boleh berulang) atau --all")
    with open_workbook(args) as wb:
        done = wb.observations.finalize(period=args.period, units=args.unit, evaluator=args.evaluator,
                                        actor=actor(args))
    for (unit, evaluator), missing in done.refused.items():
        print(tr("{unit} / {evaluator}: belum dapat difinalkan, {count} indikator belum dinilai ({codes})",
                 unit=unit, evaluator=evaluator, count=len(missing),
                 codes=", ".join(missing[:12]) + (" …" if len(missing) > 12 else "")))
    print(tr("{count} observasi final ({pairs} unit × evaluator); {refused} belum lengkap", count=done.observations,
             pairs=done.pairs, refused=len(done.refused)))
    return 1 if done.refused and not done.pairs else 0


def cmd_export(args: argparse.Namespace) -> None:
    with open_workbook(args) as wb:
        out = wb.exchange.export_results(args.out, args.period)
    print(tr("{file}: rekap hasil ditulis", file=out))


def cmd_scores(args: argparse.Namespace) -> None:
    with open_workbook(args) as wb:
        results = wb.results.scores(args.period, by_evaluator=args.by_evaluator)
    records = [{"unit": r.unit, "name": r.name, "institution": r.institution, "evaluator": r.evaluator,
                "ipp": r.ipp, "category": r.category, "label": r.label, "rank": r.rank, "aspects": r.aspects,
                "scored": r.scored, "total": r.total, "evaluators": r.evaluators} for r in results]
    if not args.by_evaluator:
        for record in records:
            del record["evaluator"]
    if args.json:
        return print_json(records)
    aspects = list(results[0].aspects) if results and results[0].aspects else []
    if args.csv:
        writer = csv.writer(sys.stdout)
        writer.writerow(["rank", "unit", "name", "institution", "ipp", "category", "label", *aspects])
        for r in results:
            writer.writerow([csv_safe(v) for v in (r.rank, r.unit, r.name, r.institution, r.ipp, r.category, r.label,
                                                   *(r.aspects.get(a) for a in aspects))])
        return None
    print_table([(r.rank, r.unit, r.name, r.evaluator or r.institution, "-" if r.ipp is None else f"{r.ipp:.2f}",
                  r.category, r.label, f"{r.scored}/{r.total}") for r in results],
                ["#", tr("kode"), tr("unit"), tr("penilai") if args.by_evaluator else tr("instansi"), "IPP",
                 tr("kat."), tr("predikat"), tr("dinilai")])


def cmd_reports(args: argparse.Namespace) -> None:
    from workbench.usecases.reports import write_reports

    with open_workbook(args) as wb:
        written = write_reports(wb, args.out, units=args.unit, period=args.period)
    print(tr("{count} laporan unit dan rekapitulasi -> {folder}", count=len(written) - 1, folder=args.out))



def register(cli: Commands) -> None:
    """Add this group's commands to the parser."""
    command, db_argument, period_option, json_option = cli.command, cli.db_argument, cli.period_option, cli.json_option
    p = command("import", cmd_import, tr("Impor lembar penilaian evaluator"))
    db_argument(p)
    p.add_argument("--final", action="store_true", help=tr("nilai yang diimpor langsung final (diaudit)"))
    p.add_argument("files", nargs="+", metavar="FILE", help=tr("lembar kerja .xlsx, .xls atau .ods"))
    p.add_argument("--evaluator", metavar="NAME", help=tr("evaluator bila berkas tidak menyebutkannya"))
    p.add_argument("--period", help=tr("nama periode (bawaan: terbaru; templat membawa periodenya sendiri)"))
    p.add_argument("--map", action="append", metavar="HEADER=FIELD",
                   help=tr("petakan judul kolom ke kolom baku, mis. \"Skor Akhir=nilai\" (diingat)"))
    cli.checking_options(p, tr("lewati baris yang salah, impor sisanya"))
    json_option(p)
    p = command("status", cmd_status, tr("Progres tim: setiap unit, evaluatornya, dan siap tidaknya untuk piagam"))
    db_argument(p)
    period_option(p)
    json_option(p)
    p = command("conflicts", cmd_conflicts, tr("Perbedaan nilai antar-evaluator yang belum disepakati"))
    db_argument(p)
    period_option(p)
    p.add_argument("--all", action="store_true",
                   help=tr("juga yang sudah disepakati, dengan nilai, alasan, siapa dan kapan"))
    json_option(p)
    p = command("resolve", cmd_resolve, tr("Catat nilai kesepakatan satu indikator"))
    db_argument(p)
    p.add_argument("--unit", required=True, metavar="CODE", help=tr("kode unit"))
    p.add_argument("--indicator", required=True, metavar="CODE", help=tr("kode indikator"))
    p.add_argument("--score", required=True, type=int, metavar="N", help=tr("nilai yang disepakati (0-5)"))
    p.add_argument("--reason", required=True, metavar="TEXT", help=tr("alasan (masuk log audit)"))
    p.add_argument("--evaluator", metavar="NAME",
                   help=tr("putuskan versi bersaing dari paket evaluator ini: nilainya menjadi --score"))
    period_option(p)
    p = command("finalize", cmd_finalize, tr("Tandai final penilaian yang lengkap (diaudit); yang belum lengkap "
                                             "disebutkan"))
    db_argument(p)
    p.add_argument("--unit", action="append", metavar="CODE", help=tr("hanya unit ini (boleh berulang)"))
    p.add_argument("--evaluator", metavar="NAME", help=tr("hanya penilaian evaluator ini"))
    p.add_argument("--all", action="store_true", help=tr("semua unit periode"))
    period_option(p)
    p = command("export", cmd_export, tr("Buku kerja rekap hasil"))
    db_argument(p)
    p.add_argument("--out", required=True, metavar="FILE.xlsx", help=tr("berkas yang ditulis"))
    period_option(p)
    p = command("reports", cmd_reports, tr("Laporan hasil evaluasi per unit dan rekapitulasi (PDF)"))
    db_argument(p)
    p.add_argument("--out", required=True, metavar="DIR", help=tr("folder untuk PDF"))
    p.add_argument("--unit", action="append", metavar="CODE", help=tr("hanya unit ini (boleh berulang)"))
    period_option(p)
    p = command("scores", cmd_scores, tr("IPP, kategori dan peringkat per unit"))
    db_argument(p)
    period_option(p)
    p.add_argument("--by-evaluator", action="store_true", help=tr("satu baris per unit dan evaluator"))
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help=tr("keluaran JSON"))
    fmt.add_argument("--csv", action="store_true", help=tr("keluaran CSV"))
