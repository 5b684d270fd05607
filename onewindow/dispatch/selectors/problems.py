"""Scoped reads of problems (问题交办) and the problem board per unit.

A problem is visible to whoever sees its project, and to the staff of its current assigned unit
(see access.py): an escalated problem becomes visible to its new unit. Otherwise the same "not
found" as a missing problem.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TypeVar

from django.db.models import Count, F, Q, QuerySet

from onewindow.dispatch.domain import ProblemCategory, ProblemLevel, ProblemStatus
from onewindow.dispatch.models import Problem, ProblemStep
from onewindow.dispatch.selectors.access import units_staffed_by
from onewindow.errors import InvalidFields, NotFound
from onewindow.orgs.models import Organisation, User
from onewindow.projects.models import Project
from onewindow.projects.selectors import projects_visible_to

E = TypeVar("E", bound=StrEnum)
PROBLEM_RELATED = ("project", "project__district", "assigned_unit", "assigned_unit__parent", "raised_by")


def problems_visible_to(user: User) -> QuerySet[Problem]:
    if not user.is_authenticated:
        return Problem.objects.none()
    condition = Q(project__in=projects_visible_to(user).values("pk")) | Q(
        assigned_unit__in=units_staffed_by(user).values("pk")
    )
    return Problem.objects.filter(condition)


def problem_get_for_user(user: User, problem_id: int) -> Problem:
    problem = problems_visible_to(user).select_related(*PROBLEM_RELATED).filter(pk=problem_id).first()
    if problem is None:
        raise NotFound("未找到该问题", code="problem_not_found")
    return problem


def problem_steps(problem: Problem) -> QuerySet[ProblemStep]:
    return problem.steps.select_related("unit", "unit__parent", "actor").order_by("at", "pk")


@dataclass(frozen=True)
class ProblemFilters:
    status: ProblemStatus | None = None
    level: ProblemLevel | None = None
    category: ProblemCategory | None = None
    unit: int | None = None
    project: int | None = None
    overdue: bool = False
    errors: dict[str, str] = field(default_factory=dict)


def _choice(errors: dict[str, str], name: str, value: str | None, kind: type[E]) -> E | None:
    if not value:
        return None
    try:
        return kind(value)
    except ValueError:
        errors[name] = "筛选条件无效"
        return None


def _number(errors: dict[str, str], name: str, value: str | None) -> int | None:
    if not value:
        return None
    if not value.isdigit() or len(value) > 18:
        errors[name] = "筛选条件无效"
        return None
    return int(value)


def problem_filters(
    *,
    status: str | None = None,
    level: str | None = None,
    category: str | None = None,
    unit: str | None = None,
    project: str | None = None,
    overdue: str | None = None,
) -> ProblemFilters:
    """Parsed filters; a wrong one is reported in `errors` and ignored."""
    errors: dict[str, str] = {}
    parsed = ProblemFilters(
        status=_choice(errors, "status", status, ProblemStatus),
        level=_choice(errors, "level", level, ProblemLevel),
        category=_choice(errors, "category", category, ProblemCategory),
        unit=_number(errors, "unit", unit),
        project=_number(errors, "project", project),
        overdue=overdue in {"1", "true", "on"},
        errors=errors,
    )
    return parsed


def problem_filters_strict(**values: str | None) -> ProblemFilters:
    """As problem_filters, but a wrong filter is an error (the API)."""
    parsed = problem_filters(**values)
    if parsed.errors:
        raise InvalidFields("筛选条件有误", errors=parsed.errors, code="problem_filters_invalid")
    return parsed


def problem_list(user: User, filters: ProblemFilters, *, today: dt.date) -> QuerySet[Problem]:
    rows = problems_visible_to(user).select_related(*PROBLEM_RELATED)
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.level:
        rows = rows.filter(level=filters.level)
    if filters.category:
        rows = rows.filter(category=filters.category)
    if filters.unit:
        rows = rows.filter(assigned_unit_id=filters.unit)
    if filters.project:
        rows = rows.filter(project_id=filters.project)
    if filters.overdue:
        rows = rows.filter(overdue_condition(today))
    return rows.order_by("status", "due_on", "pk")


def overdue_condition(today: dt.date) -> Q:
    return Q(status=ProblemStatus.OPEN, due_on__lt=today)


@dataclass(frozen=True)
class UnitCounts:
    unit: Organisation
    open_count: int
    overdue_count: int
    closed_count: int
    closed_on_time_count: int


def board_counts(rows: QuerySet[Problem], *, today: dt.date) -> list[UnitCounts]:
    """Per current unit: open (not yet closed), overdue, closed, and closed on time (the confirmed
    answer given by the deadline; see domain.closed_on_time). One aggregate query and one for the units."""
    on_time = Q(status=ProblemStatus.CLOSED, answered_on__lte=F("due_on"))
    counts = list(
        rows.order_by()
        .values("assigned_unit_id")
        .annotate(
            open_count=Count("pk", filter=~Q(status=ProblemStatus.CLOSED)),
            overdue_count=Count("pk", filter=overdue_condition(today)),
            closed_count=Count("pk", filter=Q(status=ProblemStatus.CLOSED)),
            closed_on_time_count=Count("pk", filter=on_time),
        )
    )
    units = Organisation.objects.select_related("parent").in_bulk([row["assigned_unit_id"] for row in counts])
    result = [
        UnitCounts(
            units[row["assigned_unit_id"]],
            row["open_count"],
            row["overdue_count"],
            row["closed_count"],
            row["closed_on_time_count"],
        )
        for row in counts
    ]
    return sorted(result, key=lambda r: (-r.overdue_count, -r.open_count, r.unit.path))


def problem_counts_by_unit(projects: QuerySet[Project], *, today: dt.date) -> list[UnitCounts]:
    """The board's counts for the problems of `projects` (the ranking dashboard's chart)."""
    return board_counts(Problem.objects.filter(project__in=projects), today=today)


def problem_unit_choices(user: User) -> QuerySet[Organisation]:
    """The units that appear on the user's board (for the filter)."""
    ids = problems_visible_to(user).order_by().values("assigned_unit_id").distinct()
    return Organisation.objects.filter(pk__in=ids).select_related("parent").order_by("path")
