"""Scoped reads of dispatch, by sub-domain (access, cycles, reports, problems) and the aggregate
figures other apps compute with (stats: monthly_investment, report_timeliness,
problems_closed_on_time)."""

from onewindow.dispatch.selectors.stats import (
    Timeliness,
    monthly_investment,
    problems_closed_on_time,
    report_timeliness,
)

__all__ = ["Timeliness", "monthly_investment", "problems_closed_on_time", "report_timeliness"]
