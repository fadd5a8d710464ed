"""Progress reporting and cancellation for long core work, as plain data (no Qt)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ProgressUpdate:
    """How far a long operation has got; `total` is 0 when unknown."""

    current: int
    total: int
    message: str = ""


ProgressCallback = Callable[[ProgressUpdate], None]


class Cancelled(Exception):
    """Raised inside an operation whose CancelToken was cancelled; nothing was written."""


class CancelToken:
    """Set from any thread; long operations call `check()` between steps."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    def check(self) -> None:
        if self._event.is_set():
            raise Cancelled()


def report(progress: ProgressCallback | None, current: int, total: int, message: str = "") -> None:
    """Call `progress` if there is one; keeps call sites to one line."""
    if progress is not None:
        progress(ProgressUpdate(current, total, message))
