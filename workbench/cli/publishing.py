"""Commands of publishing: a sanitised copy of a period's results, and Datasette serving it read-only."""

from __future__ import annotations

import argparse

from workbench.cli.common import Commands, open_workbook
from workbench.i18n import tr


def cmd_publish(args: argparse.Namespace) -> None:
    from workbench.usecases.publish import publish

    with open_workbook(args) as wb:
        done = publish(wb, args.out, period=args.period)
    print(tr("{file}: {units} unit, {certificates} piagam, periode {period}; metadata Datasette: {metadata}",
             file=done.path, units=done.units, certificates=done.certificates, period=done.period,
             metadata=done.metadata))
    if done.provisional:
        print(tr("perhatian: periode {period} belum ditutup; hasil terbit sebagai SEMENTARA (tutup periode setelah "
                 "sidang: workbench period close)", period=done.period))


def cmd_serve(args: argparse.Namespace) -> None:
    from workbench.usecases.publish import serve

    serve(args.file, host=args.host, port=args.port)


def register(cli: Commands) -> None:
    """Add this group's commands to the parser."""
    p = cli.command("publish", cmd_publish, tr("Tulis salinan hasil untuk publik (tanpa nama evaluator, catatan, "
                                               "bukti, log audit, kunci atau pengaturan); data sama, berkas sama"))
    cli.db_argument(p)
    p.add_argument("--out", required=True, metavar="FILE.sqlite", help=tr("berkas yang ditulis"))
    cli.period_option(p)
    p = cli.command("serve", cmd_serve, tr("Sajikan berkas terbitan dengan Datasette, hanya baca"))
    p.add_argument("file", metavar="FILE.sqlite", help=tr("berkas dari workbench publish"))
    p.add_argument("--host", default="127.0.0.1",
                   help=tr("alamat yang didengar (bawaan 127.0.0.1; 0.0.0.0 untuk jaringan)"))
    p.add_argument("--port", type=int, default=8001, help=tr("port (bawaan 8001)"))
