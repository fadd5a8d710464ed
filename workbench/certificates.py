"""Award certificates: who is eligible, numbering, signing, revocation and offline verification."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from datetime import date

from workbench import signing
from workbench.errors import NotFound, WorkbenchError
from workbench.export import Exports
from workbench.messages import text
from workbench.store import now

MONTHS_ID = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
             "November", "Desember")


def indonesian_date(iso: str) -> str:
    """"2022-03-08" -> "8 Maret 2022"."""
    day = date.fromisoformat(iso)
    return f"{day.day} {MONTHS_ID[day.month - 1]} {day.year}"


@dataclass
class CertificateSettings:
    """Everything printed on a period's certificates; stored per period and editable in the GUI."""

    title: str = "PIAGAM PENGHARGAAN"
    intro: str = "diberikan kepada"
    wording: str = "sebagai Unit Penyelenggara Pelayanan Publik dengan Kategori {label} ({category})"
    evaluation: str = "atas hasil Evaluasi Kinerja Penyelenggaraan Pelayanan Publik Tahun {year}"
    show_score: bool = False
    place: str = "Jakarta"
    issued_on: str = ""  # ISO date; empty means the day of issue
    signatory_title: str = "Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Republik Indonesia"
    signatory_name: str = ""
    signatory_nip: str = ""
    logo: str = ""  # path of an image file
    numbering: str = "{seq:03d}/PP/{year}"
    min_category: str = "A-"


@dataclass(frozen=True)
class Certificate:
    """An issued certificate, with what the PDF prints."""

    number: str
    unit: str
    unit_name: str
    institution: str
    period: str
    year: int
    category: str
    label: str
    score: float
    issued_on: str
    token: str
    key_id: str
    revoked: bool = False
    revoked_reason: str | None = None


@dataclass(frozen=True)
class Verdict:
    """The outcome of checking a token: `valid`, and the message that says why (not)."""

    valid: bool
    message: str
    claims: dict = field(default_factory=dict)


