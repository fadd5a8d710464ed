"""The services a team's files touch: a kit going out and a package coming back read and write the same parts
of a workbook."""

from __future__ import annotations

from dataclasses import dataclass

from workbench.db.audit import AuditLog
from workbench.db.settings import Settings
from workbench.db.store import Store
from workbench.evidence import Evidence
from workbench.observations import Observations
from workbench.registry import Registry
from workbench.team import Team


@dataclass(eq=False)
class TeamParts:
    """Holds the store and the services kits and packages ask (each table through its owner)."""

    _store: Store
    _registry: Registry
    _observations: Observations
    _evidence: Evidence
    _audit: AuditLog
    _settings: Settings
    _team: Team
