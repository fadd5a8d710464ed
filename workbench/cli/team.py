"""Commands of the team's round trip: team, kit, package."""

from __future__ import annotations

import argparse
import getpass
import os
from pathlib import Path

from workbench.cli.common import (
    Commands,
    db_passphrase,
    import_report,
    new_passphrase,
    open_workbook,
    print_json,
    print_table,
)
from workbench.errors import WorkbenchError
from workbench.i18n import tr
from workbench.usecases.imports import affected_certificates, import_files


def cmd_package_export(args: argparse.Namespace) -> None:
    passphrase = new_passphrase(tr("Kata sandi paket: ")) if args.encrypt else None
    with open_workbook(args) as wb:
        done = wb.packages.export(args.out, evaluator=args.evaluator, units=args.unit, period=args.period,
                                  passphrase=passphrase)
    print(tr("{file}: paket nomor {number} dari {evaluator}: {observations} observasi, {units} unit, {evidence} "
             "berkas bukti{sealed}", file=done.path, number=done.sequence, evaluator=done.evaluator,
             observations=done.observations, units=done.units, evidence=done.evidence,
             sealed=tr(", terenkripsi") if passphrase else ""))


def cmd_package_import(args: argparse.Namespace) -> int:
    with open_workbook(args) as wb:
        result = import_files(wb, args.files, passphrase=os.environ.get("WORKBENCH_PASSPHRASE") or None,
                              skip_invalid=args.skip_invalid, dry_run=args.dry_run, trust_new_key=args.trust_new_key,
                              as_packages=True)
        standing = affected_certificates(wb, result)
    return import_report(args, result, standing)


def cmd_team_assign(args: argparse.Namespace) -> None:
    if bool(args.file) == bool(args.evaluator or args.unit):
        raise WorkbenchError("Sebutkan lembar penugasan (kode_unit, evaluator), atau --evaluator NAMA --unit KODE")
    with open_workbook(args) as wb:
        if args.file:
            done = wb.exchange.import_assignments(args.file, period=args.period)
        else:
            if not (args.evaluator and args.unit):
                raise WorkbenchError("Sebutkan --evaluator NAMA dan --unit KODE (boleh berulang)")
            done = wb.team.assign([(code, args.evaluator) for code in args.unit], period=args.period,
                                  remove=args.remove)
    print(tr("{count} penugasan {verb}, {same} tetap; evaluator: {names}", count=done.added,
             verb=tr("dicabut") if args.remove else tr("baru"), same=done.unchanged, names=", ".join(done.evaluators)))


def cmd_team_list(args: argparse.Namespace) -> None:
    with open_workbook(args) as wb:
        members = wb.team.members(args.period)
    if args.json:
        return print_json([{"evaluator": m.evaluator, "units": m.units, "key_id": m.key_id, "key_how": m.key_how,
                            "kit": None if m.kit_sequence is None else {"sequence": m.kit_sequence,
                                                                        "issued_at": m.kit_issued_at},
                            "packages": {"count": m.packages, "last_sequence": m.package_sequence,
                                         "last_received_at": m.package_received_at},
                            "scored": m.scored, "final": m.final, "total": m.total} for m in members])
    print_table([(m.evaluator, len(m.units), m.key_id or "-",
                  f"#{m.kit_sequence} {m.kit_issued_at[:10]}" if m.kit_sequence and m.kit_issued_at else "-",
                  f"#{m.package_sequence} {str(m.package_received_at)[:16]}" if m.package_sequence else "-",
                  f"{m.scored}/{m.total}", m.final) for m in members],
                [tr("evaluator"), tr("unit"), tr("kunci"), tr("kit"), tr("paket terakhir"), tr("dinilai"),
                 tr("final")])


def cmd_kit_export(args: argparse.Namespace) -> None:
    from workbench.exchange.kits import kit_name

    with open_workbook(args) as wb:
        names = list(wb.team.assignments(args.period)) if args.all else [args.evaluator]
        if not names or names == [None]:
            raise WorkbenchError("Sebutkan --evaluator NAMA, atau --all untuk semua evaluator yang ditugasi")
        passphrase = new_passphrase(tr("Kata sandi kit: "))
        period = wb.registry.period(args.period).name
        for name in names:
            out = Path(args.out) / kit_name(name, period) if args.all else Path(args.out)
            if args.all:
                out.parent.mkdir(parents=True, exist_ok=True)
            done = wb.kits.export(out, evaluator=name, passphrase=passphrase, period=period, new_key=args.new_key)
            print(tr("{file}: kit nomor {number} untuk {evaluator}: {units} unit, {claims} klaim; kunci {key}{made}",
                     file=done.path, number=done.sequence, evaluator=done.evaluator, units=done.units,
                     claims=done.claims, key=done.key_id, made=tr(" (baru, dibuat untuk kit ini)") if done.new_key
                     else ""))


