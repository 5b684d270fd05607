"""Reads of a project's roadmap (推进路径图): milestones with their latest start, slippage, the live
status of the approval cases linked to them (through the case engine's own selectors), and the bars
of the simple timeline. The caller has already checked that the user sees the project; the public
page reads only published roadmaps and shows no person and no case number.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace

from django.db.models import Prefetch
from django.utils import timezone

from onewindow.cases import selectors as case_selectors
from onewindow.cases.domain import CASE_STATUS_LABELS, WARNING_LABELS, CaseStatus, WarningLevel
from onewindow.cases.models import Case, ClockStop
from onewindow.cases.presentation import case_rows
from onewindow.errors import NotFound
from onewindow.orgs.models import User
from onewindow.projects.domain import (
    MILESTONE_KIND_LABELS,
    SLIP_LABELS,
    MilestoneKind,
    MilestonePlan,
    Slippage,
    milestone_due_on,
    milestone_slippage,
    reverse_schedule,
    roadmap_slippage_days,
)
from onewindow.projects.models import Milestone, Project, Roadmap
from onewindow.projects.selectors import project_case_agent
from onewindow.workdays.domain import WorkCalendar
from onewindow.workdays.selectors import work_calendar


@dataclass(frozen=True)
class LinkedCase:
    case: Case
    status_label: str
    due_on: dt.date | None
    remaining_days: int | None
    warning: str
    warning_label: str


@dataclass(frozen=True)
class Bar:
    """A milestone on the timeline, as percentages of the roadmap's span."""

    left: float
    width: float
    actual_at: float | None


@dataclass(frozen=True)
class MilestoneRow:
    milestone: Milestone
    kind_label: str
    latest_start_on: dt.date | None
    provisional: bool
    due_on: dt.date | None
    slippage: Slippage
    slip_label: str
    cases: list[LinkedCase]
    bar: Bar | None = None


@dataclass(frozen=True)
class RoadmapView:
    project: Project
    roadmap: Roadmap | None
    rows: list[MilestoneRow]
    slippage_days: int
    agent: User | None
    today: dt.date

    @property
    def is_published(self) -> bool:
        return self.roadmap is not None and self.roadmap.is_published

    @property
    def linked_cases(self) -> list[tuple[MilestoneRow, LinkedCase]]:
        return [(row, linked) for row in self.rows for linked in row.cases]


def _linked(cases: list[Case], calendar: WorkCalendar) -> list[LinkedCase]:
    linked = []
    for row in case_rows(cases, calendar=calendar):
        case, progress = row.case, row.progress
        level = progress.level if progress.remaining_days is not None else WarningLevel(case.warning_level)
        linked.append(
            LinkedCase(
                case=case,
                status_label=CASE_STATUS_LABELS[CaseStatus(case.status)],
                due_on=case.due_on or case.intake_due_on,
                remaining_days=progress.remaining_days,
                warning=level.value,
                warning_label=WARNING_LABELS[level],
            )
        )
    return linked


def _start(milestone: Milestone, calendar: WorkCalendar) -> tuple[dt.date | None, bool]:
    """The milestone's latest start: its latest date minus its duration (working days for approvals)."""
    if milestone.latest_on is None:
        return None, False
    plan = MilestonePlan(MilestoneKind(milestone.kind), milestone.duration_days, milestone.counts_working_days)
    scheduled = reverse_schedule(milestone.latest_on, [plan], calendar)[0]
    return scheduled.latest_start_on, scheduled.provisional


def _row(milestone: Milestone, *, today: dt.date, calendar: WorkCalendar) -> MilestoneRow:
    start, provisional = _start(milestone, calendar)
    due_on = milestone_due_on(milestone.planned_on, milestone.latest_on)
    slippage = milestone_slippage(due_on=due_on, actual_on=milestone.actual_on, today=today)
    cases = sorted(milestone.cases.all(), key=lambda case: case.number)
    return MilestoneRow(
        milestone=milestone,
        kind_label=MILESTONE_KIND_LABELS[MilestoneKind(milestone.kind)],
        latest_start_on=start,
        provisional=provisional,
        due_on=due_on,
        slippage=slippage,
        slip_label=SLIP_LABELS[slippage.state],
        cases=_linked(cases, calendar),
    )


def _with_bars(rows: list[MilestoneRow], roadmap: Roadmap | None) -> list[MilestoneRow]:
    """Each row's bar from its latest start to its latest date, over the span of every date shown."""
    dates = [d for row in rows for d in (row.latest_start_on, row.milestone.latest_on, row.milestone.actual_on) if d]
    if roadmap is not None:
        dates.append(roadmap.target_on)
    if not dates:
        return rows
    first, span = min(dates), max((max(dates) - min(dates)).days, 1)

    def at(day: dt.date) -> float:
        return round((day - first).days * 100 / span, 2)

    return [replace(row, bar=_bar(row, at)) for row in rows]


def _bar(row: MilestoneRow, at: Callable[[dt.date], float]) -> Bar | None:
    latest_on, actual_on = row.milestone.latest_on, row.milestone.actual_on
    if row.latest_start_on is None or latest_on is None:
        return None
    left = at(row.latest_start_on)
    return Bar(left=left, width=max(at(latest_on) - left, 0.5), actual_at=at(actual_on) if actual_on else None)


def roadmap_view(project: Project, *, today: dt.date | None = None) -> RoadmapView:
    """The project's roadmap with every milestone's slippage and linked cases (a fixed number of queries)."""
    today = today or timezone.localdate()
    calendar = work_calendar()
    roadmap = Roadmap.objects.filter(project=project).first()
    open_stops = ClockStop.objects.filter(last_on__isnull=True, task__isnull=True)
    cases = Case.objects.select_related(*case_selectors.CASE_RELATED).prefetch_related(
        Prefetch("clock_stops", queryset=open_stops, to_attr="open_stops")
    )
    milestones = project.milestones.order_by("position").prefetch_related(Prefetch("cases", queryset=cases))
    rows = [_row(m, today=today, calendar=calendar) for m in milestones]
    return RoadmapView(
        project=project,
        roadmap=roadmap,
        rows=_with_bars(rows, roadmap),
        slippage_days=roadmap_slippage_days([row.slippage for row in rows]),
        agent=project_case_agent(project),
        today=today,
    )


def roadmap_public(code: str) -> RoadmapView:
    """A published roadmap by project code, for the public page; anything else is NotFound."""
    project = Project.objects.select_related("district").filter(code=code, roadmap__is_published=True).first()
    if project is None:
        raise NotFound("未找到已发布的推进路径图", code="roadmap_not_found")
    return roadmap_view(project)
