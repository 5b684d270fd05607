"""The what-if replay on hand-made stages (no database): Mon 2 March 2026 is day 0, weekends do not count."""

from __future__ import annotations

import datetime as dt

from onewindow.analytics.bottlenecks.domain import (
    ReplayCase,
    ReplayTask,
    median,
    replay,
    summarise,
)
from onewindow.workdays.domain import WorkCalendar

CALENDAR = WorkCalendar(holidays=frozenset({dt.date(2026, 3, 11)}), known_years=frozenset({2026}))
MONDAY = dt.date(2026, 3, 2)
A, B, C = 1, 2, 3


def day(n: int) -> dt.date:
    return MONDAY + dt.timedelta(days=n)


def case(*tasks: ReplayTask, decided: int, due: int | None = None, pk: int = 1) -> ReplayCase:
    return ReplayCase(pk, day(decided), None if due is None else day(due), tuple(tasks))


def test_shortening_the_department_that_ended_both_stages_moves_the_case_end():
    # stage 1: A 0→3, B 0→1; stage 2 opens day 3: A 3→4, C 3→4; decided day 7 (Monday 9 March), due Friday
    c = case(
        ReplayTask(1, A, day(0), day(3)),
        ReplayTask(1, B, day(0), day(1)),
        ReplayTask(2, A, day(3), day(4)),
        ReplayTask(2, C, day(3), day(4)),
        decided=7,
        due=4,
    )
    result = replay(c, A, 2, CALENDAR)
    # stage 1 ends day 1 (B and A both at 1 working day), stage 2 starts then: A 0 days, C 1 day → ends day 2
    assert (result.involved, result.saved_days) == (True, 2)
    assert result.replayed_on == day(3)  # Mon 9 → Thu 5 March: two working days earlier
    assert (result.on_time, result.replayed_on_time) == (False, True)


def test_shortening_a_department_that_was_never_last_changes_nothing():
    c = case(
        ReplayTask(1, A, day(0), day(1)),
        ReplayTask(1, B, day(0), day(3)),
        ReplayTask(2, C, day(3), day(4)),
        decided=4,
    )
    result = replay(c, A, 5, CALENDAR)
    assert (result.involved, result.saved_days, result.replayed_on) == (True, 0, day(4))


def test_a_shortening_is_bounded_by_the_next_department_and_never_below_the_opening():
    c = case(ReplayTask(1, A, day(0), day(3)), ReplayTask(1, B, day(0), day(1)), decided=3)
    assert replay(c, A, 1, CALENDAR).saved_days == 1  # A 3 → 2 days, still last
    assert replay(c, A, 10, CALENDAR).saved_days == 2  # A 0 days: B (1 day) ends the stage
    alone = case(ReplayTask(1, A, day(0), day(2)), decided=2)
    result = replay(alone, A, 10, CALENDAR)
    assert (result.saved_days, result.replayed_on) == (2, day(0))  # not before the task opened


def test_working_days_skip_weekends_and_holidays():
    # A opens Fri 6 March, decided Thu 12 March: Mon 9, Tue 10, Thu 12 (Wed 11 is a holiday) = 3 working days
    c = case(ReplayTask(1, A, day(4), day(10)), decided=10)
    result = replay(c, A, 1, CALENDAR)
    assert (result.saved_days, result.replayed_on) == (1, day(8))  # Tue 10 March


def test_the_task_clock_stops_are_not_shortened():
    # A: 0 → 7 (Mon → next Mon: 5 working days), stopped Wed 4 – Fri 6 (3 working days): 2 working days of review
    c = case(ReplayTask(1, A, day(0), day(7), stops=((day(2), day(4)),)), decided=7)
    assert replay(c, A, 5, CALENDAR).saved_days == 2


def test_a_case_without_the_department_or_with_no_days_is_untouched():
    c = case(ReplayTask(1, B, day(0), day(3)), decided=3)
    assert replay(c, A, 2, CALENDAR).involved is False
    assert replay(c, A, 2, CALENDAR).saved_days == 0
    assert replay(c, B, 0, CALENDAR).saved_days == 0


def test_the_gap_between_stages_is_kept():
    # stage 2 opened a day after stage 1 ended (a fee, say): kept in the replay
    c = case(ReplayTask(1, A, day(0), day(2)), ReplayTask(2, B, day(3), day(4)), decided=4)
    assert replay(c, A, 1, CALENDAR).saved_days == 1


def test_the_summary_counts_cases_days_and_limits_met():
    cases = [
        case(ReplayTask(1, A, day(0), day(3)), decided=3, due=2, pk=1),  # saves 2, now on time
        case(ReplayTask(1, A, day(0), day(1)), ReplayTask(1, B, day(0), day(3)), decided=3, due=4, pk=2),  # 0
        case(ReplayTask(1, B, day(0), day(3)), decided=3, pk=3),  # not involved
    ]
    summary = summarise(replay(c, A, 2, CALENDAR) for c in cases)
    assert (summary.cases, summary.involved, summary.affected) == (3, 2, 1)
    assert (summary.saved_total, summary.saved_median) == (2, 0.0)
    assert round(summary.saved_mean or 0, 3) == 0.667
    assert (summary.with_due_date, summary.on_time, summary.replayed_on_time) == (2, 1, 2)


def test_median():
    assert median([]) is None
    assert median([3, 1, 2]) == 2.0
    assert median([4, 1, 2, 3]) == 2.5
