"""Reads of the figures, scoped like every staff page: the halls of the caller's organisations' subtree
(`halls.selectors.halls_for_staff`); a hall out of scope is 404 like a missing one, a user without a staff
role 403. Rows are fetched once per kind (tickets, bookings, hours, roster) and counted in Python
(`figures.domain`), so SQLite and PostgreSQL give the same numbers. No applicant data is read."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from onewindow.errors import NotFound, PermissionDenied
from onewindow.halls import selectors as halls
from onewindow.halls.domain import HallHours
from onewindow.halls.models import Booking, Closure, Duty, HallProfile, OpeningHours, ServiceCategory, WindowProfile
from onewindow.orgs.models import Hall, User, Window
from onewindow.orgs.selectors import membership_paths
from onewindow.tickets.figures.domain import TicketTimes, is_weekend_day, open_seconds, window_hours_on
from onewindow.tickets.models import Ticket
from onewindow.web.periods import Period as Period  # the period of these figures, for the modules above
from onewindow.web.periods import day_period
from onewindow.workdays.domain import WorkCalendar

DEFAULT_DAYS = 30
MAX_DAYS = 366


def period_of(first_text: str, last_text: str, today: dt.date) -> Period:
    """`from`/`to` (YYYY-MM-DD, either may be empty): by default the last 30 days up to today."""
    return day_period(
        first_text,
        last_text,
        today,
        default_days=DEFAULT_DAYS,
        max_days=MAX_DAYS,
        code="tickets_figures_period_invalid",
    )


def figure_halls(user: User) -> QuerySet[Hall]:
    """The halls whose figures `user` may read (those of the desk page); 403 for a user with no staff role."""
    if not membership_paths(user, halls.STAFF_ROLES):
        raise PermissionDenied(_("只有工作人员可以查看大厅统计。"), code="tickets_figures_forbidden")
    return halls.halls_for_staff(user)


def halls_in_scope(user: User, hall_id: int | None) -> list[Hall]:
    scope = figure_halls(user)
    if hall_id is None:
        return list(scope)
    hall = scope.filter(pk=hall_id).first()
    if hall is None:
        raise NotFound(_("未找到该大厅。"), code="tickets_hall_not_found")
    return [hall]


# --- rows -------------------------------------------------------------------------------------------------


def ticket_times(hall_ids: list[int], period: Period) -> list[TicketTimes]:
    rows = Ticket.objects.filter(hall_id__in=hall_ids, issued_on__range=(period.first, period.last)).values_list(
        "hall_id",
        "category_id",
        "window_id",
        "issued_on",
        "status",
        "issued_at",
        "called_at",
        "started_at",
        "finished_at",
        "skipped_at",
    )
    return [
        TicketTimes(hall, category, window, day, status, *(_local(t) for t in times))  # type: ignore[arg-type]
        for hall, category, window, day, status, *times in rows
    ]


def _local(at: dt.datetime | None) -> dt.datetime | None:
    return timezone.localtime(at) if at is not None else None


@dataclass(frozen=True)
class BookingCount:
    hall: int
    category: int
    channel: str
    status: str
    count: int


def booking_counts(hall_ids: list[int], period: Period) -> list[BookingCount]:
    rows = (
        Booking.objects.filter(hall_id__in=hall_ids, on__range=(period.first, period.last))
        .values("hall_id", "category_id", "channel", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return [BookingCount(r["hall_id"], r["category_id"], r["channel"], r["status"], r["n"]) for r in rows]


@dataclass(frozen=True)
class Names:
    halls: dict[int, str]
    categories: dict[int, tuple[int, str]]  # id -> (hall id, name)
    windows: dict[int, tuple[int, str]]  # id -> (hall id, number)


def names_of(hall_list: list[Hall]) -> Names:
    ids = [h.pk for h in hall_list]
    categories = ServiceCategory.objects.filter(hall_id__in=ids).values_list("pk", "hall_id", "name")
    windows = Window.objects.filter(hall_id__in=ids).values_list("pk", "hall_id", "number")
    return Names(
        {h.pk: h.name for h in hall_list},
        {pk: (hall, name) for pk, hall, name in categories},
        {pk: (hall, number) for pk, hall, number in windows},
    )


# --- window utilisation ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class WindowUse:
    window: int
    hall: int
    open_days: int
    open_seconds: float
    serving_seconds: float
    weekend_served: dict[int, int]  # weekday (5, 6) -> tickets served


def window_uses(
    hall_list: list[Hall], period: Period, tickets: list[TicketTimes], calendar: WorkCalendar, now: dt.datetime
) -> list[WindowUse]:
    """Per window: the open time of its days in the period, its service time, its weekend tickets served."""
    ids = [h.pk for h in hall_list]
    week = _hall_hours(ids)
    duties = _roster(ids, period)
    serving: dict[int, float] = defaultdict(float)
    weekend: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for t in tickets:
        if t.window is None or t.finished_at is None:
            continue
        serving[t.window] += t.service_seconds or 0.0
        if is_weekend_day(t.day, calendar):
            weekend[t.window][t.day.weekday()] += 1
    local_now = timezone.localtime(now)
    uses = []
    for profile in WindowProfile.objects.filter(window__hall_id__in=ids).select_related("window"):
        window = profile.window
        opened = [
            open_seconds(hours, until=local_now.time() if day == local_now.date() else None)
            for day in period.days
            if day <= local_now.date()
            and (hours := _window_hours(window, profile.weekend_service, day, week, duties, calendar))
        ]
        uses.append(
            WindowUse(window.pk, window.hall_id, len(opened), sum(opened), serving[window.pk], dict(weekend[window.pk]))
        )
    return uses


def _window_hours(
    window: Window,
    weekend_service: bool,
    day: dt.date,
    week: dict[int, HallHours],
    duties: dict[tuple[int, dt.date], set[int]],
    calendar: WorkCalendar,
) -> tuple[dt.time, dt.time] | None:
    rostered = duties.get((window.hall_id, day))
    on_duty = None if rostered is None else window.pk in rostered
    hall = week.get(window.hall_id, HallHours())
    return window_hours_on(day, hall, calendar, window_weekend=weekend_service, on_duty=on_duty)


def _hall_hours(ids: list[int]) -> dict[int, HallHours]:
    hours: dict[int, dict[int, tuple[dt.time, dt.time]]] = defaultdict(dict)
    for hall, weekday, opens, closes in OpeningHours.objects.filter(hall_id__in=ids).values_list(
        "hall_id", "weekday", "opens", "closes"
    ):
        hours[hall][weekday] = (opens, closes)
    closures: dict[int, set[dt.date]] = defaultdict(set)
    for hall, on in Closure.objects.filter(hall_id__in=ids).values_list("hall_id", "on"):
        closures[hall].add(on)
    weekend = dict(HallProfile.objects.filter(hall_id__in=ids).values_list("hall_id", "weekend_service"))
    return {h: HallHours(hours[h], bool(weekend.get(h)), frozenset(closures[h])) for h in ids}


def _roster(ids: list[int], period: Period) -> dict[tuple[int, dt.date], set[int]]:
    """(hall, day) -> the windows with a clerk on duty, for the days that have a roster."""
    duties: dict[tuple[int, dt.date], set[int]] = defaultdict(set)
    rows = Duty.objects.filter(window__hall_id__in=ids, on__range=(period.first, period.last))
    for hall, on, window in rows.values_list("window__hall_id", "on", "window_id"):
        duties[(hall, on)].add(window)
    return duties
