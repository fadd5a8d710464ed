"""The `workbench` command line: a few lines per command over the Workbook's services and the use cases.

Exit status: 0 success, 1 wrong input or data (nothing written), 2 usage error. Messages are in the
language of WORKBENCH_LANG (id by default, or en).
"""

from __future__ import annotations

import argparse
import csv
import getpass
import json
import os
import sqlite3
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict
from importlib.metadata import version
from pathlib import Path

from workbench.certificates.service import REASONS, Certificate, UnitStatus
from workbench.db.settings import SETTING_LABELS
from workbench.domain import instrument as instruments
from workbench.domain.scoring import SKM_WEIGHT_MODES, krejcie_morgan
from workbench.domain.values import STATUS_LABELS
from workbench.errors import ValidationFailed, WorkbenchError
from workbench.exchange.cells import csv_safe
from workbench.exchange.observation_sheets import FileCheck
from workbench.exchange.report import ImportReport, as_data, summary_lines, write_problem_report
from workbench.i18n import tr
from workbench.progress import Cancelled
from workbench.surveys import FORMS
from workbench.usecases.imports import affected_certificates, import_files
from workbench.workbook import Workbook

Handler = Callable[[argparse.Namespace], int | None]


def _print_table(rows: Sequence[Sequence[object]], headers: Sequence[str]) -> None:
    cells = [[str(h) for h in headers], *[["" if c is None else str(c) for c in row] for row in rows]]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    for n, row in enumerate(cells):
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))


def _json(value: object) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2))


def _db_passphrase() -> str | None:
    """The database passphrase from WORKBENCH_DB_PASSPHRASE (for encrypted databases), or None."""
    return os.environ.get("WORKBENCH_DB_PASSPHRASE") or None


def _key_passphrase() -> str:
    """The signing key's passphrase from WORKBENCH_PASSPHRASE in scripts, else asked without echo."""
    return os.environ.get("WORKBENCH_PASSPHRASE") or getpass.getpass(tr("Kata sandi kunci: "))


def _actor(args: argparse.Namespace) -> str:
    """Who runs the command, for the audit log: --as, else WORKBENCH_USER, else the system user."""
    return getattr(args, "actor", None) or os.environ.get("WORKBENCH_USER") or getpass.getuser()


def _open(args: argparse.Namespace, *, inspect: bool = False) -> Workbook:
    wb = Workbook(args.db, passphrase=_db_passphrase(), actor=_actor(args), inspect=inspect)
    wb.store.on_busy = _say_busy()
    return wb


def _say_busy() -> Callable[[str], None]:
    """Print that a write waits for another program: at once, then every ten seconds."""
    waited = [0]

    def say(text: str) -> None:
        if waited[0] % 10 == 0:
            print(text, file=sys.stderr, flush=True)
        waited[0] += 1

    return say


def cmd_init(args: argparse.Namespace) -> None:
    passphrase = None
    if args.encrypt:
        passphrase = _db_passphrase() or getpass.getpass(tr("Kata sandi basis data: "))
    with Workbook.create(args.db, instrument=args.instrument, period=args.period, passphrase=passphrase,
                         actor=_actor(args)) as wb:
        period = wb.registry.period()
    print(tr("{db}: dibuat; periode {period}, instrumen {instrument}", db=args.db, period=period.name,
             instrument=period.instrument_id))


def cmd_instruments(args: argparse.Namespace) -> None:
    loaded = [instruments.load(ident) for ident in instruments.shipped()]
    if args.json:
        return _json([{"id": i.id, "kind": i.kind, "name": i.name, "name_en": i.name_en, "version": i.version,
                       "regulation": i.regulation,
                       "items": len(i.indicators) if isinstance(i, instruments.Instrument) else len(i.unsur)}
                      for i in loaded])
    _print_table([(i.id, i.version, i.kind, i.name) for i in loaded], [tr("id"), tr("versi"), tr("jenis"), tr("nama")])


