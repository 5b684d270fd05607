"""The demo's queue today (先取号后办理): in the city hall, a few walk-in tickets (one of a priority
group, one of another category), one called to window 1 and being served, one called to window 2 (on a
weekend, window 1 only: the weekend window; a legal holiday has no queue).
Through the tickets' services, as the hall's clerk; once a day (a later run on another day adds that
day's queue; the day's end abandons what is left). Tickets are taken during opening hours only: run
while the hall is closed (at night, on a holiday), the demo takes none that day."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from onewindow.errors import Conflict
from onewindow.halls import selectors as hall_selectors
from onewindow.halls.domain import WindowKind, hours_on
from onewindow.halls.models import ServiceCategory, WindowProfile
from onewindow.orgs.domain import Role
from onewindow.orgs.models import Hall, Membership, User, Window
from onewindow.tickets import services as ticket_services
from onewindow.tickets.models import Ticket
from onewindow.workdays.selectors import work_calendar

CLOSED_CODES = {"tickets_hall_closed", "tickets_category_closed"}


def tickets_demo_load(*, now: dt.datetime | None = None) -> int:
    """Today's tickets in the city's first hall; returns the tickets taken (0 when today has some, or the
    hall is closed now: at night, on a legal holiday; a run later that day, in its hours, adds the queue)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    hall = Hall.objects.filter(profile__isnull=False).order_by("pk").first()
    if hall is None or Ticket.objects.filter(hall=hall, issued_on=today).exists():
        return 0
    clerk = _clerk_of(hall)
    categories = list(ServiceCategory.objects.filter(hall=hall).order_by("pk")[:2])
    windows = _open_windows(hall, today)
    if clerk is None or len(categories) < 2 or not windows:
        return 0
    first, second = categories
    plan = [(first, False), (first, False), (first, True), (second, False), (first, False), (second, False)]
    try:
        with transaction.atomic():  # all of the day's tickets or none
            for minutes, (category, priority) in enumerate(plan):
                request = ticket_services.TicketRequest(category_id=category.pk, priority_group=priority)
                at = now - dt.timedelta(minutes=30 - 3 * minutes)
                ticket_services.ticket_take(actor=clerk, hall_id=hall.pk, request=request, now=at)
    except Conflict as refused:
        if refused.code in CLOSED_CODES:
            return 0  # the hall is closed for it: no queue today
        raise
    serving_at = windows[0]
    serving = ticket_services.ticket_call_next(actor=clerk, window_id=serving_at.pk, now=now)
    ticket_services.service_start(actor=clerk, window_id=serving_at.pk, ticket_id=serving.pk, now=now)
    if len(windows) > 1:
        ticket_services.ticket_call_next(actor=clerk, window_id=windows[1].pk, now=now)
    return len(plan)


def _open_windows(hall: Hall, today: dt.date) -> list[Window]:
    """The comprehensive windows open today (a weekend: those with weekend service)."""
    hours, calendar = hall_selectors.hall_hours(hall), work_calendar()
    profiles = WindowProfile.objects.filter(window__hall=hall, kind=WindowKind.COMPREHENSIVE.value)
    found = []
    for profile in profiles.select_related("window").order_by("window__pk")[:2]:
        span = hours_on(today, hours, calendar, window_weekend=profile.weekend_service)
        if span is not None:
            found.append(profile.window)
    return found


def _clerk_of(hall: Hall) -> User | None:
    membership = (
        Membership.objects.filter(role=Role.CLERK, organisation=hall.region)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user if membership else None
