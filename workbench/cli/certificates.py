"""Commands of the certificates: keys, certificates (and their settings), verify, revoke, revocations."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from pathlib import Path

from workbench.certificates.service import REASONS, UnitStatus
from workbench.cli.common import Commands, key_passphrase, open_workbook, print_json, print_table
from workbench.errors import WorkbenchError
from workbench.i18n import tr


def cmd_keys_init(args: argparse.Namespace) -> None:
    with open_workbook(args) as wb:
        key = wb.certificates.init_keys(key_passphrase())
        if args.public_out:
            Path(args.public_out).write_bytes(wb.certificates.public_key())
    print(tr("kunci {key} dibuat", key=key))
    if args.public_out:
        print(tr("{file}: kunci publik", file=args.public_out))


def cmd_keys_export(args: argparse.Namespace) -> None:
    with open_workbook(args) as wb:
        Path(args.out).write_bytes(wb.certificates.public_key())
    print(tr("{file}: kunci publik", file=args.out))


def cmd_certificates(args: argparse.Namespace) -> None:
    from workbench.usecases.certificates import issue_certificates

    with open_workbook(args) as wb:
        if args.dry_run:
            statuses = wb.certificates.readiness(args.period, min_category=args.min_category)
            for s in statuses:
                if s.ready:
                    print(tr("{unit}: akan diterbitkan ({category}, IPP {ipp:.2f})", unit=s.unit, category=s.category,
                             ipp=s.ipp) if not s.certificate else tr("{unit}: sudah terbit, {number}", unit=s.unit,
                                                                     number=s.certificate))
            _print_left_out(statuses)
            return
        if not args.out:
            raise WorkbenchError("Sebutkan --out FOLDER untuk PDF piagam")
        issued = issue_certificates(wb, key_passphrase(), args.out, period=args.period,
                                    min_category=args.min_category)
        statuses = wb.certificates.readiness(args.period, min_category=args.min_category)
    for cert in issued.certificates:
        revoked = tr("DICABUT") if cert.revoked else ""
        print(f"{cert.number}  {cert.unit}  {cert.category}  {revoked}".rstrip())
    print(tr("{count} piagam -> {folder}", count=max(len(issued.files) - 1, 0), folder=args.out))
    _print_left_out(statuses)


def cmd_certificate_settings(args: argparse.Namespace) -> None:
    from workbench.usecases.certificates import change_certificate_settings

    changes = dict(assignment.partition("=")[::2] for assignment in args.set or [])
    if args.logo:
        changes["logo"] = str(Path(args.logo).resolve())
    with open_workbook(args) as wb:
        shown = asdict(change_certificate_settings(wb, changes, args.period))
    if args.json:
        return print_json(shown)
    print_table([(key, value) for key, value in shown.items()], [tr("pengaturan"), tr("nilai")])


def _print_left_out(statuses: list[UnitStatus]) -> None:
    """Each unit that gets no certificate, and why."""
    for s in statuses:
        if not s.ready:
            print(tr("{unit}: tidak mendapat piagam: {reasons}", unit=s.unit,
                     reasons="; ".join(tr(REASONS[r]) for r in s.reasons)))


def cmd_verify(args: argparse.Namespace) -> int:
    from workbench.usecases.certificates import verify

    if args.db:
        with open_workbook(args) as wb:
            verdict = verify(args.target, wb=wb)
    else:
        verdict = verify(args.target, public_key=args.public_key)
    print(verdict.message)
    if verdict.claims:
        print(tr("Token menyatakan (bandingkan dengan kertasnya):"))
        for label, value in verdict.facts():
            print(f"  {label}: {value}")
    return 0 if verdict.valid else 1


def cmd_revoke(args: argparse.Namespace) -> None:
    with open_workbook(args) as wb:
        wb.certificates.revoke(args.number, args.reason)
    print(tr("{number}: dicabut", number=args.number))


def cmd_revocations(args: argparse.Namespace) -> None:
    with open_workbook(args) as wb:
        listed = wb.certificates.revocations()
    if args.out:
        Path(args.out).write_text(json.dumps(listed, ensure_ascii=False, indent=2), encoding="utf-8")
    print_json(listed)



def register(cli: Commands) -> None:
    """Add this group's commands to the parser."""
    command, db_argument, period_option, json_option = cli.command, cli.db_argument, cli.period_option, cli.json_option
    keys_sub = cli.group("keys", tr("Kunci tanda tangan kantor"))
    p = command("init", cmd_keys_init, tr("Buat pasangan kunci Ed25519"), keys_sub)
    db_argument(p)
    p.add_argument("--public-out", metavar="FILE", help=tr("tulis juga kunci publik ke berkas ini"))
    p = command("export", cmd_keys_export, tr("Tulis kunci publik untuk diumumkan"), keys_sub)
    db_argument(p)
    p.add_argument("out", metavar="FILE", help=tr("berkas .pem yang ditulis"))
    p = command("certificates", cmd_certificates, tr("Terbitkan piagam PDF"))
    db_argument(p)
    p.add_argument("--out", metavar="DIR", help=tr("folder untuk PDF (wajib kecuali --dry-run)"))
    p.add_argument("--min-category", metavar="CAT", help=tr("kategori minimal (bawaan pengaturan periode: A-)"))
    p.add_argument("--dry-run", action="store_true", help=tr("sebutkan saja yang akan terbit dan yang tidak"))
    period_option(p)
    p = command("certificates settings", cmd_certificate_settings,
                tr("Pengaturan piagam periode: lihat atau ubah (judul, penanda tangan, NIP, tempat, nomor, logo)"))
    db_argument(p)
    period_option(p)
    p.add_argument("--set", action="append", metavar="KEY=VALUE",
                   help=tr("ubah satu pengaturan (boleh berulang), mis. signatory_name=\"Dr. Rini, M.Si.\"; diaudit"))
    p.add_argument("--logo", metavar="FILE", help=tr("gambar logo di atas judul"))
    json_option(p)
    p = command("verify", cmd_verify, tr("Periksa keaslian piagam tanpa jaringan"))
    p.add_argument("target", metavar="PDF_OR_TOKEN", help=tr("berkas PDF piagam, atau token PP2:…"))
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--public-key", metavar="FILE", help=tr("kunci publik kantor penerbit (.pem)"))
    source.add_argument("--db", metavar="DB", help=tr("basis data penerbit (memeriksa pencabutan juga)"))
    p = command("revoke", cmd_revoke, tr("Cabut piagam"))
    db_argument(p)
    p.add_argument("number", metavar="NUMBER", help=tr("nomor piagam"))
    p.add_argument("--reason", required=True, metavar="TEXT", help=tr("alasan pencabutan"))
    p = command("revocations", cmd_revocations, tr("Daftar piagam yang dicabut"))
    db_argument(p)
    p.add_argument("--out", metavar="FILE.json", help=tr("tulis juga ke berkas"))
