"""Reads of the leaders' analysis, scoped like every staff read (`cases.selectors.access`): a case counts when
its region or one of its review departments lies in the caller's organisations' subtree (through the
leader's, supervisor's or system admin's memberships); a region or department filter out of scope is 404 like
a missing one, a user without those roles 403.

Demand counts are grouped in the database (one query per grouping). The operations figures read one row per
decided case, its phase timestamps, clock stops, review tasks and correction notices in one query each (the
percentiles are computed in Python: `figures.domain`), so the number of queries does not grow with the cases.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.db.models.functions import ExtractHour, ExtractIsoWeekDay, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from onewindow.analytics.figures.domain import (
    CaseTimes,
    DemandCounts,
    OperationsFigures,
    TaskTimes,
    department_times,
    finish_last,
    grouped_spreads,
    materials_named,
    phase_spreads,
    slowest,
    stopped_days,
)
from onewindow.analytics.models import CatalogueSearch
from onewindow.cases.models import Case, CaseMatter, ClockStop, CorrectionNotice, Task, TimelineEntry
from onewindow.catalogue.models import BundleVersion, MatterVersion
from onewindow.errors import NotFound, PermissionDenied
from onewindow.fees.domain import INDUSTRY_FIELD
from onewindow.orgs.domain import Role
from onewindow.orgs.models import Organisation, User
from onewindow.orgs.selectors import organisations_visible_to
from onewindow.web.periods import Period as Period  # the period of these figures, for the modules above
from onewindow.web.periods import day_period

ANALYST_ROLES = frozenset({Role.LEADER, Role.SUPERVISOR, Role.SYSTEM_ADMIN})
DEFAULT_DAYS = 90
MAX_DAYS = 366
ACCEPTED = ("case_accept", "case_accept_deemed", "case_accept_with_deferral")
REVIEW_FINISHED = "case_finish_review"


@dataclass(frozen=True)
class Filters:
    period: Period
    region: Organisation | None = None
    department: Organisation | None = None


def period_of(first_text: str, last_text: str, today: dt.date) -> Period:
    """`from`/`to` (YYYY-MM-DD, either may be empty): by default the last 90 days up to today."""
    return day_period(
        first_text, last_text, today, default_days=DEFAULT_DAYS, max_days=MAX_DAYS, code="analytics_period_invalid"
    )


def analysis_scope(user: User) -> QuerySet[Organisation]:
    """The organisations whose cases `user` may analyse; 403 for anyone without an analyst's role."""
    scope = organisations_visible_to(user, roles=set(ANALYST_ROLES)) if user.is_authenticated else None
    if scope is None or not scope.exists():
        raise PermissionDenied(_("只有领导、督查人员和系统管理员可以查看分析。"), code="analytics_forbidden")
    return scope


def scope_choices(user: User) -> tuple[list[Organisation], list[Organisation]]:
    """The regions and the departments of the caller's scope (the filters' choices)."""
    rows = list(analysis_scope(user).order_by("path"))
    return [o for o in rows if o.kind == Organisation.Kind.REGION], [
        o for o in rows if o.kind == Organisation.Kind.DEPARTMENT
    ]


def filters_of(user: User, period: Period, region_id: int | None, department_id: int | None) -> Filters:
    scope = analysis_scope(user)
    region = department = None
    if region_id is not None:
        region = scope.filter(pk=region_id, kind=Organisation.Kind.REGION).first()
        if region is None:
            raise NotFound(_("未找到该区划。"), code="analytics_region_not_found")
    if department_id is not None:
        department = scope.filter(pk=department_id, kind=Organisation.Kind.DEPARTMENT).first()
        if department is None:
            raise NotFound(_("未找到该部门。"), code="analytics_department_not_found")
    return Filters(period, region, department)


def _ids(organisations: QuerySet[Organisation]) -> list[int]:
    return list(organisations.values_list("id", flat=True))


