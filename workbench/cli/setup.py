"""Commands that set an evaluation up and look after its file: init, instruments, units, template, period,
backup, check."""

from __future__ import annotations

import argparse
import getpass
from dataclasses import asdict
from pathlib import Path

from workbench.cli.common import Commands, actor, db_passphrase, open_workbook, print_json, print_table
from workbench.db.settings import SETTING_LABELS
from workbench.domain import instrument as instruments
from workbench.i18n import tr
from workbench.workbook import Workbook


def cmd_init(args: argparse.Namespace) -> None:
    passphrase = None
    if args.encrypt:
        passphrase = db_passphrase() or getpass.getpass(tr("Kata sandi basis data: "))
    with Workbook.create(args.db, instrument=args.instrument, period=args.period, passphrase=passphrase,
                         actor=actor(args)) as wb:
        period = wb.registry.period()
    print(tr("{db}: dibuat; periode {period}, instrumen {instrument}", db=args.db, period=period.name,
             instrument=period.instrument_id))


def cmd_instruments(args: argparse.Namespace) -> None:
    loaded = [instruments.load(ident) for ident in instruments.shipped()]
    if args.json:
        return print_json([{"id": i.id, "kind": i.kind, "name": i.name, "name_en": i.name_en, "version": i.version,
                            "regulation": i.regulation,
                            "items": len(i.indicators) if isinstance(i, instruments.Instrument) else len(i.unsur)}
                           for i in loaded])
    print_table([(i.id, i.version, i.kind, i.name) for i in loaded], [tr("id"), tr("versi"), tr("jenis"), tr("nama")])


def cmd_units_import(args: argparse.Namespace) -> None:
    with open_workbook(args) as wb:
        done = wb.exchange.import_units(args.file)
    print(tr("{file}: {added} unit baru, {updated} diperbarui, {unchanged} tetap", file=Path(args.file).name,
             added=done.added, updated=done.updated, unchanged=done.unchanged))


def cmd_units_list(args: argparse.Namespace) -> None:
    with open_workbook(args) as wb:
        units = wb.registry.units()
    if args.json:
        return print_json([asdict(u) | {"id": None} for u in units])
    print_table([(u.code, u.name, u.institution) for u in units], [tr("kode"), tr("unit"), tr("instansi")])


def cmd_template(args: argparse.Namespace) -> None:
    with open_workbook(args) as wb:
        rows = wb.exchange.write_template(args.out, evaluator=args.evaluator or wb.actor, units=args.unit or None,
                                          period=args.period)
    print(tr("{file}: {rows} baris untuk diisi", file=args.out, rows=rows))


def cmd_period_close(args: argparse.Namespace) -> None:
    with open_workbook(args) as wb:
        wb.registry.close_period(args.period, reason=args.reason, actor=actor(args))
    print(tr("Periode {name} ditutup", name=args.period))


def cmd_period_reopen(args: argparse.Namespace) -> None:
    with open_workbook(args) as wb:
        wb.registry.reopen_period(args.period, reason=args.reason, actor=actor(args))
    print(tr("Periode {name} dibuka kembali", name=args.period))


def cmd_period_settings(args: argparse.Namespace) -> None:
    with open_workbook(args) as wb, wb.transaction():
        for assignment in args.set or []:
            key, _, value = assignment.partition("=")
            wb.settings.set(key.strip(), value, wb.registry.period(args.period))
        values = wb.settings.of_period(wb.registry.period(args.period))
    if args.json:
        return print_json(values)
    print_table([(key, value, tr(SETTING_LABELS[key])) for key, value in values.items()],
                [tr("pengaturan"), tr("nilai"), tr("artinya")])


def cmd_backup(args: argparse.Namespace) -> None:
    with open_workbook(args, inspect=True) as wb:
        out = wb.maintenance.backup(args.out)
    print(tr("{file}: cadangan dibuat", file=out))


