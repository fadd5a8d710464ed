"""Issuing certificates as PDFs, drawing one for a preview, and verifying a PDF or a token."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reports.certificate import certificate_pdf, token_fits, write_certificates
from reports.pdf_page import read_page
from workbench.certificates import tokens
from workbench.certificates.service import Certificate
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
    certificates = wb.certificates.issue(passphrase, period, min_category=min_category, fits=token_fits)
    files = write_certificates([c for c in certificates if not c.revoked], wb.certificates.settings(period),
                               out_dir, progress=progress, cancel=cancel)
    return Issued(certificates, files)


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
