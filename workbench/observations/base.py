"""What the parts of the observations service share."""

from __future__ import annotations

from workbench.db.audit import AuditLog
from workbench.db.store import Store
from workbench.registry import Registry


class Base:
    """The store, the registry and the audit log, for each part of `Observations`."""

    def __init__(self, store: Store, registry: Registry, audit: AuditLog) -> None:
        self._store = store
        self._registry = registry
        self._audit = audit
