"""The `workbench` command line: a few lines per command over the Workbook's services and the use cases,
in a module per group of commands.

Exit status: 0 success, 1 wrong input or data (nothing written), 2 usage error. Messages are in the
language of WORKBENCH_LANG (id by default, or en).
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from collections.abc import Sequence
from importlib.metadata import version

from workbench.cli import certificates, publishing, scoring, setup, surveys, team
from workbench.cli.common import Commands
from workbench.errors import ValidationFailed, WorkbenchError
from workbench.i18n import tr
from workbench.progress import Cancelled


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="workbench", description=tr(
        "Meja kerja evaluasi pelayanan publik (PEKPPP, SKM), tanpa jaringan."))
    parser.add_argument("--version", action="version", version=f"%(prog)s {version('pekppp-workbench')}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--as", dest="actor", metavar="NAME",
                        help=tr("nama Anda di log audit (bawaan: WORKBENCH_USER, atau pengguna sistem)"))
    commands = Commands(sub, common)
    for group in (setup, scoring, team, surveys, certificates, publishing):
        group.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit status (0 ok, 1 bad input or data, 2 usage)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:2] == ["certificates", "settings"]:  # a command of two words beside `certificates DB`
        argv = ["certificates settings", *argv[2:]]
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args) or 0
    except ValidationFailed as exc:
        print(tr("galat: {message}", message=exc), file=sys.stderr)
        for problem in exc.problems[1:50]:
            print(f"  {problem}", file=sys.stderr)
        return 1
    except WorkbenchError as exc:
        print(tr("galat: {message}", message=exc), file=sys.stderr)
        return 1
    except Cancelled:
        print(tr("Dibatalkan"), file=sys.stderr)
        return 1
    except OSError as exc:  # a file that cannot be read or written: one line, as for any other bad input
        print(tr("galat: {file}: {reason}", file=exc.filename or "", reason=exc.strerror or exc), file=sys.stderr)
        return 1
    except sqlite3.DatabaseError as exc:  # what SQLite says where no rule of ours stopped first: still one line
        print(tr("galat: {file}: {reason}", file=getattr(args, "db", ""), reason=exc), file=sys.stderr)
        return 1
