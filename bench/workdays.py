"""Working-day arithmetic: calls per second of the pure domain functions.

The calendar is built from the chinesecalendar package in memory (the same data the migration
seeds), so no database is needed. Starts are random dates of 2025–2026, n is 1..45 (the range of
the platform's statutory and promised limits).
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable

from onewindow.workdays.domain import Suspension, WorkCalendar, add_working_days, working_days_between

TITLE = "Working days (workdays.domain)"
CALLS = 200_000


def _calendar() -> WorkCalendar:
    from onewindow.workdays import seeding

    days = seeding.package_days()
    return WorkCalendar(
        holidays=frozenset(d for d, (kind, _) in days.items() if kind == "holiday"),
        makeup_workdays=frozenset(d for d, (kind, _) in days.items() if kind == "makeup_workday"),
        known_years=frozenset(seeding.package_years()),
    )


def _naive_add(start: dt.date, n: int, is_workday: Callable[[dt.date], bool]) -> dt.date:
    day = start
    while n:
        day += dt.timedelta(days=1)
        n -= is_workday(day)
    return day


def _package_is_workday(day: dt.date) -> bool:
    import chinese_calendar

    if day.year > 2026:  # the package raises past its last year: weekends only, as the domain does
        return day.weekday() < 5
    return bool(chinese_calendar.is_workday(day))


def _rate(calls: int, seconds: float) -> str:
    return f"{calls / seconds:,.0f}"


def _time(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def run() -> str:
    calendar = _calendar()
    rng = random.Random(20261122)
    first = dt.date(2025, 1, 1).toordinal()
    starts = [dt.date.fromordinal(first + rng.randrange(730)) for _ in range(CALLS)]
    counts = [rng.randint(1, 45) for _ in range(CALLS)]
    ends = [s + dt.timedelta(days=rng.randint(1, 60)) for s in starts]
    suspensions = [[Suspension(s + dt.timedelta(days=3), s + dt.timedelta(days=9))] for s in starts]
    naive_calls = CALLS // 100

    rows = [
        (
            "`add_working_days(start, n)`",
            CALLS,
            _time(lambda: [add_working_days(s, n, calendar) for s, n in zip(starts, counts, strict=True)]),
        ),
        (
            "`add_working_days(start, n, suspensions=[1 interval])`",
            CALLS,
            _time(
                lambda: [
                    add_working_days(s, n, calendar, p) for s, n, p in zip(starts, counts, suspensions, strict=True)
                ]
            ),
        ),
        (
            "`working_days_between(a, b)`",
            CALLS,
            _time(lambda: [working_days_between(a, b, calendar) for a, b in zip(starts, ends, strict=True)]),
        ),
        (
            "baseline: day-by-day loop over `chinese_calendar.is_workday`",
            naive_calls,
            _time(
                lambda: [
                    _naive_add(s, n, _package_is_workday)
                    for s, n in zip(starts[:naive_calls], counts[:naive_calls], strict=True)
                ]
            ),
        ),
    ]
    table = ["| operation | calls | calls/second |", "|---|---:|---:|"]
    table += [f"| {name} | {calls:,} | {_rate(calls, seconds)} |" for name, calls, seconds in rows]
    agree = all(
        add_working_days(s, n, calendar).on == _naive_add(s, n, _package_is_workday)
        for s, n in zip(starts[:2000], counts[:2000], strict=True)
    )
    return (
        "Pure-Python calls of the domain functions on one core, calendar 2004–2026 in memory; "
        "random starts across 2025–2026 (results reach into 2027, the provisional year), n in 1..45. "
        "Each year is precomputed once into a sorted tuple of working-day ordinals; a call is a few `bisect`s. "
        f"The baseline walks day by day as a naive implementation would. Results agree with the baseline: {agree}.\n\n"
        + "\n".join(table)
        + "\n"
    )
