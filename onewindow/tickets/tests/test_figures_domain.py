"""The figures' maths without a database: nearest-rank percentiles, spreads per group, abandonment,
window hours with roster and weekend service, open time clipped at now, weekend days."""

from __future__ import annotations

import datetime as dt

from onewindow.halls.domain import HallHours
from onewindow.tickets.figures.domain import (
    TicketTimes,
    abandonment,
    durations_by,
    hour_issued,
    hour_started,
    is_weekend_day,
    open_seconds,
    percentile,
    share,
    spread,
    window_hours_on,
)
from onewindow.workdays.domain import WorkCalendar

T = dt.time
MONDAY, SATURDAY = dt.date(2026, 12, 7), dt.date(2026, 12, 12)
NEW_YEAR = dt.date(2027, 1, 1)  # a Friday, a legal holiday in this test calendar
MAKEUP_SATURDAY = dt.date(2026, 12, 19)
CALENDAR = WorkCalendar(
    holidays=frozenset({NEW_YEAR, dt.date(2027, 1, 2)}), makeup_workdays=frozenset({MAKEUP_SATURDAY})
)
WEEK = HallHours(hours={d: (T(9), T(12)) for d in range(5)} | {5: (T(9), T(11))})


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, T(hour, minute))


def ticket(
    issued: dt.datetime, called: dt.datetime | None = None, started=None, finished=None, *, status="done", **kw
) -> TicketTimes:
    return TicketTimes(
        hall=kw.get("hall", 1),
        category=kw.get("category", 1),
        window=kw.get("window", 1),
        day=issued.date(),
        status=status,
        issued_at=issued,
        called_at=called,
        started_at=started,
        finished_at=finished,
        skipped_at=kw.get("skipped"),
    )


def test_percentiles_are_by_nearest_rank_and_always_a_measured_value():
    values = [600.0, 60.0, 300.0, 120.0, 240.0, 180.0, 420.0, 360.0, 480.0, 540.0]  # 1 … 10 minutes
    assert percentile(values, 0.5) == 300.0  # rank 5 of 10
    assert percentile(values, 0.9) == 540.0  # rank 9 of 10
    assert percentile([42.0], 0.9) == 42.0
    assert percentile([], 0.5) is None
    assert percentile([1.0, 2.0, 3.0], 0.5) == 2.0  # rank ⌈1.5⌉ = 2


def test_a_spread_counts_and_gives_p50_and_p90():
    s = spread([float(n) for n in range(1, 21)])
    assert (s.count, s.p50, s.p90) == (20, 10.0, 18.0)
    assert spread([]).p50 is None


def test_waiting_runs_from_the_ticket_to_the_first_call_and_service_from_start_to_finish():
    t = ticket(at(MONDAY, 9), at(MONDAY, 9, 12), at(MONDAY, 9, 13), at(MONDAY, 9, 25))
    assert t.waiting_seconds == 12 * 60 and t.service_seconds == 12 * 60
    waiting_only = ticket(at(MONDAY, 9), at(MONDAY, 9, 5), status="skipped")
    assert waiting_only.service_seconds is None


def test_durations_by_hour_key_waiting_by_the_hour_taken_and_service_by_the_hour_started():
    tickets = [
        ticket(at(MONDAY, 9, 50), at(MONDAY, 10, 10), at(MONDAY, 10, 11), at(MONDAY, 10, 21)),
        ticket(at(MONDAY, 10, 0), at(MONDAY, 10, 30), at(MONDAY, 10, 31), at(MONDAY, 10, 51)),
        ticket(at(MONDAY, 10, 5), status="waiting"),
    ]
    groups = durations_by(tickets, hour_issued, hour_started)
    assert groups[9].waiting.count == 1 and groups[9].waiting.p50 == 20 * 60
    assert groups[9].service.count == 0
    assert groups[10].waiting.p50 == 30 * 60
    assert groups[10].service.count == 2 and groups[10].service.p90 == 20 * 60


def test_abandoned_counts_voided_and_skipped_tickets_and_its_rate_is_of_the_tickets_taken():
    tickets = [
        ticket(at(MONDAY, 9)),
        ticket(at(MONDAY, 9), status="abandoned"),  # never called
        ticket(at(MONDAY, 9), at(MONDAY, 9, 5), status="abandoned", skipped=at(MONDAY, 9, 6)),
        ticket(at(MONDAY, 9), at(MONDAY, 9, 5), status="skipped", skipped=at(MONDAY, 9, 6)),  # today, not void yet
    ]
    a = abandonment(tickets)
    assert (a.taken, a.abandoned, a.skipped_never_recalled, a.left_in_queue) == (4, 3, 2, 1)
    assert a.rate == 0.75
    assert share(1, 0) is None


def test_a_window_opens_with_the_hall_and_on_weekends_only_with_weekend_service():
    assert window_hours_on(MONDAY, WEEK, CALENDAR, window_weekend=False, on_duty=None) == (T(9), T(12))
    assert window_hours_on(SATURDAY, WEEK, CALENDAR, window_weekend=False, on_duty=None) is None
    assert window_hours_on(SATURDAY, WEEK, CALENDAR, window_weekend=True, on_duty=None) == (T(9), T(11))
    assert window_hours_on(NEW_YEAR, WEEK, CALENDAR, window_weekend=True, on_duty=None) is None


def test_with_a_roster_a_window_without_a_clerk_on_duty_is_closed_that_day():
    assert window_hours_on(MONDAY, WEEK, CALENDAR, window_weekend=False, on_duty=False) is None
    assert window_hours_on(MONDAY, WEEK, CALENDAR, window_weekend=False, on_duty=True) == (T(9), T(12))


def test_open_time_is_the_day_s_hours_and_today_s_runs_until_now():
    assert open_seconds((T(9), T(12))) == 3 * 3600
    assert open_seconds((T(9), T(12)), until=T(10, 30)) == 1.5 * 3600
    assert open_seconds((T(9), T(12)), until=T(8)) == 0
    assert open_seconds(None) == 0


def test_weekend_days_are_saturdays_and_sundays_but_not_make_up_days_or_holidays():
    assert is_weekend_day(SATURDAY, CALENDAR)
    assert is_weekend_day(SATURDAY + dt.timedelta(days=1), CALENDAR)
    assert not is_weekend_day(MONDAY, CALENDAR)
    assert not is_weekend_day(MAKEUP_SATURDAY, CALENDAR)
    assert not is_weekend_day(dt.date(2027, 1, 2), CALENDAR)  # a Saturday inside the New Year holiday
