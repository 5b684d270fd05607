"""Ranking a period (量化排位): classes, district standings, warnings and assessment, in one
transaction with one audit event, idempotent (run it again and the same rows come out).

`ranking_run(period=…)` recomputes one month; `ranking_replay(first=…, last=…)` recomputes months
in order, each in its own transaction (warning streaks build on the month before). The periodic
job `ranking_run_previous_month` ranks the month before on the 1st: every dispatch cut-off of a
month (a monthly cycle's cut-off day, at most the month's last day; a ten-day cycle's last cut-off
is the month's last day) has passed by then. Late reports are taken in by recomputing the month:
`ranking_recompute` (the ranking page and the API) recomputes the later months already ranked
with it, whose streaks and year-to-date figures build on it; the command recomputes the months
it is given.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from onewindow.audit.services import audit_record
from onewindow.orgs.models import User
from onewindow.ranking.domain.periods import (
    check_not_future,
    period_label,
    period_of,
    periods_between,
    previous_period,
)
from onewindow.ranking.domain.rules import rules_from_json
from onewindow.ranking.models import RankingRun
from onewindow.ranking.services import standings
from onewindow.ranking.services.assessment import assessment_compute
from onewindow.ranking.services.rules import rule_version_for
from onewindow.ranking.services.warnings import warnings_issue

Progress = Callable[[int, int], None]


@transaction.atomic
def ranking_run(*, period: dt.date, actor: User | None = None, today: dt.date | None = None) -> RankingRun:
    period = period_of(period)
    check_not_future(period, today=today or timezone.localdate())
    version = rule_version_for(period, actor=actor)
    now = timezone.now()
    run, _ = RankingRun.objects.select_for_update().get_or_create(
        period=period, defaults={"rule_version": version, "ran_at": now}
    )  # one computation of a period at a time
    computation = standings.Computation(period=period, rules=rules_from_json(version.rules), version=version, now=now)
    data = standings.load_inputs(period)
    ranks = standings.project_ranks(computation, data)
    standings.store_project_ranks(computation, ranks)
    district_ranks = standings.district_ranks(computation, standings.district_inputs(computation, data, ranks))
    standings.store_district_ranks(computation, district_ranks)
    warning_count = warnings_issue(
        period=period, ranks=district_ranks, rules=computation.rules.warnings, version=version, now=now
    )
    assessed = assessment_compute(computation)
    run.rule_version, run.ran_at, run.ran_by = version, now, actor
    run.project_count, run.district_count, run.warning_count = len(ranks), len(district_ranks), warning_count
    run.save()
    audit_record(
        stream=f"ranking:period:{period_label(period)}",
        action="ranking.period_ranked",
        target_type="ranking.period",
        target_id=period_label(period),
        actor=actor,
        changes={
            "rule_version": version.number,
            "projects": len(ranks),
            "classes": dict(Counter(rank.rank_class for rank in ranks)),
            "districts": len(district_ranks),
            "last": district_ranks[-1].district_id if district_ranks else None,
            "warnings": warning_count,
            "assessment_rows": assessed,
        },
    )
    return run


def ranking_replay(
    *,
    first: dt.date,
    last: dt.date,
    actor: User | None = None,
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> list[RankingRun]:
    """Recompute `first`..`last` in order, one transaction per month; `progress(done, total)` after each."""
    periods = periods_between(first, last)
    check_not_future(periods[-1], today=today or timezone.localdate())
    runs = []
    for period in periods:
        runs.append(ranking_run(period=period, actor=actor, today=today))
        if progress is not None:
            progress(len(runs), len(periods))
    return runs


def ranking_recompute(
    *, period: dt.date, actor: User | None = None, today: dt.date | None = None, progress: Progress | None = None
) -> list[RankingRun]:
    """Recompute `period`, then every later month already ranked: a later month's warning streak
    builds on the month before, and its year-to-date investment takes in reports filed late.
    The pages and the API run it as a job (tasks.ranking_recompute_job): a year back takes ~20 s."""
    latest = RankingRun.objects.aggregate(latest=Max("period"))["latest"]
    last = max(period_of(period), latest or period)
    return ranking_replay(first=period, last=last, actor=actor, today=today, progress=progress)


def ranking_run_previous_month(*, today: dt.date | None = None) -> str:
    """The periodic job: rank last month once, on or after the 1st."""
    period = previous_period(period_of(today or timezone.localdate()))
    if RankingRun.objects.filter(period=period).exists():
        return f"{period_label(period)} 已计算"
    run = ranking_run(period=period, today=today)
    return (
        f"{period_label(period)}: {run.project_count} 个项目， {run.district_count} 个区县， {run.warning_count} 个预警"
    )
