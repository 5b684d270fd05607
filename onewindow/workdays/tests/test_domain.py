"""Working-day arithmetic without a database: examples from 2026 and properties over 2004–2028."""

import datetime as dt

import chinese_calendar
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from onewindow.workdays import seeding
from onewindow.workdays.domain import (
    DateOutOfRange,
    InvalidSuspension,
    InvalidWorkingDays,
    Suspension,
    WorkCalendar,
    add_working_days,
    holiday_periods,
    is_working_day,
    merge_suspensions,
    working_days_between,
)


def package_calendar() -> WorkCalendar:
    days = seeding.package_days()
    return WorkCalendar(
        holidays=frozenset(d for d, (kind, _) in days.items() if kind == "holiday"),
        makeup_workdays=frozenset(d for d, (kind, _) in days.items() if kind == "makeup_workday"),
        known_years=frozenset(seeding.package_years()),
    )


CALENDAR = package_calendar()
D = dt.date

any_dates = st.dates(min_value=D(2004, 1, 1), max_value=D(2028, 12, 31))
counts = st.integers(min_value=0, max_value=300)


@st.composite
def suspension_lists(draw):
    starts = draw(st.lists(any_dates, max_size=4))
    return [Suspension(s, s + dt.timedelta(days=draw(st.integers(0, 20)))) for s in starts]


# --- examples ------------------------------------------------------------------


def test_five_working_days_after_30_september_2026_end_on_13_october():
    # 1–7 October is the National Day holiday; Saturday 10 October is a make-up workday.
    deadline = add_working_days(D(2026, 9, 30), 5, CALENDAR)
    assert deadline.on == D(2026, 10, 13)
    assert not deadline.provisional


def test_between_30_september_and_13_october_2026_are_five_working_days():
    assert working_days_between(D(2026, 9, 30), D(2026, 10, 13), CALENDAR).working_days == 5


def test_a_make_up_saturday_is_a_working_day_and_a_holiday_weekday_is_not():
    assert is_working_day(D(2026, 10, 10), CALENDAR)
    assert not is_working_day(D(2026, 10, 5), CALENDAR)
    assert not is_working_day(D(2026, 10, 11), CALENDAR)


def test_zero_days_returns_the_start_itself_even_on_a_holiday():
    assert add_working_days(D(2026, 10, 1), 0, CALENDAR).on == D(2026, 10, 1)


def test_the_start_day_is_not_counted():
    assert add_working_days(D(2026, 11, 16), 1, CALENDAR).on == D(2026, 11, 17)


def test_a_deadline_reaching_into_an_unknown_year_is_provisional_and_uses_weekends_only():
    deadline = add_working_days(D(2026, 12, 30), 5, CALENDAR)
    # 31 Dec, then 2027: Fri 1 Jan (no holiday known), Mon 4, Tue 5, Wed 6.
    assert deadline.on == D(2027, 1, 6)
    assert deadline.provisional
    assert deadline.unknown_years == (2027,)


def test_a_count_ending_in_an_unknown_year_is_provisional():
    count = working_days_between(D(2026, 12, 30), D(2027, 1, 6), CALENDAR)
    assert count.working_days == 5
    assert count.provisional


def test_a_deadline_inside_a_known_year_is_not_provisional_even_if_the_start_is_the_last_day_of_the_year_before():
    calendar = WorkCalendar(known_years=frozenset({2027}))
    assert not add_working_days(D(2026, 12, 31), 3, calendar).provisional


def test_suspended_days_do_not_count():
    # Hearing on 8–9 October 2026 (Thu–Fri): the deadline moves two working days later.
    deadline = add_working_days(D(2026, 9, 30), 5, CALENDAR, [Suspension(D(2026, 10, 8), D(2026, 10, 9))])
    assert deadline.on == D(2026, 10, 15)
    count = working_days_between(
        D(2026, 9, 30), D(2026, 10, 15), CALENDAR, [Suspension(D(2026, 10, 8), D(2026, 10, 9))]
    )
    assert count.working_days == 5


def test_holiday_data_in_an_unpublished_year_is_used_but_the_result_stays_provisional():
    calendar = WorkCalendar(holidays=frozenset({D(2027, 1, 1)}), known_years=frozenset({2026}))
    deadline = add_working_days(D(2026, 12, 31), 1, calendar)
    assert deadline.on == D(2027, 1, 4)
    assert deadline.provisional