def cmd_check(args: argparse.Namespace) -> int:
    with open_workbook(args, inspect=True) as wb:
        if args.accept_keys:
            for accepted in wb.audit.accept_keys():
                print(tr("kunci {key_id} disahkan oleh komputer ini", key_id=accepted))
        problems = wb.maintenance.check()
        keys = wb.audit.key_changes() if not problems else []
    for problem in problems:
        print(problem)
    for key in keys:  # not an error: a copy moved to another computer signs with that computer's key
        print(tr("catatan: kunci baru {key_id} menandatangani log sejak {at} ({actor}), tanpa pengesahan kunci "
                 "sebelumnya: basis data dipindah ke komputer lain?", key_id=key["key_id"], at=key["added_at"],
                 actor=key["added_by"]))
    print(tr("{db}: baik", db=args.db) if not problems else tr("{db}: {count} masalah", db=args.db,
                                                                 count=len(problems)))
    return 1 if problems else 0



def register(cli: Commands) -> None:
    """Add this group's commands to the parser."""
    command, db_argument, period_option, json_option = cli.command, cli.db_argument, cli.period_option, cli.json_option
    p = command("init", cmd_init, tr("Buat basis data baru"))
    db_argument(p)
    p.add_argument("--instrument", default=instruments.DEFAULT_INSTRUMENT,
                   help=tr("id dari `workbench instruments`, atau berkas .json/.xlsx/.ods (bawaan {default})",
                           default=instruments.DEFAULT_INSTRUMENT))
    p.add_argument("--period", help=tr("nama periode pertama (bawaan: tahun ini)"))
    p.add_argument("--encrypt", action="store_true",
                   help=tr("enkripsi basis data (SQLCipher); kata sandi dari prompt atau WORKBENCH_DB_PASSPHRASE"))
    json_option(command("instruments", cmd_instruments, tr("Daftar instrumen bawaan")))
    units_sub = cli.group("units", tr("Unit yang dievaluasi"))
    p = command("import", cmd_units_import, tr("Daftarkan instansi dan unit dari lembar kerja (kode_unit, "
                                               "nama_unit, instansi)"), units_sub)
    db_argument(p)
    p.add_argument("file", metavar="FILE", help=tr("lembar kerja .xlsx, .xls atau .ods"))
    p = command("list", cmd_units_list, tr("Tampilkan unit"), units_sub)
    db_argument(p)
    json_option(p)
    p = command("template", cmd_template, tr("Templat xlsx untuk evaluator"))
    db_argument(p)
    p.add_argument("--out", required=True, metavar="FILE.xlsx", help=tr("berkas templat yang ditulis"))
    p.add_argument("--evaluator", metavar="NAME", help=tr("nama evaluator (diisi otomatis saat impor)"))
    p.add_argument("--unit", action="append", metavar="CODE", help=tr("hanya unit ini (boleh berulang)"))
    period_option(p)
    period_sub = cli.group("period", tr("Periode evaluasi"))
    for name, handler, help_text in (("close", cmd_period_close, tr("Tutup periode setelah sidang: nilai dibekukan")),
                                     ("reopen", cmd_period_reopen, tr("Buka kembali periode yang ditutup"))):
        p = command(name, handler, help_text, period_sub)
        db_argument(p)
        p.add_argument("--period", required=True, help=tr("nama periode"))
        p.add_argument("--reason", required=True, metavar="TEXT", help=tr("alasan (masuk log audit)"))
    p = command("settings", cmd_period_settings, tr("Pengaturan yang membentuk hasil periode: lihat atau ubah"),
                period_sub)
    db_argument(p)
    period_option(p)
    p.add_argument("--set", action="append", metavar="KEY=VALUE",
                   help=tr("ubah satu pengaturan (boleh berulang), mis. f03_weight=20; diaudit"))
    json_option(p)
    p = command("backup", cmd_backup, tr("Salin basis data dengan aman"))
    db_argument(p)
    p.add_argument("out", metavar="OUT", help=tr("berkas cadangan (tidak ditimpa)"))
    p = command("check", cmd_check, tr("Periksa integritas dan konsistensi"))
    db_argument(p)
    p.add_argument("--accept-keys", action="store_true",
                   help=tr("sahkan kunci komputer lain yang menandatangani log (basis data memang dipakai di sana)"))
