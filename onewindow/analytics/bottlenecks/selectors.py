"""Reads of the bottlenecks, scoped like the leaders' analysis (`analytics.figures.selectors`: the same period,
scope and filters, imported): a review task counts when its department lies in the caller's subtree; the region
filter narrows to the cases received there, the department filter to that department's subtree. The what-if
reads the bundle's cases decided in the period (`figures.selectors.cases_in`), their decided review tasks and
the tasks' clock stops: three queries whatever their number.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from onewindow.analytics.bottlenecks.domain import DecidedTask as DecidedTask
from onewindow.analytics.bottlenecks.replay import ReplayColumns, columns_of
from onewindow.analytics.figures.selectors import Filters, _bounds, analysis_scope, cases_in
from onewindow.cases.domain import OPEN_TASK_STATUSES
from onewindow.cases.models import ClockStop, Task
from onewindow.catalogue.models import Bundle
from onewindow.errors import InvalidFields, NotFound
from onewindow.orgs.models import Organisation, User

MAX_WHAT_IF_DAYS = 60
DECIDED = ("approved", "rejected")


@dataclass(frozen=True)
class OpenTask:
    department: int
    assignee: int | None
    warning_level: str
    started_on: dt.date


def review_tasks_in(user: User, filters: Filters) -> QuerySet[Task]:
    """The review tasks in scope and filters (whatever their status and time)."""
    visible = list(analysis_scope(user).values_list("id", flat=True))
    tasks = Task.objects.filter(kind=Task.Kind.REVIEW, department_id__in=visible)
    if filters.region is not None:
        tasks = tasks.filter(case__region__path__startswith=filters.region.path)
    if filters.department is not None:
        tasks = tasks.filter(department__path__startswith=filters.department.path)
    return tasks


def open_task_rows(user: User, filters: Filters) -> QuerySet[Task]:
    """The review tasks open now (or suspended) in scope and filters (the period does not apply)."""
    return review_tasks_in(user, filters).filter(status__in=sorted(OPEN_TASK_STATUSES))


def decided_task_rows(user: User, filters: Filters) -> QuerySet[Task]:
    """The review tasks decided in the period, in scope and filters."""
    start, end = _bounds(filters.period)
    return review_tasks_in(user, filters).filter(status__in=DECIDED, decided_at__gte=start, decided_at__lt=end)


def open_tasks(user: User, filters: Filters) -> list[OpenTask]:
    rows = open_task_rows(user, filters)
    return [
        OpenTask(*row)
        for row in rows.values_list("department_id", "assignee_id", "warning_level", "started_on").order_by("pk")
    ]


def _stops_of(tasks: QuerySet[Task]) -> dict[int, list[tuple[dt.date, dt.date]]]:
    stops: dict[int, list[tuple[dt.date, dt.date]]] = {}
    rows = ClockStop.objects.filter(task_id__in=tasks.values("pk")).values_list("task_id", "first_on", "last_on")
    for task_id, first, last in rows:
        stops.setdefault(task_id, []).append((first, last if last is not None else first))
    return stops


def decided_tasks(user: User, filters: Filters) -> list[DecidedTask]:
    """The review tasks decided in the period, with their own clock stops (two queries)."""
    return [task for _row, task in decided_of(decided_task_rows(user, filters))]


@dataclass(frozen=True)
class DecidedRow:
    """Where a decided task stands, for the analysis' columnar copy (`analytics.facts`)."""

    case: int
    region: int
    stage: int
    decided_at: dt.datetime | None


def decided_of(tasks: QuerySet[Task]) -> list[tuple[DecidedRow, DecidedTask]]:
    """`tasks` (decided ones) with their own clock stops (two queries)."""
    stops = _stops_of(tasks)
    rows = tasks.values_list(
        "pk", "department_id", "assignee_id", "started_on", "decided_at", "case_id", "case__region_id", "stage"
    ).order_by("pk")
    return [
        (
            DecidedRow(case, region, stage, decided),
            DecidedTask(department, assignee, started, timezone.localtime(decided).date(), tuple(stops.get(pk, ()))),
        )
        for pk, department, assignee, started, decided, case, region, stage in rows
    ]


def user_names(ids: set[int]) -> dict[int, str]:
    return {
        pk: name or username
        for pk, name, username in User.objects.filter(pk__in=ids).values_list("pk", "name", "username")
    }


# --- the what-if ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WhatIfAsk:
    bundle: Bundle
    department: Organisation
    days: int


def what_if_ask(user: User, bundle_id: int | None, department_id: int | None, days_text: str) -> WhatIfAsk:
    """The what-if asked for: a bundle (404 when none), a department of the caller's scope (404 otherwise)
    and 1–60 working days (422 otherwise)."""
    scope = analysis_scope(user)
    errors: dict[str, str] = {}
    days = int(days_text) if days_text.strip().isdigit() else 0
    if not 1 <= days <= MAX_WHAT_IF_DAYS:
        errors["days"] = _("天数应为 1 至 %(max)s 的整数。") % {"max": MAX_WHAT_IF_DAYS}
    if bundle_id is None:
        errors["bundle"] = _("请选择一件事。")
    if department_id is None:
        errors["department"] = _("请选择部门。")
    if errors or bundle_id is None or department_id is None:
        raise InvalidFields(_("推演条件有误。"), errors=errors, code="analytics_what_if_invalid")
    bundle = Bundle.objects.filter(pk=bundle_id).first()
    if bundle is None:
        raise NotFound(_("未找到该一件事。"), code="analytics_bundle_not_found")
    department = scope.filter(pk=department_id, kind=Organisation.Kind.DEPARTMENT).first()
    if department is None:
        raise NotFound(_("未找到该部门。"), code="analytics_department_not_found")
    return WhatIfAsk(bundle, department, days)


def bundles_decided(user: User, filters: Filters) -> list[int]:
    """The bundles with cases decided in the period (the what-if's choices)."""
    cases = cases_in(user, filters, by="decided").filter(bundle_version__isnull=False)
    return sorted(set(cases.values_list("bundle_version__bundle_id", flat=True)))


def replay_cases(user: User, filters: Filters, bundle_id: int) -> ReplayColumns:
    """The bundle's cases decided in the period, with their decided review tasks and the tasks' clock stops."""
    cases = cases_in(user, filters, by="decided").filter(bundle_version__bundle_id=bundle_id)
    rows = cases.values_list("pk", "completed_at", "due_on").order_by("pk")
    tasks = Task.objects.filter(case_id__in=cases.values("pk"), kind=Task.Kind.REVIEW, status__in=DECIDED)
    stops = _stops_of(tasks)
    return columns_of(
        [(pk, timezone.localtime(completed).date(), due) for pk, completed, due in rows if completed is not None],
        [
            (case, stage, department, started, timezone.localtime(decided).date(), tuple(stops.get(pk, ())))
            for pk, case, stage, department, started, decided in tasks.values_list(
                "pk", "case_id", "stage", "department_id", "started_on", "decided_at"
            )
        ],
    )
