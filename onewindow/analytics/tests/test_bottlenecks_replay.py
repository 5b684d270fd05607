"""The what-if replay over columns (`bottlenecks.replay`) gives, case by case, what the reference rule
(`bottlenecks.domain.replay`) gives: on random bundles' cases across a holiday, with clock stops (several on a
task, overlapping, outside its span), gaps, overlapping stages, tasks decided the day they opened and cases the
department has no part in. And the workload's ages over arrays (`positions.age_days_all`) are `age_days`' one by
one."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from hypothesis import example, given, settings
from hypothesis import strategies as st

from onewindow.analytics.bottlenecks.domain import ReplayCase, ReplayTask, age_days, replay, summarise
from onewindow.analytics.bottlenecks.positions import age_days_all
from onewindow.analytics.bottlenecks.replay import columns_of, replay_all, summarise_all
from onewindow.workdays.domain import WorkCalendar

CALENDAR = WorkCalendar(
    holidays=frozenset(dt.date(2026, 10, d) for d in range(1, 9)),
    makeup_workdays=frozenset({dt.date(2026, 9, 27), dt.date(2026, 10, 10)}),
    known_years=frozenset({2026}),
)
FIRST = dt.date(2026, 9, 14)
A, B, C = 1, 2, 3


@st.composite
def tasks(draw: st.DrawFn) -> ReplayTask:
    opened = FIRST + dt.timedelta(days=draw(st.integers(0, 40)))
    decided = opened + dt.timedelta(days=draw(st.integers(0, 20)))
    stops = []
    for _ in range(draw(st.integers(0, 4))):  # overlapping, reversed, before the opening or after the decision
        first = opened + dt.timedelta(days=draw(st.integers(-5, 24)))
        stops.append((first, first + dt.timedelta(days=draw(st.integers(-2, 6)))))
    return ReplayTask(draw(st.integers(1, 3)), draw(st.sampled_from([A, B, C])), opened, decided, tuple(stops))


@st.composite
def cases(draw: st.DrawFn, pk: int) -> ReplayCase:
    members = tuple(draw(st.lists(tasks(), max_size=6)))
    last = max((t.decided_on for t in members), default=FIRST)
    decided = last + dt.timedelta(days=draw(st.integers(0, 3)))
    due = draw(st.none() | st.just(FIRST + dt.timedelta(days=draw(st.integers(5, 60)))))
    return ReplayCase(pk, decided, due, members)


def as_columns(year: list[ReplayCase]):
    return columns_of(
        [(c.case, c.decided_on, c.due_on) for c in year],
        [(c.case, t.stage, t.department, t.opened_on, t.decided_on, t.stops) for c in year for t in c.tasks],
    )


@settings(max_examples=200, deadline=None)
@given(
    year=st.integers(0, 12).flatmap(lambda n: st.tuples(*(cases(pk) for pk in range(1, n + 1)))),
    department=st.sampled_from([A, B, C, 9]),
    days=st.integers(0, 15),
)
def test_the_columns_replay_every_case_as_the_rule_does(year, department, days):
    expected = [replay(c, department, days, CALENDAR) for c in year]
    replayed = replay_all(as_columns(list(year)), department, days, CALENDAR)
    ranked = sorted(expected, key=lambda r: (-r.saved_days, r.case))
    assert replayed.ranked() == ranked
    assert replayed.ranked(slice(1, 3)) == ranked[1:3]
    assert summarise_all(replayed) == summarise(expected)
    assert replayed.saved_counts() == dict(sorted(Counter(r.saved_days for r in expected).items()))


def test_a_task_decided_before_it_opened_counts_as_decided_the_day_it_opened():
    opened = dt.date(2026, 9, 15)
    late = ReplayCase(7, dt.date(2026, 9, 18), None, (ReplayTask(1, A, opened, dt.date(2026, 9, 18)),))
    early = (7, 1, A, opened, dt.date(2026, 9, 14), ())
    replayed = replay_all(columns_of([(7, late.decided_on, None)], [early]), A, 2, CALENDAR)
    assert replayed.saved.tolist() == [0]  # no time to shorten: the task took none
    assert replay_all(as_columns([late]), A, 2, CALENDAR).saved.tolist() == [2]


@settings(max_examples=200, deadline=None)
@given(
    started=st.lists(st.dates(dt.date(2024, 6, 1), dt.date(2026, 11, 30)), max_size=8),
    today=st.dates(FIRST, FIRST + dt.timedelta(days=40)),
)
@example(started=[dt.date(2026, 9, 26), dt.date(2026, 9, 30), dt.date(2026, 10, 12)], today=dt.date(2026, 10, 10))
def test_the_ages_over_arrays_are_age_days_one_by_one(started, today):
    # opened across the October holiday and its make-up Saturday, years before, today, or after today (age 0)
    ages = age_days_all(started, today, CALENDAR)
    assert ages.tolist() == [age_days(day, today, CALENDAR) for day in started]
