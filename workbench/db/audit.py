"""The audit log: who changed what, when, from what to what and why.

Each entry carries the sha256 of the one before (a chain), and every write that adds entries ends with an
*anchor*: a signature over the log's last entry, made with this computer's key for the workbook
(`workbench.db.keyring`), which is kept outside the file. Whoever has only the database can read the log
and check every anchor with the public keys stored in it, but cannot rewrite an entry, remove one or add
one that is signed: `verify` names what was altered, cut or added.

The keys stored in the file vouch for nothing by themselves (a forger can replace them all and sign again):
this computer trusts its own key, the keys it trusted on purpose (a kit's lead key, keys accepted with
`check --accept-keys`, those that signed the log before this computer first wrote to it), and the keys
those endorsed inside the file. A log none of whose anchor keys is trusted here, on a computer that knows
the workbook, was signed again elsewhere.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from workbench.db.keyring import Keyring, key_id

if TYPE_CHECKING:  # cryptography is imported when a signature is checked (see workbench.db.keyring)
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from workbench.db.store import Store, now
from workbench.i18n import tr

GENESIS_HASH = "0" * 64


@dataclass(frozen=True)
class Change:
    """One audited change of one field of one entity (an observation's uuid, a consensus key, a number).

    Entries brought from another workbook (a package) keep when and by whom they were made there, and
    `origin`, their hash there.
    """

    entity: str
    entity_uuid: str
    field: str
    old: object
    new: object
    reason: str | None = None
    at: str | None = None
    actor: str | None = None
    origin: str | None = None


def link_hash(prev: str, entry: Sequence[object]) -> str:
    """The chain link: sha256 over the previous hash and the entry's fields."""
    payload = "\x1f".join([prev, *["" if v is None else str(v) for v in entry]])
    return hashlib.sha256(payload.encode()).hexdigest()


def digest(text: str) -> str:
    """The sha256 of a text, as the log records long values (definitions, tokens, keys) it vouches for."""
    return hashlib.sha256(text.encode()).hexdigest()


def _endorsement_payload(key: str, pem: str) -> bytes:
    return f"endorse|{key}|{pem}".encode()


def _anchor_payload(anchor: int, audit_id: int, head: str, at: str, key: str) -> bytes:
    return f"pekppp-anchor|{anchor}|{audit_id}|{head}|{at}|{key}".encode()


class AuditLog:
    """Appends to, anchors, reads and verifies the audit log of one workbook."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._keyring: Keyring | None = None
        self._mark: tuple[int, str] | None = None
        if not store.read_only and not store.query_only:
            store.on_commit("sign audit", self._anchor)
            store.on_commit("remember audit end", self._remember_mark)

    @property
    def keyring(self) -> Keyring:
        if self._keyring is None:
            self._keyring = Keyring(str(self._store.value("SELECT value FROM settings WHERE key = 'workbook_uuid'")))
        return self._keyring

    # --- writing -----------------------------------------------------------------------------

    def append(self, changes: Sequence[Change], actor: str | None = None) -> None:
        """Add entries in order, each chained to the one before; call inside a transaction."""
        if not changes:
            return
        prev = self._store.value("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1") or GENESIS_HASH
        stamp, who, rows = now(), actor or self._store.actor, []
        for c in changes:
            entry = (c.at or stamp, c.actor or who, c.entity, c.entity_uuid, c.field,
                     None if c.old is None else str(c.old), None if c.new is None else str(c.new), c.reason)
            link = link_hash(prev, entry)
            rows.append((*entry, prev, link, c.origin))
            prev = link
        self._store.conn.executemany(
            "INSERT INTO audit_log (at, actor, entity, entity_uuid, field, old, new, reason, prev_hash, hash, origin) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)

    def _anchor(self) -> None:
        """Sign the log's head when this write added entries (runs just before COMMIT)."""
        last = self._store.one("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1")
        signed = self._store.value("SELECT max(audit_id) FROM anchors")
        if last is None or (signed is not None and signed >= last[0]):
            return
        if not self.keyring.has_key() and self.keyring.known_as(self._store.path) in (None, self.keyring.workbook):
            # this computer's first write: it takes the keys that signed before as the history it starts from
            self.keyring.trust(dict(self._store.conn.execute("SELECT key_id, public_pem FROM anchor_keys")))
        private = self.keyring.private_key()
        key = key_id(private.public_key())
        if self._store.value("SELECT 1 FROM anchor_keys WHERE key_id = ?", (key,)) is None:
            previous = self._store.value("SELECT key_id FROM anchors ORDER BY id DESC LIMIT 1")
            self._store.conn.execute("INSERT INTO anchor_keys (key_id, public_pem, added_at, added_by, previous) "
                                     "VALUES (?, ?, ?, ?, ?)", (key, self.keyring.public_pem(), now(),
                                                                self._store.actor, previous))
        anchor = int(self._store.value("SELECT coalesce(max(id), 0) + 1 FROM anchors"))
        at = now()
        signature = private.sign(_anchor_payload(anchor, last[0], last[1], at, key))
        self._store.conn.execute("INSERT INTO anchors (id, audit_id, head, at, key_id, signature) "
                                 "VALUES (?, ?, ?, ?, ?, ?)",
                                 (anchor, last[0], last[1], at, key, base64.b64encode(signature).decode()))
        self._mark = (anchor, last[1])

    def _remember_mark(self) -> None:
        if self._mark is not None:
            self.keyring.set_mark(*self._mark)
            self.keyring.remember(self._store.path)
            self._mark = None

    def reset_mark(self) -> None:
        """Make the last anchor in the database this computer's mark (after a backup was put in place)."""
        last = self._store.one("SELECT id, head FROM anchors ORDER BY id DESC LIMIT 1")
        if last is not None:
            self.keyring.set_mark(int(last[0]), str(last[1]))

    # --- reading -----------------------------------------------------------------------------

    def known_origins(self, origins: Sequence[str]) -> set[str]:
        """Which of these origin hashes were brought in before (by an earlier package)."""
        found: set[str] = set()
        for start in range(0, len(origins), 500):
            chunk = list(origins[start:start + 500])
            found |= {r[0] for r in self._store.conn.execute(
                f"SELECT origin FROM audit_log WHERE origin IN ({','.join('?' * len(chunk))})", chunk)}
        return found

    def of_entities(self, uuids: Sequence[str]) -> list[dict[str, Any]]:
        """Entries about any of these entities, oldest first."""
        entries: list[dict[str, Any]] = []
        for start in range(0, len(uuids), 500):
            chunk = list(uuids[start:start + 500])
            entries += self._store.dicts(f"SELECT * FROM audit_log WHERE entity_uuid IN ({','.join('?' * len(chunk))})",
                                         chunk)
        return sorted(entries, key=lambda e: e["id"])

    def entries(self, entity_uuid: str | None = None) -> list[dict[str, Any]]:
        """Entries, oldest first, optionally of one entity: at, actor, entity, field, old, new, reason, hashes."""
        if entity_uuid is None:
            return self._store.dicts("SELECT * FROM audit_log ORDER BY id")
        return self._store.dicts("SELECT * FROM audit_log WHERE entity_uuid = ? ORDER BY id", (entity_uuid,))

    def last_at(self) -> str | None:
        """When the last change of the workbook was logged (ISO 8601, UTC), or None for an empty log."""
        found = self._store.value("SELECT at FROM audit_log ORDER BY id DESC LIMIT 1")
        return None if found is None else str(found)

    def latest(self, entity: str, field: str) -> dict[str, str | None]:
        """entity uuid -> the `new` value of its last entry for `field` (what the log says it is now)."""
        return dict(self._store.conn.execute(
            "SELECT entity_uuid, new FROM audit_log WHERE id IN (SELECT max(id) FROM audit_log WHERE entity = ? "
            "AND field = ? GROUP BY entity_uuid)", (entity, field)))

    def key_changes(self) -> list[dict[str, Any]]:
        """Keys that signed anchors after the workbook's first key without being endorsed, in the file, by a key
        endorsed before them: the database was used on another computer. A note, not a fault."""
        chain = self._endorsed({self._first_key()} - {""})
        return [row for row in self._store.dicts("SELECT key_id, added_at, added_by, previous FROM anchor_keys "
                                                 "ORDER BY rowid") if row["key_id"] not in chain]

    def _first_key(self) -> str:
        return str(self._store.value("SELECT key_id FROM anchor_keys ORDER BY rowid LIMIT 1") or "")

    def _roots(self) -> dict[str, str]:
        """Key id -> PEM of the keys this computer trusts for the workbook: its own and those trusted on purpose."""
        roots = self.keyring.trusted()
        if self.keyring.has_key():
            own, pem = self.keyring.own()
            roots[own] = pem
        return roots

    def _endorsed(self, trusted: set[str], known: dict[str, str] | None = None) -> set[str]:
        """`trusted` and every key endorsed in the file by a key of the result (whose PEM is in the file or in
        `known`)."""
        rows = self._store.conn.execute("SELECT key_id, public_pem, endorsement FROM anchor_keys ORDER BY rowid"
                                        ).fetchall()
        pems = (known or {}) | {key: pem for key, pem, _ in rows}
        trusted, grew = set(trusted), True
        while grew:
            grew = False
            for key, pem, endorsement in rows:
                endorser, _, signature = str(endorsement or "").partition(":")
                if key in trusted or endorser not in trusted or endorser not in pems:
                    continue
                public = self._public(pems[endorser])
                if public is not None and _signed(public, signature, _endorsement_payload(key, pem)):
                    trusted.add(key)
                    grew = True
        return trusted

    def trusted_here(self) -> set[str]:
        """The ids of the keys this computer trusts for this workbook (see the module's docstring)."""
        roots = self._roots()
        return self._endorsed(set(roots), roots)

    def strangers(self) -> list[str]:
        """Keys that signed this log and that this computer does not trust, by first use."""
        trusted = self.trusted_here()
        return [r[0] for r in self._store.conn.execute("SELECT key_id FROM anchor_keys ORDER BY rowid")
                if r[0] not in trusted and self._store.value("SELECT 1 FROM anchors WHERE key_id = ?", r)]

    def accept_keys(self) -> list[str]:
        """Trust every key that signed this log and is not trusted here yet (the database was used on another
        computer on purpose): on this computer, and, when this computer has a key of its own for the
        workbook, endorsed with it inside the file, for the computers that trust this one. Returns their ids."""
        pending = self.strangers()
        pems = dict(self._store.conn.execute("SELECT key_id, public_pem FROM anchor_keys"))
        if pending and self.keyring.has_key():
            private = self.keyring.private_key()
            mine = key_id(private.public_key())
            with self._store.transaction():
                for key in pending:
                    signature = base64.b64encode(private.sign(_endorsement_payload(key, pems[key]))).decode()
                    self._store.conn.execute("UPDATE anchor_keys SET endorsement = ? WHERE key_id = ?",
                                             (f"{mine}:{signature}", key))
        self.keyring.trust({key: pems[key] for key in pending})
        return pending

    # --- verifying ---------------------------------------------------------------------------

    def verify(self, *, mark: bool = True) -> list[str]:
        """Everything wrong with the log: entries altered or removed (the chain), anchors that do not hold or
        are missing, entries added after the last anchor (no write of the workbench leaves any), keys this
        computer does not trust (see the module's docstring), and, with `mark`, a log cut after the last anchor
        this computer wrote (not asked of a backup, which is older). [] when the log is whole."""
        problems: list[str] = []
        hashes: dict[int, str] = {}
        prev = GENESIS_HASH
        for row in self._store.conn.execute("SELECT id, at, actor, entity, entity_uuid, field, old, new, reason, "
                                            "prev_hash, hash FROM audit_log ORDER BY id"):
            if row[9] != prev:
                problems.append(tr("audit_log {id}: entri sebelumnya dihapus atau diubah", id=row[0]))
            elif row[10] != link_hash(prev, row[1:9]):
                problems.append(tr("audit_log {id}: entri diubah ({entity} {field} {old} → {new})", id=row[0],
                                   entity=row[3], field=row[5], old=row[6], new=row[7]))
            hashes[row[0]] = prev = row[10]
        keys = {k: self._public(pem)
                for k, pem in self._store.conn.execute("SELECT key_id, public_pem FROM anchor_keys")}
        expected, last_signed = 1, 0
        for anchor, audit_id, head, at, key, signature in self._store.conn.execute(
                "SELECT id, audit_id, head, at, key_id, signature FROM anchors ORDER BY id"):
            if anchor != expected:
                problems.append(tr("jangkar {first}-{last} hilang: log audit dipotong atau ditulis ulang",
                                   first=expected, last=anchor - 1))
            expected = anchor + 1
            public = keys.get(key)
            if public is None or not _signed(public, signature, _anchor_payload(anchor, audit_id, head, at, key)):
                problems.append(tr("jangkar {anchor}: tanda tangan tidak sah", anchor=anchor))
            elif hashes.get(audit_id) != head:
                problems.append(tr("jangkar {anchor}: log audit sampai entri {id} tidak seperti yang ditandatangani",
                                   anchor=anchor, id=audit_id))
            last_signed = max(last_signed, audit_id)
        unsigned = [i for i in hashes if i > last_signed]
        if unsigned:
            first = self._store.one("SELECT actor, entity, field, old, new FROM audit_log WHERE id = ?", (unsigned[0],))
            assert first is not None
            problems.append(tr("audit_log {first}-{last}: {count} entri ditambahkan tanpa tanda tangan, mis. "
                               "{actor}: {entity} {field} {old} → {new}", first=unsigned[0], last=unsigned[-1],
                               count=len(unsigned), actor=first[0], entity=first[1], field=first[2], old=first[3],
                               new=first[4]))
        return problems + self._trust_problems(mark)

    def _trust_problems(self, check_mark: bool) -> list[str]:
        """What this computer can tell of who signed the log: a file that is another workbook than the one it
        signed at this path; anchors none of whose keys it trusts (signed again elsewhere, or by a computer
        this one never accepted); keys it does not trust beside its own; a log cut after the last anchor it
        wrote."""
        problems = []
        known = self.keyring.known_as(self._store.path)
        if known is not None and known != self.keyring.workbook:
            problems.append(tr("berkas ini di komputer ini adalah buku kerja {known}, kini menyebut dirinya {now}: "
                               "diganti dengan berkas lain", known=known, now=self.keyring.workbook))
        signing = [r[0] for r in self._store.conn.execute("SELECT DISTINCT key_id FROM anchors")]
        strangers = self.strangers()
        mark = self.keyring.mark() if check_mark else None
        if signing and not self._roots():
            problems.append(tr("komputer ini belum pernah menulis ke basis data ini dan tidak mengenal kunci lognya "
                               "({keys}); bila berkas ini memang dari sumber tepercaya, sahkan dengan `workbench "
                               "check --accept-keys`", keys=", ".join(signing)))
        elif signing and not set(signing) - set(strangers):
            problems.append(tr("log audit ditandatangani kunci {keys}; tidak satu pun kunci komputer ini atau kunci "
                               "yang disahkannya: jangkar ditulis ulang di tempat lain. Pulihkan dari cadangan",
                               keys=", ".join(signing)))
        elif strangers and (mark is not None or not check_mark):  # this computer signs this log (or a backup of
            # it): anchors by a key it does not trust came after
            problems.append(tr("log audit juga ditandatangani kunci {keys} yang tidak dikenal komputer ini; bila "
                               "basis data ini memang dipakai di komputer lain, sahkan dengan `workbench check "
                               "--accept-keys`", keys=", ".join(strangers)))
        if mark is not None:
            stored = self._store.value("SELECT head FROM anchors WHERE id = ?", (mark[0],))
            if stored is None:
                problems.append(tr("jangkar {anchor} (terakhir ditulis di komputer ini) hilang: log audit dipotong",
                                   anchor=mark[0]))
            elif stored != mark[1]:
                problems.append(tr("jangkar {anchor} bukan yang ditulis di komputer ini", anchor=mark[0]))
        return problems

    @staticmethod
    def _public(pem: str) -> Ed25519PublicKey | None:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

        try:
            key = serialization.load_pem_public_key(pem.encode())
        except ValueError:
            return None
        return key if isinstance(key, Ed25519PublicKey) else None


def _signed(public: Ed25519PublicKey, signature: str, payload: bytes) -> bool:
    from cryptography.exceptions import InvalidSignature

    try:
        public.verify(base64.b64decode(signature, validate=True), payload)
    except (InvalidSignature, ValueError):
        return False
    return True