def cmd_units_import(args: argparse.Namespace) -> None:
    with _open(args) as wb:
        done = wb.exchange.import_units(args.file)
    print(tr("{file}: {added} unit baru, {updated} diperbarui, {unchanged} tetap", file=Path(args.file).name,
             added=done.added, updated=done.updated, unchanged=done.unchanged))


def cmd_units_list(args: argparse.Namespace) -> None:
    with _open(args) as wb:
        units = wb.registry.units()
    if args.json:
        return _json([asdict(u) | {"id": None} for u in units])
    _print_table([(u.code, u.name, u.institution) for u in units], [tr("kode"), tr("unit"), tr("instansi")])


def cmd_template(args: argparse.Namespace) -> None:
    with _open(args) as wb:
        rows = wb.exchange.write_template(args.out, evaluator=args.evaluator or wb.actor, units=args.unit or None,
                                          period=args.period)
    print(tr("{file}: {rows} baris untuk diisi", file=args.out, rows=rows))


def cmd_import(args: argparse.Namespace) -> int:
    with _open(args) as wb:
        result = import_files(wb, args.files, period=args.period, evaluator=args.evaluator,
                              mapping=args.map or None, skip_invalid=args.skip_invalid, dry_run=args.dry_run,
                              final=args.final)
        standing = affected_certificates(wb, result)
    return _import_report(args, result, standing)


def _import_report(args: argparse.Namespace, result: ImportReport, standing: Sequence[Certificate] = ()) -> int:
    """Print what an import of sheets or packages found and did, and the certificates of units whose scores
    it changed; 1 when problems stopped it."""
    if args.report:
        write_problem_report(result, args.report)
    if args.json:
        _json(as_data(result))
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


def _new_passphrase(prompt: str) -> str:
    """A passphrase to seal with: WORKBENCH_PASSPHRASE in scripts, else asked twice without echo."""
    if os.environ.get("WORKBENCH_PASSPHRASE"):
        return os.environ["WORKBENCH_PASSPHRASE"]
    first = getpass.getpass(prompt)
    if getpass.getpass(tr("Ulangi kata sandi: ")) != first:
        raise WorkbenchError("Kedua kata sandi tidak sama")
    return first


def cmd_package_export(args: argparse.Namespace) -> None:
    passphrase = _new_passphrase(tr("Kata sandi paket: ")) if args.encrypt else None
    with _open(args) as wb:
        done = wb.packages.export(args.out, evaluator=args.evaluator, units=args.unit, period=args.period,
                                  passphrase=passphrase)
    print(tr("{file}: paket nomor {number} dari {evaluator}: {observations} observasi, {units} unit, {evidence} "
             "berkas bukti{sealed}", file=done.path, number=done.sequence, evaluator=done.evaluator,
             observations=done.observations, units=done.units, evidence=done.evidence,
             sealed=tr(", terenkripsi") if passphrase else ""))


def cmd_package_import(args: argparse.Namespace) -> int:
    with _open(args) as wb:
        result = import_files(wb, args.files, passphrase=os.environ.get("WORKBENCH_PASSPHRASE") or None,
                              skip_invalid=args.skip_invalid, dry_run=args.dry_run, trust_new_key=args.trust_new_key,
                              as_packages=True)
        standing = affected_certificates(wb, result)
    return _import_report(args, result, standing)


def cmd_team_assign(args: argparse.Namespace) -> None:
    if bool(args.file) == bool(args.evaluator or args.unit):
        raise WorkbenchError("Sebutkan lembar penugasan (kode_unit, evaluator), atau --evaluator NAMA --unit KODE")
    with _open(args) as wb:
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
    with _open(args) as wb:
        members = wb.team.members(args.period)
    if args.json:
        return _json([{"evaluator": m.evaluator, "units": m.units, "key_id": m.key_id, "key_how": m.key_how,
                       "kit": None if m.kit_sequence is None else {"sequence": m.kit_sequence,
                                                                   "issued_at": m.kit_issued_at},
                       "packages": {"count": m.packages, "last_sequence": m.package_sequence,
                                    "last_received_at": m.package_received_at},
                       "scored": m.scored, "final": m.final, "total": m.total} for m in members])
    _print_table([(m.evaluator, len(m.units), m.key_id or "-",
                   f"#{m.kit_sequence} {m.kit_issued_at[:10]}" if m.kit_sequence and m.kit_issued_at else "-",
                   f"#{m.package_sequence} {str(m.package_received_at)[:16]}" if m.package_sequence else "-",
                   f"{m.scored}/{m.total}", m.final) for m in members],
                 [tr("evaluator"), tr("unit"), tr("kunci"), tr("kit"), tr("paket terakhir"), tr("dinilai"),
                  tr("final")])


