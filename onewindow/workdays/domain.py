"""Working days of the PRC calendar: pure arithmetic over data, no clock, no database.

- 《中华人民共和国行政许可法》第八十二条: the time limits of this law are counted in working days,
  not counting statutory holidays. Weekends and statutory holidays do not count; make-up workdays
  (调休上班日) do.
- 第四十五条: time needed for hearings, tendering, auctions, testing, expert review and the like is
  not counted in the time limit (clock suspensions). Waiting for the applicant's corrections is
  treated the same way by the platform.

The day a period starts is not counted: `add_working_days(start, n)` is the n-th working day after
`start`. A year whose State Council schedule is not known falls back to "weekends only" and every
result that depends on such a year is marked provisional (never silently wrong).

Speed: every deadline of the platform goes through here, so each year is turned once into a sorted
tuple of the ordinals of its working days and questions become `bisect` lookups.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from onewindow.errors import DomainError

MIN_YEAR = 1950
MAX_YEAR = 2199
MAX_DAYS = 3650  # the API and the page cap `n` here: about 14 years of working days


class DayKind(StrEnum):
    HOLIDAY = "holiday"
    MAKEUP_WORKDAY = "makeup_workday"


class DateOutOfRange(DomainError):
    code = "workdays_date_out_of_range"
    status = 422


class InvalidWorkingDays(DomainError):
    code = "workdays_invalid_days"
    status = 422


class InvalidSuspension(DomainError):
    code = "workdays_invalid_suspension"
    status = 422


def check_date(day: dt.date, *, field: str | None = None) -> dt.date:
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise DateOutOfRange(f"日期须在 {MIN_YEAR} 年至 {MAX_YEAR} 年之间", field=field)
    return day


def check_days(n: int, *, field: str | None = None) -> int:
    if not 0 <= n <= MAX_DAYS:
        raise InvalidWorkingDays(f"工作日数须为 0 至 {MAX_DAYS} 之间的整数", field=field)
    return n


@dataclass(frozen=True, order=True)
class Suspension:
    """Dates from `first_on` to `last_on`, both included, that do not count (Art. 45)."""

    first_on: dt.date
    last_on: dt.date

    def __post_init__(self) -> None:
        if self.last_on < self.first_on:
            raise InvalidSuspension("中止计时的结束日期不能早于开始日期")


@dataclass(frozen=True)
class Deadline:
    """The n-th working day after a start; provisional when an unknown year was counted through."""

    on: dt.date
    unknown_years: tuple[int, ...] = ()

    @property
    def provisional(self) -> bool:
        return bool(self.unknown_years)


@dataclass(frozen=True)
class WorkingDayCount:
    """Working days in a span; provisional when the span crosses a year with no known schedule."""

    working_days: int
    unknown_years: tuple[int, ...] = ()

    @property
    def provisional(self) -> bool:
        return bool(self.unknown_years)


@dataclass(frozen=True)
class WorkCalendar:
    """Statutory holidays and make-up workdays as data, and the years whose schedule is known.

    A date in both sets counts as a make-up workday. Days of years not in `known_years` still
    honour any entries present (an admin part-way through entering a year), but results through
    them are provisional.
    """

    holidays: frozenset[dt.date] = frozenset()
    makeup_workdays: frozenset[dt.date] = frozenset()
    known_years: frozenset[int] = frozenset()
    # year -> sorted ordinals of its working days; filled lazily, never part of equality.
    _years: dict[int, tuple[int, ...]] = field(default_factory=dict, init=False, repr=False, compare=False)

    def working_ordinals(self, year: int) -> tuple[int, ...]:
        cached = self._years.get(year)
        if cached is None:
            if not MIN_YEAR <= year <= MAX_YEAR:
                raise DateOutOfRange(f"日期须在 {MIN_YEAR} 年至 {MAX_YEAR} 年之间")
            first = dt.date(year, 1, 1).toordinal()
            last = dt.date(year, 12, 31).toordinal()
            cached = tuple(o for o in range(first, last + 1) if self._counts(dt.date.fromordinal(o)))
            self._years[year] = cached
        return cached

    def _counts(self, day: dt.date) -> bool:
        if day in self.makeup_workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays

    def unknown_between(self, first: dt.date, last: dt.date) -> tuple[int, ...]:
        """Years from `first` to `last` (both included) whose schedule is not known."""
        if first.year == last.year:  # the common case, kept cheap
            return () if first.year in self.known_years else (first.year,)
        return tuple(y for y in range(first.year, last.year + 1) if y not in self.known_years)


def is_provisional(on: dt.date, calendar: WorkCalendar) -> bool:
    """Whether a date reached by counting working days may still move: its year's holiday schedule is
    not known, so the count followed the weekend rule there (and will change once it is entered).

    For a stored date whose start is no longer at hand (a case's or a task's due date). A count also
    depends on the years between its start and the date; they are known whenever the date's year is,
    because schedules are entered year after year (the seed covers every year up to its last, and
    `workdays.W001` warns before the next is missing). Where the start is at hand, `Deadline.provisional`
    is exact.
    """
    return on.year not in calendar.known_years


def is_working_day(day: dt.date, calendar: WorkCalendar) -> bool:
    ordinals = calendar.working_ordinals(day.year)
    o = day.toordinal()
    i = bisect_left(ordinals, o)
    return i < len(ordinals) and ordinals[i] == o


def _add_plain(start: dt.date, n: int, calendar: WorkCalendar) -> dt.date:
    year = start.year
    ordinals = calendar.working_ordinals(year)
    index = bisect_right(ordinals, start.toordinal())
    remaining = n
    while index + remaining > len(ordinals):
        remaining -= len(ordinals) - index
        year += 1
        ordinals = calendar.working_ordinals(year)
        index = 0
    return dt.date.fromordinal(ordinals[index + remaining - 1])


def _count_plain(a: dt.date, b: dt.date, calendar: WorkCalendar) -> int:
    """Working days after `a`, up to and including `b` (0 when b <= a)."""
    if b <= a:
        return 0
    count = 0
    for year in range(a.year, b.year + 1):
        ordinals = calendar.working_ordinals(year)
        low = bisect_right(ordinals, a.toordinal()) if year == a.year else 0
        high = bisect_right(ordinals, b.toordinal()) if year == b.year else len(ordinals)
        count += high - low
    return count


def merge_suspensions(suspensions: Iterable[Suspension]) -> tuple[Suspension, ...]:
    """Sorted, with overlapping or adjacent intervals joined."""
    merged: list[Suspension] = []
    for s in sorted(suspensions):
        if merged and s.first_on <= merged[-1].last_on + dt.timedelta(days=1):
            last = merged[-1]
            merged[-1] = Suspension(last.first_on, max(last.last_on, s.last_on))
        else:
            merged.append(s)
    return tuple(merged)


def _suspended_count(a: dt.date, b: dt.date, suspensions: Sequence[Suspension], calendar: WorkCalendar) -> int:
    """Working days after `a` up to `b` that fall inside a suspension."""
    total = 0
    for s in suspensions:
        low = max(a, s.first_on - dt.timedelta(days=1))
        total += _count_plain(low, min(b, s.last_on), calendar)
    return total


def add_working_days(
    start: dt.date, n: int, calendar: WorkCalendar, suspensions: Iterable[Suspension] = ()
) -> Deadline:
    """The n-th working day after `start` (which is not counted), skipping suspended dates.

    n = 0 returns `start` itself.
    """
    check_date(start, field="start")
    if n < 0:
        raise InvalidWorkingDays("工作日数不能为负数", field="days")
    if n == 0:
        return Deadline(on=start)
    merged = merge_suspensions(suspensions) if suspensions else ()
    result = _add_plain(start, n, calendar)
    counted_to = start
    # Each pass adds back the working days a suspension swallowed; ends when none were swallowed.
    while merged:
        swallowed = _suspended_count(counted_to, result, merged, calendar)
        if swallowed == 0:
            break
        counted_to, result = result, _add_plain(result, swallowed, calendar)
    first_counted = start + dt.timedelta(days=1)
    return Deadline(on=result, unknown_years=calendar.unknown_between(first_counted, result))


def subtract_working_days(end: dt.date, n: int, calendar: WorkCalendar) -> Deadline:
    """The latest working day `d` with `add_working_days(d, n) <= end`: the inverse of adding (倒排工期).

    When `end` is a working day this is the n-th working day before it (`end` not counted), and
    adding n working days to the result gives `end` back. When `end` falls on a weekend or holiday,
    counting starts from the last working day before it. n = 0 returns `end` itself.
    """
    check_date(end, field="end")
    if n < 0:
        raise InvalidWorkingDays("工作日数不能为负数", field="days")
    if n == 0:
        return Deadline(on=end)
    year = end.year
    ordinals = calendar.working_ordinals(year)
    # index of the last working day on or before `end`, then n working days further back
    index = bisect_right(ordinals, end.toordinal()) - 1 - n
    while index < 0:
        year -= 1
        ordinals = calendar.working_ordinals(year)
        index += len(ordinals)
    result = dt.date.fromordinal(ordinals[index])
    return Deadline(on=result, unknown_years=calendar.unknown_between(result + dt.timedelta(days=1), end))


def working_days_between(
    a: dt.date, b: dt.date, calendar: WorkCalendar, suspensions: Iterable[Suspension] = ()
) -> WorkingDayCount:
    """Working days after `a`, up to and including `b`, not counting suspended dates; 0 when b <= a."""
    check_date(a, field="start")
    check_date(b, field="end")
    if b <= a:
        return WorkingDayCount(working_days=0)
    count = _count_plain(a, b, calendar)
    if suspensions:
        count -= _suspended_count(a, b, merge_suspensions(suspensions), calendar)
    first_counted = a + dt.timedelta(days=1)
    return WorkingDayCount(working_days=count, unknown_years=calendar.unknown_between(first_counted, b))


@dataclass(frozen=True)
class HolidayPeriod:
    """Consecutive holiday dates with one name, e.g. 国庆节 10月1日至7日."""

    name: str
    first_on: dt.date
    last_on: dt.date

    @property
    def day_count(self) -> int:
        return (self.last_on - self.first_on).days + 1


def holiday_periods(days: Iterable[tuple[dt.date, str]]) -> list[HolidayPeriod]:
    """Group (date, name) pairs of holidays into runs of consecutive days with the same name."""
    periods: list[HolidayPeriod] = []
    for on, name in sorted(days):
        last = periods[-1] if periods else None
        if last is not None and last.name == name and on == last.last_on + dt.timedelta(days=1):
            periods[-1] = HolidayPeriod(name, last.first_on, on)
        else:
            periods.append(HolidayPeriod(name, on, on))
    return periods
