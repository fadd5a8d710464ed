"""The team of a round: who visits which unit, which key speaks for each evaluator, the kits the lead's office
sent and the packages that came back; and, on a laptop made from a kit, what that kit said."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from workbench.db.audit import AuditLog, Change
from workbench.db.store import Store, now
from workbench.errors import NotFound, WorkbenchError
from workbench.events import Changes
from workbench.i18n import source
from workbench.registry import Period, Registry


@dataclass(frozen=True)
class Member:
    """One evaluator of a period's team: units assigned, the key registered, the last kit sent and package
    received, and how far the work on the assigned units has got."""

    evaluator: str
    units: list[str]
    key_id: str | None
    key_how: str | None  # "kit" (made by the lead's office) or "trusted" (accepted on first contact)
    kit_sequence: int | None
    kit_issued_at: str | None
    package_sequence: int | None
    package_received_at: str | None
    packages: int
    scored: int  # observations with a score, of the indicators that count, on the assigned units
    final: int  # of those, final or verified
    total: int  # assigned units × indicators that count


@dataclass(frozen=True)
class Assigned:
    """What `Team.assign` did."""

    added: int
    unchanged: int
    evaluators: list[str]


@dataclass(frozen=True)
class KitInfo:
    """On a laptop made from a kit: whose it is, the keys it was given, and the kit's number."""

    evaluator: str
    period: str
    key_id: str
    lead_key_id: str
    lead_public_pem: str
    lead_workbook: str
    sequence: int


@dataclass(frozen=True)
class EvaluatorKey:
    """The key that speaks for an evaluator, and how it came: "kit" (made by the lead's office for a kit) or
    "trusted" (a laptop set up without a kit, accepted after comparing its fingerprint)."""

    key_id: str
    public_pem: str
    how: str


@dataclass(frozen=True)
class Received:
    """A package received from an evaluator: its number in that evaluator's series."""

    evaluator: str
    sequence: int
    file_name: str
    received_at: str


_MEMBERS_SQL = """
SELECT e.name, group_concat(u.code, char(31)) FROM assignments a JOIN evaluators e ON e.id = a.evaluator_id
JOIN units u ON u.id = a.unit_id WHERE a.period_id = ? GROUP BY e.id
"""


