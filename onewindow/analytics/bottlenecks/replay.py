"""The what-if replay of a bundle's cases all at once (issue 17): `domain.replay`'s rule over NumPy columns.

`domain.replay` states the rule one case at a time and stays the reference (the tests hold this module to it on
random cases). Replaying a year's cases that way costs a Python loop per task; here it is a few array operations,
because the rule adds up: a stage's replayed end is its replayed start plus its span (the latest of its tasks'
offset from the stage's start plus their replayed length), and each later stage starts at the replayed end of the
one before plus the real gap between them. So a case's replayed end is its first stage's start plus the sum of
its stages' spans and gaps: sums per stage and per case, in sorted columns. Dates become their positions on the
calendar (`bottlenecks.positions`).

No Django, no clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from onewindow.analytics.bottlenecks.domain import ReplayResult, WhatIfSummary, median
from onewindow.analytics.bottlenecks.positions import Days, Ints, Positions
from onewindow.workdays.domain import WorkCalendar

Flags = npt.NDArray[np.bool_]
Stops = tuple[tuple[dt.date, dt.date], ...]
ONE_DAY = np.timedelta64(1, "D")


@dataclass(frozen=True)
class TaskStops:
    """The tasks' own clock stops, one row a stop: the task's row, the stop's first and last day (both included;
    a last day before the first stands for the first day alone, as in `domain.stopped_days`)."""

    task: Ints
    first: Days
    last: Days


@dataclass(frozen=True)
class ReplayColumns:
    """A bundle's decided cases and their decided review tasks, as columns.

    A task's `task_case` is its case's row; a case without a due date has NaT; `stops` has a row for each of the
    tasks' own clock stops (few tasks have any).
    """

    case: Ints
    decided: Days
    due: Days
    task_case: Ints
    stage: Ints
    department: Ints
    opened: Days
    task_decided: Days  # never before `opened`
    stops: TaskStops


@dataclass(frozen=True)
class Replayed:
    """Each case of `ReplayColumns` replayed: whether the department had a task in it, the working days it would
    have ended earlier, and its days."""

    case: Ints
    involved: Flags
    saved: Ints
    decided: Days
    replayed: Days
    due: Days

    def ranked(self, rows: slice = slice(None)) -> list[ReplayResult]:
        """The cases that would have saved most first (then by id), those in `rows` of that order."""
        order = np.lexsort((self.case, -self.saved))[rows]
        columns = (self.case, self.involved, self.saved, self.decided, self.replayed, self.due)
        return [ReplayResult(*row) for row in zip(*(c[order].tolist() for c in columns), strict=True)]

    def saved_counts(self) -> dict[int, int]:
        """How many cases would have saved each number of working days."""
        days, counts = np.unique(self.saved, return_counts=True)
        return dict(zip(days.tolist(), counts.tolist(), strict=True))


def columns(
    *,
    case: Ints,
    decided: Days,
    due: Days,
    task_case: Ints,
    stage: Ints,
    department: Ints,
    opened: Days,
    task_decided: Days,
    stops: TaskStops,
) -> ReplayColumns:
    """Columns from arrays: cases (id, decided on, due on) and tasks (case id, among `case`; stage, department,
    opened on, decided on) and the task rows' own clock stops. A task decided before it opened (an ill-kept
    record) counts as decided the day it opened."""
    order = np.argsort(case, kind="stable")
    ids = case[order]
    return ReplayColumns(
        case=ids,
        decided=decided[order],
        due=due[order],
        task_case=np.searchsorted(ids, task_case).astype(np.int64),
        stage=stage,
        department=department,
        opened=opened,
        task_decided=np.maximum(task_decided, opened),
        stops=stops,
    )


def columns_of(
    cases: Iterable[tuple[int, dt.date, dt.date | None]],
    tasks: Iterable[tuple[int, int, int, dt.date, dt.date, Stops]],
) -> ReplayColumns:
    """`columns` from rows: cases (id, decided on, due on) and tasks (case id, stage, department, opened on,
    decided on, own clock stops); a task whose case is not among `cases` is left out."""
    case_rows = list(cases)
    known = {row[0] for row in case_rows}
    task_rows = [row for row in tasks if row[0] in known]
    return columns(
        case=np.array([row[0] for row in case_rows], dtype=np.int64),
        decided=_days(row[1] for row in case_rows),
        due=_days(row[2] for row in case_rows),
        task_case=np.array([row[0] for row in task_rows], dtype=np.int64),
        stage=np.array([row[1] for row in task_rows], dtype=np.int64),
        department=np.array([row[2] for row in task_rows], dtype=np.int64),
        opened=_days(row[3] for row in task_rows),
        task_decided=_days(row[4] for row in task_rows),
        stops=_task_stops(task_rows),
    )


def _days(values: Iterable[dt.date | None]) -> Days:
    return np.array([np.datetime64("NaT") if v is None else v for v in values], dtype="datetime64[D]")


def _task_stops(task_rows: list[tuple[int, int, int, dt.date, dt.date, Stops]]) -> TaskStops:
    stops = [(task, first, last) for task, row in enumerate(task_rows) for first, last in row[5]]
    return TaskStops(
        task=np.array([stop[0] for stop in stops], dtype=np.int64),
        first=_days(stop[1] for stop in stops),
        last=_days(stop[2] for stop in stops),
    )


def replay_all(columns: ReplayColumns, department: int, days: int, calendar: WorkCalendar) -> Replayed:
    """Every case of `columns` replayed with `department`'s tasks shortened by `days` working days."""
    c = columns
    mine = c.department == department
    involved = np.zeros(len(c.case), dtype=np.bool_)
    involved[c.task_case[mine]] = True
    saved = np.zeros(len(c.case), dtype=np.int64)
    if days > 0 and mine.any():
        saved = np.where(involved, _saved(c, mine, days, calendar), 0)
    replayed = c.decided.copy()
    moved = saved > 0
    if moved.any():
        # n working days back lie fewer than 2n + 30 calendar days back, whatever the holidays
        before = _earliest(c.decided[moved]) - dt.timedelta(days=2 * int(saved.max()) + 30)
        positions = Positions(calendar, before, _latest(c.decided[moved]))
        replayed[moved] = positions.back(c.decided[moved], saved[moved])
    return Replayed(c.case, involved, saved, c.decided, replayed, c.due)


