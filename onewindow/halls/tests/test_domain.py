"""The pure rules: opening days and hours, slots, cut-offs, arrival and no-show pauses (no database)."""

import datetime as dt

from onewindow.halls.domain import (
    DayKind,
    HallHours,
    can_change,
    day_kind,
    day_slots,
    has_lapsed,
    hours_on,
    is_open,
    paused_until,
)
from onewindow.workdays.domain import WorkCalendar

D, T = dt.date, dt.time
# 2026-10-01 (Thursday) is a holiday, 2026-10-03 (Saturday) too; 2026-10-10 (Saturday) a make-up day.
CAL = WorkCalendar(
    holidays=frozenset({D(2026, 10, 1), D(2026, 10, 3)}),
    makeup_workdays=frozenset({D(2026, 10, 10)}),
    known_years=frozenset({2026}),
)
WEEK = {d: (T(9), T(17)) for d in range(5)} | {5: (T(9), T(12)), 6: (T(9), T(12))}
PLAIN = HallHours(hours=WEEK)
WEEKEND = HallHours(hours=WEEK, weekend_service=True)
SATURDAY, SUNDAY, HOLIDAY_SAT, MAKEUP_SAT = D(2026, 10, 17), D(2026, 10, 18), D(2026, 10, 3), D(2026, 10, 10)


def test_the_kinds_of_day():
    assert day_kind(D(2026, 10, 12), CAL) is DayKind.WORKDAY
    assert day_kind(SATURDAY, CAL) is DayKind.WEEKEND
    assert day_kind(D(2026, 10, 1), CAL) is DayKind.HOLIDAY
    assert day_kind(MAKEUP_SAT, CAL) is DayKind.WORKDAY


def test_an_ordinary_working_day_is_open_in_its_hours_only():
    monday = D(2026, 10, 12)
    assert is_open(monday, T(9), PLAIN, CAL)
    assert is_open(monday, T(16, 59), PLAIN, CAL)
    assert not is_open(monday, T(17), PLAIN, CAL)
    assert not is_open(monday, T(8, 59), PLAIN, CAL)


def test_a_saturday_opens_only_with_weekend_service_of_the_hall_or_the_window():
    assert not is_open(SATURDAY, None, PLAIN, CAL)
    assert is_open(SATURDAY, T(10), WEEKEND, CAL)
    assert is_open(SUNDAY, T(10), WEEKEND, CAL)
    assert not is_open(SATURDAY, T(13), WEEKEND, CAL)  # Saturday's own hours
    assert is_open(SATURDAY, T(10), PLAIN, CAL, window_weekend=True)


def test_a_legal_holiday_is_closed_even_with_weekend_service():
    assert not is_open(D(2026, 10, 1), None, WEEKEND, CAL)
    assert not is_open(HOLIDAY_SAT, None, WEEKEND, CAL, window_weekend=True)
    assert day_slots(HOLIDAY_SAT, WEEKEND, CAL, 30, window_weekend=True) == []


def test_a_make_up_working_day_opens_as_an_ordinary_day_without_weekend_service():
    assert hours_on(MAKEUP_SAT, PLAIN, CAL) == (T(9), T(17))
    assert len(day_slots(MAKEUP_SAT, PLAIN, CAL, 30)) == 16


def test_a_one_off_closure_closes_the_day():
    closed = HallHours(hours=WEEK, weekend_service=True, closures=frozenset({D(2026, 10, 12)}))
    assert not is_open(D(2026, 10, 12), None, closed, CAL)


def test_the_slots_of_a_day_are_whole_slots_inside_the_hours():
    hall = HallHours(hours={0: (T(9), T(10, 45))})
    assert day_slots(D(2026, 10, 12), hall, CAL, 30) == [T(9), T(9, 30), T(10)]
    assert day_slots(D(2026, 10, 13), hall, CAL, 30) == []  # no hours on Tuesday


def test_cancel_until_the_cut_off_and_lapse_after_the_arrival_window():
    slot = dt.datetime(2026, 10, 12, 10)
    assert can_change(slot, dt.datetime(2026, 10, 12, 9), 60)
    assert not can_change(slot, dt.datetime(2026, 10, 12, 9, 1), 60)
    assert not has_lapsed(slot, dt.datetime(2026, 10, 12, 10, 15), 15)
    assert has_lapsed(slot, dt.datetime(2026, 10, 12, 10, 16), 15)


def test_booking_pauses_after_n_no_shows_in_the_period():
    now = dt.datetime(2026, 10, 12)
    shows = [now - dt.timedelta(days=d) for d in (1, 5)]
    assert paused_until(shows, now, limit=3, period_days=90, pause_days=30) is None
    shows.append(now - dt.timedelta(days=100))  # outside the period
    assert paused_until(shows, now, limit=3, period_days=90, pause_days=30) is None
    shows.append(now - dt.timedelta(days=10))
    assert paused_until(shows, now, limit=3, period_days=90, pause_days=30) == now + dt.timedelta(days=29)
    assert paused_until(shows, now, limit=3, period_days=90, pause_days=1) is None  # the pause is over
