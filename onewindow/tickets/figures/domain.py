"""Pure maths of the hall's figures: durations, percentiles, abandonment, window utilisation, weekend days.

No Django, no clock. Times come in as the hall's local time (Asia/Shanghai), converted by the selectors.

- Waiting time = first call − ticket taken (`called_at − issued_at`); service time = `finished_at − started_at`.
- Percentiles by nearest rank: p-th percentile of n sorted values is the value at rank ⌈p·n⌉ (1-based),
  always one of the measured values, the same on every database (computed here, never in SQL).
- Abandoned = voided at the day's end (作废) or still skipped (过号 never recalled); rate = abandoned / taken.
- Utilisation of a window = its service time / its open time on the days it was open (a day with a roster
  counts only the windows with a clerk on duty); today's open time runs until now.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from onewindow.halls.domain import DayKind, HallHours, day_kind, hours_on
from onewindow.workdays.domain import WorkCalendar

ABANDONED_STATUSES = frozenset({"abandoned", "skipped"})


@dataclass(frozen=True)
class TicketTimes:
    """One ticket as the figures read it (local times)."""

    hall: int
    category: int
    window: int | None
    day: dt.date
    status: str
    issued_at: dt.datetime
    called_at: dt.datetime | None = None
    started_at: dt.datetime | None = None
    finished_at: dt.datetime | None = None
    skipped_at: dt.datetime | None = None

    @property
    def waiting_seconds(self) -> float | None:
        return seconds_between(self.issued_at, self.called_at)

    @property
    def service_seconds(self) -> float | None:
        return seconds_between(self.started_at, self.finished_at)


def seconds_between(start: dt.datetime | None, end: dt.datetime | None) -> float | None:
    if start is None or end is None:
        return None
    return max((end - start).total_seconds(), 0.0)


def percentile(values: Sequence[float], p: float) -> float | None:
    """Nearest-rank percentile (0 < p ≤ 1) of `values`; None when there is none."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(math.ceil(p * len(ordered)), 1)
    return ordered[rank - 1]


@dataclass(frozen=True)
class Spread:
    count: int
    p50: float | None  # seconds
    p90: float | None


def spread(values: Sequence[float]) -> Spread:
    return Spread(len(values), percentile(values, 0.5), percentile(values, 0.9))


@dataclass(frozen=True)
class Durations:
    waiting: Spread
    service: Spread


Key = Callable[[TicketTimes], Hashable | None]


def durations_by(
    tickets: Iterable[TicketTimes], waiting_key: Key, service_key: Key | None = None
) -> dict[Any, Durations]:
    """Waiting and service spreads per group; `service_key` defaults to `waiting_key`. None keys are left out."""
    service_key = service_key or waiting_key
    waiting: dict[Hashable, list[float]] = defaultdict(list)
    service: dict[Hashable, list[float]] = defaultdict(list)
    for ticket in tickets:
        if (seconds := ticket.waiting_seconds) is not None and (key := waiting_key(ticket)) is not None:
            waiting[key].append(seconds)
        if (seconds := ticket.service_seconds) is not None and (key := service_key(ticket)) is not None:
            service[key].append(seconds)
    return {key: Durations(spread(waiting[key]), spread(service[key])) for key in waiting.keys() | service.keys()}


def hour_issued(ticket: TicketTimes) -> int:
    return ticket.issued_at.hour


def hour_started(ticket: TicketTimes) -> int | None:
    return ticket.started_at.hour if ticket.started_at else None


@dataclass(frozen=True)
class Abandonment:
    taken: int
    abandoned: int
    skipped_never_recalled: int

    @property
    def left_in_queue(self) -> int:
        return self.abandoned - self.skipped_never_recalled

    @property
    def rate(self) -> float | None:
        return share(self.abandoned, self.taken)


def abandonment(tickets: Iterable[TicketTimes]) -> Abandonment:
    taken = abandoned = skipped = 0
    for ticket in tickets:
        taken += 1
        if ticket.status in ABANDONED_STATUSES:
            abandoned += 1
            skipped += ticket.skipped_at is not None
    return Abandonment(taken, abandoned, skipped)


def share(part: float, whole: float) -> float | None:
    """part / whole, None when there is no whole."""
    return part / whole if whole else None


def window_hours_on(
    day: dt.date,
    hall: HallHours,
    calendar: WorkCalendar,
    *,
    window_weekend: bool,
    on_duty: bool | None,
) -> tuple[dt.time, dt.time] | None:
    """A window's hours on `day`: the hall's (its own weekend service counts); `on_duty` None when the hall
    has no roster that day, else whether the window has a clerk on duty (no clerk: closed)."""
    if on_duty is False:
        return None
    return hours_on(day, hall, calendar, window_weekend=window_weekend)


def open_seconds(hours: tuple[dt.time, dt.time] | None, *, until: dt.time | None = None) -> float:
    """Seconds between opening and closing (or `until`, today's now, if earlier)."""
    if hours is None:
        return 0.0
    opens, closes = hours
    if until is not None and until < closes:
        closes = until
    day = dt.date(2000, 1, 1)
    return max((dt.datetime.combine(day, closes) - dt.datetime.combine(day, opens)).total_seconds(), 0.0)


def is_weekend_day(day: dt.date, calendar: WorkCalendar) -> bool:
    """Saturday or Sunday that is neither a make-up working day nor a legal holiday (weekend service)."""
    return day.weekday() >= 5 and day_kind(day, calendar) is DayKind.WEEKEND
