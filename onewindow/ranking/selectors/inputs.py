"""The inputs of one period's computation, read set-based: one aggregate query each, whatever the
number of projects (10,000 projects cost the same number of queries as ten).

These reads are not scoped: only the ranking services use them (pages read through the scoped
reads in `ranking.selectors`).
Departments' satisfaction is counted by evaluation (`evaluation.selectors.department_satisfaction`).
Problems closed on time are counted by dispatch (`dispatch.selectors.problems_closed_on_time`), new
starts by projects (`projects.selectors.starts.project_starts`, the rule `projects.domain.started_within`
that the leaders' report and the campaigns count by too).
Investment comes from dispatch too (`dispatch.selectors.month_investment`, `invested_by_owner`),
by the rule of `monthly_investment`: a period belongs to the month of its cut-off, year to date
is the month's largest.

How the stored rows are read:
- a project's phase at the period's end: the `from_phase` of its first phase change after the
  period, else its current phase (a replay of an old month sees the phase of that month); a start
  (前期 → 新开工) recorded after the period counts from the project's recorded actual start
  (`projects.selectors.starts.phase_changes_after`);
- investment: progress reports are bucketed by the month of their `period_end` (a ten-day cycle
  has three in a month); year to date is the largest `invested_year_to_date` reported in the year
  up to the period's end, this period's the sum of `invested_in_period` of the month's reports;
- milestones: due on `planned_on`, else `latest_on`; late at the period's end when due before it
  and not reached by it; reached in the period when `actual_on` falls in it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Min, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from onewindow.dispatch.selectors import invested_by_owner, month_investment, problems_closed_on_time
from onewindow.evaluation.selectors import department_satisfaction
from onewindow.orgs.models import Organisation
from onewindow.projects.models import AnnualPlan, Milestone, Project
from onewindow.projects.selectors.starts import phase_changes_after, project_starts
from onewindow.ranking.domain.periods import period_end

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class ProjectRow:
    project_id: int
    district_id: int
    responsible_unit_id: int | None
    phase: str


@dataclass(frozen=True)
class Investment:
    year_to_date: Decimal = ZERO
    in_period: Decimal = ZERO
    report_count: int = 0
    late_count: int = 0


@dataclass(frozen=True)
class MilestoneState:
    slippage_days: int = 0
    reached: bool = False


def projects_at(period: dt.date) -> list[ProjectRow]:
    phase_then = Subquery(
        phase_changes_after(period_end(period))
        .filter(project=OuterRef("pk"))
        .order_by("changed_at", "pk")
        .values("from_phase")[:1]
    )
    rows = (
        Project.objects.annotate(phase_then=Coalesce(phase_then, F("phase")))
        .order_by()
        .values_list("pk", "district_id", "responsible_unit_id", "phase_then")
    )
    return [ProjectRow(pk, district, unit, phase) for pk, district, unit, phase in rows]


def annual_plans(year: int) -> dict[int, Decimal]:
    return dict(AnnualPlan.objects.filter(year=year).order_by().values_list("project_id", "planned_investment"))


def investments(period: dt.date) -> dict[int, Investment]:
    rows = month_investment(period, period_end(period))
    return {pk: Investment(m.year_to_date, m.in_month, m.report_count, m.late_count) for pk, m in rows.items()}


def milestone_states(period: dt.date) -> dict[int, MilestoneState]:
    end = period_end(period)
    late = Q(due__lt=end) & (Q(actual_on__isnull=True) | Q(actual_on__gt=end))
    reached = Q(actual_on__gte=period, actual_on__lte=end)
    rows = (
        _milestones_with_due()
        .filter(late | reached)
        .order_by()
        .values("project_id")
        .annotate(earliest_late=Min("due", filter=late), reached=Count("pk", filter=reached))
        .values_list("project_id", "earliest_late", "reached")
    )
    return {pk: MilestoneState((end - earliest).days if earliest else 0, reached > 0) for pk, earliest, reached in rows}


def _milestones_with_due() -> QuerySet[Milestone]:
    return Milestone.objects.alias(due=Coalesce("planned_on", "latest_on"))


def organisation_codes(ids: set[int]) -> dict[int, str]:
    return dict(Organisation.objects.filter(pk__in=ids).order_by().values_list("pk", "code"))


@dataclass
class Tally:
    """Counts of one district or department over an assessment window."""

    invested: Decimal = ZERO
    annual_plan: Decimal = ZERO
    starts_planned: int = 0
    starts_actual: int = 0
    problems_due: int = 0
    problems_on_time: int = 0
    reports_owed: int = 0
    reports_on_time: int = 0
    ratings: int = 0
    ratings_satisfied: int = 0


Tallies = dict[tuple[str, int], Tally]  # ("district" | "department", organisation id) → counts


def _add(tallies: Tallies, district_id: int | None, unit_id: int | None, **amounts: object) -> None:
    for key in (("district", district_id), ("department", unit_id)):
        if key[1] is None:
            continue
        tally = tallies.setdefault((key[0], key[1]), Tally())
        for name, value in amounts.items():
            setattr(tally, name, getattr(tally, name) + value)


def window_tallies(first: dt.date, last: dt.date, *, year: int) -> Tallies:
    """Investment, plans, starts, problems and reports of every district and responsible unit over
    the months first..last (a fixed number of queries, whatever the number of projects). Reports
    owed come from the stored ranks."""
    from onewindow.ranking.models import ProjectRank

    tallies: Tallies = {}
    end = period_end(last)
    by_owner = ("project__district_id", "project__responsible_unit_id")
    for district, unit, invested in invested_by_owner(first, end):
        _add(tallies, district, unit, invested=invested)
    for district, unit, plan in (
        AnnualPlan.objects.filter(year=year).order_by().values_list(*by_owner).annotate(total=Sum("planned_investment"))
    ):
        _add(tallies, district, unit, annual_plan=plan or ZERO)
    for start in project_starts(first, end):
        _add(
            tallies,
            start.district_id,
            start.responsible_unit_id,
            starts_planned=int(start.planned),
            starts_actual=int(start.started),
        )
    _add_problems(tallies, first, end)
    for district, unit, owed, on_time in (
        ProjectRank.objects.filter(period__gte=first, period__lte=last)
        .order_by()
        .values_list("district_id", "responsible_unit_id")
        .annotate(owed=Count("pk"), on_time=Count("pk", filter=Q(report_on_time=True)))
    ):
        _add(tallies, district, unit, reports_owed=owed, reports_on_time=on_time)
    tallies = _departments_only(tallies)
    _add_satisfaction(tallies, first, last)
    return tallies


def _add_satisfaction(tallies: Tallies, first: dt.date, last: dt.date) -> None:
    """The assessed departments' 好差评 over the window, counted by evaluation's own rule."""
    departments = [pk for subject, pk in tallies if subject == "department"]
    for department_id, tally in department_satisfaction(
        department_ids=departments, first_month=first, last_month=last
    ).items():
        counts = tallies[("department", department_id)]
        counts.ratings, counts.ratings_satisfied = tally.total, tally.satisfied_count


def _departments_only(tallies: Tallies) -> Tallies:
    """A responsible unit that is not a department (a district answering itself) is no department subject."""
    units = {pk for subject, pk in tallies if subject == "department"}
    departments = set(
        Organisation.objects.filter(pk__in=units, kind=Organisation.Kind.DEPARTMENT).values_list("pk", flat=True)
    )
    return {key: tally for key, tally in tallies.items() if key[0] == "district" or key[1] in departments}


def _add_problems(tallies: Tallies, first: dt.date, end: dt.date) -> None:
    """Problems due in the window, as dispatch counts them: a district answers for its projects'
    problems (their first deadline), a unit for each assignment it was given."""
    for subject in ("district", "unit"):
        counted = problems_closed_on_time(first, end, per=subject)
        for organisation_id, (on_time, due) in counted.items():
            key = ("district" if subject == "district" else "department", organisation_id)
            tally = tallies.setdefault(key, Tally())
            tally.problems_due += due
            tally.problems_on_time += on_time
