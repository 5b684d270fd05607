"""Pure maths of the bottlenecks (issue 17): the what-if replay of a bundle's stages and the workload figures.
No Django, no clock.

The replay, in working days (`onewindow.workdays`): each date becomes its position on the calendar (the
working days counted from a day before the case's first task; a weekend or holiday stands at the working day
before it). A task's time is opened → decided; the days its own clock stood still are kept, only its working
time is shortened: a task of department X takes `max(work − N, 0) + stopped` working days (never below 0,
never ending before it opened). The first stage starts when it started; each later stage starts when the
replayed stage before it ends (with the gap the case really had between them, usually none); a task opens as
far after its stage's start as it really did; a stage ends when its last task ends. The case's decision
follows the last stage as it really did, so the case ends earlier by exactly what its last stage's end
moved. When another department was last in every stage, shortening X changes nothing.

`replay` states the rule for one case; the pages replay a bundle's cases all at once over arrays
(`bottlenecks.replay`), held to this one by the tests.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from onewindow.workdays.domain import Suspension, WorkCalendar, subtract_working_days, working_days_between

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class ReplayTask:
    stage: int
    department: int
    opened_on: dt.date
    decided_on: dt.date
    stops: tuple[tuple[dt.date, dt.date], ...] = ()  # the task's own clock stops, both days included


@dataclass(frozen=True)
class ReplayCase:
    case: int
    decided_on: dt.date
    due_on: dt.date | None
    tasks: tuple[ReplayTask, ...]


@dataclass(frozen=True)
class ReplayResult:
    case: int
    involved: bool  # the department had a task in the case
    saved_days: int  # working days the case would have ended earlier
    decided_on: dt.date
    replayed_on: dt.date
    due_on: dt.date | None

    @property
    def on_time(self) -> bool | None:
        return None if self.due_on is None else self.decided_on <= self.due_on

    @property
    def replayed_on_time(self) -> bool | None:
        return None if self.due_on is None else self.replayed_on <= self.due_on


def _position(anchor: dt.date, day: dt.date, calendar: WorkCalendar) -> int:
    return working_days_between(anchor, day, calendar).working_days


def stopped_days(task: ReplayTask, calendar: WorkCalendar) -> int:
    """The working days from opening to decision on which the task's own clock stood still."""
    if not task.stops:
        return 0
    suspensions = [Suspension(first, max(first, last)) for first, last in task.stops]
    whole = working_days_between(task.opened_on, task.decided_on, calendar).working_days
    worked = working_days_between(task.opened_on, task.decided_on, calendar, suspensions).working_days
    return max(whole - worked, 0)


def replay(case: ReplayCase, department: int, days: int, calendar: WorkCalendar) -> ReplayResult:
    """`case` replayed with `department`'s tasks shortened by `days` working days."""
    involved = any(t.department == department for t in case.tasks)
    if not case.tasks or not involved or days <= 0:
        return ReplayResult(case.case, involved, 0, case.decided_on, case.decided_on, case.due_on)
    anchor = min(t.opened_on for t in case.tasks) - dt.timedelta(days=1)
    stages: dict[int, list[tuple[int, int, int]]] = {}  # stage -> (opened, decided, replayed length)
    for task in case.tasks:
        opened = _position(anchor, task.opened_on, calendar)
        decided = max(_position(anchor, task.decided_on, calendar), opened)
        length = decided - opened
        if task.department == department:
            stopped = min(stopped_days(task, calendar), length)
            length = max(length - stopped - days, 0) + stopped
        stages.setdefault(task.stage, []).append((opened, decided, length))
    previous_end = previous_new_end = None
    for stage in sorted(stages):
        members = stages[stage]
        start = min(opened for opened, _d, _l in members)
        new_start = start
        if previous_end is not None and previous_new_end is not None:
            new_start = previous_new_end + max(start - previous_end, 0)
        previous_end = max(decided for _o, decided, _l in members)
        previous_new_end = max(new_start + (opened - start) + length for opened, _d, length in members)
    assert previous_end is not None and previous_new_end is not None
    saved = max(previous_end - previous_new_end, 0)
    replayed_on = subtract_working_days(case.decided_on, saved, calendar).on if saved else case.decided_on
    return ReplayResult(case.case, involved, saved, case.decided_on, replayed_on, case.due_on)


def median(values: Sequence[float]) -> float | None:
    """The middle value (the mean of the two middle ones for an even count); None when there is none."""
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    return float(ordered[middle]) if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


@dataclass(frozen=True)
class WhatIfSummary:
    cases: int
    involved: int
    affected: int
    saved_total: int
    saved_mean: float | None  # over all the bundle's decided cases
    saved_median: float | None
    with_due_date: int
    on_time: int
    replayed_on_time: int


def summarise(results: Iterable[ReplayResult]) -> WhatIfSummary:
    rows = list(results)
    saved = [r.saved_days for r in rows]
    due = [r for r in rows if r.due_on is not None]
    return WhatIfSummary(
        cases=len(rows),
        involved=sum(1 for r in rows if r.involved),
        affected=sum(1 for r in rows if r.saved_days > 0),
        saved_total=sum(saved),
        saved_mean=sum(saved) / len(saved) if saved else None,
        saved_median=median(saved),
        with_due_date=len(due),
        on_time=sum(1 for r in due if r.on_time),
        replayed_on_time=sum(1 for r in due if r.replayed_on_time),
    )


def age_days(started_on: dt.date, today: dt.date, calendar: WorkCalendar) -> int:
    """Working days an open task has been with its department (0 on the day it opened)."""
    return working_days_between(started_on, today, calendar).working_days


@dataclass(frozen=True)
class DecidedTask:
    """A review task decided: by whom, opened and decided when (Asia/Shanghai days), its own clock stops."""

    department: int
    assignee: int | None
    started_on: dt.date
    decided_on: dt.date
    stops: tuple[tuple[dt.date, dt.date], ...]

    def review_days(self, calendar: WorkCalendar) -> int:
        return review_days(ReplayTask(0, self.department, self.started_on, self.decided_on, self.stops), calendar)


@dataclass(frozen=True)
class DecidedLoad:
    """A department's or a reviewer's tasks decided in the period and their median review time."""

    count: int
    median: float | None


def decided_loads(review_days_by: Iterable[tuple[K, int]]) -> dict[K, DecidedLoad]:
    grouped: dict[K, list[int]] = {}
    for key, days in review_days_by:
        grouped.setdefault(key, []).append(days)
    return {key: DecidedLoad(len(days), median(days)) for key, days in grouped.items()}


def review_days(task: ReplayTask, calendar: WorkCalendar) -> int:
    """A decided task's working days from opening to decision, less those its own clock stood still."""
    whole = working_days_between(task.opened_on, task.decided_on, calendar).working_days
    return max(whole - stopped_days(task, calendar), 0)
