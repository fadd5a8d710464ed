"""What every command shares: opening the database, who runs it, passphrases, tables and JSON, and
the parser's command table."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Callable, Sequence

from workbench.certificates.service import Certificate
from workbench.errors import ValidationFailed, WorkbenchError
from workbench.exchange.report import ImportReport, as_data, summary_lines, write_problem_report
from workbench.i18n import tr
from workbench.workbook import Workbook

Handler = Callable[[argparse.Namespace], int | None]


def print_table(rows: Sequence[Sequence[object]], headers: Sequence[str]) -> None:
    cells = [[str(h) for h in headers], *[["" if c is None else str(c) for c in row] for row in rows]]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    for n, row in enumerate(cells):
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))


def print_json(value: object) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2))


def db_passphrase() -> str | None:
    """The database passphrase from WORKBENCH_DB_PASSPHRASE (for encrypted databases), or None."""
    return os.environ.get("WORKBENCH_DB_PASSPHRASE") or None


def key_passphrase() -> str:
    """The signing key's passphrase from WORKBENCH_PASSPHRASE in scripts, else asked without echo."""
    return os.environ.get("WORKBENCH_PASSPHRASE") or getpass.getpass(tr("Kata sandi kunci: "))


def actor(args: argparse.Namespace) -> str:
    """Who runs the command, for the audit log: --as, else WORKBENCH_USER, else the system user."""
    return getattr(args, "actor", None) or os.environ.get("WORKBENCH_USER") or getpass.getuser()


def open_workbook(args: argparse.Namespace, *, inspect: bool = False) -> Workbook:
    wb = Workbook(args.db, passphrase=db_passphrase(), actor=actor(args), inspect=inspect)
    wb.store.on_busy = say_busy()
    return wb


def say_busy() -> Callable[[str], None]:
    """Print that a write waits for another program: at once, then every ten seconds."""
    waited = [0]

    def say(text: str) -> None:
        if waited[0] % 10 == 0:
            print(text, file=sys.stderr, flush=True)
        waited[0] += 1

    return say


def new_passphrase(prompt: str) -> str:
    """A passphrase to seal with: WORKBENCH_PASSPHRASE in scripts, else asked twice without echo."""
    if os.environ.get("WORKBENCH_PASSPHRASE"):
        return os.environ["WORKBENCH_PASSPHRASE"]
    first = getpass.getpass(prompt)
    if getpass.getpass(tr("Ulangi kata sandi: ")) != first:
        raise WorkbenchError("Kedua kata sandi tidak sama")
    return first


def import_report(args: argparse.Namespace, result: ImportReport, standing: Sequence[Certificate] = ()) -> int:
    """Print what an import of sheets or packages found and did, and the certificates of units whose scores
    it changed; 1 when problems stopped it."""
    if args.report:
        write_problem_report(result, args.report)
    if args.json:
        print_json(as_data(result))
    else:
        for problem in result.problems[:200]:
            print(f"  {problem}", file=sys.stderr)
        for line in summary_lines(result):
            print(line)
        if result.agreement.get("overall") is not None:
            print(tr("alpha Krippendorff (ordinal): {alpha:.3f}", alpha=result.agreement["overall"]))
        for cert in standing:
            print(tr("perhatian: nilai {unit} berubah, padahal unit ini sudah menerima piagam {number}; periksa "
                     "kategorinya, lalu cabut (workbench revoke) dan terbitkan ulang bila perlu", unit=cert.unit,
                     number=cert.number), file=sys.stderr)
    if result.problems and not args.skip_invalid:
        failed = ValidationFailed(result.problems)
        print(tr("galat: {message}", message=failed), file=sys.stderr)
        return 1
    return 0


class Commands:
    """The parser's command table, as each group's `register` adds to it."""

    def __init__(self, sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
                 ) -> None:
        self._sub = sub
        self._common = common

    def command(self, name: str, handler: Handler | None, help_text: str,
                parent: argparse._SubParsersAction[argparse.ArgumentParser] | None = None
                ) -> argparse.ArgumentParser:
        """A command (or, without a handler, a group of them) under `parent`, else at the top."""
        p = (parent or self._sub).add_parser(name, help=help_text, description=help_text,
                                             parents=[self._common] if handler else [])
        p.set_defaults(handler=handler)
        return p

    def group(self, name: str, help_text: str) -> argparse._SubParsersAction[argparse.ArgumentParser]:
        """A top-level command whose actions are commands of their own (`workbench NAME ACTION`)."""
        return self.command(name, None, help_text).add_subparsers(dest=f"{name}_command", required=True,
                                                                  metavar="ACTION")

    @staticmethod
    def checking_options(p: argparse.ArgumentParser, skip_help: str) -> None:
        """--skip-invalid, --dry-run and --report: how an import treats what it refuses."""
        p.add_argument("--skip-invalid", action="store_true", help=skip_help)
        p.add_argument("--dry-run", action="store_true", help=tr("periksa saja, jangan simpan"))
        p.add_argument("--report", metavar="OUT", help=tr("tulis semua masalah ke .xlsx atau .csv"))

    @staticmethod
    def db_argument(p: argparse.ArgumentParser) -> None:
        p.add_argument("db", metavar="DB", help=tr("berkas basis data (.sqlite)"))

    @staticmethod
    def period_option(p: argparse.ArgumentParser) -> None:
        p.add_argument("--period", help=tr("nama periode (bawaan: terbaru)"))

    @staticmethod
    def json_option(p: argparse.ArgumentParser) -> None:
        p.add_argument("--json", action="store_true", help=tr("keluaran JSON"))
