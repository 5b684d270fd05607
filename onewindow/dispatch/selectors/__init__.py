"""Scoped reads of dispatch, by sub-domain (access, cycles, reports, problems) and the aggregate
figures other apps compute with (stats: monthly_investment, month_investment, invested_by_owner,
report_timeliness, problems_closed_on_time; problems: problem_counts_by_unit)."""

from onewindow.dispatch.selectors.problems import problem_counts_by_unit
from onewindow.dispatch.selectors.stats import (
    MonthInvestment,
    Timeliness,
    invested_by_owner,
    month_investment,
    monthly_investment,
    problems_closed_on_time,
    report_timeliness,
)

__all__ = [
    "MonthInvestment",
    "Timeliness",
    "invested_by_owner",
    "month_investment",
    "monthly_investment",
    "problem_counts_by_unit",
    "problems_closed_on_time",
    "report_timeliness",
]