class Team:
    """Assignments, evaluators' keys, kits issued, packages received and sent, and this laptop's kit."""

    def __init__(self, store: Store, registry: Registry, audit: AuditLog) -> None:
        self._store = store
        self._registry = registry
        self._audit = audit

    # --- assignments -------------------------------------------------------------------------

    def assign(self, pairs: Sequence[tuple[str, str]], *, period: str | None = None, remove: bool = False
               ) -> Assigned:
        """Assign units to evaluators, (unit code, evaluator name) each, in one write (audited); with
        `remove`, take the assignments away instead. Scores already made are never touched: an evaluator
        keeps the work done on a unit assigned elsewhere since. NotFound names an unknown unit code."""
        p = self._registry.period(period)
        units = {code: self._registry.unit(code) for code in {code for code, _ in pairs}}
        added = unchanged = 0
        with self._store.transaction():
            changes = []
            for code, name in pairs:
                unit = units[code]
                evaluator_id = self._registry.evaluator_id(name)
                present = self._store.value("SELECT 1 FROM assignments WHERE period_id = ? AND unit_id = ? AND "
                                            "evaluator_id = ?", (p.id, unit.id, evaluator_id)) is not None
                if present != remove:
                    unchanged += 1
                    continue
                if remove:
                    self._store.execute("DELETE FROM assignments WHERE period_id = ? AND unit_id = ? AND "
                                             "evaluator_id = ?", (p.id, unit.id, evaluator_id))
                else:
                    self._store.execute("INSERT INTO assignments (period_id, unit_id, evaluator_id, assigned_at, "
                                             "assigned_by) VALUES (?, ?, ?, ?, ?)",
                                             (p.id, unit.id, evaluator_id, now(), self._store.actor))
                changes.append(Change("assignment", self._assignment_key(p, unit.id, evaluator_id), "assigned",
                                      int(remove), int(not remove)))
                added += 1
            self._audit.append(changes)
            if changes:
                self._store.changed(Changes(team=True))
        return Assigned(added, unchanged, sorted({name for _, name in pairs}))

    def _assignment_key(self, period: Period, unit_id: int, evaluator_id: int) -> str:
        uuids = self._store.one("SELECT u.uuid, e.uuid FROM units u, evaluators e WHERE u.id = ? AND e.id = ?",
                                (unit_id, evaluator_id))
        assert uuids is not None
        return f"{period.uuid}/{uuids[0]}/{uuids[1]}"

    def assignments(self, period: str | None = None) -> dict[str, list[str]]:
        """Evaluator name -> the codes of the units assigned to them in the period, by name and code."""
        p = self._registry.period(period)
        found = {name: sorted(str(codes).split("\x1f")) for name, codes in self._store.execute(_MEMBERS_SQL,
                                                                                                  (p.id,))}
        return dict(sorted(found.items()))

    def units_of(self, evaluator: str, period: str | None = None) -> list[str]:
        """The codes of the units assigned to one evaluator in the period."""
        return self.assignments(period).get(evaluator, [])

    def units_to_score(self, evaluator: str, period: str | None = None) -> set[str] | None:
        """On a laptop made from a kit, the units its evaluator's screen lists: those assigned, and those
        taken away since that already hold the evaluator's work; None elsewhere (every unit)."""
        if self.kit() is None:
            return None
        p = self._registry.period(period)
        worked = {r[0] for r in self._store.execute(
            "SELECT DISTINCT u.code FROM observations o JOIN units u ON u.id = o.unit_id JOIN evaluators e "
            "ON e.id = o.evaluator_id WHERE o.period_id = ? AND e.name = ?", (p.id, evaluator))}
        return set(self.units_of(evaluator, p.name)) | worked

    def members(self, period: str | None = None) -> list[Member]:
        """Everyone assigned a unit in the period, or holding a key, kit or package of the team, by name."""
        p = self._registry.period(period)
        scored = len(self._registry.scored_instrument(p).scored_indicators)
        assigned = self.assignments(p.name)
        names = set(assigned) | {r[0] for r in self._store.execute(
            "SELECT e.name FROM evaluators e WHERE e.id IN (SELECT evaluator_id FROM evaluator_keys UNION "
            "SELECT evaluator_id FROM kits_issued WHERE period_id = ? UNION SELECT evaluator_id FROM packages_received "
            "WHERE period_id = ?)", (p.id, p.id))}
        progress = {name: (done, final) for name, done, final in self._store.execute(
            "SELECT e.name, count(o.score), count(CASE WHEN o.status <> 'draft' AND o.score IS NOT NULL THEN 1 END) "
            "FROM assignments a JOIN evaluators e ON e.id = a.evaluator_id JOIN observations o ON "
            "o.period_id = a.period_id AND o.unit_id = a.unit_id AND o.evaluator_id = a.evaluator_id "
            "JOIN indicators i ON i.id = o.indicator_id AND i.scored WHERE a.period_id = ? GROUP BY e.id", (p.id,))}
        keys = {name: (key, how) for name, key, how in self._store.execute(
            "SELECT e.name, k.key_id, k.how FROM evaluator_keys k JOIN evaluators e ON e.id = k.evaluator_id")}
        kits = {name: (seq, at) for name, seq, at in self._store.execute(
            "SELECT e.name, k.sequence, k.issued_at FROM kits_issued k JOIN evaluators e ON e.id = k.evaluator_id "
            "WHERE k.sequence = (SELECT max(sequence) FROM kits_issued WHERE evaluator_id = k.evaluator_id)")}
        received = {name: (seq, at, count) for name, seq, at, count in self._store.execute(
            "SELECT e.name, max(r.sequence), max(r.received_at), count(*) FROM packages_received r "
            "JOIN evaluators e ON e.id = r.evaluator_id GROUP BY e.id")}
        members = []
        for name in sorted(names, key=str.casefold):
            units = assigned.get(name, [])
            key, how = keys.get(name, (None, None))
            kit_seq, kit_at = kits.get(name, (None, None))
            pkg_seq, pkg_at, count = received.get(name, (None, None, 0))
            done, final = progress.get(name, (0, 0))
            members.append(Member(name, units, key, how, kit_seq, kit_at, pkg_seq, pkg_at, count, done, final,
                                  len(units) * scored))
        return members

    # --- keys ----------------------------------------------------------------------------------

    def key_of(self, evaluator: str) -> EvaluatorKey | None:
        """The key registered for an evaluator, or None."""
        row = self._store.one("SELECT k.key_id, k.public_pem, k.how FROM evaluator_keys k JOIN evaluators e "
                              "ON e.id = k.evaluator_id WHERE e.name = ?", (evaluator,))
        return None if row is None else EvaluatorKey(*row)

    def register_key(self, evaluator: str, key: str, pem: str, *, how: str, reason: str | None = None) -> None:
        """Bind an evaluator to a signing key (replacing the one bound before: a new laptop), audited; inside
        the caller's write. WorkbenchError when the key speaks for another evaluator already."""
        with self._store.transaction():
            evaluator_id = self._registry.evaluator_id(evaluator)
            other = self._store.value("SELECT e.name FROM evaluator_keys k JOIN evaluators e ON e.id = k.evaluator_id "
                                      "WHERE k.key_id = ? AND k.evaluator_id <> ?", (key, evaluator_id))
            if other is not None:
                raise WorkbenchError("Kunci {key} sudah terdaftar untuk evaluator {other}; satu kunci hanya untuk "
                                     "satu evaluator", key=key, other=other)
            before = self.key_of(evaluator)
            if before is not None and before.key_id == key and before.how == how:
                return
            self._store.execute(
                "INSERT INTO evaluator_keys (evaluator_id, key_id, public_pem, how, registered_at, registered_by) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (evaluator_id) DO UPDATE SET key_id = excluded.key_id, "
                "public_pem = excluded.public_pem, how = excluded.how, registered_at = excluded.registered_at, "
                "registered_by = excluded.registered_by", (evaluator_id, key, pem, how, now(), self._store.actor))
            uuid = self._store.value("SELECT uuid FROM evaluators WHERE id = ?", (evaluator_id,))
            if before is None or before.key_id != key:
                self._audit.append([Change("evaluator_key", str(uuid), "key_id", before.key_id if before else None,
                                           key, reason)])
            self._store.changed(Changes(team=True))

    # --- kits and packages ---------------------------------------------------------------------

    def next_kit(self, evaluator: str) -> int:
        """The number the next kit for this evaluator gets (1 for the first)."""
        return int(self._store.value("SELECT coalesce(max(k.sequence), 0) + 1 FROM kits_issued k JOIN evaluators e "
                                     "ON e.id = k.evaluator_id WHERE e.name = ?", (evaluator,)))

    def record_kit(self, evaluator: str, sequence: int, period: Period, key: str, units: int, file_name: str) -> None:
        """Note a kit issued, inside the caller's write."""
        with self._store.transaction():
            self._store.execute(
                "INSERT INTO kits_issued (evaluator_id, sequence, period_id, key_id, units, file_name, issued_at, "
                "issued_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (self._registry.evaluator_id(evaluator), sequence,
                                                              period.id, key, units, file_name, now(),
                                                              self._store.actor))
            self._store.changed(Changes(team=True))

    def last_received(self, evaluator: str) -> Received | None:
        """The package with the highest number received from an evaluator, or None."""
        row = self._store.one("SELECT e.name, r.sequence, r.file_name, r.received_at FROM packages_received r "
                              "JOIN evaluators e ON e.id = r.evaluator_id WHERE e.name = ? ORDER BY r.sequence DESC "
                              "LIMIT 1", (evaluator,))
        return None if row is None else Received(*row)

    def record_received(self, sha256: str, evaluator: str, sequence: int, period: Period, key: str, file_name: str,
                        created_at: str) -> None:
        """Note a package received, inside the caller's write."""
        self._store.execute(
            "INSERT OR IGNORE INTO packages_received (sha256, evaluator_id, sequence, period_id, key_id, file_name, "
            "created_at, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (sha256, self._registry.evaluator_id(evaluator), sequence, period.id, key, file_name, created_at, now()))
        self._store.changed(Changes(team=True))

    def next_package(self, evaluator: str, period: Period, file_name: str, observations: int) -> int:
        """Number the package about to be sent and note it, inside the caller's write: the lead tells a late,
        older package from a newer one by it."""
        evaluator_id = self._registry.evaluator_id(evaluator)
        sequence = int(self._store.value("SELECT coalesce(max(sequence), 0) + 1 FROM packages_sent WHERE "
                                         "evaluator_id = ?", (evaluator_id,)))
        self._store.execute("INSERT INTO packages_sent (evaluator_id, sequence, period_id, file_name, "
                                 "observations, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                                 (evaluator_id, sequence, period.id, file_name, observations, now()))
        return sequence

    # --- this laptop's kit ------------------------------------------------------------------------

    def kit(self) -> KitInfo | None:
        """What the kit this laptop was made from said, or None for a laptop set up without one."""
        row = self._store.one("SELECT e.name, p.name, k.key_id, k.lead_key_id, k.lead_public_pem, k.lead_workbook, "
                              "k.sequence FROM kit k JOIN evaluators e ON e.id = k.evaluator_id "
                              "JOIN periods p ON p.id = k.period_id")
        return None if row is None else KitInfo(*row)

    def set_kit(self, evaluator: str, period: Period, key: str, lead_key: str, lead_pem: str, lead_workbook: str,
                sequence: int) -> None:
        """Note the kit this laptop now follows (audited), inside the caller's write."""
        before = self.kit()
        with self._store.transaction():
            self._store.execute(
                "INSERT INTO kit (id, evaluator_id, period_id, key_id, lead_key_id, lead_public_pem, lead_workbook, "
                "sequence, imported_at) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
                "evaluator_id = excluded.evaluator_id, period_id = excluded.period_id, key_id = excluded.key_id, "
                "lead_key_id = excluded.lead_key_id, lead_public_pem = excluded.lead_public_pem, "
                "lead_workbook = excluded.lead_workbook, sequence = excluded.sequence, "
                "imported_at = excluded.imported_at", (self._registry.evaluator_id(evaluator), period.id, key,
                                                       lead_key, lead_pem, lead_workbook, sequence, now()))
            self._audit.append([Change("kit", "kit", "lead_key_id", before.lead_key_id if before else None, lead_key,
                                       source("kit {number}", number=sequence))])
            self._store.changed(Changes(team=True))

    def require_evaluator(self, evaluator: str) -> None:
        """NotFound unless the name is an evaluator of this workbook."""
        if evaluator not in self._registry.evaluators():
            raise NotFound("Evaluator tidak dikenal: {name}", name=evaluator)
