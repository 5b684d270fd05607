"""Time limits in working days (Art. 42, Art. 82), the clock that suspensions push later (Art. 45),
remaining days and warning levels, and the green channel's shorter limit."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from onewindow.workdays.domain import Suspension, WorkCalendar, add_working_days, working_days_between

INTAKE_LIMIT_DAYS = 5  # Art. 32

SINGLE_LIMIT_DAYS, SINGLE_EXTENSION_DAYS = 20, 10  # Art. 42 (1)

JOINT_LIMIT_DAYS, JOINT_EXTENSION_DAYS = 45, 15  # Art. 42 (2)

TASK_EXTENSION_DAYS = 10

YELLOW_SHARE = 0.2  # yellow when at most this share of the limit is left

GREEN_CHANNEL_SHARE = 0.5  # key projects run on this share of the promised limit


class WarningLevel(StrEnum):
    NORMAL = "normal"
    YELLOW = "yellow"
    RED = "red"


WARNING_LABELS = {WarningLevel.NORMAL: "正常", WarningLevel.YELLOW: "黄灯预警", WarningLevel.RED: "红灯超期"}


def warning_level(remaining_days: int, limit_days: int, *, yellow_share: float = YELLOW_SHARE) -> WarningLevel:
    """Red when overdue; yellow when at most `yellow_share` of the limit is left (the last day included)."""
    if remaining_days < 0:
        return WarningLevel.RED
    if remaining_days <= limit_days * yellow_share:
        return WarningLevel.YELLOW
    return WarningLevel.NORMAL


def remaining_working_days(
    today: dt.date, due_on: dt.date, calendar: WorkCalendar, suspensions: Iterable[Suspension] = ()
) -> int:
    """Working days left until the end of `due_on`; negative once overdue. Suspended days never count."""
    if today <= due_on:
        return working_days_between(today, due_on, calendar, suspensions).working_days
    return -working_days_between(due_on, today, calendar, suspensions).working_days


def frozen_remaining_days(
    today: dt.date,
    due_on: dt.date,
    calendar: WorkCalendar,
    suspensions: Iterable[Suspension] = (),
    stopped_since: dt.date | None = None,
) -> int:
    """Remaining working days; while a clock stop is open they stay as they were on its first day (Art. 45)."""
    as_of = today if stopped_since is None else min(today, stopped_since)
    return remaining_working_days(as_of, due_on, calendar, suspensions)


def green_channel_limit(limit_days: int, *, share: float = GREEN_CHANNEL_SHARE) -> int:
    """A key project's shorter limit: a share of the promised limit, at least one day (0 stays 0)."""
    return 0 if limit_days == 0 else max(1, math.ceil(limit_days * share))


def case_limit_days(*, matter_count: int, statutory_days: Iterable[int]) -> int:
    """A case's own limit: the joint limit when several departments handle it (Art. 42)."""
    if matter_count > 1:
        return JOINT_LIMIT_DAYS
    return max(statutory_days, default=SINGLE_LIMIT_DAYS) or SINGLE_LIMIT_DAYS


def case_extension_days(*, matter_count: int) -> int:
    return JOINT_EXTENSION_DAYS if matter_count > 1 else SINGLE_EXTENSION_DAYS


@dataclass(frozen=True)
class Clock:
    """A limit counted from a start, pushed later by every suspension (Art. 45)."""

    started_on: dt.date
    limit_days: int
    suspensions: tuple[Suspension, ...] = ()

    def due_on(self, calendar: WorkCalendar) -> dt.date:
        return add_working_days(self.started_on, self.limit_days, calendar, self.suspensions).on