def cases_in(user: User, filters: Filters, *, by: str) -> QuerySet[Case]:
    """The cases in scope and filters, submitted (`by="submitted"`) or decided (`by="decided"`) in the period."""
    visible = _ids(analysis_scope(user))
    in_task_department = Exists(Task.objects.filter(case=OuterRef("pk"), department_id__in=visible))
    cases = Case.objects.filter(Q(region_id__in=visible) | in_task_department)
    start, end = _bounds(filters.period)
    if by == "submitted":
        cases = cases.filter(submitted_at__gte=start, submitted_at__lt=end)
    else:
        cases = cases.filter(status="completed", completed_at__gte=start, completed_at__lt=end)
    if filters.region is not None:
        cases = cases.filter(region__path__startswith=filters.region.path)
    if filters.department is not None:
        subtree = _ids(Organisation.objects.filter(path__startswith=filters.department.path))
        cases = cases.filter(Exists(CaseMatter.objects.filter(case=OuterRef("pk"), department_id__in=subtree)))
    return cases


@dataclass(frozen=True)
class CaseScope:
    """`cases_in`'s rule as ids, for a reader of the columnar copy: the cases whose region or one of whose tasks'
    departments is `visible`; within `regions` (the region filter's subtree) and with a matter of `departments`
    (the department filter's subtree) when those filters are given; in the period `start` ≤ t < `end`."""

    visible: list[int]
    regions: list[int] | None
    departments: list[int] | None
    start: dt.datetime
    end: dt.datetime


def case_scope(user: User, filters: Filters) -> CaseScope:
    start, end = _bounds(filters.period)
    region, department = filters.region, filters.department
    return CaseScope(
        visible=_ids(analysis_scope(user)),
        regions=None if region is None else _ids(Organisation.objects.filter(path__startswith=region.path)),
        departments=None if department is None else _ids(Organisation.objects.filter(path__startswith=department.path)),
        start=start,
        end=end,
    )


def _bounds(period: Period) -> tuple[dt.datetime, dt.datetime]:
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(period.first, dt.time(), zone)
    return start, dt.datetime.combine(period.last + dt.timedelta(days=1), dt.time(), zone)


# --- demand: counts grouped in the database --------------------------------------------------------------


def counts_by(cases: QuerySet[Case], field: str) -> dict[Any, int]:
    return {row[field]: row["n"] for row in cases.values(field).annotate(n=Count("pk")).order_by()}


def counts_by_time(cases: QuerySet[Case]) -> dict[str, dict[Any, int]]:
    """Submissions by hour of day, ISO weekday (1 = Monday) and month, in Asia/Shanghai."""
    annotated = cases.annotate(
        a_hour=ExtractHour("submitted_at"),
        a_weekday=ExtractIsoWeekDay("submitted_at"),
        a_month=TruncMonth("submitted_at"),
    )
    return {
        "hour": counts_by(annotated, "a_hour"),
        "weekday": counts_by(annotated, "a_weekday"),
        "month": {
            (m.date() if isinstance(m, dt.datetime) else m): n for m, n in counts_by(annotated, "a_month").items()
        },
    }


def counts_by_department(cases: QuerySet[Case]) -> dict[int, int]:
    """Cases per department concerned (a bundle counts once for each of its matters' departments)."""
    rows = (
        CaseMatter.objects.filter(case__in=cases.values("pk"))
        .values("department_id")
        .annotate(n=Count("case_id", distinct=True))
        .order_by()
    )
    return {row["department_id"]: row["n"] for row in rows}


def demand_counts(user: User, filters: Filters) -> DemandCounts:
    """The cases submitted in the period, counted per grouping in the database (one query each)."""
    cases = cases_in(user, filters, by="submitted")
    times = counts_by_time(cases)
    return DemandCounts(
        channels=counts_by(cases, "channel"),
        matters=counts_by(cases.filter(matter_version__isnull=False), "matter_version__matter_id"),
        bundles=counts_by(cases.filter(bundle_version__isnull=False), "bundle_version__bundle_id"),
        regions=counts_by(cases, "region_id"),
        departments=counts_by_department(cases),
        kinds=counts_by(cases, "applicant__kind"),
        hours=times["hour"],
        weekdays=times["weekday"],
        months=times["month"],
    )


