"""The evaluation workbench's domain core: no Qt here, and no PDFs below the use cases (a test checks both).

Start at `Workbook` (workbench/workbook.py): it composes the services that own the rules. The names below
are imported when first used, so that importing a pure part (``workbench.domain.scoring``) loads no database,
no cryptography and no spreadsheet library.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from workbench.errors import WorkbenchError
    from workbench.events import Changes
    from workbench.progress import Cancelled, CancelToken, ProgressUpdate
    from workbench.workbook import Workbook

_HOMES = {"WorkbenchError": "workbench.errors", "Changes": "workbench.events", "Cancelled": "workbench.progress",
          "CancelToken": "workbench.progress", "ProgressUpdate": "workbench.progress", "Workbook": "workbench.workbook"}
__all__ = ["CancelToken", "Cancelled", "Changes", "ProgressUpdate", "Workbook", "WorkbenchError"]


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        return getattr(import_module(_HOMES[name]), name)
    raise AttributeError(f"module 'workbench' has no attribute {name!r}")
