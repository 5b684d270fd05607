"""The rules of 好差评 without a database."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from onewindow.evaluation.domain import (
    FollowUpAction,
    FollowUpStatus,
    Level,
    Subject,
    Tally,
    TransitionNotAllowed,
    follow_up_deadlines,
    is_bad,
    next_status,
    rate_percent,
    rating_errors,
    remaining_days,
    subject_key,
)
from onewindow.workdays.domain import WorkCalendar

# 2026: National Day holiday 10-01..10-07 (Thursday to Wednesday), make-up workday Saturday 10-10
HOLIDAYS = frozenset(dt.date(2026, 10, d) for d in range(1, 8))
CALENDAR = WorkCalendar(
    holidays=HOLIDAYS, makeup_workdays=frozenset({dt.date(2026, 10, 10)}), known_years=frozenset({2026})
)
TAGS = ["attitude", "repeated_visits"]


def test_five_levels_the_two_lowest_are_bad() -> None:
    assert [level.value for level in Level] == [5, 4, 3, 2, 1]
    assert [is_bad(level) for level in Level] == [False, False, False, True, True]


def test_one_key_per_service_whatever_the_channel() -> None:
    assert subject_key(Subject.CASE, case_id=7) == "case:7"
    assert subject_key(Subject.CASE_DEPARTMENT, case_id=7, department_id=3) == "case:7:department:3"
    assert subject_key(Subject.WINDOW, window_service_id=9) == "window:9"


def test_every_problem_of_a_rating_at_once() -> None:
    errors = rating_errors(9, ["unknown"], "字" * 501, known_tags=TAGS)
    assert set(errors) == {"level", "tags", "comment"}


def test_reasons_are_for_the_lower_levels_only() -> None:
    assert rating_errors(5, ["attitude"], "", known_tags=TAGS) == {"tags": "满意及以上的评价无需选择原因"}
    assert rating_errors(3, ["attitude"], "", known_tags=TAGS) == {}
    assert rating_errors(1, [], "", known_tags=TAGS) == {}


def test_a_missing_level_is_refused() -> None:
    assert "level" in rating_errors(None, [], "", known_tags=TAGS)


def test_the_follow_up_runs_verify_answer_then_the_applicant_settles() -> None:
    status = FollowUpStatus.AWAITING_VERIFICATION
    status = next_status(status, FollowUpAction.VERIFY)
    status = next_status(status, FollowUpAction.ANSWER)
    assert next_status(status, FollowUpAction.SETTLE) is FollowUpStatus.SETTLED
    assert next_status(status, FollowUpAction.UNSETTLE) is FollowUpStatus.UNSETTLED


def test_an_answer_before_verification_is_refused() -> None:
    with pytest.raises(TransitionNotAllowed):
        next_status(FollowUpStatus.AWAITING_VERIFICATION, FollowUpAction.ANSWER)


def test_deadlines_skip_the_national_day_holiday() -> None:
    # rated on Wednesday 30 September: verification by the next working day, Thursday 8 October
    deadlines = follow_up_deadlines(dt.date(2026, 9, 30), CALENDAR)
    assert deadlines.verify_due_on == dt.date(2026, 10, 8)
    # 15 working days: 10-08, 10-09, 10-10 (make-up Saturday), 10-12..16, 10-19..23, 10-26, 10-27
    assert deadlines.answer_due_on == dt.date(2026, 10, 27)


def test_remaining_days_turn_negative_once_overdue() -> None:
    assert remaining_days(dt.date(2026, 9, 30), dt.date(2026, 10, 8), CALENDAR) == 1
    assert remaining_days(dt.date(2026, 10, 8), dt.date(2026, 10, 8), CALENDAR) == 0
    assert remaining_days(dt.date(2026, 10, 12), dt.date(2026, 10, 8), CALENDAR) == -3  # 9, 10 (make-up), 12


def test_satisfaction_counts_the_three_upper_levels_over_all() -> None:
    tally = Tally.of([5, 5, 4, 3, 2, 1, 1, 4])
    assert (tally.total, tally.satisfied_count, tally.bad_count) == (8, 5, 3)
    assert tally.satisfaction_rate == Fraction(5, 8)
    assert rate_percent(tally.satisfaction_rate) == "62.5%"
    assert rate_percent(Tally().satisfaction_rate) == "—"