def matter_names(ids: set[int]) -> dict[int, str]:
    """Each matter's name as its latest version states it."""
    rows = MatterVersion.objects.filter(matter_id__in=ids).order_by("matter_id", "id").values_list("matter_id", "name")
    return dict(rows)


def bundle_names(ids: set[int]) -> dict[int, str]:
    rows = BundleVersion.objects.filter(bundle_id__in=ids).order_by("bundle_id", "id").values_list("bundle_id", "name")
    return dict(rows)


def searches_unfound(period: Period, limit: int) -> list[dict[str, Any]]:
    """The catalogue searches of the period that found nothing: query, times, last day (public data, for
    everyone who may see the analysis: not scoped by region)."""
    rows = CatalogueSearch.objects.filter(day__range=(period.first, period.last), results=0)
    grouped = rows.values("query").annotate(times=Count("id"), last_day=Max("day"))
    return list(grouped.order_by("-times", "-last_day", "query")[:limit])


def searches_by_matter(period: Period, limit: int) -> list[tuple[int, int]]:
    """The matters the catalogue searches of the period found first, most searched first."""
    rows = CatalogueSearch.objects.filter(day__range=(period.first, period.last), matter__isnull=False)
    grouped = rows.values("matter_id").annotate(n=Count("id")).order_by("-n", "matter_id")[:limit]
    return [(row["matter_id"], row["n"]) for row in grouped]


def organisation_names(ids: set[int]) -> dict[int, str]:
    return dict(Organisation.objects.filter(pk__in=ids).values_list("pk", "name"))


# --- operations: one row per decided case, then Python ------------------------------------------------------


def case_times(cases: QuerySet[Case]) -> list[CaseTimes]:
    """The decided cases with their phase timestamps and stopped days (four queries whatever their number)."""
    rows = list(
        cases.values_list(
            "pk",
            "matter_version__matter_id",
            "bundle_version__bundle_id",
            "region_id",
            "submitted_at",
            "completed_at",
            "due_on",
            "extension_days",
        )
    )
    ids = cases.values("pk")
    accepted: dict[int, dt.datetime] = {}
    finished: dict[int, dt.datetime] = {}
    entries = TimelineEntry.objects.filter(case_id__in=ids, action__in=(*ACCEPTED, REVIEW_FINISHED))
    for case_id, action, at in entries.values_list("case_id", "action", "at").order_by("at", "pk"):
        if action == REVIEW_FINISHED:
            finished[case_id] = at  # the last one: a case sent back is reviewed again
        else:
            accepted.setdefault(case_id, at)
    stops: dict[int, list[tuple[dt.date, dt.date | None]]] = {}
    review_stops = ClockStop.objects.filter(case_id__in=ids, task__isnull=False)  # a correction's wait is intake
    for case_id, first, last in review_stops.values_list("case_id", "first_on", "last_on"):
        stops.setdefault(case_id, []).append((first, last))
    extended_tasks = set(
        Task.objects.filter(case_id__in=ids, extension_days__gt=0).values_list("case_id", flat=True).distinct()
    )
    result = []
    for pk, matter, bundle, region, submitted, decided, due, extension in rows:
        if submitted is None or decided is None:
            continue
        decided = timezone.localtime(decided)
        result.append(
            CaseTimes(
                case=pk,
                subject=("matter", matter) if matter is not None else ("bundle", bundle),
                region=region,
                submitted_at=timezone.localtime(submitted),
                decided_at=decided,
                accepted_at=_local(accepted.get(pk)),
                review_finished_at=_local(finished.get(pk)),
                waiting_days=stopped_days(stops.get(pk, []), decided.date()),
                due_on=due,
                extended=bool(extension) or pk in extended_tasks,
            )
        )
    return result