def cmd_kit_import(args: argparse.Namespace) -> None:
    from workbench.usecases.kits import import_kit

    existed = Path(args.db).exists()
    passphrase = os.environ.get("WORKBENCH_PASSPHRASE") or getpass.getpass(tr("Kata sandi kit: "))
    done = import_kit(args.db, args.file, passphrase, actor=getattr(args, "actor", None),
                      db_passphrase=db_passphrase())
    print(tr("{db}: {verb} dari kit nomor {number} untuk {evaluator}: periode {period}, {units} unit, {claims} "
             "klaim{own}; kunci evaluator {key}", db=args.db, verb=tr("diperbarui") if existed else tr("dibuat"),
             number=done.sequence, evaluator=done.evaluator, period=done.period, units=done.units,
             claims=done.claims, own=tr(", {count} penilaian sebelumnya", count=done.observations)
             if done.observations else "", key=done.key_id))



def register(cli: Commands) -> None:
    """Add this group's commands to the parser."""
    command, db_argument, period_option, json_option = cli.command, cli.db_argument, cli.period_option, cli.json_option
    package_sub = cli.group("package", tr("Paket evaluasi: pekerjaan evaluator beserta bukti dan riwayatnya"))
    p = command("export", cmd_package_export, tr("Tulis paket (.wbpkg) untuk dikirim ke ketua tim"), package_sub)
    db_argument(p)
    p.add_argument("--out", required=True, metavar="FILE.wbpkg", help=tr("berkas paket yang ditulis"))
    p.add_argument("--evaluator", metavar="NAME",
                   help=tr("evaluator yang pekerjaannya dikirim (laptop dari kit: evaluator kitnya)"))
    p.add_argument("--unit", action="append", metavar="CODE", help=tr("hanya unit ini (boleh berulang)"))
    p.add_argument("--encrypt", action="store_true",
                   help=tr("enkripsi paket; kata sandi dari prompt atau WORKBENCH_PASSPHRASE"))
    period_option(p)
    p = command("import", cmd_package_import, tr("Gabungkan paket evaluator ke basis data ini"), package_sub)
    db_argument(p)
    p.add_argument("files", nargs="+", metavar="FILE", help=tr("berkas .wbpkg"))
    p.add_argument("--trust-new-key", action="store_true",
                   help=tr("terima kunci yang belum terdaftar untuk evaluatornya, setelah sidik jarinya dicocokkan"))
    cli.checking_options(p, tr("lewati paket yang ditolak, gabungkan sisanya"))
    json_option(p)
    team_sub = cli.group("team", tr("Tim: siapa menilai unit mana, kunci, kit dan paket"))
    p = command("assign", cmd_team_assign, tr("Tugaskan unit kepada evaluator: dari lembar (kode_unit, evaluator) "
                                              "atau --evaluator --unit"), team_sub)
    db_argument(p)
    p.add_argument("file", nargs="?", metavar="FILE", help=tr("lembar penugasan .xlsx, .xls atau .ods"))
    p.add_argument("--evaluator", metavar="NAME", help=tr("nama evaluator"))
    p.add_argument("--unit", action="append", metavar="CODE", help=tr("kode unit (boleh berulang)"))
    p.add_argument("--remove", action="store_true", help=tr("cabut penugasan ini (nilai yang sudah ada tetap)"))
    period_option(p)
    p = command("list", cmd_team_list, tr("Per evaluator: unit, kunci, kit, paket yang diterima, progres"), team_sub)
    db_argument(p)
    period_option(p)
    json_option(p)
    kit_sub = cli.group("kit", tr("Kit penugasan: yang dibutuhkan laptop evaluator"))
    p = command("export", cmd_kit_export, tr("Tulis kit (.wbkit) untuk evaluator; kata sandi dari prompt atau "
                                             "WORKBENCH_PASSPHRASE"), kit_sub)
    db_argument(p)
    p.add_argument("--evaluator", metavar="NAME", help=tr("evaluator penerima kit"))
    p.add_argument("--all", action="store_true", help=tr("kit untuk setiap evaluator yang ditugasi (--out FOLDER)"))
    p.add_argument("--out", required=True, metavar="FILE", help=tr("berkas kit yang ditulis (folder dengan --all)"))
    p.add_argument("--new-key", action="store_true",
                   help=tr("buat kunci baru untuk evaluator (laptop hilang atau diganti); kunci lama tidak berlaku"))
    period_option(p)
    p = command("import", cmd_kit_import, tr("Buat basis data evaluator dari kit, atau perbarui dengan kit yang lebih "
                                             "baru"), kit_sub)
    db_argument(p)
    p.add_argument("file", metavar="FILE", help=tr("berkas .wbkit"))
