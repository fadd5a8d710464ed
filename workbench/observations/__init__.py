"""Observations: an evaluator's score of one indicator of one unit in a period, its notes and its status.

One service in three parts: entering scores (entry.py), progress (progress.py), merging what arrives from
sheets and packages (merge.py); what they return is in records.py."""

from __future__ import annotations

from workbench.observations.merge import Merging
from workbench.observations.progress import Progress
from workbench.observations.records import (
    AUDITED,
    CONTENT,
    EDITABLE,
    KEY_SQL,
    MERGED,
    BatchMember,
    Finalized,
    Incoming,
    MergeCounts,
    Observation,
    Source,
    UnitProgress,
    VersionConflict,
    content_digest,
    lines_digest,
    member_line,
)


class Observations(Merging, Progress):
    """Entering, changing, merging and finalising scores; every change of a score or status is audited."""


__all__ = ["AUDITED", "CONTENT", "EDITABLE", "KEY_SQL", "MERGED", "BatchMember", "Finalized", "Incoming",
           "MergeCounts", "Observation", "Observations", "Source", "UnitProgress", "VersionConflict",
           "content_digest", "lines_digest", "member_line"]