def test_negative_days_are_refused_in_chinese():
    with pytest.raises(InvalidWorkingDays, match="不能为负数"):
        add_working_days(D(2026, 1, 5), -1, CALENDAR)


def test_dates_outside_the_supported_years_are_refused():
    with pytest.raises(DateOutOfRange):
        add_working_days(D(1900, 1, 1), 1, CALENDAR)
    with pytest.raises(DateOutOfRange):
        add_working_days(D(2199, 12, 1), 3650, CALENDAR)


def test_a_suspension_ending_before_it_starts_is_refused():
    with pytest.raises(InvalidSuspension):
        Suspension(D(2026, 10, 9), D(2026, 10, 8))


def test_overlapping_and_adjacent_suspensions_merge():
    merged = merge_suspensions(
        [
            Suspension(D(2026, 1, 10), D(2026, 1, 12)),
            Suspension(D(2026, 1, 5), D(2026, 1, 9)),
            Suspension(D(2026, 1, 20), D(2026, 1, 20)),
        ]
    )
    assert merged == (Suspension(D(2026, 1, 5), D(2026, 1, 12)), Suspension(D(2026, 1, 20), D(2026, 1, 20)))


def test_holiday_periods_group_consecutive_days_with_one_name():
    days = [(D(2026, 10, d), "国庆节") for d in range(1, 8)] + [(D(2026, 9, 25), "中秋"), (D(2026, 9, 26), "中秋")]
    periods = holiday_periods(days)
    assert [(p.name, p.first_on, p.day_count) for p in periods] == [
        ("中秋", D(2026, 9, 25), 2),
        ("国庆节", D(2026, 10, 1), 7),
    ]


# --- properties ----------------------------------------------------------------


def test_agrees_with_chinesecalendar_on_every_day_it_covers():
    day, disagreements = D(2004, 1, 1), []
    while day <= D(2026, 12, 31):
        if is_working_day(day, CALENDAR) != chinese_calendar.is_workday(day):
            disagreements.append(day)
        day += dt.timedelta(days=1)
    assert disagreements == []


@given(start=any_dates, n=counts)
def test_counting_back_gives_the_number_added(start, n):
    deadline = add_working_days(start, n, CALENDAR)
    assert working_days_between(start, deadline.on, CALENDAR).working_days == n


@given(start=any_dates, n=st.integers(min_value=1, max_value=300))
def test_a_deadline_is_a_working_day_after_the_start(start, n):
    deadline = add_working_days(start, n, CALENDAR).on
    assert deadline > start
    assert is_working_day(deadline, CALENDAR)


@given(start=any_dates, n=counts)
def test_one_more_day_is_strictly_later(start, n):
    assert add_working_days(start, n + 1, CALENDAR).on > add_working_days(start, n, CALENDAR).on


@given(a=any_dates, b=any_dates)
def test_no_working_days_when_the_end_is_not_after_the_start(a, b):
    assume(b <= a)
    assert working_days_between(a, b, CALENDAR).working_days == 0


@given(a=any_dates, b=any_dates, c=any_dates)
def test_counts_add_up_over_consecutive_spans(a, b, c):
    a, b, c = sorted((a, b, c))
    total = working_days_between(a, c, CALENDAR).working_days
    assert (
        total == working_days_between(a, b, CALENDAR).working_days + working_days_between(b, c, CALENDAR).working_days
    )


@given(start=any_dates, n=counts, suspensions=suspension_lists())
def test_suspensions_only_push_deadlines_later(start, n, suspensions):
    plain = add_working_days(start, n, CALENDAR).on
    assert add_working_days(start, n, CALENDAR, suspensions).on >= plain


@given(start=any_dates, n=st.integers(min_value=1, max_value=300), suspensions=suspension_lists())
def test_a_suspended_deadline_is_a_counted_working_day_and_counts_back(start, n, suspensions):
    deadline = add_working_days(start, n, CALENDAR, suspensions).on
    assert is_working_day(deadline, CALENDAR)
    assert not any(s.first_on <= deadline <= s.last_on for s in suspensions)
    assert working_days_between(start, deadline, CALENDAR, suspensions).working_days == n


@given(start=any_dates, n=counts)
def test_provisional_exactly_when_a_counted_day_lies_in_an_unknown_year(start, n):
    deadline = add_working_days(start, n, CALENDAR)
    counted_years = {y for y in range((start + dt.timedelta(days=1)).year, deadline.on.year + 1)} if n else set()
    assert deadline.provisional == any(y > 2026 for y in counted_years)
