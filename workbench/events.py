"""Change events: after every committed write the core announces what changed, and screens listen.

A write notes its changes with `Store.changed(Changes(...))` inside its transaction; the store emits
them once, after the commit, and drops them on a rollback. Listeners are plain callables (no Qt), so
the app adapts them to its event loop and the command line ignores them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, fields, replace


@dataclass(frozen=True)
class Changes:
    """What one write changed. `units` names the unit codes touched; empty means any unit.

    ``Changes(observation=True, units=frozenset({"U1"}))`` is a score saved for unit U1.
    """

    observation: bool = False  # scores, notes, statuses of observations
    consensus: bool = False
    evidence: bool = False
    unit: bool = False  # the register of institutions and units
    period: bool = False
    evaluator: bool = False
    setting: bool = False  # scoring settings and certificate settings
    certificate: bool = False  # keys, issued and revoked certificates
    results: bool = False  # the cached results were recomputed
    survey: bool = False  # SKM and F-03 questionnaires, their answers and populations
    team: bool = False  # assignments, evaluators' keys, kits issued, packages received
    units: frozenset[str] = frozenset()
    external: bool = False  # made by another program on the same file: anything may have changed

    @classmethod
    def everything(cls) -> Changes:
        """What another process's write means to a listener: all may have changed."""
        return cls(observation=True, consensus=True, evidence=True, unit=True, period=True, evaluator=True,
                   setting=True, certificate=True, results=True, survey=True, team=True, external=True)

    def __or__(self, other: Changes) -> Changes:
        merged = {f.name: getattr(self, f.name) or getattr(other, f.name) for f in fields(self) if f.name != "units"}
        scoped = [c for c in (self, other) if c.observation or c.consensus or c.evidence]
        # units narrow what changed only while every scoped change names its units
        units = frozenset().union(*(c.units for c in scoped)) if all(c.units for c in scoped) else frozenset()
        return replace(self, units=units, **merged)

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self) if f.name != "units")

    @property
    def scores(self) -> bool:
        """Whether results may differ: a score, an agreement, the register or a scoring setting changed."""
        return self.observation or self.consensus or self.unit or self.setting or self.period

    def touches(self, unit: str) -> bool:
        """Whether observations, consensus or evidence of `unit` may have changed."""
        return (self.observation or self.consensus or self.evidence) and (not self.units or unit in self.units)


Listener = Callable[[Changes], None]


class Events:
    """Listeners of one workbook's changes; `emit` calls them on the thread that committed."""

    def __init__(self) -> None:
        self._listeners: list[Listener] = []
        self._lock = threading.Lock()

    def connect(self, listener: Listener) -> None:
        with self._lock:
            self._listeners.append(listener)

    def disconnect(self, listener: Listener) -> None:
        with self._lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    def emit(self, changes: Changes) -> None:
        if not changes:
            return
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            listener(changes)