def operations_figures(user: User, filters: Filters, slowest_count: int) -> OperationsFigures:
    """The operations figures from the operational tables: one row per decided case and per decided review task
    read into Python, the percentiles computed there (`figures.domain`)."""
    decided = cases_in(user, filters, by="decided")
    submitted = cases_in(user, filters, by="submitted")
    cases = case_times(decided)
    tasks = task_times(decided)
    return OperationsFigures(
        overall=phase_spreads(cases),
        by_subject=grouped_spreads(cases, lambda c: c.subject),
        by_region=grouped_spreads(cases, lambda c: c.region),
        departments=department_times(tasks),
        finish_last=finish_last(tasks),
        slowest=slowest(cases, slowest_count),
        corrections=correction_counts(submitted),
        submitted_by_subject=submitted_by_subject(submitted),
        materials=materials_named(correction_items(submitted)),
    )


def submitted_by_subject(cases: QuerySet[Case]) -> dict[tuple[str, int], int]:
    return {
        **{("matter", k): n for k, n in counts_by(cases, "matter_version__matter_id").items() if k},
        **{("bundle", k): n for k, n in counts_by(cases, "bundle_version__bundle_id").items() if k},
    }


def _local(at: dt.datetime | None) -> dt.datetime | None:
    return timezone.localtime(at) if at is not None else None


# The form's 所属行业 (国民经济行业门类; the fees' bills read the same field): the enterprise set-ups by industry.
INDUSTRY = f"form_data__{INDUSTRY_FIELD}"


def industry_of(value: object) -> str | None:
    """A form's industry as the figures group it (and `trace` finds it again): its text, None when the form has
    none (the form's choice field holds one of its options or nothing)."""
    return value if isinstance(value, str) and value else None


def case_numbers(ids: list[int]) -> dict[int, str]:
    return dict(Case.objects.filter(pk__in=ids).values_list("pk", "number"))


def task_times(cases: QuerySet[Case]) -> list[TaskTimes]:
    """The decided review tasks of the cases (every department's: the critical path needs the others too), with
    the time each was opened and its own stopped days (three queries)."""
    ids = cases.values("pk")
    tasks = Task.objects.filter(case_id__in=ids, kind=Task.Kind.REVIEW, status__in=("approved", "rejected"))
    opened = dict(
        TimelineEntry.objects.filter(case_id__in=ids, action="task_open")
        .order_by("at", "pk")
        .values_list("task_id", "at")
    )
    stops: dict[int, list[tuple[dt.date, dt.date | None]]] = {}
    for task_id, first, last in ClockStop.objects.filter(case_id__in=ids, task__isnull=False).values_list(
        "task_id", "first_on", "last_on"
    ):
        stops.setdefault(task_id, []).append((first, last))
    rows = tasks.values_list(
        "pk", "case_id", "stage", "department_id", "decided_at", "due_on", "extension_days"
    ).order_by("pk")
    result = []
    for pk, case, stage, department, decided, due, extension in rows:
        decided_at = _local(decided)
        until = decided_at.date() if decided_at else due
        result.append(
            TaskTimes(
                case,
                stage,
                department,
                _local(opened.get(pk)),
                decided_at,
                due,
                bool(extension),
                stopped_days(stops.get(pk, []), until),
            )
        )
    return result


def correction_counts(cases: QuerySet[Case]) -> dict[tuple[str, int], tuple[int, int]]:
    """Per matter or bundle: (cases with a correction notice, notices)."""
    rows = (
        CorrectionNotice.objects.filter(case_id__in=cases.values("pk"))
        .values("case__matter_version__matter_id", "case__bundle_version__bundle_id")
        .annotate(cases=Count("case_id", distinct=True), notices=Count("pk"))
        .order_by()
    )
    result = {}
    for row in rows:
        matter = row["case__matter_version__matter_id"]
        key = ("matter", matter) if matter is not None else ("bundle", row["case__bundle_version__bundle_id"])
        result[key] = (row["cases"], row["notices"])
    return result


def correction_items(cases: QuerySet[Case]) -> list[list[dict[str, str]]]:
    return [
        items if isinstance(items, list) else []
        for items in CorrectionNotice.objects.filter(case_id__in=cases.values("pk")).values_list("items", flat=True)
    ]
