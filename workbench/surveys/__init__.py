"""The respondents' side of an evaluation: questionnaires (SKM and the F-03 forms) typed in or imported, the
paper sheets printed for them, and the indices computed from them (see service.py and sheets.py)."""

from workbench.surveys.records import F03Result, Incoming, Respondent, SampleStatus
from workbench.surveys.service import FORMS, Surveys, batch_digests
from workbench.surveys.sheets import Sheet

__all__ = ["FORMS", "F03Result", "Incoming", "Respondent", "SampleStatus", "Sheet", "Surveys", "batch_digests"]
