"""The month's facts for every leader at once, set-based: a fixed number of queries, whatever the count.

    1. the projects held as 包联领导, with the year's plan, the year to date, the month's investment
       and the month's class as subqueries (one query);
    2. milestones reached in the month; 3. phase changes to 新开工 / 竣工 in the month;
    4. problems open at the month's end; 5. the leaders; 6. the cities (the sender's name);
    7. the organisations each report belongs to.
Everything is grouped per leader in Python and handed to the pure composition (domain.report).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from onewindow.briefings.domain.amounts import month_end
from onewindow.briefings.domain.campaigns import Window, completed_within
from onewindow.briefings.domain.report import LeaderMonth, MilestoneFacts, ProblemFacts, ProjectFacts
from onewindow.dispatch.domain import PROBLEM_CATEGORY_LABELS
from onewindow.dispatch.models import Problem, ProgressReport
from onewindow.orgs.models import Organisation, User
from onewindow.projects.domain import PHASE_LABELS, MilestoneKind, Phase, TeamRole, started_within
from onewindow.projects.models import AnnualPlan, Milestone, TeamMember
from onewindow.projects.selectors.starts import phase_change_days
from onewindow.ranking.models import ProjectRank

AMOUNT: DecimalField[Decimal, Decimal] = DecimalField(max_digits=16, decimal_places=2)
ZERO = Value(Decimal(0), output_field=AMOUNT)


@dataclass(frozen=True)
class LeaderFacts:
    leader: User
    month: LeaderMonth
    region_id: int | None  # the lowest organisation covering all the leader's projects


def completion_milestone_days(project_ids: Iterable[int] | QuerySet[Any], window: Window) -> dict[int, list[dt.date]]:
    rows = Milestone.objects.filter(
        project_id__in=project_ids,
        kind=MilestoneKind.COMPLETION,
        actual_on__gte=window.starts_on,
        actual_on__lte=window.ends_on,
    ).values_list("project_id", "actual_on")
    days: dict[int, list[dt.date]] = defaultdict(list)
    for project_id, actual_on in rows:
        if actual_on is not None:
            days[project_id].append(actual_on)
    return days


def ytd_subquery(outer: str, year: int, as_of: dt.date) -> Subquery:
    """The outer project's year to date: its latest report of `year` up to `as_of` (万元)."""
    latest = (
        ProgressReport.objects.filter(
            project=OuterRef(outer), period_end__gte=dt.date(year, 1, 1), period_end__lte=as_of
        )
        .order_by("-period_end")
        .values("invested_year_to_date")[:1]
    )
    return Subquery(latest, output_field=AMOUNT)


def plan_subquery(outer: str, year: int) -> Subquery:
    """The outer project's annual planned investment for `year` (万元)."""
    plan = AnnualPlan.objects.filter(project=OuterRef(outer), year=year).values("planned_investment")[:1]
    return Subquery(plan, output_field=AMOUNT)


def _held(leader_ids: Collection[int] | None) -> QuerySet[TeamMember]:
    held = TeamMember.objects.filter(role=TeamRole.LEADER)
    return held if leader_ids is None else held.filter(user_id__in=leader_ids)


def _held_projects(held: QuerySet[TeamMember], period: dt.date) -> list[dict[str, Any]]:
    """One row per project held by a leader (a project has at most one 包联领导)."""
    end = month_end(period)
    month_sum = (
        ProgressReport.objects.filter(project=OuterRef("project_id"), period_end__gte=period, period_end__lte=end)
        .values("project")
        .annotate(total=Sum("invested_in_period"))
        .values("total")
    )
    rank = ProjectRank.objects.filter(project=OuterRef("project_id"), period=period).values("rank_class")[:1]
    rows = (
        held.annotate(
            plan=Coalesce(plan_subquery("project_id", period.year), ZERO),
            ytd=Coalesce(ytd_subquery("project_id", period.year, end), ZERO),
            in_month=Coalesce(Subquery(month_sum, output_field=AMOUNT), ZERO),
            rank=Subquery(rank),
        )
        .values(
            "user_id",
            "project_id",
            "project__code",
            "project__name",
            "project__phase",
            "project__total_investment",
            "project__district__name",
            "project__district__path",
            "project__actual_start",
            "plan",
            "ytd",
            "in_month",
            "rank",
        )
        .order_by("user_id", "project__code")
    )
    return list(rows)


def _project_facts(row: dict[str, Any]) -> ProjectFacts:
    phases = {str(phase): label for phase, label in PHASE_LABELS.items()}
    return ProjectFacts(
        project_id=row["project_id"],
        code=row["project__code"],
        name=row["project__name"],
        district=row["project__district__name"],
        phase=phases.get(row["project__phase"], row["project__phase"]),
        total_investment=row["project__total_investment"],
        annual_plan=row["plan"],
        invested_month=row["in_month"],
        invested_ytd=row["ytd"],
        rank_class=row["rank"],
    )


