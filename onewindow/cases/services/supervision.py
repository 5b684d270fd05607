"""Supervision jobs (效能监察): keep every open case's and task's warning level current.

`warning_levels_refresh` runs every 10 minutes (cases/tasks.py). It walks the open rows in primary-key
batches, computes the remaining working days (closed clock stops do not count; an open stop freezes
the remaining days as they were on its first day) and the level (domain.warning_level), and writes only
the rows whose level changed, one UPDATE per level and batch. The level is a derived display value, not a
step of the case: no timeline row, no audit event.

Which clock a case shows: while it waits for intake (submitted, correction) the 5-day intake limit; once
accepted its own limit (joint 45 / single 20, plus an approved extension) with its tasks' clock stops.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db import models, transaction

from onewindow import clock
from onewindow.cases.domain import (
    INTAKE_LIMIT_DAYS,
    OPEN_CASE_STATUSES,
    OPEN_TASK_STATUSES,
    YELLOW_SHARE,
    CaseStatus,
    WarningLevel,
    frozen_remaining_days,
    warning_level,
)
from onewindow.cases.models import Case, ClockStop, Task
from onewindow.workdays.domain import Suspension, WorkCalendar
from onewindow.workdays.selectors import work_calendar

BATCH_SIZE = 1000
INTAKE_STATUSES = frozenset({CaseStatus.SUBMITTED, CaseStatus.CORRECTION})

Stops = list[tuple[dt.date, dt.date | None]]


@dataclass(frozen=True)
class Clocked:
    """One open row as the job sees it: its due date, its limit, its current level."""

    pk: int
    due_on: dt.date | None
    limit_days: int
    level: str


def level_for(
    *, today: dt.date, due_on: dt.date, limit_days: int, stops: Stops, calendar: WorkCalendar
) -> WarningLevel:
    closed = [Suspension(first, last) for first, last in stops if last is not None]
    stopped_since = min((first for first, last in stops if last is None), default=None)
    remaining = frozen_remaining_days(today, due_on, calendar, closed, stopped_since)
    share = float(getattr(settings, "CASES_WARNING_YELLOW_SHARE", YELLOW_SHARE))
    return warning_level(remaining, limit_days, yellow_share=share)


def _task_batches(batch_size: int) -> Iterator[tuple[list[Clocked], dict[int, Stops]]]:
    last = 0
    while True:
        rows = list(
            Task.objects.filter(status__in=OPEN_TASK_STATUSES, pk__gt=last)
            .order_by("pk")
            .values_list("pk", "due_on", "limit_days", "extension_days", "warning_level")[:batch_size]
        )
        if not rows:
            return
        last = rows[-1][0]
        stops: dict[int, Stops] = defaultdict(list)
        for task_id, first, end in ClockStop.objects.filter(task_id__in=[r[0] for r in rows]).values_list(
            "task_id", "first_on", "last_on"
        ):
            stops[task_id].append((first, end))
        yield [Clocked(pk, due, limit + ext, level) for pk, due, limit, ext, level in rows], stops


def _case_batches(batch_size: int) -> Iterator[tuple[list[Clocked], dict[int, Stops]]]:
    last = 0
    while True:
        rows = list(
            Case.objects.filter(status__in=OPEN_CASE_STATUSES, pk__gt=last)
            .order_by("pk")
            .values_list("pk", "status", "intake_due_on", "due_on", "limit_days", "extension_days", "warning_level")[
                :batch_size
            ]
        )
        if not rows:
            return
        last = rows[-1][0]
        intake = {r[0] for r in rows if r[1] in INTAKE_STATUSES}
        stops: dict[int, Stops] = defaultdict(list)
        for case_id, task_id, first, end in ClockStop.objects.filter(case_id__in=[r[0] for r in rows]).values_list(
            "case_id", "task_id", "first_on", "last_on"
        ):
            # Waiting for intake: the case's own stops (corrections); in review: its tasks' stops.
            if (case_id in intake) == (task_id is None):
                stops[case_id].append((first, end))
        yield [_case_clock(row, row[0] in intake) for row in rows], stops


def _case_clock(row: tuple[int, str, dt.date | None, dt.date | None, int, int, str], in_intake: bool) -> Clocked:
    pk, _status, intake_due_on, due_on, limit, extension, level = row
    if in_intake:
        return Clocked(pk, intake_due_on, INTAKE_LIMIT_DAYS, level)
    return Clocked(pk, due_on, limit + extension, level)


def _refresh(
    model: type[models.Model],
    batches: Callable[[int], Iterator[tuple[list[Clocked], dict[int, Stops]]]],
    *,
    today: dt.date,
    calendar: WorkCalendar,
    batch_size: int,
) -> dict[str, int]:
    counts = {level.value: 0 for level in WarningLevel} | {"changed": 0}
    for rows, stops in batches(batch_size):
        changed: dict[str, list[int]] = defaultdict(list)
        for row in rows:
            if row.due_on is None:
                continue
            level = level_for(
                today=today,
                due_on=row.due_on,
                limit_days=row.limit_days,
                stops=stops.get(row.pk, []),
                calendar=calendar,
            )
            counts[level.value] += 1
            if level != row.level:
                changed[level.value].append(row.pk)
        with transaction.atomic():
            for level_value, pks in changed.items():
                counts["changed"] += model._default_manager.filter(pk__in=pks).update(warning_level=level_value)
    return counts


def warning_levels_refresh(*, today: dt.date | None = None, batch_size: int = BATCH_SIZE) -> dict[str, dict[str, int]]:
    """Recompute the warning level of every open task and case; returns the counts per level."""
    today = today or clock.today()
    calendar = work_calendar()
    return {
        "tasks": _refresh(Task, _task_batches, today=today, calendar=calendar, batch_size=batch_size),
        "cases": _refresh(Case, _case_batches, today=today, calendar=calendar, batch_size=batch_size),
    }
