"""The demo halls' past weeks (issue 15's demo day): bookings and walk-ins served at the windows open
that day, Saturdays and Sundays at the weekend windows only, a legal holiday closed, plausible times."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from onewindow.audit.models import Event
from onewindow.demo.queue_plan import history_days
from onewindow.halls.models import Booking, WindowProfile
from onewindow.tickets.models import Ticket
from onewindow.workdays.domain import is_working_day
from onewindow.workdays.selectors import work_calendar


def past_tickets():
    return Ticket.objects.filter(issued_on__lt=timezone.localdate()).select_related("hall__region", "window")


def test_the_past_weeks_have_weekday_tickets_weekend_ones_at_the_weekend_windows_and_a_closed_holiday(loaded):
    calendar, today = work_calendar(), timezone.localdate()
    days = history_days(today, calendar.holidays)
    tickets = list(past_tickets())
    assert {t.hall.region.code for t in tickets} == {"9901", "990102"}
    working = [t for t in tickets if is_working_day(t.issued_on, calendar)]
    weekend = [t for t in tickets if not is_working_day(t.issued_on, calendar)]
    assert {t.issued_on for t in working} >= {d for d in days if is_working_day(d, calendar)}
    assert any(t.issued_on.weekday() == 5 for t in weekend)
    weekend_windows = set(WindowProfile.objects.filter(weekend_service=True).values_list("window_id", flat=True))
    assert {t.window_id for t in weekend if t.window_id} <= weekend_windows
    holidays = [d for d in days if d in calendar.holidays]
    assert holidays, "the history covers a legal holiday"
    assert not Ticket.objects.filter(issued_on__in=holidays).exists()


def test_past_tickets_were_taken_in_opening_hours_waited_and_were_served_for_plausible_times(loaded):
    tickets = list(past_tickets())
    for ticket in tickets:
        taken = timezone.localtime(ticket.issued_at).time()
        assert dt.time(9) <= taken < dt.time(17)
        if ticket.called_at is not None:
            assert dt.timedelta(0) <= ticket.called_at - ticket.issued_at <= dt.timedelta(hours=2)
        if ticket.finished_at is not None and ticket.started_at is not None:
            assert dt.timedelta(minutes=3) <= ticket.finished_at - ticket.started_at <= dt.timedelta(minutes=45)
    statuses = {t.status for t in tickets}
    assert statuses == {"done", "abandoned"}  # yesterday's end left nothing open
    assert {t.priority for t in tickets} >= {"booking", "priority", "normal"}
    assert any(t.call_count > 1 for t in tickets)  # skipped and recalled
    transferred = Event.objects.filter(action="tickets.ticket_transferred").values_list("target_id", flat=True)
    assert {int(pk) for pk in transferred} & {t.pk for t in tickets}
    past = Booking.objects.filter(on__lt=timezone.localdate()).values_list("status", flat=True)
    assert {"arrived", "cancelled", "lapsed"} <= set(past)


NATIONAL_DAY = frozenset(dt.date(2026, 10, d) for d in range(1, 8))


def test_without_a_holiday_in_the_four_weeks_the_latest_one_is_added_with_a_day_on_each_side():
    days = history_days(dt.date(2026, 12, 6), NATIONAL_DAY)
    assert days[:9] == [dt.date(2026, 9, 30) + dt.timedelta(days=n) for n in range(9)]
    assert days[9:] == [dt.date(2026, 11, 8) + dt.timedelta(days=n) for n in range(28)]


def test_a_holiday_in_the_four_weeks_is_enough():
    days = history_days(dt.date(2026, 10, 20), NATIONAL_DAY)
    assert days == [dt.date(2026, 9, 22) + dt.timedelta(days=n) for n in range(28)]
