"""The certificates of a workbook: the office's keys, settings per period, eligibility, issuing and revoking."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, fields, replace
from datetime import date
from string import Formatter

from workbench.certificates import tokens
from workbench.certificates.printed import PrintedPage
from workbench.certificates.verify import Verdict, verify_token
from workbench.db.audit import AuditLog, Change, digest
from workbench.db.store import Store, now
from workbench.domain.values import field_text
from workbench.errors import NotFound, WorkbenchError
from workbench.events import Changes
from workbench.i18n import N_, tr
from workbench.observations import Observations, UnitProgress
from workbench.registry import Period, Registry
from workbench.results import Results


@dataclass
class CertificateSettings:
    """Everything printed on a period's certificates; stored per period and editable in the app."""

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


# why a unit is not ready for a certificate (words for --json; the text a person reads next to them)
REASONS = {"unscored": N_("belum dinilai"), "incomplete": N_("belum semua indikator dinilai"),
           "draft": N_("masih ada nilai draf"), "conflict": N_("ada konflik antar-evaluator"),
           "below_minimum": N_("di bawah kategori minimal")}


@dataclass(frozen=True)
class UnitStatus:
    """Where a unit stands in the round: each evaluator's progress, conflicts, its result, and whether it is
    ready for a certificate, or why not."""

    unit: str
    name: str
    institution: str
    evaluators: list[UnitProgress]  # `unit` of each holds the evaluator's name
    conflicts: int
    ipp: float | None
    category: str | None
    label: str | None
    ready: bool
    reasons: list[str]  # keys of REASONS
    certificate: str | None  # its number, when issued and not revoked


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
    revoked_at: str | None = None