def _saved(c: ReplayColumns, mine: Flags, days: int, calendar: WorkCalendar) -> Ints:
    positions = Positions(calendar, _earliest(c.opened), _latest(c.task_decided))
    opened = positions.of(c.opened)
    decided = np.maximum(positions.of(c.task_decided), opened)
    length = decided - opened
    stopped = _stopped(c.stops, opened, decided, positions)
    length = np.where(mine, np.maximum(length - stopped - days, 0) + stopped, length)

    order = np.lexsort((c.stage, c.task_case))
    task_case, stage, opened, decided, length = (a[order] for a in (c.task_case, c.stage, opened, decided, length))
    new_stage = np.r_[True, (task_case[1:] != task_case[:-1]) | (stage[1:] != stage[:-1])]
    stage_rows = np.flatnonzero(new_stage)
    stage_of_task = np.cumsum(new_stage) - 1
    start = np.minimum.reduceat(opened, stage_rows)
    end = np.maximum.reduceat(decided, stage_rows)
    span = np.maximum.reduceat(opened - start[stage_of_task] + length, stage_rows)

    stage_case = task_case[stage_rows]
    first_stage = np.r_[True, stage_case[1:] != stage_case[:-1]]
    gap = np.where(first_stage, 0, np.maximum(start - np.r_[0, end[:-1]], 0))
    case_rows = np.flatnonzero(first_stage)
    last_rows = np.r_[case_rows[1:] - 1, len(stage_case) - 1]
    new_end = start[case_rows] + np.add.reduceat(span + gap, case_rows)
    saved = np.zeros(len(c.case), dtype=np.int64)
    saved[stage_case[case_rows]] = np.maximum(end[last_rows] - new_end, 0)
    return saved


def _stopped(stops: TaskStops, opened: Ints, decided: Ints, positions: Positions) -> Ints:
    """`domain.stopped_days` of each task: the positions of (opened, decided] inside any of its stops, those
    inside two stops counted once."""
    if not len(stops.task):
        return np.zeros(len(opened), dtype=np.int64)
    task = stops.task
    low = np.maximum(positions.of(stops.first - ONE_DAY), opened[task])
    high = np.minimum(positions.of(np.maximum(stops.first, stops.last)), decided[task])
    order = np.lexsort((low, task))
    task, low, high = task[order], low[order], high[order]
    # In order of start, a stop counts only past where the task's earlier stops reached. Lifting each task above
    # the ones before it (the offset) lets one running maximum serve every task.
    offset = task * (len(positions.workdays) + 1)
    reached = np.r_[0, np.maximum.accumulate(high + offset)[:-1]] - offset
    counted = np.maximum(high - np.maximum(low, reached), 0)
    return np.bincount(task, weights=counted, minlength=len(opened)).astype(np.int64)


def _earliest(days: Days) -> dt.date:
    value: dt.date = days.min().item()
    return value


def _latest(days: Days) -> dt.date:
    value: dt.date = days.max().item()
    return value


def summarise_all(replayed: Replayed) -> WhatIfSummary:
    """`domain.summarise` of the columns."""
    with_due = ~np.isnat(replayed.due)
    saved = replayed.saved.tolist()
    return WhatIfSummary(
        cases=len(saved),
        involved=int(replayed.involved.sum()),
        affected=int((replayed.saved > 0).sum()),
        saved_total=int(replayed.saved.sum()),
        saved_mean=sum(saved) / len(saved) if saved else None,
        saved_median=median(saved),
        with_due_date=int(with_due.sum()),
        on_time=int((replayed.decided[with_due] <= replayed.due[with_due]).sum()),
        replayed_on_time=int((replayed.replayed[with_due] <= replayed.due[with_due]).sum()),
    )
