"""What an observation is, and what entering, progress and merging return."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

EDITABLE = ("score", "claim", "notes", "recommendation", "method", "observed_on", "status")
AUDITED = ("score", "status")
# what an observation is about, as the audit log records it when the observation is made: a row moved to
# another unit, indicator, evaluator or period no longer matches it
KEY_SQL = ("SELECT o.uuid, p.uuid || '/' || u.uuid || '/' || i.code || '/' || e.uuid FROM observations o "
           "JOIN periods p ON p.id = o.period_id JOIN units u ON u.id = o.unit_id "
           "JOIN indicators i ON i.id = o.indicator_id JOIN evaluators e ON e.id = o.evaluator_id")
MERGED = EDITABLE  # what a sheet or package brings of an observation: every field a person edits
CONTENT = MERGED[:-1]  # all but the status, which the lead changes by finalising


def member_line(uuid: str, key: str, score: object, status: object) -> str:
    """One observation of a batch as its digest covers it: uuid, what it is about, score and status."""
    return f"{uuid}|{key}|{'' if score is None else score}|{status}"


def lines_digest(lines: Sequence[str]) -> str:
    """The digest of a batch: sha256 over its members' lines, sorted."""
    return hashlib.sha256("\n".join(sorted(lines)).encode()).hexdigest()


@dataclass(frozen=True)
class BatchMember:
    """An observation born in a batch, with what it was when it came (the values before its first logged
    change since, else its current ones)."""

    uuid: str
    key: str
    score: int | None
    status: str

    @property
    def line(self) -> str:
        return member_line(self.uuid, self.key, self.score, self.status)


@dataclass(frozen=True)
class Observation:
    uuid: str
    unit: str
    evaluator: str
    indicator: str
    score: int | None
    claim: int | None
    notes: str
    recommendation: str
    method: str | None
    observed_on: str | None
    status: str
    version: int
    source: str
    updated_at: str


@dataclass(frozen=True)
class UnitProgress:
    """How far one evaluator (or everyone) has got with a unit: for the navigator."""

    unit: str
    scored: int
    total: int
    status: str  # the lowest status over the unit's observations, "draft" when none


@dataclass(slots=True)
class Incoming:
    """One checked observation from a file: ids resolved, only the fields the file gave, its row; and, when it
    comes from another workbook (a package), the uuid and version it has there, with every field given."""

    number: int
    unit_id: int
    indicator_id: int
    evaluator: str
    values: dict[str, object]
    uuid: str | None = None
    version: int | None = None


def merge_verdict(lineage: str | None, version: int | None, digest: str | None, mine: str, uuid: str | None,
                  incoming_version: int, incoming: str) -> str:
    """What a package's row does to the observation of its key here: "older" (left as it is), "same"
    (nothing to take), "take" (it replaces it), or "conflict" (kept aside for the lead, never written over
    it): the same version saying something else, a newer version over a change made here since, another
    laptop's copy, or a first package over a row that says otherwise (typed here, from a sheet).

    `lineage`, `version`, `digest`: the evaluator's observation this one follows, the version and content it
    last took; `mine`: its content now; `uuid`, `incoming_version`, `incoming`: the package's row."""
    if lineage == uuid:
        if incoming_version < (version or 0):
            return "older"
        if incoming_version == version:
            return "same" if incoming == digest else "conflict"
        return "conflict" if mine != digest and incoming != mine else "take"
    if lineage is not None:
        return "same" if incoming == mine else "conflict"
    return "take" if incoming == mine else "conflict"


def content_digest(values: dict[str, object]) -> str:
    """The digest of what an observation says (every merged field but its status, which a lead may change by
    finalising), to tell two contents apart."""
    return hashlib.sha256("\x1f".join("" if values.get(f) is None else str(values.get(f)) for f in CONTENT)
                          .encode()).hexdigest()


@dataclass(frozen=True)
class Source:
    """Where merged observations come from: a file's sha256, its name and the sheet read."""

    sha256: str
    name: str
    sheet: str


@dataclass(frozen=True)
class Finalized:
    """What `Observations.finalize` did: observations made final, (unit, evaluator) pairs, and the pairs refused
    with the indicator codes each lacks, in order of unit and evaluator."""

    observations: int
    pairs: int
    refused: dict[tuple[str, str], list[str]]


@dataclass(frozen=True)
class VersionConflict:
    """A package's observation holding other content under a version merged before (two laptops with one
    kit, a restored backup): kept aside until the lead decides, never written over what is here."""

    id: int
    unit: str
    indicator: str
    evaluator: str
    here: dict[str, Any]  # the merged fields as they are here
    incoming: dict[str, Any]  # as the package has them
    version: int
    package: str
    received_at: str


@dataclass
class MergeCounts:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    older: int = 0  # a package's observations older than the version here: left as they are
    conflicted: int = 0  # other content under the version here: kept aside for the lead (package_conflicts)
    units: set[str] = dataclass_field(default_factory=set)  # codes of units whose observations were added, changed
    merged: set[str] = dataclass_field(default_factory=set)  # uuids (as they came) of rows here now as they came


ROWS_SQL = ("SELECT o.uuid AS uuid, u.code AS unit, e.name AS evaluator, i.code AS indicator, o.score AS score, "
            "o.claim AS claim, o.notes AS notes, o.recommendation AS recommendation, o.method AS method, "
            "o.observed_on AS observed_on, o.status AS status, o.version AS version, o.source AS source, "
            "o.updated_at AS updated_at FROM observations o JOIN units u ON u.id = o.unit_id "
            "JOIN evaluators e ON e.id = o.evaluator_id JOIN indicators i ON i.id = o.indicator_id")
