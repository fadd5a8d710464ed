"""Issuing certificates as PDFs, drawing one for a preview, and verifying a PDF or a token."""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import partial
from pathlib import Path

from reports.certificate import certificate_pdf, layout_problem, settings_problem, write_certificates
from reports.pdf_page import read_page
from workbench.certificates import tokens
from workbench.certificates.service import Certificate, CertificateSettings
from workbench.certificates.verify import Verdict, verify_token
from workbench.errors import NotFound, WorkbenchError
from workbench.progress import CancelToken, ProgressCallback
from workbench.workbook import Workbook


@dataclass(frozen=True)
class Issued:
    """Every certificate of the period (revoked ones too) and the PDFs written for the valid ones."""

    certificates: list[Certificate]
    files: list[Path]  # one PDF per valid certificate, then the combined one for printing (none without one)


def issue_certificates(wb: Workbook, passphrase: str, out_dir: str | Path, *, period: str | None = None,
                       min_category: str | None = None, progress: ProgressCallback | None = None,
                       cancel: CancelToken | None = None) -> Issued:
    """Sign every eligible unit's certificate (numbers kept for those issued before) and write the PDFs."""
    settings = wb.certificates.settings(period)
    certificates = wb.certificates.issue(passphrase, period, min_category=min_category,
                                         layout=partial(layout_problem, settings=settings))
    files = write_certificates([c for c in certificates if not c.revoked], settings, out_dir, progress=progress,
                               cancel=cancel)
    return Issued(certificates, files)


def save_certificate_settings(wb: Workbook, settings: CertificateSettings, period: str | None = None) -> None:
    """Store a period's certificate settings (audited), refused when certificates with them would not print
    whole (a signatory's title and name too long for the signature block, a title that pushes the text down)."""
    problem = settings_problem(settings)
    if problem is not None:
        raise WorkbenchError("Pengaturan piagam tidak disimpan: {problem}", problem=problem)
    wb.certificates.save_settings(settings, period)


def change_certificate_settings(wb: Workbook, changes: dict[str, str], period: str | None = None
                                ) -> CertificateSettings:
    """A period's certificate settings with some changed as typed (key -> text: `show_score` takes ya/tidak,
    `logo` a path to an image), stored as `save_certificate_settings` stores them; returns them as stored."""
    settings = wb.certificates.settings(period)
    known = {f.name for f in fields(settings)}
    for key, value in ((k.strip(), v.strip()) for k, v in changes.items()):
        if key not in known:
            raise WorkbenchError("Pengaturan {name} tidak dikenal (pilihan: {choices})", name=key,
                                 choices=", ".join(sorted(known)))
        if key == "show_score":
            if value.lower() not in ("ya", "tidak", "true", "false", "1", "0"):
                raise WorkbenchError("Pengaturan {name} tidak boleh '{value}' (pilihan: {choices})", name=key,
                                     value=value, choices="ya, tidak")
            settings.show_score = value.lower() in ("ya", "true", "1")
        elif key == "logo" and value and not Path(value).is_file():
            raise WorkbenchError("{file}: berkas tidak ditemukan", file=value)
        else:
            setattr(settings, key, value)
    if changes:
        save_certificate_settings(wb, settings, period)
    return wb.certificates.settings(period)


def certificate_file(wb: Workbook, number: str, out_dir: str | Path, *, period: str | None = None) -> Path:
    """The PDF of one issued certificate in `out_dir`, drawn now if it is not there yet."""
    from reports.certificate import safe_name

    path = Path(out_dir) / safe_name(number)
    if not path.exists():
        found = [c for c in wb.certificates.issued(period) if c.number == number]
        if not found:
            raise NotFound("Piagam tidak dikenal: {number}", number=number)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(certificate_pdf(found[0], wb.certificates.settings(period)))
    return path


def verify(target: str, *, public_key: str | Path | None = None, wb: Workbook | None = None) -> Verdict:
    """Check a certificate PDF (its token and every signed fact on its page) or a bare token, against a public
    key file or against a workbook (which also knows the register and the revocations)."""
    page = None
    token = target.strip()
    if Path(target).suffix.lower() == ".pdf":
        if not Path(target).is_file():
            raise NotFound("{file}: berkas tidak ditemukan", file=target)
        page = read_page(target)
        found = page.token or page.printed_token()
        if found is None:
            raise WorkbenchError("{file}: tidak ada token piagam di PDF ini", file=Path(target).name)
        token = found
    if wb is not None:
        return wb.certificates.verify(token, page=page)
    if public_key is None:
        raise WorkbenchError("Beri kunci publik atau basis data penerbit")
    pem = _public_key_file(Path(public_key))
    return verify_token(token, {tokens.key_id(tokens.load_public(pem)): pem}, None, page=page)


def _public_key_file(path: Path) -> bytes:
    """The PEM of an Ed25519 public key file; one clear error for a missing file or another kind of key."""
    try:
        pem = path.read_bytes()
        tokens.load_public(pem)
    except OSError as exc:
        raise NotFound("{file}: berkas tidak ditemukan", file=str(path)) from exc
    except (ValueError, TypeError) as exc:
        raise WorkbenchError("{file}: bukan kunci publik Ed25519 (PEM) dari `workbench keys`",
                             file=path.name) from exc
    return pem
