"""One period's project classes and district standings, computed set-based and stored by upsert.

The inputs come from a handful of aggregate queries (selectors/inputs.py); the rules are the domain's; the
results are written with one bulk upsert per table (batched by the database's parameter limit),
and rows the period no longer has (a project left the ranked phases) are deleted by their older
`computed_at`. Called inside `ranking_run`'s transaction.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, fields
from decimal import Decimal
from operator import attrgetter

from django.db import connection

from onewindow.ranking.domain.classification import ProjectInputs, classify, is_ranked, percent
from onewindow.ranking.domain.districts import DistrictInputs, DistrictStanding, rank_districts
from onewindow.ranking.domain.periods import elapsed_share, previous_period
from onewindow.ranking.domain.rules import RankClass, RuleSet
from onewindow.ranking.domain.warnings import Standing, next_streak
from onewindow.ranking.models import DistrictRank, ProjectRank, RuleVersion
from onewindow.ranking.selectors import inputs

BATCH_SIZE = 2000


@dataclass(frozen=True)
class Computation:
    period: dt.date
    rules: RuleSet
    version: RuleVersion
    now: dt.datetime


@dataclass(frozen=True)
class PeriodInputs:
    projects: list[inputs.ProjectRow]
    plans: dict[int, Decimal]
    investments: dict[int, inputs.Investment]
    milestones: dict[int, inputs.MilestoneState]


def load_inputs(period: dt.date) -> PeriodInputs:
    return PeriodInputs(
        projects=inputs.projects_at(period),
        plans=inputs.annual_plans(period.year),
        investments=inputs.investments(period),
        milestones=inputs.milestone_states(period),
    )


@dataclass(frozen=True, slots=True)
class RankRow:
    """One project's class and inputs, in ProjectRank's column order (without period, version, time)."""

    project_id: int
    district_id: int
    responsible_unit_id: int | None
    rank_class: str
    reason: str
    phase: str
    annual_plan: Decimal
    invested_year_to_date: Decimal
    invested_in_period: Decimal
    completion_pct: Decimal | None
    elapsed_pct: Decimal
    gap_points: Decimal | None
    slippage_days: int
    milestone_reached: bool
    has_report: bool
    report_on_time: bool


def project_ranks(run: Computation, data: PeriodInputs) -> list[RankRow]:
    elapsed = elapsed_share(run.period)
    ranks = []
    for row in data.projects:
        if not is_ranked(row.phase):
            continue
        invested = data.investments.get(row.project_id, inputs.Investment())
        milestones = data.milestones.get(row.project_id, inputs.MilestoneState())
        plan = data.plans.get(row.project_id, inputs.ZERO)
        project_inputs = ProjectInputs(
            phase=row.phase,
            annual_plan=plan,
            invested_year_to_date=invested.year_to_date,
            invested_in_period=invested.in_period,
            slippage_days=milestones.slippage_days,
            milestone_reached=milestones.reached,
            elapsed_share=elapsed,
        )
        outcome = classify(project_inputs, run.rules.classification)
        ranks.append(
            RankRow(
                row.project_id,
                row.district_id,
                row.responsible_unit_id,
                outcome.rank_class.value,
                outcome.reason.value,
                row.phase,
                plan,
                invested.year_to_date,
                invested.in_period,
                outcome.completion_pct,
                outcome.elapsed_pct,
                outcome.gap_points,
                milestones.slippage_days,
                milestones.reached,
                invested.report_count > 0,
                invested.report_count > 0 and invested.late_count == 0,
            )
        )
    return ranks


# The hot path is plain SQL, like the audit log's: building 10,000 model instances and preparing
# their 200,000 values field by field cost more than the database's work. The same upsert on
# both databases: on SQLite run for every row (executemany, in process, no round trips); on
# PostgreSQL one statement for the month, the rows passed as one array per column (unnest).
_RANK_FIELDS = [field.name for field in fields(RankRow)]
_values = attrgetter(*_RANK_FIELDS)
RANK_COLUMNS = ["period", *_RANK_FIELDS, "rule_version_id", "computed_at"]
_INSERT = f"INSERT INTO {ProjectRank._meta.db_table} ({', '.join(RANK_COLUMNS)}) "
_ON_CONFLICT = " ON CONFLICT (period, project_id) DO UPDATE SET " + ", ".join(
    f"{column} = excluded.{column}" for column in RANK_COLUMNS[2:]
)
_ONE_ROW = f"VALUES ({', '.join(['%s'] * len(RANK_COLUMNS))})"


def _unnest() -> str:
    columns = {field.attname: field for field in ProjectRank._meta.concrete_fields}
    arrays = ", ".join(f"%s::{columns[name].db_type(connection)}[]" for name in _RANK_FIELDS)
    return f"SELECT %s::date, rows.*, %s, %s::timestamptz FROM unnest({arrays}) AS rows"  # noqa: S608


def store_project_ranks(run: Computation, ranks: list[RankRow]) -> None:
    """Upsert the period's ranks; delete those of projects no longer classed (an older computed_at)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            columns = [list(column) for column in zip(*map(_values, ranks), strict=True)] if ranks else []
            columns = columns or [[] for _ in _RANK_FIELDS]
            cursor.execute(_INSERT + _unnest() + _ON_CONFLICT, [run.period, run.version.pk, run.now, *columns])
        else:
            period = connection.ops.adapt_datefield_value(run.period)
            now = connection.ops.adapt_datetimefield_value(run.now)
            rows = [(period, *_values(rank), run.version.pk, now) for rank in ranks]
            cursor.executemany(_INSERT + _ONE_ROW + _ON_CONFLICT, rows)
    ProjectRank.objects.filter(period=run.period, computed_at__lt=run.now).delete()


