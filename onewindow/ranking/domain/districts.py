"""District ranking (区县排位): a weighted score, positions 1..n, and the period target.

Each component scores 0–100:
- completion: the district's year-to-date investment over its annual plan, divided by 序时进度,
  counted up to `completion_cap` and scaled so that the cap scores 100 (no plan: left out);
- ahead: the share of its classed projects that are ahead;
- not_lagging: the share of its classed projects neither lagging nor without progress
  (ahead and not_lagging are left out when the district has no classed project).
The score is the weighted mean of the components present (weights renormalised), two places.
Positions: score descending, then completion descending, then the district's code — never a tie,
so exactly one district is last. The target is met when the year-to-date investment reaches the
annual plan times 序时进度 (a district without a plan meets it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from onewindow.ranking.domain.classification import CENT, completion_share, percent, two_places
from onewindow.ranking.domain.rules import DistrictScoreRules, RankClass, ScoreComponent


@dataclass(frozen=True)
class DistrictInputs:
    district_id: int
    code: str
    annual_plan: Decimal
    invested_year_to_date: Decimal
    elapsed_share: Fraction
    class_counts: Mapping[RankClass, int] = field(default_factory=dict)

    @property
    def ranked_count(self) -> int:
        return sum(self.class_counts.values())


@dataclass(frozen=True)
class DistrictStanding:
    district_id: int
    score: Decimal
    position: int
    target_met: bool
    target_amount: Decimal  # annual plan × 序时进度
    completion_pct: Decimal | None
    components: dict[str, Decimal]


def target_amount(annual_plan: Decimal, elapsed: Fraction) -> Decimal:
    return (annual_plan * elapsed.numerator / elapsed.denominator).quantize(CENT, rounding=ROUND_HALF_UP)


def target_met(annual_plan: Decimal, invested: Decimal, elapsed: Fraction) -> bool:
    """Exact: invested ≥ plan × 序时 (a district without a plan has nothing to miss)."""
    return Fraction(invested) >= Fraction(annual_plan) * elapsed


def score_components(inputs: DistrictInputs, rules: DistrictScoreRules) -> dict[ScoreComponent, Fraction]:
    components: dict[ScoreComponent, Fraction] = {}
    completion = completion_share(inputs.invested_year_to_date, inputs.annual_plan)
    if completion is not None and inputs.elapsed_share > 0:
        cap = Fraction(rules.completion_cap)
        components[ScoreComponent.COMPLETION] = min(completion / inputs.elapsed_share, cap) / cap
    ranked = inputs.ranked_count
    if ranked:
        behind = inputs.class_counts.get(RankClass.LAGGING, 0) + inputs.class_counts.get(RankClass.NO_PROGRESS, 0)
        components[ScoreComponent.AHEAD] = Fraction(inputs.class_counts.get(RankClass.AHEAD, 0), ranked)
        components[ScoreComponent.NOT_LAGGING] = 1 - Fraction(behind, ranked)
    return components


Components = dict[ScoreComponent, Fraction]


def district_score(inputs: DistrictInputs, rules: DistrictScoreRules) -> tuple[Fraction, Components]:
    """The exact score (0–100) and its components (each 0–1)."""
    components = score_components(inputs, rules)
    weights = {key: Fraction(rules.weights.get(key, Decimal(0))) for key in components}
    total = sum(weights.values(), Fraction(0))
    if total == 0:
        return Fraction(0), components
    return sum((weights[key] * value for key, value in components.items()), Fraction(0)) * 100 / total, components


def rank_districts(districts: Sequence[DistrictInputs], rules: DistrictScoreRules) -> list[DistrictStanding]:
    """Every district's standing, in position order (1 = best)."""
    scored = []
    for inputs in districts:
        score, components = district_score(inputs, rules)
        completion = completion_share(inputs.invested_year_to_date, inputs.annual_plan)
        scored.append((inputs, score, components, completion))
    scored.sort(key=lambda row: (-row[1], -(row[3] or Fraction(0)), row[0].code))
    return [
        DistrictStanding(
            district_id=inputs.district_id,
            score=two_places(score),
            position=position,
            target_met=target_met(inputs.annual_plan, inputs.invested_year_to_date, inputs.elapsed_share),
            target_amount=target_amount(inputs.annual_plan, inputs.elapsed_share),
            completion_pct=percent(completion) if completion is not None else None,
            components={key.value: percent(value) for key, value in components.items()},
        )
        for position, (inputs, score, components, completion) in enumerate(scored, start=1)
    ]