def cmd_kit_export(args: argparse.Namespace) -> None:
    from workbench.exchange.kits import kit_name

    with _open(args) as wb:
        names = list(wb.team.assignments(args.period)) if args.all else [args.evaluator]
        if not names or names == [None]:
            raise WorkbenchError("Sebutkan --evaluator NAMA, atau --all untuk semua evaluator yang ditugasi")
        passphrase = _new_passphrase(tr("Kata sandi kit: "))
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
                      db_passphrase=_db_passphrase())
    print(tr("{db}: {verb} dari kit nomor {number} untuk {evaluator}: periode {period}, {units} unit, {claims} "
             "klaim{own}; kunci evaluator {key}", db=args.db, verb=tr("diperbarui") if existed else tr("dibuat"),
             number=done.sequence, evaluator=done.evaluator, period=done.period, units=done.units,
             claims=done.claims, own=tr(", {count} penilaian sebelumnya", count=done.observations)
             if done.observations else "", key=done.key_id))


def cmd_status(args: argparse.Namespace) -> None:
    with _open(args) as wb:
        statuses = wb.certificates.readiness(args.period)
    if args.json:
        return _json([{"unit": s.unit, "name": s.name, "institution": s.institution, "ipp": s.ipp,
                       "category": s.category, "label": s.label, "conflicts": s.conflicts, "ready": s.ready,
                       "reasons": s.reasons, "certificate": s.certificate,
                       "evaluators": [{"name": e.unit, "scored": e.scored, "total": e.total, "status": e.status}
                                      for e in s.evaluators]} for s in statuses])
    _print_table([(s.unit, ", ".join(f"{e.unit} {e.scored}/{e.total} {tr(STATUS_LABELS[e.status])}"
                            for e in s.evaluators) or "-",
                   s.conflicts or "", "-" if s.ipp is None else f"{s.ipp:.2f}", s.category or "-",
                   s.certificate or (tr("siap") if s.ready else "; ".join(tr(REASONS[r]) for r in s.reasons)))
                  for s in statuses],
                 [tr("unit"), tr("evaluator"), tr("konflik"), "IPP", tr("kat."), tr("piagam")])


def cmd_period_close(args: argparse.Namespace) -> None:
    with _open(args) as wb:
        wb.registry.close_period(args.period, reason=args.reason, actor=_actor(args))
    print(tr("Periode {name} ditutup", name=args.period))


def cmd_period_reopen(args: argparse.Namespace) -> None:
    with _open(args) as wb:
        wb.registry.reopen_period(args.period, reason=args.reason, actor=_actor(args))
    print(tr("Periode {name} dibuka kembali", name=args.period))


def cmd_period_settings(args: argparse.Namespace) -> None:
    with _open(args) as wb, wb.transaction():
        for assignment in args.set or []:
            key, _, value = assignment.partition("=")
            wb.settings.set(key.strip(), value, wb.registry.period(args.period))
        values = wb.settings.of_period(wb.registry.period(args.period))
    if args.json:
        return _json(values)
    _print_table([(key, value, tr(SETTING_LABELS[key])) for key, value in values.items()],
                 [tr("pengaturan"), tr("nilai"), tr("artinya")])


