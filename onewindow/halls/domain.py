"""Pure rules of halls and appointments: opening days and hours, slots, cut-offs, arrival, no-shows.

No Django here. The working-day calendar comes from `workdays.domain` (holidays, make-up days).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from onewindow.workdays.domain import WorkCalendar, is_working_day


class HallKind(StrEnum):
    CENTRE = "centre"  # 政务服务大厅
    TOWNSHIP = "township"  # 便民服务中心
    STATION = "station"  # 便民服务站


class WindowKind(StrEnum):
    COMPREHENSIVE = "comprehensive"  # 综合窗口: any matter of its categories
    SPECIALISED = "specialised"  # 专业窗口: named matters
    GREEN = "green"  # 绿色通道
    ASSISTED = "assisted"  # 帮办代办


class BookingStatus(StrEnum):
    BOOKED = "booked"
    ARRIVED = "arrived"
    CANCELLED = "cancelled"
    LAPSED = "lapsed"  # did not check in: a no-show


ACTIVE_STATUSES = (BookingStatus.BOOKED, BookingStatus.ARRIVED)


class DayKind(StrEnum):
    WORKDAY = "workday"  # an ordinary working day, make-up days included
    WEEKEND = "weekend"
    HOLIDAY = "holiday"  # a legal holiday: closed, weekend service or not


def day_kind(day: dt.date, calendar: WorkCalendar) -> DayKind:
    if is_working_day(day, calendar):
        return DayKind.WORKDAY
    if day in calendar.holidays:
        return DayKind.HOLIDAY
    return DayKind.WEEKEND


@dataclass(frozen=True)
class HallHours:
    """A hall's week: `hours[weekday]` = (opens, closes), weekday 0 = Monday; a missing day is closed.

    `weekend_service`: the whole hall opens on Saturday and Sunday (not on legal holidays).
    A make-up working day on a weekend is an ordinary day: it takes Monday's hours.
    """

    hours: dict[int, tuple[dt.time, dt.time]] = field(default_factory=dict)
    weekend_service: bool = False
    closures: frozenset[dt.date] = frozenset()


def hours_on(
    day: dt.date, hall: HallHours, calendar: WorkCalendar, *, window_weekend: bool = False
) -> tuple[dt.time, dt.time] | None:
    """The hall's (or a window's) opening hours on `day`, None when closed."""
    if day in hall.closures:
        return None
    kind = day_kind(day, calendar)
    if kind is DayKind.HOLIDAY:
        return None
    if kind is DayKind.WORKDAY:
        if day.weekday() >= 5:  # a make-up working day
            return hall.hours.get(0)
        return hall.hours.get(day.weekday())
    if not (hall.weekend_service or window_weekend):
        return None
    return hall.hours.get(day.weekday()) or hall.hours.get(0)


def is_open(
    day: dt.date, at: dt.time | None, hall: HallHours, calendar: WorkCalendar, *, window_weekend: bool = False
) -> bool:
    """Whether the hall (or a window with its own weekend service) is open on `day` (at `at`, if given)."""
    hours = hours_on(day, hall, calendar, window_weekend=window_weekend)
    if hours is None:
        return False
    return at is None or hours[0] <= at < hours[1]


def day_slots(
    day: dt.date, hall: HallHours, calendar: WorkCalendar, slot_minutes: int, *, window_weekend: bool = False
) -> list[dt.time]:
    """The starts of the day's slots: whole slots inside the opening hours."""
    hours = hours_on(day, hall, calendar, window_weekend=window_weekend)
    if hours is None or slot_minutes <= 0:
        return []
    start = dt.datetime.combine(day, hours[0])
    end = dt.datetime.combine(day, hours[1])
    step = dt.timedelta(minutes=slot_minutes)
    slots = []
    while start + step <= end:
        slots.append(start.time())
        start += step
    return slots


def can_change(slot_start: dt.datetime, now: dt.datetime, cutoff_minutes: int) -> bool:
    """Cancel or reschedule only until `cutoff_minutes` before the slot."""
    return now <= slot_start - dt.timedelta(minutes=cutoff_minutes)


def arrival_window(slot_start: dt.datetime, before_minutes: int, after_minutes: int) -> tuple[dt.datetime, dt.datetime]:
    return slot_start - dt.timedelta(minutes=before_minutes), slot_start + dt.timedelta(minutes=after_minutes)


def has_lapsed(slot_start: dt.datetime, now: dt.datetime, after_minutes: int) -> bool:
    return now > slot_start + dt.timedelta(minutes=after_minutes)


def paused_until(
    no_show_times: list[dt.datetime], now: dt.datetime, *, limit: int, period_days: int, pause_days: int
) -> dt.datetime | None:
    """After `limit` no-shows within `period_days`, online booking pauses `pause_days` from the last one."""
    if limit <= 0:
        return None
    recent = sorted(t for t in no_show_times if t > now - dt.timedelta(days=period_days))
    if len(recent) < limit:
        return None
    until = recent[-1] + dt.timedelta(days=pause_days)
    return until if until > now else None


# --- hall settings: what a staff member may set ---------------------------------------------------

RULE_BOUNDS: dict[str, tuple[int, int]] = {
    "slot_minutes": (5, 240),
    "daily_limit": (1, 20),
    "cutoff_minutes": (0, 2880),
    "arrive_before_minutes": (0, 240),
    "arrive_after_minutes": (0, 240),
    "no_show_limit": (0, 20),  # 0: no-shows never pause online booking
    "no_show_period_days": (1, 365),
    "pause_days": (1, 365),
}


@dataclass(frozen=True)
class HallRules:
    """A hall's kind, weekend service and appointment rules, as a staff member sets them."""

    kind: str
    weekend_service: bool
    slot_minutes: int
    daily_limit: int
    cutoff_minutes: int
    arrive_before_minutes: int
    arrive_after_minutes: int
    no_show_limit: int
    no_show_period_days: int
    pause_days: int


def rules_errors(rules: HallRules) -> dict[str, str]:
    """Every rule out of its bounds, per field (empty when all hold)."""
    errors = {} if rules.kind in set(HallKind) else {"kind": "请选择大厅类型。"}
    for name, (low, high) in RULE_BOUNDS.items():
        value = getattr(rules, name)
        if not low <= value <= high:
            errors[name] = f"应在 {low} 至 {high} 之间。"
    return errors


WeekHours = dict[int, tuple[dt.time, dt.time] | None]  # weekday 0 = Monday; None: closed that weekday


def week_hours_errors(hours: WeekHours, slot_minutes: int) -> dict[str, str]:
    """Each open weekday closes after it opens and holds at least one slot; keys `hours_<weekday>`."""
    errors = {}
    for weekday, span in hours.items():
        if span is None:
            continue
        opens, closes = span
        minutes = (closes.hour * 60 + closes.minute) - (opens.hour * 60 + opens.minute)
        if minutes <= 0:
            errors[f"hours_{weekday}"] = "关门时间应晚于开门时间。"
        elif minutes < slot_minutes:
            errors[f"hours_{weekday}"] = f"办公时间不足一个时段（{slot_minutes} 分钟）。"
    return errors


def window_errors(kind: str, matters: str) -> dict[str, str]:
    if kind not in set(WindowKind):
        return {"kind": "请选择窗口类型。"}
    if kind == WindowKind.SPECIALISED and not matters.strip():
        return {"matters": "专业窗口请填写专办事项。"}
    return {}


def is_mobile_phone(value: str) -> bool:
    """A mainland mobile number: 11 digits starting 13-19."""
    return len(value) == 11 and value.isdigit() and value[0] == "1" and value[1] in "3456789"
