"""Reads of the calendar. The calendar is public: there is nothing to scope.

`work_calendar()` keeps the loaded `WorkCalendar` in the process and reloads it when the revision
number (raised by every service that changes the calendar) differs from the one it was loaded at.
That costs one tiny query per call (or a column of a statement the caller runs anyway: the case
lock reads it), so a change made by another worker, or rolled back, is seen at
once. Call it once per request or batch and pass the calendar on.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass

from onewindow.workdays.domain import DayKind, HolidayPeriod, WorkCalendar, holiday_periods, is_provisional
from onewindow.workdays.models import CalendarRevision, CalendarYear, SpecialDay

_lock = threading.Lock()
_cached: tuple[int, WorkCalendar] | None = None


def calendar_revision() -> int:
    number = CalendarRevision.objects.filter(pk=1).values_list("number", flat=True).first()
    return number or 0


def work_calendar(revision: int | None = None) -> WorkCalendar:
    """The calendar; `revision`: the current revision number when the caller has read it already."""
    global _cached
    revision = calendar_revision() if revision is None else revision
    cached = _cached
    if cached is not None and cached[0] == revision:
        return cached[1]
    with _lock:
        calendar = _load()
        _cached = (revision, calendar)
    return calendar


def work_calendar_for(request: object | None) -> WorkCalendar:
    """The calendar read once per request (a page or an API answer that marks many dates); kept on the
    request, so a change made later in the same request is seen from the next request on."""
    if request is None:
        return work_calendar()
    calendar = getattr(request, "_workdays_calendar", None)
    if not isinstance(calendar, WorkCalendar):
        calendar = work_calendar()
        request._workdays_calendar = calendar  # type: ignore[attr-defined]
    return calendar


def date_is_provisional(on: dt.date | None, *, calendar: WorkCalendar | None = None) -> bool:
    """Whether a due date was counted through a year whose holiday schedule is not entered yet
    (`domain.is_provisional`); no date is never provisional. Pass `calendar` when checking many."""
    if on is None:
        return False
    return is_provisional(on, calendar or work_calendar())


def work_calendar_clear_cache() -> None:
    global _cached
    _cached = None


def _load() -> WorkCalendar:
    holidays: set[dt.date] = set()
    makeup: set[dt.date] = set()
    for on, kind in SpecialDay.objects.values_list("on", "kind"):
        (makeup if kind == DayKind.MAKEUP_WORKDAY else holidays).add(on)
    known = CalendarYear.objects.filter(is_published=True).values_list("year", flat=True)
    return WorkCalendar(holidays=frozenset(holidays), makeup_workdays=frozenset(makeup), known_years=frozenset(known))


def known_years() -> set[int]:
    return set(CalendarYear.objects.filter(is_published=True).values_list("year", flat=True))


def years_not_known(years: list[int]) -> list[int]:
    known = set(CalendarYear.objects.filter(year__in=years, is_published=True).values_list("year", flat=True))
    return [y for y in years if y not in known]


@dataclass(frozen=True)
class MakeupDay:
    on: dt.date
    name: str


@dataclass(frozen=True)
class YearSchedule:
    year: int
    known: bool
    published_by: str
    note: str
    holidays: list[HolidayPeriod]
    makeup_days: list[MakeupDay]


def year_schedule(year: int) -> YearSchedule:
    """A year's holidays (grouped into periods) and make-up workdays, for the page and the API."""
    row = CalendarYear.objects.filter(year=year).first()
    days = list(SpecialDay.objects.filter(on__year=year).values_list("on", "kind", "name"))
    return YearSchedule(
        year=year,
        known=bool(row and row.is_published),
        published_by=row.published_by if row else "",
        note=row.note if row else "",
        holidays=holiday_periods((on, name) for on, kind, name in days if kind == DayKind.HOLIDAY),
        makeup_days=[MakeupDay(on, name) for on, kind, name in days if kind == DayKind.MAKEUP_WORKDAY],
    )