def cmd_conflicts(args: argparse.Namespace) -> None:
    with _open(args) as wb:
        conflicts = wb.conflicts.listed(args.period, which="all" if args.all else "open")
        versions = wb.observations.version_conflicts(args.period)
    if args.json:
        return _json([{"kind": "scores", "unit": c.unit, "indicator": c.indicator, "scores": c.scores,
                       "spread": c.spread, "notes": c.notes, "agreed": c.agreed and asdict(c.agreed)}
                      for c in conflicts]
                     + [{"kind": "version", "unit": v.unit, "indicator": v.indicator, "evaluator": v.evaluator,
                         "version": v.version, "here": v.here, "incoming": v.incoming, "package": v.package,
                         "received_at": v.received_at} for v in versions])
    _print_table([(c.unit, c.indicator, ", ".join(f"{e}: {s}" for e, s in c.scores.items()), c.spread,
                   *([tr("{score} ({who}: {reason})", score=c.agreed.score, who=c.agreed.decided_by,
                         reason=c.agreed.reason[:40]) if c.agreed else "-"] if args.all else []),
                   " | ".join(f"{e}: {n}" for e, n in c.notes.items() if n)[:80]) for c in conflicts],
                 [tr("unit"), tr("indikator"), tr("nilai"), tr("selisih"), *([tr("disepakati")] if args.all else []),
                  tr("catatan")])
    if versions:
        print()
        print(tr("Versi bersaing dari paket (putuskan dengan workbench resolve ... --evaluator NAMA):"))
        _print_table([(v.unit, v.indicator, v.evaluator, v.here["score"], v.incoming.get("score"), v.version,
                       v.package) for v in versions],
                     [tr("unit"), tr("indikator"), tr("evaluator"), tr("di sini"), tr("di paket"), tr("versi"),
                      tr("paket")])


def cmd_resolve(args: argparse.Namespace) -> None:
    with _open(args) as wb:
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
    with _open(args) as wb:
        done = wb.observations.finalize(period=args.period, units=args.unit, evaluator=args.evaluator,
                                        actor=_actor(args))
    for refused in done.refused:
        print(tr("{unit} / {evaluator}: belum dapat difinalkan, {count} indikator belum dinilai ({codes})",
                 unit=refused.unit, evaluator=refused.evaluator, count=len(refused.missing),
                 codes=", ".join(refused.missing[:12]) + (" …" if len(refused.missing) > 12 else "")))
    print(tr("{count} observasi final ({pairs} unit × evaluator); {refused} belum lengkap", count=done.observations,
             pairs=done.pairs, refused=len(done.refused)))
    return 1 if done.refused and not done.pairs else 0


def cmd_export(args: argparse.Namespace) -> None:
    with _open(args) as wb:
        out = wb.exchange.export_results(args.out, args.period)
    print(tr("{file}: rekap hasil ditulis", file=out))


def cmd_keys_init(args: argparse.Namespace) -> None:
    with _open(args) as wb:
        key = wb.certificates.init_keys(_key_passphrase())
        if args.public_out:
            Path(args.public_out).write_bytes(wb.certificates.public_key())
    print(tr("kunci {key} dibuat", key=key))
    if args.public_out:
        print(tr("{file}: kunci publik", file=args.public_out))


def cmd_keys_export(args: argparse.Namespace) -> None:
    with _open(args) as wb:
        Path(args.out).write_bytes(wb.certificates.public_key())
    print(tr("{file}: kunci publik", file=args.out))


