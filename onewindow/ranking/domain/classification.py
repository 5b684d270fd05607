"""Project classification (量化排位): ahead, normal, lagging or no progress in one period.

Inputs per project and period: its phase at the period's end, the annual planned investment, the
investment completed year to date at the period's end and within the period, 序时进度 (months
elapsed over twelve), and milestone slippage: how many days the most overdue milestone is behind
(its planned date, else its latest date, passed at the period's end without an actual date).

Projects under construction (new start, continuing), first rule that holds:
1. no progress — nothing invested this period and no milestone reached;
2. lagging — slippage > `lagging_slippage_days`, or completion < 序时 − `lagging_margin_points`;
3. ahead — completion ≥ 序时 + `ahead_margin_points` and slippage ≤ `ahead_max_slippage_days`;
4. normal.
Completion is year-to-date investment over the annual plan; without a plan (none or 0) the
investment rules do not apply (the project is never ahead, lagging only by its milestones).

Projects in preparation (前期) are classed by milestones only: lagging when slippage exceeds
`lagging_slippage_days`, normal otherwise; they are never "no progress" (nothing is being built).
Reserve (储备), completed (竣工) and in-production (投产) projects are not classed.
Comparisons are exact (fractions); the stored percentages are rounded to two places.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from fractions import Fraction

from onewindow.projects.domain import Phase
from onewindow.ranking.domain.rules import ClassificationRules, RankClass

UNDER_CONSTRUCTION = frozenset({Phase.NEW_START, Phase.CONTINUING})
MILESTONES_ONLY = frozenset({Phase.PREPARATION})
RANKED_PHASES = UNDER_CONSTRUCTION | MILESTONES_ONLY

CENT = Decimal("0.01")


class Reason(StrEnum):
    NO_INVESTMENT = "no_investment"
    SLIPPAGE = "slippage"
    BEHIND_SCHEDULE = "behind_schedule"
    AHEAD_OF_SCHEDULE = "ahead_of_schedule"
    ON_SCHEDULE = "on_schedule"
    MILESTONES_ON_TIME = "milestones_on_time"


REASON_LABELS: dict[Reason, str] = {
    Reason.NO_INVESTMENT: "本期无投资且无节点完成",
    Reason.SLIPPAGE: "路径节点滞后超过规定天数",
    Reason.BEHIND_SCHEDULE: "投资完成率低于序时进度",
    Reason.AHEAD_OF_SCHEDULE: "投资完成率超过序时进度且节点按期",
    Reason.ON_SCHEDULE: "投资完成与序时进度基本相符",
    Reason.MILESTONES_ON_TIME: "前期项目，路径节点未超期",
}


@dataclass(frozen=True)
class ProjectInputs:
    phase: str
    annual_plan: Decimal
    invested_year_to_date: Decimal
    invested_in_period: Decimal
    slippage_days: int
    milestone_reached: bool
    elapsed_share: Fraction


@dataclass(frozen=True)
class Classification:
    rank_class: RankClass
    reason: Reason
    completion_pct: Decimal | None  # year to date over the annual plan, in percent
    elapsed_pct: Decimal  # 序时进度 in percent
    gap_points: Decimal | None  # completion − 序时, in percentage points


def is_ranked(phase: str) -> bool:
    return phase in RANKED_PHASES


def two_places(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(CENT, rounding=ROUND_HALF_UP)


def percent(share: Fraction) -> Decimal:
    return two_places(share * 100)


def completion_share(invested: Decimal, plan: Decimal) -> Fraction | None:
    """Completed over planned, exactly; None without a plan."""
    return Fraction(invested) / Fraction(plan) if plan > 0 else None


def classify(inputs: ProjectInputs, rules: ClassificationRules) -> Classification:
    if not is_ranked(inputs.phase):
        raise ValueError(f"phase {inputs.phase} is not ranked")
    completion = completion_share(inputs.invested_year_to_date, inputs.annual_plan)
    rank_class, reason = _class_of(inputs, completion, rules)
    gap = completion - inputs.elapsed_share if completion is not None else None
    return Classification(
        rank_class=rank_class,
        reason=reason,
        completion_pct=percent(completion) if completion is not None else None,
        elapsed_pct=percent(inputs.elapsed_share),
        gap_points=percent(gap) if gap is not None else None,
    )


def _class_of(
    inputs: ProjectInputs, completion: Fraction | None, rules: ClassificationRules
) -> tuple[RankClass, Reason]:
    late = inputs.slippage_days > rules.lagging_slippage_days
    if inputs.phase in MILESTONES_ONLY:
        return (RankClass.LAGGING, Reason.SLIPPAGE) if late else (RankClass.NORMAL, Reason.MILESTONES_ON_TIME)
    if inputs.invested_in_period <= 0 and not inputs.milestone_reached:
        return RankClass.NO_PROGRESS, Reason.NO_INVESTMENT
    if late:
        return RankClass.LAGGING, Reason.SLIPPAGE
    if completion is None:
        return RankClass.NORMAL, Reason.ON_SCHEDULE
    lag_margin = Fraction(rules.lagging_margin_points) / 100
    if completion < inputs.elapsed_share - lag_margin:
        return RankClass.LAGGING, Reason.BEHIND_SCHEDULE
    ahead_margin = Fraction(rules.ahead_margin_points) / 100
    on_time = inputs.slippage_days <= rules.ahead_max_slippage_days
    if completion >= inputs.elapsed_share + ahead_margin and on_time:
        return RankClass.AHEAD, Reason.AHEAD_OF_SCHEDULE
    return RankClass.NORMAL, Reason.ON_SCHEDULE
