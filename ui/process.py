"""Process-wide settings that keep the window responsive while worker threads run Python code."""

from __future__ import annotations

import gc
import sys


def tune() -> None:
    """Let the GUI thread take the interpreter back within ~1 ms (5 ms by default) whenever a worker
    thread computes results or merges an import: a keystroke's handler makes dozens of calls that each
    hand the interpreter over."""
    sys.setswitchinterval(0.001)


def settle() -> None:
    """After start-up: objects alive now (modules, widgets) are never scanned by the garbage collector
    again, so that a full collection later takes a few milliseconds instead of ~50 ms."""
    gc.collect()
    gc.freeze()
