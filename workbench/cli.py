"""The `workbench` command line: a few lines per command over the Workbook facade.

Exit status: 0 success, 1 wrong input or data (nothing written), 2 usage error.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path

from workbench import instrument as instruments
from workbench.errors import ValidationFailed, WorkbenchError
from workbench.import_report import as_data, summary_lines, write_problem_report
from workbench.messages import text
from workbench.progress import Cancelled
from workbench.scoring import krejcie_morgan
from workbench.workbook import Workbook


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
    import os

    return os.environ.get("WORKBENCH_DB_PASSPHRASE") or None


def _open(path: str) -> Workbook:
    return Workbook(path, passphrase=_db_passphrase())


def cmd_init(args: argparse.Namespace) -> None:
    passphrase = None
    if args.encrypt:
        passphrase = _db_passphrase() or _passphrase("Kata sandi basis data / database passphrase: ")
    with Workbook.create(args.db, instrument=args.instrument, period=args.period, passphrase=passphrase) as wb:
        period = wb.period()
        print(f"{args.db}: dibuat / created; periode {period.name}, instrumen {period.instrument_id}")


def cmd_instruments(args: argparse.Namespace) -> None:
    loaded = [instruments.load(ident) for ident in instruments.shipped()]
    if args.json:
        return _json([{"id": i.id, "kind": i.kind, "name": i.name, "name_en": i.name_en, "version": i.version,
                       "regulation": i.regulation,
                       "items": len(i.indicators) if isinstance(i, instruments.Instrument) else len(i.unsur)}
                      for i in loaded])
    _print_table([(i.id, i.version, i.kind, i.name) for i in loaded], ["id", "versi", "jenis", "nama"])


def cmd_units_import(args: argparse.Namespace) -> None:
    with _open(args.db) as wb:
        done = wb.import_units(args.file)
    print(f"{Path(args.file).name}: {done.added} unit baru, {done.updated} diperbarui, {done.unchanged} tetap "
          f"/ {done.added} added, {done.updated} updated, {done.unchanged} unchanged")


def cmd_units_list(args: argparse.Namespace) -> None:
    with _open(args.db) as wb:
        units = wb.units()
    if args.json:
        return _json([asdict(u) | {"id": None} for u in units])
    _print_table([(u.code, u.name, u.institution) for u in units], ["kode", "unit", "instansi"])


def cmd_template(args: argparse.Namespace) -> None:
    with _open(args.db) as wb:
        rows = wb.write_template(args.out, evaluator=args.evaluator or wb.actor, units=args.unit or None,
                                 period=args.period)
    print(f"{args.out}: {rows} baris untuk diisi / rows to fill")


def cmd_import(args: argparse.Namespace) -> int:
    with _open(args.db) as wb:
        result = wb.import_observations(args.files, period=args.period, evaluator=args.evaluator,
                                        mapping=args.map or None, skip_invalid=args.skip_invalid,
                                        dry_run=args.dry_run)
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
            print(f"alpha Krippendorff (ordinal): {result.agreement['overall']:.3f}")
    if result.problems and not args.skip_invalid:
        print(f"galat / error: {text('problems_found', count=len(result.problems), first=result.problems[0])}",
              file=sys.stderr)
        return 1
    return 0


def cmd_conflicts(args: argparse.Namespace) -> None:
    with _open(args.db) as wb:
        conflicts = wb.conflicts(args.period)
    if args.json:
        return _json([{"unit": c.unit, "indicator": c.indicator, "scores": c.scores, "spread": c.spread,
                       "notes": c.notes} for c in conflicts])
    _print_table([(c.unit, c.indicator, ", ".join(f"{e}: {s}" for e, s in c.scores.items()), c.spread,
                   " | ".join(f"{e}: {n}" for e, n in c.notes.items() if n)[:80]) for c in conflicts],
                 ["unit", "indikator", "nilai", "selisih", "catatan"])


def cmd_resolve(args: argparse.Namespace) -> None:
    with _open(args.db) as wb:
        wb.set_consensus(unit=args.unit, indicator=args.indicator, score=args.score, reason=args.reason,
                         period=args.period)
    print(f"{args.unit} {args.indicator} = {args.score}: disepakati / agreed")


def cmd_export(args: argparse.Namespace) -> None:
    with _open(args.db) as wb:
        out = wb.export_results(args.out, args.period)
    print(f"{out}: rekap hasil ditulis / results written")


def _passphrase(prompt: str = "Kata sandi kunci / key passphrase: ") -> str:
    """From WORKBENCH_PASSPHRASE in scripts, else asked at the terminal without echo."""
    import getpass
    import os

    return os.environ.get("WORKBENCH_PASSPHRASE") or getpass.getpass(prompt)


def cmd_keys_init(args: argparse.Namespace) -> None:
    with _open(args.db) as wb:
        key = wb.init_keys(_passphrase())
        if args.public_out:
            Path(args.public_out).write_bytes(wb.public_key_pem())
    print(f"kunci / key {key} dibuat / created" + (f"; publik / public: {args.public_out}" if args.public_out else ""))


def cmd_keys_export(args: argparse.Namespace) -> None:
    with _open(args.db) as wb:
        Path(args.out).write_bytes(wb.public_key_pem())
    print(f"{args.out}: kunci publik / public key")


def cmd_certificates(args: argparse.Namespace) -> None:
    from reports.certificate import write_certificates  # the CLI composes core and reports

    with _open(args.db) as wb:
        certificates = wb.issue_certificates(_passphrase(), args.period, min_category=args.min_category)
        settings = wb.certificate_settings(args.period)
    paths = write_certificates([c for c in certificates if not c.revoked], settings, args.out)
    for cert in certificates:
        print(f"{cert.number}  {cert.unit}  {cert.category}  {'DICABUT / REVOKED' if cert.revoked else ''}".rstrip())
    print(f"{len(paths) - 1} piagam / certificates -> {args.out}")


def cmd_verify(args: argparse.Namespace) -> int:
    from reports.certificate import token_from_pdf
    from workbench.certificates import verify_token
    from workbench.signing import key_id, load_public

    page_text = None
    token = args.target
    if Path(args.target).suffix.lower() == ".pdf":
        if not Path(args.target).is_file():
            raise WorkbenchError("file_missing", file=args.target)
        found, page_text = token_from_pdf(args.target)
        if found is None:
            raise WorkbenchError("verify_no_token", file=Path(args.target).name)
        token = found
    if args.db:
        with _open(args.db) as wb:
            verdict = wb.verify(token, text_of_pdf=page_text)
    else:
        pem = Path(args.public_key).read_bytes()
        verdict = verify_token(token, {key_id(load_public(pem)): pem}, None, text_of_pdf=page_text)
    print(verdict.message)
    return 0 if verdict.valid else 1


def cmd_revoke(args: argparse.Namespace) -> None:
    with _open(args.db) as wb:
        wb.revoke(args.number, args.reason)
    print(f"{args.number}: dicabut / revoked")


def cmd_revocations(args: argparse.Namespace) -> None:
    with _open(args.db) as wb:
        listed = wb.revocations()
    if args.out:
        Path(args.out).write_text(json.dumps(listed, ensure_ascii=False, indent=2), encoding="utf-8")
    _json(listed)


def cmd_reports(args: argparse.Namespace) -> None:
    from reports.evaluation import write_recap, write_unit_report

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with _open(args.db) as wb:
        period = wb.period(args.period).name
        settings = wb.certificate_settings(period)
        codes = args.unit or [r.unit for r in wb.scores(period) if r.ipp is not None]
        for code in codes:
            write_unit_report(wb.unit_report(code, period), out / f"laporan-{wb.unit(code).code}.pdf",
                              place=settings.place, on=settings.issued_on or None)
        write_recap(wb.scores(period), period, out / "rekapitulasi.pdf")
    print(f"{len(codes)} laporan unit dan rekapitulasi / unit reports and recap -> {out}")


def cmd_scores(args: argparse.Namespace) -> None:
    with _open(args.db) as wb:
        results = wb.scores(args.period, by_evaluator=args.by_evaluator)
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
            writer.writerow([r.rank, r.unit, r.name, r.institution, r.ipp, r.category, r.label,
                             *(r.aspects.get(a) for a in aspects)])
        return None
    _print_table([(r.rank, r.unit, r.name, r.evaluator or r.institution, "-" if r.ipp is None else f"{r.ipp:.2f}",
                   r.category, r.label, f"{r.scored}/{r.total}") for r in results],
                 ["#", "kode", "unit", "penilai" if args.by_evaluator else "instansi", "IPP", "kat.", "predikat",
                  "dinilai"])


def cmd_skm(args: argparse.Namespace) -> None:
    with _open(args.db) as wb:
        results = wb.skm(args.file, mode=args.weight_mode)
    if args.json:
        return _json([{"unit": unit, "respondents": r.respondents, "nrr": {k: round(v, 3) for k, v in r.nrr.items()},
                       "weight": r.weight, "ikm": round(r.ikm, 4), "nik": r.nik, "category": r.band.code,
                       "label": r.band.label} for unit, r in results.items()])
    _print_table([(unit or "-", r.respondents, f"{r.ikm:.3f}", f"{r.nik:.2f}", r.band.code, r.band.label)
                  for unit, r in results.items()], ["unit", "responden", "IKM (1-4)", "IKM (25-100)", "mutu",
                                                    "kinerja"])


def cmd_sample(args: argparse.Namespace) -> None:
    print(krejcie_morgan(args.population))


def cmd_backup(args: argparse.Namespace) -> None:
    with _open(args.db) as wb:
        out = wb.backup(args.out)
    print(f"{out}: cadangan dibuat / backup written")


def cmd_check(args: argparse.Namespace) -> int:
    with _open(args.db) as wb:
        problems = wb.check()
    for problem in problems:
        print(problem)
    print(f"{args.db}: {'baik / sound' if not problems else f'{len(problems)} masalah / problems'}")
    return 1 if problems else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="workbench", description=(
        "Meja kerja evaluasi pelayanan publik (PEKPPP, SKM) / Evaluation workbench for public services."))
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, handler: Callable, help_text: str, parent: argparse._SubParsersAction = sub
                ) -> argparse.ArgumentParser:
        p = parent.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(handler=handler)
        return p

    p = command("init", cmd_init, "Buat basis data baru / create a new database")
    p.add_argument("db", metavar="DB")
    p.add_argument("--instrument", default=instruments.DEFAULT_INSTRUMENT,
                   help="id dari `workbench instruments`, atau berkas .json/.xlsx/.ods (default %(default)s)")
    p.add_argument("--period", help="nama periode pertama (default: tahun ini)")
    p.add_argument("--encrypt", action="store_true",
                   help="enkripsi basis data (SQLCipher); kata sandi dari prompt atau WORKBENCH_DB_PASSPHRASE")

    p = command("instruments", cmd_instruments, "Daftar instrumen bawaan / list the shipped instruments")
    p.add_argument("--json", action="store_true", help="keluaran JSON")

    units = command("units", None, "Unit yang dievaluasi / units under evaluation")
    units_sub = units.add_subparsers(dest="units_command", required=True, metavar="ACTION")
    p = command("import", cmd_units_import, "Daftarkan instansi dan unit dari lembar kerja / register units from a "
                "sheet (kode_unit, nama_unit, instansi)", units_sub)
    p.add_argument("db", metavar="DB")
    p.add_argument("file", metavar="FILE")
    p = command("list", cmd_units_list, "Tampilkan unit / list units", units_sub)
    p.add_argument("db", metavar="DB")
    p.add_argument("--json", action="store_true", help="keluaran JSON")

    p = command("template", cmd_template, "Templat xlsx untuk evaluator / xlsx template for an evaluator")
    p.add_argument("db", metavar="DB")
    p.add_argument("--out", required=True, metavar="FILE.xlsx", help="berkas templat yang ditulis")
    p.add_argument("--evaluator", metavar="NAME", help="nama evaluator (diisi otomatis saat impor)")
    p.add_argument("--unit", action="append", metavar="CODE", help="hanya unit ini (boleh berulang)")
    p.add_argument("--period", help="nama periode (default: terbaru)")

    p = command("import", cmd_import, "Impor lembar penilaian evaluator / import evaluators' observation sheets")
    p.add_argument("db", metavar="DB")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--evaluator", metavar="NAME", help="evaluator bila berkas tidak menyebutkannya")
    p.add_argument("--period", help="nama periode (default: terbaru; templat membawa periodenya sendiri)")
    p.add_argument("--map", action="append", metavar="HEADER=FIELD",
                   help="petakan judul kolom ke kolom baku, mis. \"Skor Akhir=nilai\" (diingat)")
    p.add_argument("--skip-invalid", action="store_true", help="lewati baris yang salah, impor sisanya")
    p.add_argument("--dry-run", action="store_true", help="periksa dan hitung saja, tanpa menyimpan")
    p.add_argument("--report", metavar="OUT", help="tulis semua masalah ke .xlsx atau .csv")
    p.add_argument("--json", action="store_true", help="keluaran JSON")

    p = command("conflicts", cmd_conflicts, "Perbedaan nilai antar-evaluator / open disagreements")
    p.add_argument("db", metavar="DB")
    p.add_argument("--period", help="nama periode (default: terbaru)")
    p.add_argument("--json", action="store_true", help="keluaran JSON")

    p = command("resolve", cmd_resolve, "Catat nilai kesepakatan / record the agreed score")
    p.add_argument("db", metavar="DB")
    p.add_argument("--unit", required=True, metavar="CODE", help="kode unit")
    p.add_argument("--indicator", required=True, metavar="CODE", help="kode indikator")
    p.add_argument("--score", required=True, type=int, metavar="N", help="nilai yang disepakati (0-5)")
    p.add_argument("--reason", required=True, metavar="TEXT", help="alasan (masuk log audit)")
    p.add_argument("--period", help="nama periode (default: terbaru)")

    p = command("export", cmd_export, "Buku kerja rekap hasil / results workbook")
    p.add_argument("db", metavar="DB")
    p.add_argument("--out", required=True, metavar="FILE.xlsx", help="berkas yang ditulis")
    p.add_argument("--period", help="nama periode (default: terbaru)")

    keys = command("keys", None, "Kunci tanda tangan kantor / the office's signing keys")
    keys_sub = keys.add_subparsers(dest="keys_command", required=True, metavar="ACTION")
    p = command("init", cmd_keys_init, "Buat pasangan kunci Ed25519 / create the Ed25519 key pair", keys_sub)
    p.add_argument("db", metavar="DB")
    p.add_argument("--public-out", metavar="FILE", help="tulis juga kunci publik ke berkas ini")
    p = command("export", cmd_keys_export, "Tulis kunci publik untuk diumumkan / write the public key", keys_sub)
    p.add_argument("db", metavar="DB")
    p.add_argument("out", metavar="FILE")

    p = command("certificates", cmd_certificates, "Terbitkan piagam PDF / issue PDF award certificates")
    p.add_argument("db", metavar="DB")
    p.add_argument("--out", required=True, metavar="DIR", help="folder untuk PDF")
    p.add_argument("--min-category", metavar="CAT", help="kategori minimal (default pengaturan periode: A-)")
    p.add_argument("--period", help="nama periode (default: terbaru)")

    p = command("verify", cmd_verify, "Periksa keaslian piagam tanpa jaringan / verify a certificate offline")
    p.add_argument("target", metavar="PDF_OR_TOKEN")
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--public-key", metavar="FILE", help="kunci publik kantor penerbit (.pem)")
    source.add_argument("--db", metavar="DB", help="basis data penerbit (memeriksa pencabutan juga)")

    p = command("revoke", cmd_revoke, "Cabut piagam / revoke a certificate")
    p.add_argument("db", metavar="DB")
    p.add_argument("number", metavar="NUMBER")
    p.add_argument("--reason", required=True, metavar="TEXT", help="alasan pencabutan")

    p = command("revocations", cmd_revocations, "Daftar piagam yang dicabut / the revocation list")
    p.add_argument("db", metavar="DB")
    p.add_argument("--out", metavar="FILE.json", help="tulis juga ke berkas")

    p = command("reports", cmd_reports, "Laporan hasil evaluasi per unit dan rekapitulasi (PDF) / evaluation reports")
    p.add_argument("db", metavar="DB")
    p.add_argument("--out", required=True, metavar="DIR", help="folder untuk PDF")
    p.add_argument("--unit", action="append", metavar="CODE", help="hanya unit ini (boleh berulang)")
    p.add_argument("--period", help="nama periode (default: terbaru)")

    p = command("scores", cmd_scores, "IPP, kategori dan peringkat per unit / IPP, category and rank per unit")
    p.add_argument("db", metavar="DB")
    p.add_argument("--period", help="nama periode (default: terbaru)")
    p.add_argument("--by-evaluator", action="store_true", help="satu baris per unit dan evaluator")
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="keluaran JSON")
    fmt.add_argument("--csv", action="store_true", help="keluaran CSV")

    p = command("skm", cmd_skm, "IKM dari lembar jawaban survei / IKM from a sheet of survey responses")
    p.add_argument("db", metavar="DB")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--weight-mode", choices=("exact", "0.111", "0.11"),
                   help="bobot per unsur (default: pengaturan basis data, awalnya exact)")
    p.add_argument("--json", action="store_true", help="keluaran JSON")

    p = command("sample", cmd_sample, "Ukuran sampel Krejcie-Morgan untuk populasi / Krejcie-Morgan sample size")
    p.add_argument("population", type=int, metavar="POPULATION")

    p = command("backup", cmd_backup, "Salin basis data dengan aman / consistent copy of the database")
    p.add_argument("db", metavar="DB")
    p.add_argument("out", metavar="OUT")

    p = command("check", cmd_check, "Periksa integritas dan konsistensi / integrity and consistency check")
    p.add_argument("db", metavar="DB")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit status (0 ok, 1 bad input or data, 2 usage)."""
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args) or 0
    except ValidationFailed as exc:
        print(f"galat / error: {exc}", file=sys.stderr)
        for problem in exc.problems[1:50]:
            print(f"  {problem}", file=sys.stderr)
        return 1
    except WorkbenchError as exc:
        print(f"galat / error: {exc}", file=sys.stderr)
        return 1
    except Cancelled:
        print(text("cancelled"), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
