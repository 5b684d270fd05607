"""Phase changes and new starts (新开工) over a span of days, read set-based for the computations
that count them: the ranking's new-starts indicator and phase replay, the leaders' monthly report,
the campaigns.

These reads are not scoped (callers count over every project, or pass the ids they may show); who
counts as a new start is `projects.domain.started_within`, here applied to the stored rows.
A phase change's day is its local day (Asia/Shanghai): timestamps are stored in UTC.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from onewindow.projects.domain import Phase, started_within
from onewindow.projects.models import PhaseChange, Project

ProjectIds = Iterable[int] | QuerySet[Any]


def local_day_bounds(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[first 00:00, last+1 00:00) in the platform's time zone, as aware datetimes."""
    zone = timezone.get_default_timezone()
    start = dt.datetime.combine(first, dt.time.min, tzinfo=zone)
    return start, dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=zone)


def _moves(phase: Phase, first: dt.date, last: dt.date) -> QuerySet[PhaseChange]:
    start, end = local_day_bounds(first, last)
    return PhaseChange.objects.filter(to_phase=phase, changed_at__gte=start, changed_at__lt=end)


def phase_change_days(
    project_ids: ProjectIds | None, first: dt.date, last: dt.date, phase: Phase
) -> dict[int, list[dt.date]]:
    """Per project, the local days it moved to `phase` between first and last (every project: None)."""
    moves = _moves(phase, first, last)
    if project_ids is not None:
        moves = moves.filter(project_id__in=project_ids)
    days: dict[int, list[dt.date]] = defaultdict(list)
    for project_id, changed_at in moves.values_list("project_id", "changed_at"):
        days[project_id].append(timezone.localdate(changed_at))
    return days


def phase_changes_after(day: dt.date) -> QuerySet[PhaseChange]:
    """The phase changes that took effect after `day` (a replay of the phase a project had then).

    Those recorded after it, except a start (前期 → 新开工) whose project's recorded actual start is
    on or before it: an office records a start after the day the project broke ground, and the project
    was under construction from that day.
    """
    _, after = local_day_bounds(day, day)
    return PhaseChange.objects.filter(changed_at__gte=after).exclude(
        from_phase=Phase.PREPARATION, to_phase=Phase.NEW_START, project__actual_start__lte=day
    )


@dataclass(frozen=True)
class ProjectStart:
    project_id: int
    district_id: int
    responsible_unit_id: int | None
    planned: bool  # planned to start (计划开工) within the days
    started: bool  # a new start within the days (domain.started_within)


def project_starts(first: dt.date, last: dt.date) -> list[ProjectStart]:
    """Every project planned to start between first and last, or started then (two queries)."""
    moved = phase_change_days(None, first, last, Phase.NEW_START)
    candidates = (
        Q(planned_start__range=(first, last))
        | Q(actual_start__range=(first, last))
        | Q(actual_start__isnull=True, pk__in=_moves(Phase.NEW_START, first, last).values("project_id"))
    )
    rows = (
        Project.objects.filter(candidates)
        .order_by()
        .values_list("pk", "district_id", "responsible_unit_id", "planned_start", "actual_start")
    )
    return [
        ProjectStart(
            project_id=pk,
            district_id=district_id,
            responsible_unit_id=unit_id,
            planned=planned_start is not None and first <= planned_start <= last,
            started=started_within(first, last, actual_start=actual_start, new_start_days=moved.get(pk, ())),
        )
        for pk, district_id, unit_id, planned_start, actual_start in rows
    ]
