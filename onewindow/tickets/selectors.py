"""Reads of tickets, always scoped: the kiosk and consoles belong to the hall's desk staff (clerks and
system admins of its organisation's subtree); the wall screen and the follow page show numbers only.
Anything one may not see is 404 like a missing one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.db.models import Exists, OuterRef, Q, QuerySet

from onewindow.errors import NotFound, PermissionDenied
from onewindow.halls import selectors as halls
from onewindow.halls.models import Duty, ServiceCategory, WindowProfile
from onewindow.orgs.domain import Role
from onewindow.orgs.models import Hall, User, Window
from onewindow.orgs.selectors import membership_paths, user_has_role
from onewindow.tickets.domain import (
    AT_WINDOW,
    EXTRA_GROUP,
    QUEUED,
    PriorityGroup,
    QueuedTicket,
    WindowScope,
    category_letter,
    people_ahead,
)
from onewindow.tickets.models import Ticket

DESK_ROLES = halls.DESK_ROLES  # clerks and system admins: the kiosk, the consoles
FOLLOW_SALT = "onewindow.tickets.follow"
FOLLOW_MAX_AGE = dt.timedelta(days=2)
QUEUED_VALUES = [s.value for s in QUEUED]
AT_WINDOW_VALUES = [s.value for s in AT_WINDOW]


def hall_not_found() -> NotFound:
    return NotFound("未找到该大厅。", code="tickets_hall_not_found")


def ticket_not_found() -> NotFound:
    return NotFound("未找到该号。", code="tickets_ticket_not_found")


def is_desk_staff(user: User) -> bool:
    return bool(membership_paths(user, DESK_ROLES))


def halls_for_desk(user: User) -> QuerySet[Hall]:
    return halls.halls_for_staff(user, DESK_ROLES).filter(profile__isnull=False)


def hall_for_desk(user: User, hall_id: int) -> Hall:
    """A hall whose kiosk and queue the user may work: a clerk or system admin of its subtree."""
    hall = halls.halls_for_staff(user, DESK_ROLES).filter(pk=hall_id, profile__isnull=False).first()
    if hall is None:
        raise hall_not_found()
    return hall


def hall_for_screen(hall_id: int) -> Hall:
    """The wall screen shows numbers and window numbers only: any hall with a queue."""
    hall = Hall.objects.filter(pk=hall_id, profile__isnull=False).first()
    if hall is None:
        raise hall_not_found()
    return hall


def categories_with_letters(hall: Hall) -> list[tuple[ServiceCategory, str]]:
    return [(c, category_letter(i)) for i, c in enumerate(halls.categories_of(hall))]


def letter_of(category: ServiceCategory) -> str:
    index = ServiceCategory.objects.filter(hall_id=category.hall_id, pk__lt=category.pk).count()
    return category_letter(index)


def hall_has_roster(hall_id: int, day: dt.date) -> bool:
    return Duty.objects.filter(window__hall_id=hall_id, on=day).exists()


def window_for_console(user: User, window_id: int, day: dt.date) -> Window:
    """The window whose console the user may work. When its hall has a roster that day, only the
    clerk on duty at that window (or a system admin): another clerk of the hall gets 403. One query
    (a console's every call asks)."""
    duties = Duty.objects.filter(on=day)
    window = (
        Window.objects.filter(
            pk=window_id, hall__in=halls.halls_for_staff(user, DESK_ROLES), hall__profile__isnull=False
        )
        .annotate(
            rostered=Exists(duties.filter(window__hall_id=OuterRef("hall_id"))),
            on_duty=Exists(duties.filter(window_id=OuterRef("pk"), clerk_id=user.pk)),
        )
        .select_related("hall")
        .first()
    )
    if window is None:
        raise NotFound("未找到该窗口。", code="tickets_window_not_found")
    off_duty = getattr(window, "rostered", False) and not getattr(window, "on_duty", False)
    if off_duty and not user_has_role(user, Role.SYSTEM_ADMIN):
        raise PermissionDenied("您今天不在该窗口值班。", code="tickets_not_on_duty")
    return window


def windows_for_desk(user: User, hall: Hall) -> QuerySet[Window]:
    return Window.objects.filter(hall=hall, hall__in=halls.halls_for_staff(user, DESK_ROLES)).order_by("number")


def ticket_for_desk(user: User, ticket_id: int) -> Ticket:
    ticket = (
        Ticket.objects.filter(pk=ticket_id, hall__in=halls.halls_for_staff(user, DESK_ROLES))
        .select_related("hall", "category", "window")
        .first()
    )
    if ticket is None:
        raise ticket_not_found()
    return ticket


def window_scope(window: Window) -> WindowScope:
    profile = WindowProfile.objects.filter(window=window).first()
    if profile is None:
        return WindowScope(window.pk, "", frozenset())
    return WindowScope(window.pk, profile.kind, frozenset(profile.categories.values_list("pk", flat=True)))


def callable_by(scope: WindowScope, hall_id: int, day: dt.date) -> QuerySet[Ticket]:
    """The window's queue in calling order (domain.window_may_call, as a query)."""
    return _callable(scope.id, scope.kind, scope.category_ids, hall_id, day)


def callable_at(window_id: int, profile: WindowProfile | None, hall_id: int, day: dt.date) -> QuerySet[Ticket]:
    """`callable_by` with the window's categories as a subquery: call next reads its queue in one query."""
    if profile is None:
        return _callable(window_id, "", frozenset(), hall_id, day)
    served = WindowProfile.categories.through.objects.filter(windowprofile_id=profile.pk)
    return _callable(window_id, profile.kind, served.values("servicecategory_id"), hall_id, day)


def _callable(
    window_id: int, kind: str, category_ids: Iterable[int] | QuerySet[Any], hall_id: int, day: dt.date
) -> QuerySet[Ticket]:
    mine = Q(category_id__in=category_ids)
    extra = EXTRA_GROUP.get(kind)
    if extra is not None:
        mine |= Q(priority=extra.value)
    condition = Q(target_window_id=window_id) | (Q(target_window__isnull=True) & mine)
    return (
        Ticket.objects.filter(hall_id=hall_id, issued_on=day, status__in=QUEUED_VALUES)
        .filter(condition)
        .order_by("priority_rank", "issued_at", "pk")
    )


def queue_of(hall_id: int, day: dt.date) -> QuerySet[Ticket]:
    return (
        Ticket.objects.filter(hall_id=hall_id, issued_on=day, status__in=QUEUED_VALUES)
        .select_related("category")
        .order_by("priority_rank", "issued_at", "pk")
    )


def _queued(ticket: Ticket) -> QueuedTicket:
    return QueuedTicket(ticket.pk, PriorityGroup(ticket.priority), ticket.issued_at)


def ahead_of(ticket: Ticket) -> int:
    """How many tickets of its category (or waiting for its window) are before it in the queue."""
    if ticket.status not in QUEUED_VALUES:
        return 0
    same = Q(target_window_id=ticket.target_window_id) if ticket.target_window_id else Q(category_id=ticket.category_id)
    others = queue_of(ticket.hall_id, ticket.issued_on).filter(same)
    return people_ahead(_queued(ticket), [_queued(t) for t in others])


def at_window(window: Window) -> Ticket | None:
    return Ticket.objects.filter(window=window, status__in=AT_WINDOW_VALUES).select_related("category").first()


def number_at_window(window_id: int) -> str | None:
    """The number of the ticket called or being served at the window, if any."""
    at = Ticket.objects.filter(window_id=window_id, status__in=AT_WINDOW_VALUES)
    number: str | None = at.values_list("number", flat=True).first()
    return number


def recallable_at(window: Window, day: dt.date) -> QuerySet[Ticket]:
    return Ticket.objects.filter(window=window, issued_on=day, status="skipped").order_by("-skipped_at")


@dataclass(frozen=True)
class ScreenState:
    calls: list[Ticket]  # called or being served, the latest call first
    next_numbers: list[Ticket]
    waiting: int


def screen_state(hall: Hall, day: dt.date, *, calls: int = 8, upcoming: int = 10) -> ScreenState:
    current = (
        Ticket.objects.filter(hall=hall, issued_on=day, status__in=AT_WINDOW_VALUES)
        .select_related("window")
        .order_by("-last_called_at", "-pk")[:calls]
    )
    queue = queue_of(hall.pk, day)
    return ScreenState(list(current), list(queue[:upcoming]), queue.count())


def follow_token(ticket_id: int) -> str:
    return signing.dumps({"t": ticket_id}, salt=FOLLOW_SALT, compress=True)


def ticket_by_follow_token(token: str) -> Ticket:
    """The ticket of a follow link (its QR code): a tampered or old link is 404."""
    try:
        value = signing.loads(token, salt=FOLLOW_SALT, max_age=FOLLOW_MAX_AGE)
    except signing.BadSignature:
        raise ticket_not_found() from None
    ticket_id = value.get("t") if isinstance(value, dict) else None
    if not isinstance(ticket_id, int):
        raise ticket_not_found()
    ticket = Ticket.objects.filter(pk=ticket_id).select_related("hall", "category", "window").first()
    if ticket is None:
        raise ticket_not_found()
    return ticket
