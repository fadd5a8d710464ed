"""The evaluation workbench's domain core: no Qt here, and no PDFs below the use cases (a test checks both).

Start at `Workbook` (workbench/workbook.py): it composes the services that own the rules.
"""

from workbench.errors import WorkbenchError
from workbench.events import Changes
from workbench.progress import Cancelled, CancelToken, ProgressUpdate
from workbench.workbook import Workbook

__all__ = ["CancelToken", "Cancelled", "Changes", "ProgressUpdate", "Workbook", "WorkbenchError"]
