"""The pure rules of dispatch: cut-offs, periods, reminders, year to date, photos, problem levels."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from onewindow.dispatch.domain import (
    Cycle,
    CycleKind,
    InvalidValue,
    NotACutoff,
    ProblemAction,
    ProblemLevel,
    ProblemStatus,
    ProblemTransitionNotAllowed,
    check_cycle,
    closed_on_time,
    cutoff_to_remind,
    cutoffs_between,
    cutoffs_in_month,
    cycle_for_region,
    escalation_unit,
    initial_levels,
    is_late,
    is_overdue,
    latest_passed_cutoff,
    missing_reports,
    next_level,
    next_problem_status,
    parse_amount,
    parse_count,
    period_ending,
    period_of,
    photo_kind,
    photo_problem,
    problem_due_on,
    region_ancestry,
    reminder_on,
    should_escalate,
    year_to_date,
)
from onewindow.projects.domain import Level
from onewindow.workdays.domain import WorkCalendar

TEN_DAY = Cycle(CycleKind.TEN_DAY)
MONTHLY_30 = Cycle(CycleKind.MONTHLY, cutoff_day=30)
MONTHLY_25 = Cycle(CycleKind.MONTHLY, cutoff_day=25, remind_days_before=3)
D = dt.date


def test_a_ten_day_cycle_cuts_off_on_the_10th_the_20th_and_the_last_day() -> None:
    assert cutoffs_in_month(TEN_DAY, 2026, 2) == (D(2026, 2, 10), D(2026, 2, 20), D(2026, 2, 28))
    assert cutoffs_in_month(TEN_DAY, 2028, 2)[-1] == D(2028, 2, 29)
    assert cutoffs_in_month(TEN_DAY, 2026, 3)[-1] == D(2026, 3, 31)


def test_a_monthly_cut_off_past_the_end_of_a_short_month_falls_on_its_last_day() -> None:
    assert cutoffs_in_month(MONTHLY_30, 2026, 2) == (D(2026, 2, 28),)
    assert cutoffs_in_month(MONTHLY_30, 2028, 2) == (D(2028, 2, 29),)
    assert cutoffs_in_month(MONTHLY_30, 2026, 4) == (D(2026, 4, 30),)
    assert cutoffs_in_month(Cycle(CycleKind.MONTHLY, cutoff_day=31), 2026, 4) == (D(2026, 4, 30),)


def test_ten_day_periods() -> None:
    assert period_of(TEN_DAY, D(2026, 3, 1)) == period_of(TEN_DAY, D(2026, 3, 10))
    assert (period_of(TEN_DAY, D(2026, 3, 10)).start, period_of(TEN_DAY, D(2026, 3, 10)).end) == (
        D(2026, 3, 1),
        D(2026, 3, 10),
    )
    late_march = period_of(TEN_DAY, D(2026, 3, 25))
    assert (late_march.start, late_march.end) == (D(2026, 3, 21), D(2026, 3, 31))


def test_a_monthly_period_runs_from_the_day_after_the_last_cut_off() -> None:
    march = period_of(MONTHLY_25, D(2026, 3, 10))
    assert (march.start, march.end, march.month) == (D(2026, 2, 26), D(2026, 3, 25), D(2026, 3, 1))
    # The days after the cut-off already belong to next month's period.
    assert period_of(MONTHLY_25, D(2026, 3, 26)).end == D(2026, 4, 25)
    # Across the year end: January's period starts in December.
    january = period_of(MONTHLY_25, D(2026, 1, 1))
    assert (january.start, january.end) == (D(2025, 12, 26), D(2026, 1, 25))
    # A cut-off of the 30th: March's period starts on 1 March after February's cut-off on the 28th.
    assert period_of(MONTHLY_30, D(2026, 3, 1)).start == D(2026, 3, 1)
    assert period_of(MONTHLY_30, D(2026, 3, 31)).end == D(2026, 4, 30)


def test_period_ending_refuses_a_date_that_is_no_cut_off() -> None:
    assert period_ending(TEN_DAY, D(2026, 3, 20)).start == D(2026, 3, 11)
    with pytest.raises(NotACutoff):
        period_ending(TEN_DAY, D(2026, 3, 19))


@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2100, 12, 31)), st.sampled_from([TEN_DAY, MONTHLY_30, MONTHLY_25]))
def test_periods_tile_the_calendar(day: dt.date, cycle: Cycle) -> None:
    period = period_of(cycle, day)
    assert period.start <= day <= period.end
    following = period_of(cycle, period.end + dt.timedelta(days=1))
    assert following.start == period.end + dt.timedelta(days=1)
    assert period_ending(cycle, period.end) == period


def test_cutoffs_between_and_the_latest_passed_cut_off() -> None:
    assert cutoffs_between(TEN_DAY, D(2026, 1, 15), D(2026, 2, 10)) == [
        D(2026, 1, 20),
        D(2026, 1, 31),
        D(2026, 2, 10),
    ]
    assert cutoffs_between(MONTHLY_30, D(2026, 1, 1), D(2026, 12, 31))[1] == D(2026, 2, 28)
    # A report is due by the end of its cut-off day: on the day itself it has not passed yet.
    assert latest_passed_cutoff(MONTHLY_30, D(2026, 4, 30)) == D(2026, 3, 30)
    assert latest_passed_cutoff(MONTHLY_30, D(2026, 5, 1)) == D(2026, 4, 30)
    assert is_late(D(2026, 4, 30), D(2026, 5, 1)) and not is_late(D(2026, 4, 30), D(2026, 4, 30))


def test_the_reminder_is_due_from_its_day_up_to_the_cut_off() -> None:
    assert reminder_on(MONTHLY_25, D(2026, 3, 25)) == D(2026, 3, 22)
    assert cutoff_to_remind(MONTHLY_25, D(2026, 3, 21)) is None
    assert cutoff_to_remind(MONTHLY_25, D(2026, 3, 22)) == D(2026, 3, 25)
    assert cutoff_to_remind(MONTHLY_25, D(2026, 3, 25)) == D(2026, 3, 25)
    assert cutoff_to_remind(MONTHLY_25, D(2026, 3, 26)) is None


def test_the_nearest_region_with_a_cycle_decides() -> None:
    cycles = {"/33/": TEN_DAY, "/33/3301/3301a/": MONTHLY_25}
    assert region_ancestry("/33/3301/") == ["/33/3301/", "/33/"]
    assert cycle_for_region("/33/3301/", cycles, MONTHLY_30) == TEN_DAY
    assert cycle_for_region("/33/3301/3301a/", cycles, MONTHLY_30) == MONTHLY_25
    assert cycle_for_region("/34/3401/", cycles, MONTHLY_30) == MONTHLY_30


def test_cycle_settings_are_checked_all_at_once() -> None:
    assert check_cycle("monthly", 30, 2) == {}
    assert set(check_cycle("weekly", 0, 12)) == {"kind", "cutoff_day", "remind_days_before"}


def test_year_to_date_is_a_running_total() -> None:
    assert year_to_date([Decimal("10"), Decimal("0"), Decimal("5.5")]) == [
        Decimal("10"),
        Decimal("10"),
        Decimal("15.5"),
    ]
    assert year_to_date([]) == []


def test_missing_reports() -> None:
    due = [(1, D(2026, 3, 30)), (2, D(2026, 3, 30))]
    assert missing_reports(due, {(1, D(2026, 3, 30))}) == [(2, D(2026, 3, 30))]


@pytest.mark.parametrize(
    ("text", "expected"), [("1200.5", Decimal("1200.50")), ("1,200", Decimal("1200.00")), ("0", Decimal("0.00"))]
)
def test_amounts_are_parsed_in_wan_yuan(text: str, expected: Decimal) -> None:
    assert parse_amount(text) == expected


@pytest.mark.parametrize("text", ["", "abc", "-1", "1.234", "NaN", "Infinity", "1e20"])
def test_bad_amounts_are_refused_in_chinese(text: str) -> None:
    with pytest.raises(InvalidValue, match="金额"):
        parse_amount(text)


def test_counts() -> None:
    assert parse_count("12") == 12
    for bad in ["-1", "1.5", "", "x", "99999999"]:
        with pytest.raises(InvalidValue):
            parse_count(bad)


def test_photos_are_judged_by_their_leading_bytes() -> None:
    assert photo_kind(b"\xff\xd8\xff\xe0rest") == ("image/jpeg", "jpg")
    assert photo_kind(b"\x89PNG\r\n\x1a\n") == ("image/png", "png")
    assert photo_kind(b"GIF89a") is None
    assert photo_problem(b"%PDF-1.7", 100) == "照片须为 JPEG 或 PNG 格式"
    assert photo_problem(b"\xff\xd8\xff", 5 * 1024 * 1024 + 1) == "照片不能超过 5 MB"
    assert photo_problem(b"", 0) == "照片文件为空"
    assert photo_problem(b"\xff\xd8\xff", 5 * 1024 * 1024) is None


def test_problem_transitions() -> None:
    assert next_problem_status(ProblemStatus.OPEN, ProblemAction.ANSWER) == ProblemStatus.ANSWERED
    assert next_problem_status(ProblemStatus.ANSWERED, ProblemAction.RETURN) == ProblemStatus.OPEN
    assert next_problem_status(ProblemStatus.ANSWERED, ProblemAction.CONFIRM) == ProblemStatus.CLOSED
    with pytest.raises(ProblemTransitionNotAllowed, match="已办结"):
        next_problem_status(ProblemStatus.CLOSED, ProblemAction.ANSWER)
    with pytest.raises(ProblemTransitionNotAllowed):
        next_problem_status(ProblemStatus.OPEN, ProblemAction.CONFIRM)


def test_three_levels_of_dispatch() -> None:
    assert next_level(ProblemLevel.DISTRICT) == ProblemLevel.CITY_DEPARTMENT
    assert next_level(ProblemLevel.CITY_DEPARTMENT) == ProblemLevel.CITY_LEADER
    assert next_level(ProblemLevel.CITY_LEADER) is None
    assert initial_levels(Level.DISTRICT) == (ProblemLevel.DISTRICT,)
    assert ProblemLevel.CITY_DEPARTMENT in initial_levels(Level.CITY)


def test_the_automatic_escalation_unit() -> None:
    kwargs = {"responsible_unit": 7, "leader_unit": 9, "city": 1}
    assert escalation_unit(ProblemLevel.CITY_DEPARTMENT, **kwargs) == 7
    assert escalation_unit(ProblemLevel.CITY_LEADER, **kwargs) == 9
    assert escalation_unit(ProblemLevel.CITY_DEPARTMENT, responsible_unit=None, leader_unit=9, city=1) == 1
    assert escalation_unit(ProblemLevel.CITY_LEADER, responsible_unit=7, leader_unit=None, city=1) == 1


def test_overdue_and_escalation() -> None:
    due = D(2026, 3, 10)
    assert not is_overdue(ProblemStatus.OPEN, due, due)
    assert is_overdue(ProblemStatus.OPEN, due, D(2026, 3, 11))
    assert not is_overdue(ProblemStatus.ANSWERED, due, D(2026, 3, 11))
    assert should_escalate(ProblemStatus.OPEN, ProblemLevel.DISTRICT, due, D(2026, 3, 11))
    assert not should_escalate(ProblemStatus.OPEN, ProblemLevel.CITY_LEADER, due, D(2026, 3, 11))


def test_closed_on_time_needs_the_answer_by_the_deadline_at_that_level() -> None:
    due = D(2026, 3, 10)
    assert closed_on_time(ProblemStatus.CLOSED, D(2026, 3, 10), due)
    assert not closed_on_time(ProblemStatus.CLOSED, D(2026, 3, 11), due)
    assert not closed_on_time(ProblemStatus.ANSWERED, D(2026, 3, 9), due)
    assert not closed_on_time(ProblemStatus.CLOSED, D(2026, 3, 9), due, still_at_level=False)


def test_the_default_deadline_counts_working_days() -> None:
    calendar = WorkCalendar(holidays=frozenset({D(2026, 10, 1), D(2026, 10, 2)}), known_years=frozenset({2026}))
    # Raised on Wednesday 30 September: Thu 1 and Fri 2 October are holidays, then the weekend.
    assert problem_due_on(D(2026, 9, 30), 2, calendar) == D(2026, 10, 6)
