"""Pure rules of tickets and calling (先取号后办理): numbers, the queue's order, which window may call
which ticket, the skip-and-recall window, and the ticket's state table.

No Django here, no clock: `now` is always passed in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from onewindow.halls.domain import DayKind, HallHours, WindowKind, day_kind, hours_on, is_open
from onewindow.workdays.domain import WorkCalendar


class TicketSource(StrEnum):
    BOOKING = "booking"  # by booking code (预约码)
    ID_CARD = "id_card"  # by resident ID number: today's booking, else a walk-in
    WALK_IN = "walk_in"  # a category picked at the kiosk


class PriorityGroup(StrEnum):
    BOOKING = "booking"  # a booking taken within its arrival window (按时到场的预约)
    GREEN = "green"  # 绿色通道 (key projects)
    PRIORITY = "priority"  # 老年人、残疾人、孕妇等优先群体
    NORMAL = "normal"


# Lower is called first; within a rank, the earlier ticket first.
PRIORITY_RANK: dict[PriorityGroup, int] = {
    PriorityGroup.BOOKING: 0,
    PriorityGroup.GREEN: 1,
    PriorityGroup.PRIORITY: 2,
    PriorityGroup.NORMAL: 3,
}


class TicketStatus(StrEnum):
    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    DONE = "done"
    SKIPPED = "skipped"  # 过号: may be recalled within the recall window
    TRANSFERRED = "transferred"  # waiting again, for another window or category
    ABANDONED = "abandoned"  # left in the queue at the day's end


class TicketAction(StrEnum):
    CALL = "call"
    CALL_AGAIN = "call_again"
    SKIP = "skip"
    RECALL = "recall"
    TRANSFER = "transfer"
    START = "start"
    FINISH = "finish"
    ABANDON = "abandon"


QUEUED = (TicketStatus.WAITING, TicketStatus.TRANSFERRED)  # in the queue, callable
AT_WINDOW = (TicketStatus.CALLED, TicketStatus.SERVING)  # occupying a window
S, A = TicketStatus, TicketAction
TRANSITIONS: dict[tuple[TicketStatus, TicketAction], TicketStatus] = {
    (S.WAITING, A.CALL): S.CALLED,
    (S.TRANSFERRED, A.CALL): S.CALLED,
    (S.CALLED, A.CALL_AGAIN): S.CALLED,
    (S.CALLED, A.SKIP): S.SKIPPED,
    (S.SKIPPED, A.RECALL): S.CALLED,
    (S.CALLED, A.START): S.SERVING,
    (S.SERVING, A.FINISH): S.DONE,
    (S.CALLED, A.TRANSFER): S.TRANSFERRED,
    (S.SERVING, A.TRANSFER): S.TRANSFERRED,
    (S.WAITING, A.ABANDON): S.ABANDONED,
    (S.TRANSFERRED, A.ABANDON): S.ABANDONED,
    (S.CALLED, A.ABANDON): S.ABANDONED,
    (S.SKIPPED, A.ABANDON): S.ABANDONED,
}


class TransitionNotAllowed(Exception):
    def __init__(self, status: TicketStatus, action: TicketAction) -> None:
        super().__init__(f"{action} not allowed from {status}")
        self.status, self.action = status, action


def next_status(status: TicketStatus, action: TicketAction) -> TicketStatus:
    try:
        return TRANSITIONS[(status, action)]
    except KeyError:
        raise TransitionNotAllowed(status, action) from None


def category_letter(index: int) -> str:
    """The letter of a hall's `index`-th category (0 → A … 25 → Z, 26 → AA, 27 → AB …)."""
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    if index < 0:
        raise ValueError("index must not be negative")
    if index < len(letters):
        return letters[index]
    return letters[index // len(letters) - 1] + letters[index % len(letters)]


def format_number(letter: str, sequence: int) -> str:
    """A001 … A999, then A1000: three digits at least."""
    if sequence <= 0:
        raise ValueError("sequence starts at 1")
    return f"{letter}{sequence:03d}"


def is_within_arrival(slot_start: dt.datetime, now: dt.datetime, *, before_minutes: int, after_minutes: int) -> bool:
    """A booking taken now is on time: from `before_minutes` before its slot to `after_minutes` after."""
    return slot_start - dt.timedelta(minutes=before_minutes) <= now <= slot_start + dt.timedelta(minutes=after_minutes)


def priority_for(*, on_time_booking: bool, green_channel: bool, priority_group: bool) -> PriorityGroup:
    if on_time_booking:
        return PriorityGroup.BOOKING
    if green_channel:
        return PriorityGroup.GREEN
    if priority_group:
        return PriorityGroup.PRIORITY
    return PriorityGroup.NORMAL


@dataclass(frozen=True)
class QueuedTicket:
    """What the queue's order needs of a ticket."""

    id: int
    priority: PriorityGroup
    issued_at: dt.datetime


def queue_key(ticket: QueuedTicket) -> tuple[int, dt.datetime, int]:
    return PRIORITY_RANK[ticket.priority], ticket.issued_at, ticket.id


def queue_order(tickets: Iterable[QueuedTicket]) -> list[QueuedTicket]:
    """Bookings on time, then the green channel, then priority groups, then the rest; each by arrival."""
    return sorted(tickets, key=queue_key)


def people_ahead(ticket: QueuedTicket, queue: Iterable[QueuedTicket]) -> int:
    mine = queue_key(ticket)
    return sum(1 for other in queue if other.id != ticket.id and queue_key(other) < mine)


@dataclass(frozen=True)
class WindowScope:
    """What a window serves: its kind and its categories' ids."""

    id: int
    kind: str
    category_ids: frozenset[int]


# A green-channel window also takes green-channel tickets of any category; a 帮办代办 window the
# priority groups' (the elderly, the disabled) of any category.
EXTRA_GROUP: dict[str, PriorityGroup] = {
    WindowKind.GREEN.value: PriorityGroup.GREEN,
    WindowKind.ASSISTED.value: PriorityGroup.PRIORITY,
}


def window_may_call(
    window: WindowScope, *, category_id: int, priority: PriorityGroup, target_window_id: int | None
) -> bool:
    """A ticket transferred to a window is that window's alone; otherwise a window calls the tickets
    of its categories, and a green-channel / assisted window also its group's of any category."""
    if target_window_id is not None:
        return target_window_id == window.id
    if category_id in window.category_ids:
        return True
    return EXTRA_GROUP.get(window.kind) == priority


def may_recall(skipped_at: dt.datetime, now: dt.datetime, recall_minutes: int) -> bool:
    """A skipped ticket (过号) may be called back within `recall_minutes` of its skip."""
    return skipped_at <= now <= skipped_at + dt.timedelta(minutes=recall_minutes)


class ClosedReason(StrEnum):
    CLOSURE = "closure"  # a one-off closure of the hall (闭厅)
    HOLIDAY = "holiday"  # a legal holiday
    WEEKEND = "weekend"  # a weekend without weekend service
    NO_HOURS = "no_hours"  # no opening hours on that weekday
    OUTSIDE_HOURS = "outside_hours"  # open that day, not at that time
    CATEGORY = "category"  # the hall is open, every window serving the category is not


@dataclass(frozen=True)
class Closed:
    reason: ClosedReason
    hours: tuple[dt.time, dt.time] | None = None  # the day's hours, for OUTSIDE_HOURS


def closed_for_ticket(
    day: dt.date,
    at: dt.time,
    hall: HallHours,
    calendar: WorkCalendar,
    *,
    weekend_window: bool,
    serving_weekends: Iterable[bool],
) -> Closed | None:
    """Why a walk-in ticket may not be taken at `at` on `day`, or None when it may.

    `weekend_window`: a window of the hall has its own weekend service (the hall is open on weekends
    for it). `serving_weekends`: the weekend-service flag of each window that would call the ticket
    (none: the hall's hours decide)."""
    serving = list(serving_weekends)
    hours = hours_on(day, hall, calendar, window_weekend=weekend_window or hall.weekend_service)
    if hours is None:
        return Closed(_closed_day(day, hall, calendar))
    if not hours[0] <= at < hours[1]:
        return Closed(ClosedReason.OUTSIDE_HOURS, hours)
    if serving and not any(is_open(day, at, hall, calendar, window_weekend=w) for w in serving):
        return Closed(ClosedReason.CATEGORY)
    return None


def _closed_day(day: dt.date, hall: HallHours, calendar: WorkCalendar) -> ClosedReason:
    if day in hall.closures:
        return ClosedReason.CLOSURE
    kind = day_kind(day, calendar)
    if kind is DayKind.HOLIDAY:
        return ClosedReason.HOLIDAY
    if kind is DayKind.WEEKEND:
        return ClosedReason.WEEKEND
    return ClosedReason.NO_HOURS
