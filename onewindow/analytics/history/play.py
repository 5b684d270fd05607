"""One planned case played step by step into the rows the services write: `CasePlay` (see steps.py)."""

from __future__ import annotations

from onewindow.analytics.history.bills import BillSteps
from onewindow.analytics.history.green import GreenSteps
from onewindow.analytics.history.intake_steps import IntakeSteps
from onewindow.analytics.history.steps import PLACEHOLDER_FILE, Ids, Rows

__all__ = ["PLACEHOLDER_FILE", "CasePlay", "Ids", "Rows"]


class CasePlay(IntakeSteps, BillSteps, GreenSteps):
    """The case of one plan, stepped through its planned steps (plan.Step)."""
