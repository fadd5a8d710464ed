"""The services a team's files touch: a kit going out and a package coming back read and write the same parts
of a workbook."""

from __future__ import annotations

from workbench.db.audit import AuditLog
from workbench.db.settings import Settings
from workbench.db.store import Store
from workbench.evidence import Evidence
from workbench.observations import Observations
from workbench.registry import Registry
from workbench.team import Team


class TeamParts:
    """Holds the store and the services kits and packages ask (each table through its owner)."""

    def __init__(self, store: Store, registry: Registry, observations: Observations, evidence: Evidence,
                 audit: AuditLog, settings: Settings, team: Team) -> None:
        self._store = store
        self._registry = registry
        self._observations = observations
        self._evidence = evidence
        self._audit = audit
        self._settings = settings
        self._team = team
