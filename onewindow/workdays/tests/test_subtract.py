"""Counting working days backwards (倒排工期): examples from 2026 and properties over 2004–2028."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from onewindow.workdays.domain import (
    DateOutOfRange,
    InvalidWorkingDays,
    add_working_days,
    is_working_day,
    subtract_working_days,
)
from onewindow.workdays.tests.test_domain import CALENDAR

D = dt.date
any_dates = st.dates(min_value=D(2004, 1, 1), max_value=D(2028, 12, 31))
counts = st.integers(min_value=1, max_value=300)


def test_five_working_days_before_13_october_2026_is_30_september():
    # 1–7 October is the National Day holiday; Saturday 10 October is a make-up workday.
    assert subtract_working_days(D(2026, 10, 13), 5, CALENDAR).on == D(2026, 9, 30)


def test_a_make_up_saturday_counts_when_going_back():
    # Back from Mon 12 October: the make-up Saturday 10th, Friday 9th, Thursday 8th, then over the holiday.
    assert subtract_working_days(D(2026, 10, 12), 1, CALENDAR).on == D(2026, 10, 10)
    assert subtract_working_days(D(2026, 10, 12), 4, CALENDAR).on == D(2026, 9, 30)


def test_an_end_on_a_holiday_counts_from_the_last_working_day_before_it():
    # The approval must be decided by Sunday 4 October: in fact by Wednesday 30 September.
    back = subtract_working_days(D(2026, 10, 4), 1, CALENDAR)
    assert back.on == D(2026, 9, 29)
    assert add_working_days(back.on, 1, CALENDAR).on == D(2026, 9, 30)


def test_zero_days_returns_the_end_itself():
    assert subtract_working_days(D(2026, 10, 3), 0, CALENDAR).on == D(2026, 10, 3)


def test_counting_back_into_an_unknown_year_is_provisional():
    assert subtract_working_days(D(2027, 1, 6), 5, CALENDAR).provisional
    assert not subtract_working_days(D(2026, 12, 30), 5, CALENDAR).provisional


def test_negative_days_and_dates_out_of_range_are_refused():
    with pytest.raises(InvalidWorkingDays):
        subtract_working_days(D(2026, 10, 13), -1, CALENDAR)
    with pytest.raises(DateOutOfRange):
        subtract_working_days(D(1950, 1, 3), 5, CALENDAR)


@given(end=any_dates, n=counts)
def test_the_result_is_the_latest_working_day_from_which_n_days_still_fit(end, n):
    start = subtract_working_days(end, n, CALENDAR).on
    assert is_working_day(start, CALENDAR)
    assert add_working_days(start, n, CALENDAR).on <= end
    next_working_day = add_working_days(start, 1, CALENDAR).on
    assert add_working_days(next_working_day, n, CALENDAR).on > end


@given(start=any_dates, n=counts)
def test_subtracting_undoes_adding_from_a_working_day(start, n):
    if not is_working_day(start, CALENDAR):
        start = add_working_days(start, 1, CALENDAR).on
    end = add_working_days(start, n, CALENDAR).on
    assert subtract_working_days(end, n, CALENDAR).on == start


@given(end=any_dates, n=counts)
def test_one_more_day_back_is_strictly_earlier(end, n):
    assert subtract_working_days(end, n + 1, CALENDAR).on < subtract_working_days(end, n, CALENDAR).on
