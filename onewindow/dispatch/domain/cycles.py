"""Reporting cycles (一旬一调度 / 月调度): cut-offs, periods, reminders, and which cycle applies.

See the package docstring for the rules. No Django here, no clock: `today` is always passed in.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from onewindow.errors import DomainError

ONE_DAY = dt.timedelta(days=1)


class CycleKind(StrEnum):
    TEN_DAY = "ten_day"
    MONTHLY = "monthly"


CYCLE_KIND_LABELS: dict[CycleKind, str] = {CycleKind.TEN_DAY: "一旬一调度", CycleKind.MONTHLY: "月调度"}


class NotACutoff(DomainError):
    code = "dispatch_not_a_cutoff"
    status = 422


# --- cycles ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cycle:
    kind: CycleKind = CycleKind.MONTHLY
    cutoff_day: int = 30
    remind_days_before: int = 2


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # the cut-off

    @property
    def month(self) -> dt.date:
        """The month the period belongs to (its cut-off's), as the first day of that month."""
        return self.end.replace(day=1)


def last_day_of_month(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def cutoffs_in_month(cycle: Cycle, year: int, month: int) -> tuple[dt.date, ...]:
    """The cut-off dates of one month, in order."""
    last = last_day_of_month(year, month)
    if cycle.kind == CycleKind.TEN_DAY:
        return (dt.date(year, month, 10), dt.date(year, month, 20), dt.date(year, month, last))
    return (dt.date(year, month, min(cycle.cutoff_day, last)),)


def _next_month(day: dt.date) -> tuple[int, int]:
    return (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)


def _previous_month(day: dt.date) -> tuple[int, int]:
    return (day.year - 1, 12) if day.month == 1 else (day.year, day.month - 1)


def next_cutoff(cycle: Cycle, on: dt.date) -> dt.date:
    """The first cut-off on or after `on`."""
    for cutoff in cutoffs_in_month(cycle, on.year, on.month):
        if cutoff >= on:
            return cutoff
    return cutoffs_in_month(cycle, *_next_month(on))[0]


def previous_cutoff(cycle: Cycle, on: dt.date) -> dt.date:
    """The last cut-off strictly before `on`."""
    for cutoff in reversed(cutoffs_in_month(cycle, on.year, on.month)):
        if cutoff < on:
            return cutoff
    return cutoffs_in_month(cycle, *_previous_month(on))[-1]


def is_cutoff(cycle: Cycle, on: dt.date) -> bool:
    return on in cutoffs_in_month(cycle, on.year, on.month)


def period_of(cycle: Cycle, on: dt.date) -> Period:
    """The period a date belongs to: up to the first cut-off on or after it."""
    end = next_cutoff(cycle, on)
    return Period(start=previous_cutoff(cycle, end) + ONE_DAY, end=end)


def period_ending(cycle: Cycle, end: dt.date) -> Period:
    """The period whose cut-off is `end`; a date that is no cut-off of the cycle is refused."""
    if not is_cutoff(cycle, end):
        raise NotACutoff(f"{end.isoformat()} 不是本项目调度周期的截止日", field="period_end")
    return period_of(cycle, end)


def cutoffs_between(cycle: Cycle, first: dt.date, last: dt.date) -> list[dt.date]:
    """Every cut-off from `first` to `last`, both included."""
    found: list[dt.date] = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        found.extend(c for c in cutoffs_in_month(cycle, year, month) if first <= c <= last)
        year, month = _next_month(dt.date(year, month, 1))
    return found


def reminder_on(cycle: Cycle, cutoff: dt.date) -> dt.date:
    return cutoff - dt.timedelta(days=cycle.remind_days_before)


def cutoff_to_remind(cycle: Cycle, today: dt.date) -> dt.date | None:
    """The cut-off whose reminder is due today: from its reminder day up to the cut-off itself, so
    a reminder missed while the job was down still goes out before the cut-off."""
    cutoff = next_cutoff(cycle, today)
    return cutoff if reminder_on(cycle, cutoff) <= today else None


def latest_passed_cutoff(cycle: Cycle, today: dt.date) -> dt.date:
    """The latest cut-off whose day is over (a report is due by the end of its cut-off day)."""
    return previous_cutoff(cycle, today)


def is_late(period_end: dt.date, submitted_on: dt.date) -> bool:
    return submitted_on > period_end


def region_ancestry(path: str) -> list[str]:
    """A materialised path's prefixes, nearest first: "/a/b/" → ["/a/b/", "/a/"]."""
    codes = [code for code in path.split("/") if code]
    return ["/" + "/".join(codes[:n]) + "/" for n in range(len(codes), 0, -1)]


def cycle_for_region(path: str, cycles: Mapping[str, Cycle], default: Cycle) -> Cycle:
    """The cycle of the region at `path` or of its nearest ancestor that has one, else the default."""
    for prefix in region_ancestry(path):
        if prefix in cycles:
            return cycles[prefix]
    return default


def check_cycle(kind: str, cutoff_day: int, remind_days_before: int) -> dict[str, str]:
    """Every problem with a cycle's settings at once, per field (empty when all is well)."""
    errors: dict[str, str] = {}
    if kind not in set(CycleKind):
        errors["kind"] = "调度周期须为一旬一调度或月调度"
    if not 1 <= cutoff_day <= 31:
        errors["cutoff_day"] = "截止日须为 1 至 31 之间的整数"
    if not 0 <= remind_days_before <= 9:
        errors["remind_days_before"] = "提前提醒天数须为 0 至 9 之间的整数"
    return errors