def cmd_certificates(args: argparse.Namespace) -> None:
    from workbench.usecases.certificates import issue_certificates

    with _open(args) as wb:
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
        issued = issue_certificates(wb, _key_passphrase(), args.out, period=args.period,
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
    with _open(args) as wb:
        shown = asdict(change_certificate_settings(wb, changes, args.period))
    if args.json:
        return _json(shown)
    _print_table([(key, value) for key, value in shown.items()], [tr("pengaturan"), tr("nilai")])


def _print_left_out(statuses: list[UnitStatus]) -> None:
    """Each unit that gets no certificate, and why."""
    for s in statuses:
        if not s.ready:
            print(tr("{unit}: tidak mendapat piagam: {reasons}", unit=s.unit,
                     reasons="; ".join(tr(REASONS[r]) for r in s.reasons)))


def cmd_verify(args: argparse.Namespace) -> int:
    from workbench.usecases.certificates import verify

    if args.db:
        with _open(args) as wb:
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
    with _open(args) as wb:
        wb.certificates.revoke(args.number, args.reason)
    print(tr("{number}: dicabut", number=args.number))


def cmd_revocations(args: argparse.Namespace) -> None:
    with _open(args) as wb:
        listed = wb.certificates.revocations()
    if args.out:
        Path(args.out).write_text(json.dumps(listed, ensure_ascii=False, indent=2), encoding="utf-8")
    _json(listed)


def cmd_reports(args: argparse.Namespace) -> None:
    from workbench.usecases.reports import write_reports

    with _open(args) as wb:
        written = write_reports(wb, args.out, units=args.unit, period=args.period)
    print(tr("{count} laporan unit dan rekapitulasi -> {folder}", count=len(written) - 1, folder=args.out))


def cmd_scores(args: argparse.Namespace) -> None:
    with _open(args) as wb:
        results = wb.results.scores(args.period, by_evaluator=args.by_evaluator)
    records = [{"unit": r.unit, "name": r.name, "institution": r.institution, "evaluator": r.evaluator,
                "ipp": r.ipp, "category": r.category, "label": r.label, "rank": r.rank, "aspects": r.aspects,
                "scored": r.scored, "total": r.total, "evaluators": r.evaluators} for r in results]
    if not args.by_evaluator:
        for record in records:
            del record["evaluator"]
    if args.json:
        return _json(records)
    aspects = list(results[0].aspects) if results and results[0].aspects else []
    if args.csv:
        writer = csv.writer(sys.stdout)
        writer.writerow(["rank", "unit", "name", "institution", "ipp", "category", "label", *aspects])
        for r in results:
            writer.writerow([csv_safe(v) for v in (r.rank, r.unit, r.name, r.institution, r.ipp, r.category, r.label,
                                                   *(r.aspects.get(a) for a in aspects))])
        return None
    _print_table([(r.rank, r.unit, r.name, r.evaluator or r.institution, "-" if r.ipp is None else f"{r.ipp:.2f}",
                   r.category, r.label, f"{r.scored}/{r.total}") for r in results],
                 ["#", tr("kode"), tr("unit"), tr("penilai") if args.by_evaluator else tr("instansi"), "IPP",
                  tr("kat."), tr("predikat"), tr("dinilai")])


def cmd_skm(args: argparse.Namespace) -> None:
    with _open(args) as wb:
        results = wb.surveys.ikm(wb.exchange.skm_responses(args.file), mode=args.weight_mode)
    if args.json:
        return _json([{"unit": unit, "respondents": r.respondents, "nrr": {k: round(v, 3) for k, v in r.nrr.items()},
                       "weight": r.weight, "ikm": round(r.ikm, 4), "nik": r.nik, "category": r.band.code,
                       "label": r.band.label} for unit, r in results.items()])
    _print_table([(unit or "-", r.respondents, f"{r.ikm:.3f}", f"{r.nik:.2f}", r.band.code, r.band.label)
                  for unit, r in results.items()],
                 [tr("unit"), tr("responden"), "IKM (1-4)", "IKM (25-100)", tr("mutu"), tr("kinerja")])


def cmd_survey_import(args: argparse.Namespace) -> int:
    with _open(args) as wb:
        done = wb.exchange.import_survey(args.file, form=args.form, unit=args.unit, period=args.period,
                                         mapping=args.map or None, skip_invalid=args.skip_invalid,
                                         dry_run=args.dry_run)
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


def cmd_survey_results(args: argparse.Namespace) -> None:
    with _open(args) as wb:
        if args.form != "skm":
            f03 = wb.surveys.f03_results(args.period, form=args.form)
            if args.json:
                return _json([asdict(r) for r in f03])
            return _print_table([(r.unit, r.respondents, f"{r.mean:.2f}" if r.mean is not None else "–",
                                  *(f"{r.aspects[a]:.2f}" if a in r.aspects else "–" for a in ("I", "II", "III", "IV",
                                                                                             "V"))) for r in f03],
                                [tr("unit"), tr("responden"), tr("rata-rata"), "I", "II", "III", "IV", "V"])
        inst = wb.surveys.instrument("skm")
        results = wb.surveys.results(args.period, mode=args.weight_mode)
        profiles = wb.surveys.profiles(args.period)
    names = {u.key: u.name for u in inst.unsur}
    if args.json:
        return _json([{"unit": unit, "respondents": r.respondents, "nrr": {k: round(v, 3) for k, v in r.nrr.items()},
                       "weighted_nrr": {k: round(v * r.weight, 4) for k, v in r.nrr.items()}, "weight": r.weight,
                       "ikm": round(r.ikm, 4), "nik": r.nik, "mutu": r.band.code, "kinerja": r.band.label,
                       "lowest": r.lowest[0], "lowest_all": r.lowest, "profile": profiles.get(unit, {})}
                      for unit, r in results.items()])
    _print_table([(unit, r.respondents, f"{r.ikm:.3f}", f"{r.nik:.2f}", r.band.code, r.band.label,
                   ", ".join(names[k] for k in r.lowest)) for unit, r in results.items()],
                 [tr("unit"), tr("responden"), "IKM (1-4)", "IKM (25-100)", tr("mutu"), tr("kinerja"),
                  tr("unsur terendah")])


def cmd_survey_report(args: argparse.Namespace) -> None:
    from workbench.usecases.reports import write_skm

    with _open(args) as wb:
        path = write_skm(wb, args.unit, args.out, period=args.period)
    print(tr("Laporan SKM disimpan: {path}", path=path))


def cmd_survey_status(args: argparse.Namespace) -> None:
    with _open(args) as wb:
        statuses = wb.surveys.status(args.period, form=args.form)
    if args.json:
        return _json([asdict(s) | {"enough": s.enough} for s in statuses])
    _print_table([(s.unit, s.name, s.population or "–", s.sample or "–", s.collected,
                   tr("cukup") if s.enough else tr("kurang") if s.sample else "–") for s in statuses],
                 [tr("unit"), tr("nama"), tr("populasi"), tr("sampel"), tr("terkumpul"), tr("keadaan")])


def cmd_survey_population(args: argparse.Namespace) -> None:
    with _open(args) as wb:
        wb.surveys.set_population(args.unit, args.population, form=args.form, period=args.period)
    print(tr("{unit}: populasi {population}, sampel Krejcie-Morgan {sample}", unit=args.unit,
             population=args.population, sample=krejcie_morgan(args.population)))


def cmd_sample(args: argparse.Namespace) -> None:
    print(krejcie_morgan(args.population))


def cmd_backup(args: argparse.Namespace) -> None:
    with _open(args, inspect=True) as wb:
        out = wb.maintenance.backup(args.out)
    print(tr("{file}: cadangan dibuat", file=out))


def cmd_check(args: argparse.Namespace) -> int:
    with _open(args, inspect=True) as wb:
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="workbench", description=tr(
        "Meja kerja evaluasi pelayanan publik (PEKPPP, SKM), tanpa jaringan."))
    parser.add_argument("--version", action="version", version=f"%(prog)s {version('pekppp-workbench')}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--as", dest="actor", metavar="NAME",
                        help=tr("nama Anda di log audit (bawaan: WORKBENCH_USER, atau pengguna sistem)"))

    def command(name: str, handler: Handler | None, help_text: str,
                parent: argparse._SubParsersAction[argparse.ArgumentParser] = sub) -> argparse.ArgumentParser:
        p = parent.add_parser(name, help=help_text, description=help_text, parents=[common] if handler else [])
        p.set_defaults(handler=handler)
        return p

    def db_argument(p: argparse.ArgumentParser) -> None:
        p.add_argument("db", metavar="DB", help=tr("berkas basis data (.sqlite)"))

    def period_option(p: argparse.ArgumentParser) -> None:
        p.add_argument("--period", help=tr("nama periode (bawaan: terbaru)"))

    def json_option(p: argparse.ArgumentParser) -> None:
        p.add_argument("--json", action="store_true", help=tr("keluaran JSON"))

    p = command("init", cmd_init, tr("Buat basis data baru"))
    db_argument(p)
    p.add_argument("--instrument", default=instruments.DEFAULT_INSTRUMENT,
                   help=tr("id dari `workbench instruments`, atau berkas .json/.xlsx/.ods (bawaan {default})",
                           default=instruments.DEFAULT_INSTRUMENT))
    p.add_argument("--period", help=tr("nama periode pertama (bawaan: tahun ini)"))
    p.add_argument("--encrypt", action="store_true",
                   help=tr("enkripsi basis data (SQLCipher); kata sandi dari prompt atau WORKBENCH_DB_PASSPHRASE"))

    json_option(command("instruments", cmd_instruments, tr("Daftar instrumen bawaan")))

    units = command("units", None, tr("Unit yang dievaluasi"))
    units_sub = units.add_subparsers(dest="units_command", required=True, metavar="ACTION")
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

    p = command("import", cmd_import, tr("Impor lembar penilaian evaluator"))
    db_argument(p)
    p.add_argument("--final", action="store_true", help=tr("nilai yang diimpor langsung final (diaudit)"))
    p.add_argument("files", nargs="+", metavar="FILE", help=tr("lembar kerja .xlsx, .xls atau .ods"))
    p.add_argument("--evaluator", metavar="NAME", help=tr("evaluator bila berkas tidak menyebutkannya"))
    p.add_argument("--period", help=tr("nama periode (bawaan: terbaru; templat membawa periodenya sendiri)"))
    p.add_argument("--map", action="append", metavar="HEADER=FIELD",
                   help=tr("petakan judul kolom ke kolom baku, mis. \"Skor Akhir=nilai\" (diingat)"))
    p.add_argument("--skip-invalid", action="store_true", help=tr("lewati baris yang salah, impor sisanya"))
    p.add_argument("--dry-run", action="store_true", help=tr("periksa saja, jangan simpan"))
    p.add_argument("--report", metavar="OUT", help=tr("tulis semua masalah ke .xlsx atau .csv"))
    json_option(p)

    package = command("package", None, tr("Paket evaluasi: pekerjaan evaluator beserta bukti dan riwayatnya"))
    package_sub = package.add_subparsers(dest="package_command", required=True, metavar="ACTION")
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
    p.add_argument("--skip-invalid", action="store_true", help=tr("lewati paket yang ditolak, gabungkan sisanya"))
    p.add_argument("--trust-new-key", action="store_true",
                   help=tr("terima kunci yang belum terdaftar untuk evaluatornya, setelah sidik jarinya dicocokkan"))
    p.add_argument("--dry-run", action="store_true", help=tr("periksa saja, jangan simpan"))
    p.add_argument("--report", metavar="OUT", help=tr("tulis semua masalah ke .xlsx atau .csv"))
    json_option(p)

    team = command("team", None, tr("Tim: siapa menilai unit mana, kunci, kit dan paket"))
    team_sub = team.add_subparsers(dest="team_command", required=True, metavar="ACTION")
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

    kit = command("kit", None, tr("Kit penugasan: yang dibutuhkan laptop evaluator"))
    kit_sub = kit.add_subparsers(dest="kit_command", required=True, metavar="ACTION")
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

    survey = command("survey", None, tr("Survei: kuesioner SKM dan F-03 para pengguna layanan"))
    survey_sub = survey.add_subparsers(dest="survey_command", required=True, metavar="ACTION")
    forms = list(FORMS)
    p = command("import", cmd_survey_import, tr("Impor kuesioner (xlsx, xls, ods, csv): satu baris satu responden"),
                survey_sub)
    db_argument(p)
    p.add_argument("file", metavar="FILE", help=tr("lembar kerja atau CSV kuesioner"))
    p.add_argument("--unit", metavar="CODE", help=tr("unit yang disurvei (bila berkas tidak punya kolom kode_unit)"))
    p.add_argument("--form", choices=forms, default="skm", help=tr("formulir (bawaan: skm)"))
    p.add_argument("--map", action="append", metavar="HEADER=FIELD",
                   help=tr("kolom berkas = kode butir atau data responden (boleh berulang)"))
    p.add_argument("--skip-invalid", action="store_true", help=tr("lewati baris yang salah, impor sisanya"))
    p.add_argument("--dry-run", action="store_true", help=tr("periksa saja, jangan simpan"))
    p.add_argument("--report", metavar="OUT", help=tr("tulis semua masalah ke .xlsx atau .csv"))
    period_option(p)
    p = command("results", cmd_survey_results, tr("IKM per unit (SKM) atau rata-rata F-03"), survey_sub)
    db_argument(p)
    p.add_argument("--form", choices=forms, default="skm", help=tr("formulir (bawaan: skm)"))
    p.add_argument("--weight-mode", choices=SKM_WEIGHT_MODES, help=tr("bobot unsur (bawaan: pengaturan)"))
    period_option(p)
    json_option(p)
    p = command("status", cmd_survey_status, tr("Responden terkumpul dibanding sampel Krejcie-Morgan"), survey_sub)
    db_argument(p)
    p.add_argument("--form", choices=forms, default="skm", help=tr("formulir (bawaan: skm)"))
    period_option(p)
    json_option(p)
    p = command("report", cmd_survey_report, tr("Laporan SKM sebuah unit (PDF)"), survey_sub)
    db_argument(p)
    p.add_argument("--unit", metavar="CODE", required=True, help=tr("kode unit"))
    p.add_argument("--out", metavar="FILE.pdf", required=True, help=tr("berkas PDF yang ditulis"))
    period_option(p)
    p = command("population", cmd_survey_population, tr("Catat populasi pengguna layanan unit dalam periode"),
                survey_sub)
    db_argument(p)
    p.add_argument("--unit", metavar="CODE", required=True, help=tr("kode unit"))
    p.add_argument("population", type=int, metavar="N", help=tr("jumlah pengguna layanan dalam periode"))
    p.add_argument("--form", choices=forms, default="skm", help=tr("formulir (bawaan: skm)"))
    period_option(p)

    p = command("status", cmd_status, tr("Progres tim: setiap unit, evaluatornya, dan siap tidaknya untuk piagam"))
    db_argument(p)
    period_option(p)
    json_option(p)

    period = command("period", None, tr("Periode evaluasi"))
    period_sub = period.add_subparsers(dest="period_command", required=True, metavar="ACTION")
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

    keys = command("keys", None, tr("Kunci tanda tangan kantor"))
    keys_sub = keys.add_subparsers(dest="keys_command", required=True, metavar="ACTION")
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

    p = command("skm", cmd_skm, tr("IKM dari lembar jawaban survei"))
    db_argument(p)
    p.add_argument("file", metavar="FILE", help=tr("lembar jawaban: satu baris per responden, kolom U1-U9"))
    p.add_argument("--weight-mode", choices=SKM_WEIGHT_MODES,
                   help=tr("bobot per unsur (bawaan: pengaturan basis data, awalnya exact)"))
    json_option(p)

    p = command("sample", cmd_sample, tr("Ukuran sampel Krejcie-Morgan untuk populasi"))
    p.add_argument("population", type=int, metavar="POPULATION", help=tr("jumlah pengguna layanan"))

    p = command("backup", cmd_backup, tr("Salin basis data dengan aman"))
    db_argument(p)
    p.add_argument("out", metavar="OUT", help=tr("berkas cadangan (tidak ditimpa)"))

    p = command("check", cmd_check, tr("Periksa integritas dan konsistensi"))
    db_argument(p)
    p.add_argument("--accept-keys", action="store_true",
                   help=tr("sahkan kunci komputer lain yang menandatangani log (basis data memang dipakai di sana)"))
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


if __name__ == "__main__":
    sys.exit(main())
