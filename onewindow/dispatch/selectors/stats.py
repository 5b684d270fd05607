"""Figures other apps compute with (ranking, assessment, briefings): unscoped, aggregated in SQL.

    monthly_investment(year)                        {project_id: {month: (in_month, ytd)}}
    month_investment(month_start, month_end)        {project_id: MonthInvestment}
    invested_by_owner(first, last)                  [(district_id, unit_id, invested)]
    report_timeliness(period_start, period_end)     {district_id: Timeliness(due, on_time)}
    problems_closed_on_time(period_start, period_end, per="unit" | "district")
                                                    {organisation_id: (closed_on_time, due_in_period)}

They run for every project and month of a ranking (10,000 projects × 36 months), so each is one
grouped query (report_timeliness: three small ones) whatever the number of projects.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from django.db.models import Count, Exists, F, Max, OuterRef, Q, Sum
from django.db.models.functions import ExtractMonth

from onewindow.dispatch.domain import REPORTING_PHASES, ProblemAction, ProblemStatus, cutoffs_between
from onewindow.dispatch.models import ProblemStep, ProgressReport
from onewindow.dispatch.selectors.cycles import cycle_for_path, cycle_table
from onewindow.projects.models import Project

ZERO = Decimal("0.00")


def monthly_investment(
    year: int, *, project_ids: list[int] | None = None
) -> dict[int, dict[int, tuple[Decimal, Decimal]]]:
    """Per project and month of `year` (1–12): the investment completed in the month (the sum of
    its periods' `invested_in_period`) and the year to date at the month's end (the last period's
    `invested_year_to_date`: year to date never falls, so the month's largest).

    A period belongs to the month of its cut-off. A month with no report is absent: the ranking
    reads it as "no report", and its year to date is the previous month's."""
    rows = ProgressReport.objects.filter(period_end__year=year)
    if project_ids is not None:
        rows = rows.filter(project_id__in=project_ids)
    grouped = (
        rows.order_by()
        .annotate(month=ExtractMonth("period_end"))
        .values_list("project_id", "month")
        .annotate(in_month=Sum("invested_in_period"), ytd=Max("invested_year_to_date"))
    )
    result: dict[int, dict[int, tuple[Decimal, Decimal]]] = {}
    for project_id, month, in_month, ytd in grouped:
        result.setdefault(project_id, {})[month] = (Decimal(in_month), Decimal(ytd))
    return result


@dataclass(frozen=True)
class MonthInvestment:
    """One project's month, by `monthly_investment`'s rule, with the month's reports counted."""

    year_to_date: Decimal
    in_month: Decimal
    report_count: int
    late_count: int


def month_investment(month_start: dt.date, month_end: dt.date) -> dict[int, MonthInvestment]:
    """Per project with a report this year up to `month_end`: the year to date at the month's end,
    the month's investment, and how many of the month's reports there were and came late."""
    in_month = Q(period_end__gte=month_start)
    rows = (
        ProgressReport.objects.filter(period_end__gte=month_start.replace(month=1, day=1), period_end__lte=month_end)
        .order_by()
        .values("project_id")
        .annotate(
            ytd=Max("invested_year_to_date"),
            month=Sum("invested_in_period", filter=in_month),
            reports=Count("pk", filter=in_month),
            late=Count("pk", filter=in_month & Q(is_late=True)),
        )
        .values_list("project_id", "ytd", "month", "reports", "late")
    )
    return {pk: MonthInvestment(ytd or ZERO, month or ZERO, reports, late) for pk, ytd, month, reports, late in rows}


def invested_by_owner(first: dt.date, last: dt.date) -> list[tuple[int, int | None, Decimal]]:
    """The investment of the periods cut off from `first` to `last`, per project district and
    responsible unit."""
    rows = (
        ProgressReport.objects.filter(period_end__gte=first, period_end__lte=last)
        .order_by()
        .values_list("project__district_id", "project__responsible_unit_id")
        .annotate(total=Sum("invested_in_period"))
    )
    return [(district, unit, invested or ZERO) for district, unit, invested in rows]


@dataclass(frozen=True)
class Timeliness:
    due: int
    on_time: int

    @property
    def rate(self) -> float | None:
        return self.on_time / self.due if self.due else None


def report_timeliness(period_start: dt.date, period_end: dt.date) -> dict[int, Timeliness]:
    """Per district: reports due from `period_start` to `period_end` (both included) and reports
    given on time for those cut-offs.

    Due: every cut-off of the district's cycle in the span, for each of its projects under
    construction now (phases new start and continuing) or that reported in the span (the phase
    history is not replayed). On time: reports with a cut-off in the span that were not late,
    capped at the number due."""
    reported = ProgressReport.objects.filter(project=OuterRef("pk"), period_end__range=(period_start, period_end))
    projects = (
        Project.objects.filter(Q(phase__in=list(REPORTING_PHASES)) | Exists(reported))
        .order_by()
        .values_list("district_id", "district__path")
        .annotate(count=Count("pk"))
    )
    on_time = dict(
        ProgressReport.objects.filter(period_end__range=(period_start, period_end), is_late=False)
        .order_by()
        .values_list("project__district_id")
        .annotate(count=Count("pk"))
        .values_list("project__district_id", "count")
    )
    table = cycle_table()
    result: dict[int, Timeliness] = {}
    for district_id, path, count in projects:
        due = count * len(cutoffs_between(cycle_for_path(path, table), period_start, period_end))
        result[district_id] = Timeliness(due=due, on_time=min(on_time.get(district_id, 0), due))
    return result


def problems_closed_on_time(
    period_start: dt.date, period_end: dt.date, *, per: Literal["unit", "district"] = "unit"
) -> dict[int, tuple[int, int]]:
    """{organisation id: (closed on time, due in period)} for deadlines from `period_start` to
    `period_end` (both included).

    per="unit": one count per assignment (raised or escalated step) whose deadline falls in the
    span, by its unit; on time when the problem was closed with an answer given by that deadline
    and never escalated past that level (a unit that let a problem escalate missed it).
    per="district": one count per problem whose first deadline falls in the span, by its
    project's district; on time when it was closed with an answer given by that first deadline,
    without escalation."""
    steps = ProblemStep.objects.filter(due_on__range=(period_start, period_end))
    if per == "district":
        steps = steps.filter(action=ProblemAction.RAISE)
        key = "problem__project__district_id"
    else:
        steps = steps.filter(action__in=[ProblemAction.RAISE, ProblemAction.ESCALATE])
        key = "unit_id"
    on_time = Q(problem__status=ProblemStatus.CLOSED, problem__answered_on__lte=F("due_on"), problem__level=F("level"))
    rows = (
        steps.order_by()
        .values_list(key)
        .annotate(on_time=Count("pk", filter=on_time), due=Count("pk"))
        .values_list(key, "on_time", "due")
    )
    return {org_id: (closed, due) for org_id, closed, due in rows}