class Certificates:
    """Keys, settings, eligibility, issuing, revoking and verifying against this workbook."""

    def __init__(self, store: Store, registry: Registry, observations: Observations, results: Results,
                 audit: AuditLog) -> None:
        self._store = store
        self._registry = registry
        self._observations = observations
        self._results = results
        self._audit = audit

    # --- keys ------------------------------------------------------------------------------

    def init_keys(self, passphrase: str) -> str:
        """Create the office's signing key pair (private half encrypted); returns its key id."""
        existing = self._store.value("SELECT key_id FROM signing_keys")
        if existing:
            raise WorkbenchError("Kunci tanda tangan sudah ada ({key_id})", key_id=existing)
        pair = tokens.new_key_pair(passphrase)
        with self._store.transaction():
            self._store.execute("INSERT INTO signing_keys (key_id, public_pem, private_pem, created_at) "
                                     "VALUES (?, ?, ?, ?)",
                                     (pair.key_id, pair.public_pem.decode(), pair.private_pem.decode(), now()))
            self._audit.append([Change("signing_key", pair.key_id, "public_pem", None,
                                       digest(pair.public_pem.decode()))])
            self._store.changed(Changes(certificate=True))
        return pair.key_id

    def public_key(self) -> bytes:
        """The public key to publish, as PEM; refused when it is not the key the audit log recorded."""
        row = self._store.one("SELECT key_id, public_pem FROM signing_keys")
        if row is None:
            raise WorkbenchError("Belum ada kunci tanda tangan; buat kunci lebih dahulu")
        if self._audit.latest("signing_key", "public_pem").get(str(row[0])) != digest(str(row[1])):
            raise WorkbenchError("Kunci publik di basis data ini tidak sesuai log audit; periksa dengan "
                                 "`workbench check`")
        return str(row[1]).encode()

    def _private_key(self, passphrase: str) -> tokens.Ed25519PrivateKey:
        pem = self._store.value("SELECT private_pem FROM signing_keys")
        if pem is None:
            raise WorkbenchError("Belum ada kunci tanda tangan; buat kunci lebih dahulu")
        try:
            return tokens.load_private(str(pem).encode(), passphrase)
        except (ValueError, TypeError) as exc:
            raise WorkbenchError("Kata sandi kunci salah") from exc

    # --- settings --------------------------------------------------------------------------

    def settings(self, period: str | None = None) -> CertificateSettings:
        """The period's certificate settings, or the defaults."""
        stored = self._store.value("SELECT settings FROM certificate_settings WHERE period_id = ?",
                                   (self._registry.period(period).id,))
        if stored is None:
            return CertificateSettings()
        known = {f.name for f in fields(CertificateSettings)}
        return CertificateSettings(**{k: v for k, v in json.loads(stored).items() if k in known})

    def save_settings(self, settings: CertificateSettings, period: str | None = None) -> None:
        """Store a period's certificate settings after checking the category and numbering scheme."""
        p = self._registry.period(period)
        settings = replace(settings)
        for f in fields(settings):
            if isinstance(value := getattr(settings, f.name), str):
                setattr(settings, f.name, field_text(value, "setting", f.name))
        self._band_index(p, settings.min_category)
        if settings.issued_on:
            tokens.certificate_date(settings.issued_on)
        if "{label} ({category})" not in settings.wording:
            raise WorkbenchError("Kalimat piagam harus memuat {placeholder}: kategori dicetak dan diperiksa di sana",
                                 placeholder="{label} ({category})")
        if not _numbering_ok(settings.numbering):
            raise WorkbenchError("Pengaturan {name} tidak boleh '{value}' (pilihan: {choices})", name="numbering",
                                 value=settings.numbering, choices="{seq:03d}, {year}, {period}")
        stored = json.dumps(asdict(settings), ensure_ascii=False, sort_keys=True)
        old = self._store.value("SELECT settings FROM certificate_settings WHERE period_id = ?", (p.id,))
        if old == stored:
            return
        with self._store.transaction():
            self._store.execute("INSERT INTO certificate_settings (period_id, settings) VALUES (?, ?) "
                                     "ON CONFLICT (period_id) DO UPDATE SET settings = excluded.settings",
                                     (p.id, stored))
            self._audit.append([Change("certificate_settings", p.uuid, "settings", old, stored)])
            self._store.changed(Changes(setting=True))

    def _band_index(self, period: Period, code: str) -> int:
        bands = [b.code for b in self._registry.scored_instrument(period).bands]
        if code not in bands:
            raise WorkbenchError("Kategori tidak dikenal: {code} (pilihan: {choices})", code=code,
                                 choices=", ".join(bands))
        return bands.index(code)

    # --- issuing ---------------------------------------------------------------------------

    def readiness(self, period: str | None = None, *, min_category: str | None = None) -> list[UnitStatus]:
        """Every unit of the period, by rank: ready for a certificate when its category is at least the
        minimum, every indicator is scored, every score is final and no conflict is open (between evaluators,
        or two versions of one evaluator's score from packages); else why not."""
        p = self._registry.period(period)
        limit = self._band_index(p, min_category or self.settings(p.name).min_category)
        drafts = {r[0] for r in self._store.execute(
            "SELECT DISTINCT u.code FROM observations o JOIN units u ON u.id = o.unit_id "
            "WHERE o.period_id = ? AND o.status = 'draft' AND o.score IS NOT NULL", (p.id,))}
        issued = {c.unit: c.number for c in self.issued(p.name) if not c.revoked}
        team = self._observations.team_progress(period=p.name)
        versions = {c.unit for c in self._observations.version_conflicts(p.name)}  # two versions of a score
        statuses = []
        for r in self._results.scores(p.name):
            reasons = ["unscored"] if r.ipp is None else [reason for reason, applies in (
                ("incomplete", not r.complete), ("draft", r.unit in drafts),
                ("conflict", r.conflicts > 0 or r.unit in versions),
                ("below_minimum", r.category is None or self._band_index(p, r.category) > limit)) if applies]
            statuses.append(UnitStatus(r.unit, r.name, r.institution, team.get(r.unit, []), r.conflicts, r.ipp,
                                       r.category, r.label, not reasons, reasons, issued.get(r.unit)))
        return statuses

    def eligible(self, period: str | None = None, *, min_category: str | None = None) -> list[str]:
        """Units ready for a certificate (see `readiness`)."""
        return [s.unit for s in self.readiness(period, min_category=min_category) if s.ready]

    def issue(self, passphrase: str, period: str | None = None, *, min_category: str | None = None,
              layout: Callable[[Certificate], str | None] | None = None) -> list[Certificate]:
        """Sign and record a certificate for every eligible unit; a unit issued before keeps its number.

        `layout` (from the PDF) says why a certificate would not print whole, or None; none is issued if one
        would not. Returns every certificate of the period, revoked ones included.
        """
        p = self._registry.period(period)
        settings = self.settings(p.name)
        issued_on = settings.issued_on or date.today().isoformat()
        private = self._private_key(passphrase)
        results = {r.unit: r for r in self._results.scores(p.name)}
        labels = {b.code: b.label for b in self._registry.scored_instrument(p).bands}
        year = p.year or date.today().year
        with self._store.transaction():
            for code in self.eligible(p.name, min_category=min_category):
                unit = self._registry.unit(code)
                if self._store.one("SELECT 1 FROM certificates WHERE period_id = ? AND unit_id = ?", (p.id, unit.id)):
                    continue
                seq = int(self._store.value("SELECT coalesce(max(seq), 0) + 1 FROM certificates WHERE period_id = ?",
                                            (p.id,)))
                number = settings.numbering.format(seq=seq, year=year, period=p.name)
                taken = self._store.value("SELECT p.name FROM certificates c JOIN periods p ON p.id = c.period_id "
                                          "WHERE c.number = ?", (number,))
                if taken is not None:
                    raise WorkbenchError("Nomor piagam {number} sudah dipakai periode {period}; ubah pola nomor di "
                                         "pengaturan piagam periode ini, mis. {example}", number=number, period=taken,
                                         example="{seq:03d}/PP/{year}/2")
                result = results[code]
                token = tokens.sign({"number": number, "unit": unit.code, "unit_name": unit.name,
                                     "institution": unit.institution, "period": p.name, "category": result.category,
                                     "label": labels[str(result.category)], "score": result.ipp, "date": issued_on},
                                    private)
                problem = layout(Certificate(number, unit.code, unit.name, unit.institution, p.name, year,
                                             str(result.category), labels[str(result.category)], float(result.ipp or 0),
                                             issued_on, token, tokens.key_id(private.public_key()))) \
                    if layout is not None else None
                if problem is not None:
                    raise WorkbenchError("Piagam {number} ({unit}) tidak muat di halaman: {problem}. Tidak ada piagam "
                                         "yang diterbitkan", number=number, unit=unit.code, problem=problem)
                self._store.execute(
                    "INSERT INTO certificates (number, period_id, unit_id, seq, category, score, issued_on, token, "
                    "key_id, revoked) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0)",
                    (number, p.id, unit.id, seq, result.category, result.ipp, issued_on, token,
                     tokens.key_id(private.public_key())))
                self._audit.append([Change("certificate", number, "issued", None, code),
                                    Change("certificate", number, "token", None, digest(token))])
                self._store.changed(Changes(certificate=True))
        return self.issued(p.name)

    def issued(self, period: str | None = None) -> list[Certificate]:
        """Issued certificates of a period, by number order."""
        p = self._registry.period(period)
        labels = {b.code: b.label for b in self._registry.scored_instrument(p).bands}
        rows = self._store.dicts(
            "SELECT c.number AS number, u.code AS unit, u.name AS unit_name, i.name AS institution, "
            "c.category AS category, c.score AS score, c.issued_on AS issued_on, c.token AS token, "
            "c.key_id AS key_id, c.revoked = 1 AS revoked, c.revoked_reason AS revoked_reason, "
            "c.revoked_at AS revoked_at "
            "FROM certificates c JOIN units u ON u.id = c.unit_id JOIN institutions i ON i.id = u.institution_id "
            "WHERE c.period_id = ? ORDER BY c.seq", (p.id,))
        # a period without a year (the demo) prints the year of issue, as its numbers do
        return [Certificate(period=p.name, year=p.year or int(str(row["issued_on"])[:4]), label=labels[row["category"]],
                            **(row | {"revoked": bool(row["revoked"])})) for row in rows]

    def standing(self, units: Iterable[str], period: str | None = None) -> list[Certificate]:
        """The valid certificates of these units in the period: a change to their scores may change what
        the certificate says, so the user is asked whether to revoke it (and issue it again)."""
        wanted = {u.casefold() for u in units}
        return [c for c in self.issued(period) if not c.revoked and c.unit.casefold() in wanted]

    def revoke(self, number: str, reason: str) -> None:
        """Revoke a certificate (audited); verification then rejects it."""
        reason = field_text(reason, "reason", tr("Alasan"))
        if not reason:
            raise WorkbenchError("Pencabutan {code} memerlukan alasan", code=number)
        with self._store.transaction():
            if self._store.one("SELECT 1 FROM certificates WHERE number = ?", (number,)) is None:
                raise NotFound("Piagam tidak dikenal: {number}", number=number)
            self._store.execute("UPDATE certificates SET revoked = 1, revoked_reason = ?, revoked_at = ? "
                                     "WHERE number = ?", (reason, now(), number))
            self._audit.append([Change("certificate", number, "revoked", 0, 1, reason)])
            self._store.changed(Changes(certificate=True))

    def revocations(self) -> list[dict[str, str]]:
        """The revocation list to publish: number, reason, when."""
        return [{"number": n, "reason": r, "revoked_at": at} for n, r, at in self._store.execute(
            "SELECT number, revoked_reason, revoked_at FROM certificates WHERE revoked ORDER BY revoked_at")]

    def verify(self, token: str, *, page: PrintedPage | None = None) -> Verdict:
        """Check a token against this workbook (see `verify_token`): the number must be in the register with
        this very token, and not revoked by the table or by the audit log; a workbook whose log does not hold
        cannot vouch for anything."""
        problems = self._audit.verify()
        if problems:
            return Verdict(False, tr("TIDAK DAPAT DIPASTIKAN: log audit basis data ini tidak utuh ({problem}); "
                                     "periksa dengan `workbench check`", problem=problems[0]))
        logged = self._audit.latest("signing_key", "public_pem")  # a key put in by hand signs nothing here
        stored_keys = self._store.execute("SELECT key_id, public_pem FROM signing_keys")
        keys = {key: pem.encode() for key, pem in stored_keys if logged.get(key) == digest(pem)}
        revoked = {r["number"]: r["reason"] for r in self.revocations()}
        revoked |= {n: tr("dicabut menurut log audit") for n, v in self._audit.latest("certificate", "revoked").items()
                    if v == "1" and n not in revoked}
        verdict = verify_token(token, keys, revoked, page=page)
        if not verdict.valid:
            return verdict
        number = str(verdict.claims["number"])
        stored = self._store.value("SELECT token FROM certificates WHERE number = ?", (number,))
        if stored is None or number not in self._audit.latest("certificate", "issued"):
            return Verdict(False, tr("TIDAK SAH: nomor {number} tidak ada dalam register piagam", number=number),
                           verdict.claims)
        if stored != token.strip() or self._audit.latest("certificate", "token").get(number) != digest(stored):
            return Verdict(False, tr("TIDAK SAH: piagam {number} dalam register berisi lain", number=number),
                           verdict.claims)
        return verdict


def _numbering_ok(pattern: str) -> bool:
    """Whether a numbering pattern names only {seq}, {year} and {period} (no attributes, indexes or positions:
    those could fail later with another period's name) and formats."""
    try:
        names = [name for _, name, _, _ in Formatter().parse(pattern) if name is not None]
        pattern.format(seq=1, year=2026, period="PEKPPP 2026")
    except (ValueError, KeyError, IndexError, AttributeError, TypeError):
        return False
    return all(name in ("seq", "year", "period") for name in names)
