"""Test data for ranking: reports, milestones and problems written directly (the ranking reads rows,
it does not depend on the dispatch services' state of progress).

    month(2026, 5)                               the period 2026-05-01
    report(project, 2026, 5, month="100", ytd=…) the monthly report with its cut-off on the month's last day
    milestone(project, planned_on, actual_on=None)
    problem(project, unit, due_on, closed_on=None)
    building(district, plan="1200", **fields)    a continuing project with its annual plan for 2026
"""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from onewindow.dispatch.models import Problem, ProblemStep, ProgressReport
from onewindow.orgs.models import Organisation, User
from onewindow.orgs.tests.factories import UserFactory
from onewindow.projects.models import Milestone, Project
from onewindow.projects.tests.factories import ProjectFactory, plan

_positions = itertools.count(1)
YEAR = 2026


def month(year: int, number: int) -> dt.date:
    return dt.date(year, number, 1)


def month_end(year: int, number: int) -> dt.date:
    return dt.date(year, number, calendar.monthrange(year, number)[1])


def _reporter() -> User:
    user: User = UserFactory()
    return user


def report(
    project: Project,
    year: int,
    number: int,
    *,
    amount: str = "100",
    ytd: str | None = None,
    late: bool = False,
    by: User | None = None,
) -> ProgressReport:
    """The month's report (cut-off on its last day); year to date defaults to the previous reports plus this one."""
    if ytd is None:
        before = (
            ProgressReport.objects.filter(project=project, period_end__year=year, period_end__lt=month(year, number))
            .order_by("-period_end")
            .values_list("invested_year_to_date", flat=True)
            .first()
        )
        ytd = str((before or Decimal(0)) + Decimal(amount))
    return ProgressReport.objects.create(
        project=project,
        period_start=month(year, number),
        period_end=month_end(year, number),
        invested_in_period=Decimal(amount),
        invested_year_to_date=Decimal(ytd),
        progress_note="主体施工",
        submitted_by=by or _reporter(),
        is_late=late,
    )


def milestone(project: Project, planned_on: dt.date, actual_on: dt.date | None = None, **fields: Any) -> Milestone:
    return Milestone.objects.create(
        project=project,
        position=next(_positions),
        kind=fields.pop("kind", "other"),
        name=fields.pop("name", "节点"),
        duration_days=fields.pop("duration_days", 30),
        planned_on=planned_on,
        actual_on=actual_on,
        **fields,
    )


def problem(project: Project, unit: Organisation, due_on: dt.date, *, closed_on: dt.date | None = None) -> Problem:
    raiser = _reporter()
    row = Problem.objects.create(
        project=project,
        category="land",
        title="用地指标未落实",
        raised_by=raiser,
        raised_on=due_on - dt.timedelta(days=10),
        level="district",
        assigned_unit=unit,
        due_on=due_on,
        status="closed" if closed_on else "open",
        answer="已协调" if closed_on else "",
        answered_on=closed_on,
        closed_on=closed_on,
    )
    ProblemStep.objects.create(problem=row, action="raise", level="district", unit=unit, due_on=due_on, actor=raiser)
    return row


def building(district: Organisation, plan_amount: str = "1200", **fields: Any) -> Project:
    """A project under construction (continuing) with its 2026 annual plan."""
    project: Project = ProjectFactory(district=district, **fields)
    plan(project, YEAR, plan_amount)
    return project