class Certificates(Exports):
    """Keys, eligibility, issuing, revoking and verifying."""

    # --- keys ------------------------------------------------------------------------------

    def init_keys(self, passphrase: str) -> str:
        """Create the office's signing key pair (private half encrypted); returns its key id."""
        existing = self.one("SELECT key_id FROM signing_keys")
        if existing:
            raise WorkbenchError("key_exists", key_id=existing[0])
        try:
            pair = signing.new_key_pair(passphrase)
        except ValueError as exc:
            raise WorkbenchError("short_passphrase") from exc
        with self.transaction():
            self.conn.execute("INSERT INTO signing_keys (key_id, public_pem, private_pem, created_at) "
                              "VALUES (?, ?, ?, ?)", (pair.key_id, pair.public_pem.decode(), pair.private_pem.decode(),
                                                      now()))
        return pair.key_id

    def public_key_pem(self) -> bytes:
        """The public key to publish, as PEM."""
        row = self.one("SELECT public_pem FROM signing_keys")
        if row is None:
            raise WorkbenchError("no_key")
        return row[0].encode()

    def _private_key(self, passphrase: str) -> signing.Ed25519PrivateKey:
        row = self.one("SELECT private_pem FROM signing_keys")
        if row is None:
            raise WorkbenchError("no_key")
        try:
            return signing.load_private(row[0].encode(), passphrase)
        except (ValueError, TypeError) as exc:
            raise WorkbenchError("bad_passphrase") from exc

    # --- settings --------------------------------------------------------------------------

    def certificate_settings(self, period: str | None = None) -> CertificateSettings:
        row = self.one("SELECT settings FROM certificate_settings WHERE period_id = ?", (self.period(period).id,))
        known = {f.name for f in fields(CertificateSettings)}
        return CertificateSettings(**{k: v for k, v in json.loads(row[0]).items() if k in known}) if row \
            else CertificateSettings()

    def set_certificate_settings(self, settings: CertificateSettings, period: str | None = None) -> None:
        """Store a period's certificate settings after checking the category and numbering scheme."""
        p = self.period(period)
        self._band_index(p.name, settings.min_category)
        try:
            settings.numbering.format(seq=1, year=2026)
        except (KeyError, ValueError, IndexError) as exc:
            raise WorkbenchError("bad_setting", name="numbering", value=settings.numbering,
                                 choices="{seq:03d}, {year}") from exc
        with self.transaction():
            self.conn.execute("INSERT INTO certificate_settings (period_id, settings) VALUES (?, ?) "
                              "ON CONFLICT (period_id) DO UPDATE SET settings = excluded.settings",
                              (p.id, json.dumps(asdict(settings), ensure_ascii=False)))

    def _band_index(self, period: str, code: str) -> int:
        bands = [b.code for b in self._scored_instrument(self.period(period)).bands]
        if code not in bands:
            raise WorkbenchError("bad_category", code=code, choices=", ".join(bands))
        return bands.index(code)

    # --- issuing ---------------------------------------------------------------------------

    def eligible_units(self, period: str | None = None, *, min_category: str | None = None) -> list[str]:
        """Units at or above the minimum category, with every indicator scored and final and no open conflict."""
        p = self.period(period)
        limit = self._band_index(p.name, min_category or self.certificate_settings(p.name).min_category)
        drafts = {r[0] for r in self.conn.execute(
            "SELECT DISTINCT u.code FROM observations o JOIN units u ON u.id = o.unit_id "
            "WHERE o.period_id = ? AND o.status = 'draft' AND o.score IS NOT NULL", (p.id,))}
        return [r.unit for r in self.scores(p.name)
                if r.category and self._band_index(p.name, r.category) <= limit and r.complete
                and not r.conflicts and r.unit not in drafts]

    def issue_certificates(self, passphrase: str, period: str | None = None, *, min_category: str | None = None
                           ) -> list[Certificate]:
        """Sign and record a certificate for every eligible unit; a unit issued before keeps its number."""
        p = self.period(period)
        settings = self.certificate_settings(p.name)
        issued_on = settings.issued_on or date.today().isoformat()
        private = self._private_key(passphrase)
        results = {r.unit: r for r in self.scores(p.name)}
        year = p.year or date.today().year
        with self.transaction():
            for code in self.eligible_units(p.name, min_category=min_category):
                unit = self.unit(code)
                if self.one("SELECT 1 FROM certificates WHERE period_id = ? AND unit_id = ?", (p.id, unit.id)):
                    continue
                seq = self.one("SELECT coalesce(max(seq), 0) + 1 FROM certificates WHERE period_id = ?", (p.id,))[0]
                number = settings.numbering.format(seq=seq, year=year)
                result = results[code]
                token = signing.sign({"number": number, "unit": unit.code, "unit_name": unit.name,
                                      "institution": unit.institution, "period": p.name, "category": result.category,
                                      "score": result.ipp, "date": issued_on}, private)
                self.conn.execute(
                    "INSERT INTO certificates (number, period_id, unit_id, seq, category, score, issued_on, token, "
                    "key_id, revoked) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0)",
                    (number, p.id, unit.id, seq, result.category, result.ipp, issued_on, token,
                     signing.key_id(private.public_key())))
                self.audit(entity="certificate", entity_uuid=number, field="issued", old=None, new=code)
        return self.certificates(p.name)

    def certificates(self, period: str | None = None) -> list[Certificate]:
        """Issued certificates of a period, by number order."""
        p = self.period(period)
        inst = self._scored_instrument(p)
        labels = {b.code: b.label for b in inst.bands}
        rows = self.conn.execute(
            "SELECT c.number, u.code, u.name, i.name, c.category, c.score, c.issued_on, c.token, c.key_id, c.revoked, "
            "c.revoked_reason FROM certificates c JOIN units u ON u.id = c.unit_id "
            "JOIN institutions i ON i.id = u.institution_id WHERE c.period_id = ? ORDER BY c.seq", (p.id,))
        return [Certificate(number, unit, name, institution, p.name, p.year or 0, category, labels[category], score,
                            issued_on, token, key, bool(revoked), reason)
                for number, unit, name, institution, category, score, issued_on, token, key, revoked, reason in rows]

    def revoke(self, number: str, reason: str) -> None:
        """Revoke a certificate (audited); verification then rejects it."""
        if not reason.strip():
            raise WorkbenchError("reason_required", code=number)
        with self.transaction():
            if self.one("SELECT 1 FROM certificates WHERE number = ?", (number,)) is None:
                raise NotFound("certificate_unknown", number=number)
            self.conn.execute("UPDATE certificates SET revoked = 1, revoked_reason = ?, revoked_at = ? "
                              "WHERE number = ?", (reason, now(), number))
            self.audit(entity="certificate", entity_uuid=number, field="revoked", old=0, new=1, reason=reason)

    def revocations(self) -> list[dict]:
        """The revocation list to publish: number, reason, when."""
        return [{"number": n, "reason": r, "revoked_at": at} for n, r, at in self.conn.execute(
            "SELECT number, revoked_reason, revoked_at FROM certificates WHERE revoked ORDER BY revoked_at")]

    def verify(self, token: str, *, text_of_pdf: str | None = None) -> Verdict:
        """Check a token against this database's key and revocations (see `verify_token`)."""
        keys = {r[0]: r[1].encode() for r in self.conn.execute("SELECT key_id, public_pem FROM signing_keys")}
        revoked = {r["number"]: r["reason"] for r in self.revocations()}
        return verify_token(token, keys, revoked, text_of_pdf=text_of_pdf)


def verify_token(token: str, public_keys: dict[str, bytes], revoked: dict[str, str] | None = None, *,
                 text_of_pdf: str | None = None) -> Verdict:
    """Check a certificate token offline: its format, the key that signed it, the signature, revocation
    (when a revocation list is given) and, for a PDF, that the printed text still says what was signed."""
    try:
        claims, signed, signature = signing.read(token)
    except ValueError:
        return Verdict(False, text("verify_malformed"))
    key = str(claims.get("key", ""))
    if key not in public_keys:
        return Verdict(False, text("verify_unknown_key", key_id=key), claims)
    if not signing.signature_valid(signing.load_public(public_keys[key]), signed, signature):
        return Verdict(False, text("verify_bad_signature"), claims)
    if revoked is not None and claims.get("number") in revoked:
        return Verdict(False, text("verify_revoked", number=claims["number"], reason=revoked[claims["number"]]),
                       claims)
    if text_of_pdf is not None:
        flat = " ".join(text_of_pdf.split())
        for name in ("number", "unit_name", "institution"):
            if str(claims.get(name, "")) not in flat:
                return Verdict(False, text("verify_tampered", field=name), claims)
    message = text("verify_valid", **{k: claims.get(k, "") for k in ("number", "unit_name", "unit", "category",
                                                                      "period", "date")})
    return Verdict(True, message + ("" if revoked is not None else text("verify_unchecked")), claims)
