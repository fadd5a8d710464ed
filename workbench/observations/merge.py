"""Merging observations from sheets and packages, by version and content; the versions that compete."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Sequence
from dataclasses import replace
from typing import Any

from workbench.db.audit import Change
from workbench.db.store import new_uuid, now
from workbench.domain.values import field_text
from workbench.errors import ReasonRequired, WorkbenchError
from workbench.events import Changes
from workbench.i18n import source, tr
from workbench.observations.entry import Entry
from workbench.observations.records import (
    AUDITED,
    KEY_SQL,
    MERGED,
    BatchMember,
    Incoming,
    MergeCounts,
    Source,
    VersionConflict,
    content_digest,
    lines_digest,
    member_line,
    merge_verdict,
)
from workbench.progress import CancelToken, ProgressCallback, report
from workbench.registry import Period


class Merging(Entry):  # a settled version is saved as an entry is
    """Merging observations from sheets and packages, by version and content; the versions that compete."""

    def hand_over(self, period: Period, evaluator: str) -> list[dict[str, Any]]:
        """One evaluator's observations as a kit carries them back to a laptop (a new laptop goes on from
        them), inside the caller's write: each under the uuid and version of the evaluator's observation it
        follows; a row that follows none yet (typed here, from a sheet) follows itself from now on, so that
        what the laptop sends back is merged as a later version of it. Each row also holds its `id` here."""
        rows = self._store.dicts(
            "SELECT o.id AS id, o.uuid AS uuid, o.origin_uuid AS origin_uuid, o.version AS version, "
            "o.origin_version AS origin_version, u.code AS unit, i.code AS indicator, "
            + ", ".join(f"o.{f} AS {f}" for f in MERGED) + " FROM observations o JOIN units u ON u.id = o.unit_id "
            "JOIN indicators i ON i.id = o.indicator_id JOIN evaluators e ON e.id = o.evaluator_id "
            "WHERE o.period_id = ? AND e.name = ? ORDER BY o.id", (period.id, evaluator))
        fresh = [r for r in rows if r["origin_uuid"] is None]
        self._store.executemany(
            "UPDATE observations SET origin_uuid = uuid, origin_version = version, origin_digest = ? WHERE id = ?",
            [(content_digest(r), r["id"]) for r in fresh])
        return [{"id": r["id"], "uuid": r["origin_uuid"] or r["uuid"], "unit": r["unit"], "indicator": r["indicator"],
                 "version": r["origin_version"] or r["version"], **{f: r[f] for f in MERGED}} for r in rows]

    def version_conflicts(self, period: str | None = None, *, unit: str | None = None) -> list[VersionConflict]:
        """Open version conflicts of a period (see VersionConflict), by unit, indicator and arrival."""
        p = self._registry.period(period)
        sql = ("SELECT c.id, u.code, i.code, e.name, " + ", ".join(f"o.{f}" for f in MERGED) + ", c.incoming, "
               "c.version, c.package, c.received_at FROM package_conflicts c JOIN observations o ON "
               "o.id = c.observation_id JOIN units u ON u.id = o.unit_id JOIN indicators i ON i.id = o.indicator_id "
               "JOIN evaluators e ON e.id = o.evaluator_id WHERE c.resolved_at IS NULL AND o.period_id = ?")
        params: list[object] = [p.id]
        if unit is not None:
            sql, params = sql + " AND o.unit_id = ?", [*params, self._registry.unit(unit).id]
        found = []
        for row in self._store.execute(sql + " ORDER BY u.code, i.position, c.id", params):
            ident, unit_code, indicator, evaluator = row[:4]
            here = dict(zip(MERGED, row[4:4 + len(MERGED)], strict=True))
            incoming, version, package, received = row[4 + len(MERGED):]
            found.append(VersionConflict(ident, unit_code, indicator, evaluator, here, json.loads(incoming), version,
                                         package, received))
        return found

    def settle_version(self, *, unit: str, indicator: str, evaluator: str, score: int, reason: str,
                       period: str | None = None, actor: str | None = None) -> int:
        """Decide the version conflicts of one evaluator's observation: its score becomes `score` (audited,
        with the reason) and its open conflicts are closed; returns how many were closed. WorkbenchError when
        it has none."""
        p = self._registry.period(period)
        open_ = [c for c in self.version_conflicts(p.name, unit=unit) if (c.indicator, c.evaluator) == (
            indicator, evaluator)]
        if not open_:
            raise WorkbenchError("Tidak ada versi bersaing untuk {code}", code=f"{unit}/{indicator}/{evaluator}")
        reason = field_text(reason, "reason", tr("Alasan"))
        if not reason:
            raise ReasonRequired("Kesepakatan {code} memerlukan alasan", code=f"{unit}/{indicator}")
        with self._store.transaction():
            self.save(unit=unit, indicator=indicator, evaluator=evaluator, period=p.name, score=score, reason=reason,
                      actor=actor)
            resolution = source("nilai {score}: {reason}", score=score, reason=reason)
            self._store.executemany(
                "UPDATE package_conflicts SET resolved_at = ?, resolved_by = ?, resolution = ? WHERE id = ?",
                [(now(), actor or self._store.actor, resolution, c.id) for c in open_])
            self._store.changed(Changes(observation=True, units=frozenset({open_[0].unit})))
        return len(open_)

    def batch_members(self, batches: Collection[str] | None = None) -> dict[str, list[BatchMember]]:
        """The observations born in each batch (or in the given ones), as they were when they came: a field
        changed since has its first logged change after the batch's entry, whose `old` is what it was."""
        store = self._store
        logged = dict(store.execute("SELECT entity_uuid, id FROM audit_log WHERE entity = 'observation_batch'"))
        where = " WHERE o.batch IS NOT NULL"
        params: tuple[str, ...] = ()
        if batches is not None:
            where = f" WHERE o.batch IN ({','.join('?' * len(batches))})"
            params = tuple(batches)
        rows = store.execute(KEY_SQL.replace("SELECT o.uuid,", "SELECT o.batch, o.uuid, o.score, o.status,")
                            + where, params).fetchall()
        first_change: dict[tuple[str, str], tuple[int, str | None]] = {}
        if rows:
            members = {uuid: batch for batch, uuid, *_ in rows}
            for uuid, field, old, entry in store.execute(
                    "SELECT entity_uuid, field, old, id FROM audit_log WHERE entity = 'observation' AND field IN "
                    "('key', 'score', 'status') ORDER BY id"):
                batch = members.get(uuid)
                if batch is not None and entry > logged.get(batch, 0) and (uuid, field) not in first_change:
                    first_change[(uuid, field)] = (entry, old)
        found: dict[str, list[BatchMember]] = {}
        for batch, uuid, score, status, key in rows:
            def was(field: str, now: object, uuid: str = uuid) -> Any:
                return first_change[(uuid, field)][1] if (uuid, field) in first_change else now

            old_score = was("score", score)
            found.setdefault(batch, []).append(BatchMember(uuid, str(was("key", key)),
                                                           None if old_score is None else int(old_score),
                                                           str(was("status", status))))
        return found

    def history(self, uuids: Sequence[str]) -> list[dict[str, Any]]:
        """The audit entries about these observations, oldest first, with the entries of their birth in a
        batch spelled out as if each had been logged alone (who brought it, when, why, what it was), so the
        history reads as it did before batches; a spelled-out entry's hash derives from its batch's."""
        entries = self._audit.of_entities(uuids)
        born = dict(self._store.execute(
            f"SELECT uuid, batch FROM observations WHERE batch IS NOT NULL AND uuid IN ({','.join('?' * len(uuids))})",
            tuple(uuids))) if uuids else {}
        if born:
            batches = {e["entity_uuid"]: e for e in self._store.dicts(
                f"SELECT * FROM audit_log WHERE entity = 'observation_batch' AND entity_uuid IN "
                f"({','.join('?' * len(set(born.values())))})", tuple(set(born.values())))}
            for batch, members in self.batch_members(set(born.values())).items():
                entry = batches.get(batch)
                if entry is None:
                    continue
                for m in (m for m in members if m.uuid in born):
                    for field, old, new in (("key", None, m.key), ("score", None, m.score),
                                            ("status", "draft", m.status)):
                        if new is not None and new != old:
                            entries.append({**entry, "entity": "observation", "entity_uuid": m.uuid,
                                            "field": field, "old": old, "new": str(new),
                                            "hash": hashlib.sha256(f"{entry['hash']}|{m.uuid}|{field}".encode())
                                            .hexdigest()})
        return sorted(entries, key=lambda e: e["id"])

    def merge(self, period: Period, rows: Sequence[Incoming], source: Source, *, reason: str,
              history: Sequence[Change] = (), progress: ProgressCallback | None = None,
              cancel: CancelToken | None = None) -> MergeCounts:
        """Merge checked rows on (period, unit, evaluator, indicator), inside the caller's transaction.

        A new key is added (keeping the row's uuid when it brings one); a row equal to the stored observation
        is left alone; a changed one updates it (version + 1, score and status audited with `reason`). Every
        written row remembers the file, sheet and row it came from.

        A row from a package carries its version there, and is merged by it, not by the order packages
        arrive: an older version than the one merged before changes nothing (`older`); the same version with
        other content, or another laptop's observation of the same key that differs, is kept aside for the
        lead in package_conflicts (`conflicted`), never written over what is here. `history` holds audit
        entries made where the rows come from; those of the rows written here and not brought before are
        added first, under the rows' uuids here.
        """
        self._registry.require_open(period)
        store = self._store
        evaluators = {name: self._registry.evaluator_id(name) for name in {r.evaluator for r in rows}}
        existing: dict[tuple[int, int, int], tuple[Any, ...]] = {}
        if evaluators:
            marks = ",".join("?" * len(evaluators))
            for row in store.execute(f"SELECT unit_id, evaluator_id, indicator_id, id, uuid, {', '.join(MERGED)}, "
                                    f"origin_uuid, origin_version, origin_digest FROM observations "
                                    f"WHERE period_id = ? AND evaluator_id IN ({marks})",
                                    (period.id, *evaluators.values())):
                existing[row[:3]] = row[3:]
        stamp, counts = now(), MergeCounts()
        unit_uuids = dict(store.execute("SELECT id, uuid FROM units"))
        indicator_codes = dict(store.execute("SELECT id, code FROM indicators"))
        evaluator_uuids = dict(store.execute("SELECT id, uuid FROM evaluators"))
        inserts: list[tuple[object, ...]] = []
        updates: list[tuple[object, ...]] = []
        set_aside: list[tuple[object, ...]] = []
        audits: list[Change] = []
        batch, born = new_uuid(), []  # the new rows: one log entry with their digest
        here: dict[str, str] = {}  # uuid where a row was made -> uuid of the same observation here
        touched: set[int] = set()
        for n, row in enumerate(rows):
            if n % 5000 == 0:
                if cancel is not None:
                    cancel.check()
                report(progress, n, len(rows), tr("menggabungkan {file}", file=source.name))
            key = (row.unit_id, evaluators[row.evaluator], row.indicator_id)
            current = existing.get(key)
            incoming = content_digest(row.values) if row.version is not None else ""
            origin = (row.uuid, row.version, incoming) if row.version is not None else (None,) * 3
            if current is None:
                uuid = row.uuid or new_uuid()
                values = {"status": "draft", **row.values}
                inserts.append((uuid, period.id, *key, *map(values.get, MERGED), stamp, source.sha256,
                                source.sheet, row.number, batch, *origin, row.version or 1))
                born.append(member_line(uuid, f"{period.uuid}/{unit_uuids[key[0]]}/{indicator_codes[key[2]]}/"
                                              f"{evaluator_uuids[key[1]]}", values.get("score"), values["status"]))
                if row.uuid:
                    here[row.uuid] = uuid
                counts.added += 1
                touched.add(row.unit_id)
                continue
            old = dict(zip(MERGED, current[2:2 + len(MERGED)], strict=True))
            changed = {c: v for c, v in row.values.items() if old[c] != v}
            if row.version is not None:
                lineage, version, digest = current[2 + len(MERGED):]
                verdict = merge_verdict(lineage, version, digest, content_digest(old), row.uuid, row.version,
                                        incoming)
                if verdict == "older":
                    counts.older += 1
                    continue
                if verdict == "same":
                    counts.unchanged += 1
                    continue
                if verdict == "conflict":
                    set_aside.append((current[0], row.version, json.dumps(row.values, ensure_ascii=False),
                                      source.name, stamp))
                    counts.conflicted += 1
                    continue
                if row.uuid:
                    here[row.uuid] = str(current[1])
            if not changed:
                if row.version is not None:  # what was merged now follows the package's version
                    store.execute("UPDATE observations SET origin_uuid = ?, origin_version = ?, origin_digest = ? "
                                 "WHERE id = ?", (*origin, current[0]))
                counts.unchanged += 1
                continue
            updates.append((*(changed.get(c, old[c]) for c in MERGED), stamp, source.sha256, source.sheet,
                            row.number, *origin, current[0]))
            audits += [Change("observation", str(current[1]), field, old[field], changed[field], reason)
                       for field in AUDITED if field in changed]
            counts.updated += 1
            touched.add(row.unit_id)
        store.executemany(
            f"INSERT INTO observations (uuid, period_id, unit_id, evaluator_id, indicator_id, {', '.join(MERGED)}, "
            "updated_at, source, source_sha256, source_sheet, source_row, batch, origin_uuid, origin_version, "
            "origin_digest, version) VALUES (?, ?, ?, ?, ?, ?, ?, coalesce(?, ''), coalesce(?, ''), ?, ?, ?, ?, "
            "'file', ?, ?, ?, ?, ?, ?, ?, ?)", inserts)
        store.executemany(
            "UPDATE observations SET score = ?, claim = ?, notes = ?, recommendation = ?, method = ?, "
            "observed_on = ?, status = ?, version = version + 1, updated_at = ?, source = 'file', source_sha256 = ?, "
            "source_sheet = ?, source_row = ?, origin_uuid = coalesce(?, origin_uuid), "
            "origin_version = coalesce(?, origin_version), origin_digest = coalesce(?, origin_digest) WHERE id = ?",
            updates)
        store.executemany("INSERT INTO package_conflicts (observation_id, version, incoming, package, received_at) "
                         "VALUES (?, ?, ?, ?, ?)", set_aside)
        report(progress, len(rows), len(rows), tr("mencatat jejak audit {file}", file=source.name))
        # the history of what is here now (not of what was set aside or left as older); what a row was about
        # there is kept only for a row born here now (its key is the lead's own for a row that was here before)
        born_here = {uuid for uuid, mine in here.items() if uuid == mine}
        written = [c for c in history if c.entity_uuid in here and (c.field != "key" or c.entity_uuid in born_here)]
        known = self._audit.known_origins([c.origin for c in written if c.origin])
        self._audit.append([replace(c, entity_uuid=here[c.entity_uuid]) for c in written if c.origin not in known])
        if born:
            audits.append(Change("observation_batch", batch, "digest", None, lines_digest(born), reason))
        self._audit.append(audits)
        counts.merged = set(here)
        if touched:
            self._store.mark_results_dirty(period.id, touched)
            codes = {unit_id: code for code, unit_id in self._registry.unit_ids().items()}
            counts.units = {codes[u] for u in touched}
            self._store.changed(Changes(observation=True, units=frozenset(codes[u] for u in touched)))
        return counts
