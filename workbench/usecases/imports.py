"""Importing sheets and packages together, as the import wizard offers: one check, one report, one write."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from workbench.certificates.service import Certificate
from workbench.exchange.package import SUFFIX
from workbench.exchange.report import ImportReport
from workbench.progress import CancelToken, ProgressCallback
from workbench.workbook import Workbook


def is_package(path: str | Path) -> bool:
    return Path(path).suffix.lower() == SUFFIX


def import_files(wb: Workbook, paths: Sequence[str | Path], *, period: str | None = None,
                 evaluator: str | None = None, mapping: dict[str, str] | None = None, passphrase: str | None = None,
                 skip_invalid: bool = False, dry_run: bool = False, final: bool = False, trust_new_key: bool = False,
                 as_packages: bool = False, progress: ProgressCallback | None = None,
                 cancel: CancelToken | None = None) -> ImportReport:
    """Check and merge observation sheets and evaluation packages in one transaction: all of them, or (when
    any has a problem and invalid rows or packages are not to be skipped) nothing. The one path of the
    import wizard, `workbench import` and `workbench package import`; sheets go into `period` (the newest by
    default), packages into the period they name. Files are told apart by their suffix, unless `as_packages`
    (`workbench package import`) says that every file is a package."""
    sheets = [] if as_packages else [p for p in paths if not is_package(p)]
    packages = list(paths) if as_packages else [p for p in paths if is_package(p)]
    report = ImportReport([], dry_run=dry_run)
    try:
        with wb.transaction(dry_run=dry_run):
            parts = []
            if sheets:
                parts.append(wb.exchange.import_observations(sheets, period=period, evaluator=evaluator,
                                                             mapping=mapping,
                                                             skip_invalid=skip_invalid, dry_run=dry_run, final=final,
                                                             progress=progress, cancel=cancel))
                if not dry_run and not parts[0].written:
                    report.files += parts[0].files
                    raise _Refused()  # before any package copies its evidence files
            if packages:
                parts.append(wb.packages.import_(packages, passphrase=passphrase, skip_invalid=skip_invalid,
                                                 dry_run=dry_run, trust_new_key=trust_new_key, progress=progress,
                                                 cancel=cancel))
            for part in parts:
                report.files += part.files
                report.add(part)
            if not dry_run and not all(part.written for part in parts):
                raise _Refused()  # one part wrote nothing: the other's writes go too
    except _Refused:
        return report
    report.written = bool(report.files) and not dry_run
    if report.written:
        report.conflicts = wb.conflicts.count(next((f.period for f in report.files if f.period), None))
    return report


def affected_certificates(wb: Workbook, report: ImportReport) -> list[Certificate]:
    """The valid certificates of the units whose scores an import changed (to offer their revocation)."""
    if not report.written or not report.units:
        return []
    return [c for period in sorted({f.period for f in report.files if f.period})
            for c in wb.certificates.standing(report.units, period)]


class _Refused(Exception):
    """Raised inside the transaction when a part refused, so that the whole import writes nothing."""