def _milestones(project_ids: Iterable[int] | QuerySet[Any], period: dt.date) -> dict[int, list[MilestoneFacts]]:
    rows = (
        Milestone.objects.filter(project_id__in=project_ids, actual_on__gte=period, actual_on__lte=month_end(period))
        .values_list("project_id", "project__name", "name", "actual_on")
        .order_by("actual_on", "project_id", "position")
    )
    found: dict[int, list[MilestoneFacts]] = defaultdict(list)
    for project_id, project_name, name, actual_on in rows:
        if actual_on is not None:
            found[project_id].append(MilestoneFacts(project_name, name, actual_on))
    return found


def _problems(project_ids: Iterable[int] | QuerySet[Any], end: dt.date) -> dict[int, list[ProblemFacts]]:
    rows = (
        Problem.objects.filter(project_id__in=project_ids, raised_on__lte=end)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=end))
        .values_list(
            "project_id",
            "project__name",
            "title",
            "category",
            "assigned_unit__name",
            "raised_on",
            "due_on",
            "closed_on",
        )
        .order_by("due_on", "pk")
    )
    labels = {str(category): label for category, label in PROBLEM_CATEGORY_LABELS.items()}
    found: dict[int, list[ProblemFacts]] = defaultdict(list)
    for project_id, project_name, title, category, unit, raised_on, due_on, closed_on in rows:
        found[project_id].append(
            ProblemFacts(project_name, title, labels.get(category, category), unit, raised_on, due_on, closed_on)
        )
    return found


def common_path(paths: Iterable[str]) -> str:
    """The deepest organisation path every one of `paths` lies under ("/" when they share none)."""
    split = [[part for part in path.split("/") if part] for path in paths]
    if not split:
        return "/"
    shared: list[str] = []
    for parts in zip(*split, strict=False):
        if any(part != parts[0] for part in parts):
            break
        shared.append(parts[0])
    return "/" + "".join(f"{part}/" for part in shared) if shared else "/"


def _city_path(path: str) -> str:
    first = next((part for part in path.split("/") if part), "")
    return f"/{first}/" if first else "/"


def _organisations(paths: Iterable[str]) -> dict[str, Organisation]:
    return {org.path: org for org in Organisation.objects.filter(path__in=set(paths))}


def sender_name(city: Organisation | None) -> str:
    return f"{(city.short_name or city.name) if city else ''}重点办"


@dataclass(frozen=True)
class _MonthEvents:
    """The month's milestones, problems, starts and completions of the held projects, per project."""

    window: Window
    milestones: dict[int, list[MilestoneFacts]]
    problems: dict[int, list[ProblemFacts]]
    starts: dict[int, list[dt.date]]
    completions: dict[int, list[dt.date]]

    @classmethod
    def load(cls, projects: QuerySet[TeamMember], period: dt.date) -> _MonthEvents:
        ids = projects.values("project_id")
        window = Window(period, month_end(period))
        completions = phase_change_days(ids, window.starts_on, window.ends_on, Phase.COMPLETED)
        for project_id, days in completion_milestone_days(ids, window).items():
            completions[project_id].extend(days)
        return cls(
            window=window,
            milestones=_milestones(ids, period),
            problems=_problems(ids, window.ends_on),
            starts=phase_change_days(ids, window.starts_on, window.ends_on, Phase.NEW_START),
            completions=completions,
        )

    def month(self, *, sender: str, leader: User, period: dt.date, held: list[dict[str, Any]]) -> LeaderMonth:
        ids = [row["project_id"] for row in held]
        names = {row["project_id"]: row["project__name"] for row in held}
        window = self.window
        started = [
            r["project_id"]
            for r in held
            if started_within(
                window.starts_on,
                window.ends_on,
                actual_start=r["project__actual_start"],
                new_start_days=self.starts.get(r["project_id"], []),
            )
        ]
        return LeaderMonth(
            sender=sender,
            leader_name=leader.name or leader.username,
            period=period,
            projects=[_project_facts(row) for row in held],
            milestones=[m for pid in ids for m in self.milestones.get(pid, [])],
            new_starts=[names[pid] for pid in started],
            completions=[names[pid] for pid in ids if completed_within(self.window, self.completions.get(pid, []))],
            problems=[p for pid in ids for p in self.problems.get(pid, [])],
        )


def leader_facts(period: dt.date, leader_ids: Collection[int] | None = None) -> list[LeaderFacts]:
    """Every leader's month (those holding at least one project), in leader id order."""
    held = _held(leader_ids)
    by_leader: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in _held_projects(held, period):
        by_leader[row["user_id"]].append(row)
    events = _MonthEvents.load(held, period)
    leaders = User.objects.in_bulk(list(by_leader))
    regions = {
        leader_id: common_path(r["project__district__path"] for r in rows) for leader_id, rows in by_leader.items()
    }
    organisations = _organisations([*regions.values(), *(_city_path(p) for p in regions.values())])
    found = []
    for leader_id, rows in by_leader.items():
        sender = sender_name(organisations.get(_city_path(regions[leader_id])))
        month = events.month(sender=sender, leader=leaders[leader_id], period=period, held=rows)
        region = organisations.get(regions[leader_id])
        found.append(LeaderFacts(leaders[leader_id], month, region.pk if region else None))
    return found