def district_inputs(run: Computation, data: PeriodInputs, ranks: list[RankRow]) -> list[DistrictInputs]:
    """Every district with a planned or classed project; plans and investment over all its projects."""
    plans: dict[int, Decimal] = defaultdict(Decimal)
    invested: dict[int, Decimal] = defaultdict(Decimal)
    for row in data.projects:
        plans[row.district_id] += data.plans.get(row.project_id, inputs.ZERO)
        invested[row.district_id] += data.investments.get(row.project_id, inputs.Investment()).year_to_date
    counts: dict[int, Counter[RankClass]] = defaultdict(Counter)
    for rank in ranks:
        counts[rank.district_id][RankClass(rank.rank_class)] += 1
    taking_part = {district for district, plan in plans.items() if plan > 0} | set(counts)
    codes = inputs.organisation_codes(taking_part)
    elapsed = elapsed_share(run.period)
    return [
        DistrictInputs(
            district, codes.get(district, ""), plans[district], invested[district], elapsed, counts[district]
        )
        for district in sorted(taking_part)
    ]


def district_ranks(run: Computation, districts: list[DistrictInputs]) -> list[DistrictRank]:
    standings = rank_districts(districts, run.rules.district_score)
    by_id = {d.district_id: d for d in districts}
    before = previous_period(run.period)
    streaks = dict(DistrictRank.objects.filter(period=before).values_list("district_id", "last_unmet_streak"))
    last = len(standings)
    return [
        _district_rank(run, standing, by_id[standing.district_id], _streak(run, standing, last, streaks, before))
        for standing in standings
    ]


def _streak(run: Computation, standing: DistrictStanding, last: int, streaks: dict[int, int], before: dt.date) -> int:
    now = Standing(period=run.period, is_last=standing.position == last, target_met=standing.target_met)
    previous = streaks.get(standing.district_id)
    return next_streak(previous or 0, before if previous is not None else None, now)


def _district_rank(run: Computation, standing: DistrictStanding, given: DistrictInputs, streak: int) -> DistrictRank:
    counts = given.class_counts
    return DistrictRank(
        period=run.period,
        district_id=standing.district_id,
        score=standing.score,
        position=standing.position,
        target_met=standing.target_met,
        annual_plan=given.annual_plan,
        invested_year_to_date=given.invested_year_to_date,
        target_amount=standing.target_amount,
        completion_pct=standing.completion_pct,
        elapsed_pct=_elapsed_pct(run.period),
        ahead_count=counts.get(RankClass.AHEAD, 0),
        normal_count=counts.get(RankClass.NORMAL, 0),
        lagging_count=counts.get(RankClass.LAGGING, 0),
        no_progress_count=counts.get(RankClass.NO_PROGRESS, 0),
        components={key: str(value) for key, value in standing.components.items()},
        last_unmet_streak=streak,
        rule_version=run.version,
        computed_at=run.now,
    )


def _elapsed_pct(period: dt.date) -> Decimal:
    return percent(elapsed_share(period))


DISTRICT_RANK_FIELDS = [
    f.name for f in DistrictRank._meta.concrete_fields if f.name not in {"id", "period", "district"}
]


def store_district_ranks(run: Computation, ranks: list[DistrictRank]) -> None:
    DistrictRank.objects.bulk_create(
        ranks,
        update_conflicts=True,
        unique_fields=["period", "district"],
        update_fields=DISTRICT_RANK_FIELDS,
        batch_size=BATCH_SIZE,
    )
    DistrictRank.objects.filter(period=run.period, computed_at__lt=run.now).delete()
