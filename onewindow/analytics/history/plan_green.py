"""The green channel (绿色通道) in the history, planned (pure: no Django, no database).

Key projects' approvals: a share of the enterprises' cases of the investment-project matters (those the writer
names `eligible`: the industrial-project bundle and its matters) is put on the green channel by the key-project
office a minute after it arrives, before the clerk looks at it, so that every review task opens on the green
channel's shorter limit (`cases.domain.green_channel_limit`). Their fates are planned again on those limits:
the departments take a share of the shorter limit, so green-channel cases are decided faster than the ordinary
ones of the same matters (report's green-channel table).

Drawn from its own `random.Random` (seeded from the history's seed): the other cases' plans are unchanged.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from collections.abc import Collection, Sequence

from onewindow.analytics.history.plan import (
    ENTERPRISE,
    SHANGHAI,
    MatterSpec,
    PlannedCase,
    ProductSpec,
    Step,
    _steps,
)
from onewindow.cases.domain import green_channel_limit
from onewindow.workdays.domain import WorkCalendar

GREEN_SHARE = 0.25  # of the enterprises' cases of the eligible matters
MARKED_AFTER = dt.timedelta(minutes=1)  # the office marks it before any intake step (those take minutes)


def green_spec(product: ProductSpec) -> ProductSpec:
    """The product as a green-channel case runs it: each matter on the shorter limit."""
    stages = tuple(
        tuple(MatterSpec(m.version_id, green_channel_limit(m.promised_limit_days)) for m in stage)
        for stage in product.stages
    )
    return dataclasses.replace(product, stages=stages)


def plan_green(
    planned: Sequence[PlannedCase],
    *,
    products: Sequence[ProductSpec],
    eligible: Collection[int],
    calendar: WorkCalendar,
    seed: int,
    now: dt.datetime,
) -> list[PlannedCase]:
    """The planned cases, the green-channel ones with a "green_channel" step and their steps planned again."""
    if not eligible:
        return list(planned)
    rng = random.Random(f"history-green:{seed}")  # noqa: S311 - demo data, not secrets
    now = now.astimezone(SHANGHAI)
    # A same-day matter (即办件) gains nothing from a shorter limit: never on the green channel.
    specs = {index: green_spec(products[index]) for index in eligible if _has_limit(products[index])}
    result = []
    for case in planned:
        if case.product in specs and case.applicant_kind == ENTERPRISE and rng.random() < GREEN_SHARE:
            case = _green(rng, case, specs[case.product], calendar, now)
        result.append(case)
    return result


def _has_limit(product: ProductSpec) -> bool:
    return any(matter.promised_limit_days for stage in product.stages for matter in stage)


def _green(
    rng: random.Random, case: PlannedCase, spec: ProductSpec, calendar: WorkCalendar, now: dt.datetime
) -> PlannedCase:
    arrival = case.submitted_at
    steps = _steps(rng, spec, arrival, case.channel, calendar)
    marked = Step(arrival + MARKED_AFTER + dt.timedelta(seconds=rng.randrange(30)), "green_channel")
    kept = tuple(step for step in [steps[0], marked, *steps[1:]] if step.at <= now)
    return dataclasses.replace(case, steps=kept)
