"""The evaluation workbench's domain core: no Qt here (a test checks it)."""

from workbench.errors import WorkbenchError
from workbench.progress import Cancelled, CancelToken, ProgressUpdate
from workbench.workbook import Workbook

__all__ = ["CancelToken", "Cancelled", "ProgressUpdate", "Workbook", "WorkbenchError"]
