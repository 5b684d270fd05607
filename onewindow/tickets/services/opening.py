"""No walk-in ticket while the hall is closed: outside its opening hours, on a closure (闭厅), a legal
holiday or a weekend without weekend service; nor when every window that would call the ticket is
closed (a Saturday when only another category's weekend window is open). A booking's ticket is not
checked here: its slot lies in the opening hours and `halls` checks its arrival window."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from onewindow.errors import Conflict
from onewindow.halls.domain import WindowKind
from onewindow.halls.models import ServiceCategory, WindowProfile
from onewindow.halls.selectors import hall_hours
from onewindow.orgs.models import Hall
from onewindow.tickets.domain import Closed, ClosedReason, closed_for_ticket
from onewindow.workdays.selectors import work_calendar

DAY_MESSAGES = {
    ClosedReason.CLOSURE: "今天大厅闭厅，暂停取号。",
    ClosedReason.HOLIDAY: "今天是法定节假日，大厅休息，暂停取号。",
    ClosedReason.WEEKEND: "今天是周末，大厅不提供周末服务，请在工作日取号。",
    ClosedReason.NO_HOURS: "大厅今天不开放，暂停取号。",
}


def refuse_when_closed(
    hall: Hall, category: ServiceCategory, *, green_channel: bool, priority_group: bool, now: dt.datetime
) -> None:
    """409 `tickets_hall_closed` (the hall) or `tickets_category_closed` (every window of the category)."""
    local = timezone.localtime(now)
    windows = WindowProfile.objects.filter(window__hall=hall)
    serving = Q(categories=category)
    if green_channel:
        serving |= Q(kind=WindowKind.GREEN.value)
    if priority_group:
        serving |= Q(kind=WindowKind.ASSISTED.value)
    closed = closed_for_ticket(
        local.date(),
        local.time(),
        hall_hours(hall),
        work_calendar(),
        weekend_window=windows.filter(weekend_service=True).exists(),
        serving_weekends=windows.filter(serving).distinct().values_list("weekend_service", flat=True),
    )
    if closed is not None:
        raise _refusal(closed, category)


def _refusal(closed: Closed, category: ServiceCategory) -> Conflict:
    if closed.reason is ClosedReason.CATEGORY:
        return Conflict(
            f"今天办理“{category.name}”的窗口均不开放，请选择其他类别或在工作日取号。",
            code="tickets_category_closed",
        )
    if closed.reason is ClosedReason.OUTSIDE_HOURS and closed.hours is not None:
        opens, closes = closed.hours
        return Conflict(
            f"大厅今天的开放时间为 {opens:%H:%M}–{closes:%H:%M}，现在不能取号。", code="tickets_hall_closed"
        )
    return Conflict(DAY_MESSAGES[closed.reason], code="tickets_hall_closed")
