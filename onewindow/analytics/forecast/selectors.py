"""Reads of the forecast, scoped like the leaders' analysis (the scope and the filters are
`analytics.figures.selectors`': a region or department out of scope 404, a user without an analyst's role 403):
the cases submitted per day in the caller's scope and filters, and per matter category."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from onewindow.analytics.facts import queries
from onewindow.analytics.figures import selectors as figures
from onewindow.analytics.figures import sources
from onewindow.analytics.figures.selectors import Filters, Period
from onewindow.cases.models import Case
from onewindow.orgs.models import Organisation, User
from onewindow.workdays.domain import is_working_day
from onewindow.workdays.selectors import calendar_revision, work_calendar

BUNDLE = "bundle"  # a bundle's case has no matter category: it counts as one of its own


def filters_of(user: User, first: dt.date, last: dt.date, region_id: int | None, department_id: int | None) -> Filters:
    return figures.filters_of(user, Period(first, last), region_id, department_id)


def scope_choices(user: User) -> tuple[list[Organisation], list[Organisation]]:
    return figures.scope_choices(user)


def _cases(user: User, filters: Filters) -> QuerySet[Case]:
    return figures.cases_in(user, filters, by="submitted")


def daily_counts(user: User, filters: Filters) -> dict[dt.date, int]:
    """Cases submitted each day of the period (Asia/Shanghai days), grouped in the columnar copy or the
    database (`figures.sources`)."""
    with sources.copy_read(user, filters) as con:
        if con is not None:
            return queries.daily_counts(con)
    rows = (
        _cases(user, filters)
        .annotate(a_day=TruncDate("submitted_at", tzinfo=timezone.get_current_timezone()))
        .values("a_day")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["a_day"]: row["n"] for row in rows}


def category_counts(user: User, filters: Filters) -> dict[str, int]:
    """Cases submitted in the period per matter category (`BUNDLE` for a bundle's)."""
    with sources.copy_read(user, filters) as con:
        if con is not None:
            return queries.category_counts(con)
    rows = _cases(user, filters).values("matter_version__category").annotate(n=Count("pk")).order_by()
    return {row["matter_version__category"] or BUNDLE: row["n"] for row in rows}


def inputs_version(user: User, today: dt.date) -> str:
    """What the forecast's reads change with: the reader's scope, the newest case submitted before today (a case
    of today is not counted yet) and the working-day calendar's revision."""
    scope = ",".join(map(str, sorted(figures.analysis_scope(user).values_list("pk", flat=True))))
    start = dt.datetime.combine(today, dt.time(), timezone.get_current_timezone())
    newest = Case.objects.filter(submitted_at__lt=start).order_by("-pk").values_list("pk", flat=True).first()
    digest = hashlib.sha256(scope.encode()).hexdigest()[:16]
    return f"{digest}:{newest or 0}:{calendar_revision()}"


def working_days(days: list[dt.date]) -> dict[dt.date, bool]:
    """Each day and the days just before it: whether the windows open (the project's working-day calendar)."""
    calendar = work_calendar()
    first = days[0] - dt.timedelta(days=3)
    span = [first + dt.timedelta(days=i) for i in range((days[-1] - first).days + 1)]
    return {day: is_working_day(day, calendar) for day in span}
