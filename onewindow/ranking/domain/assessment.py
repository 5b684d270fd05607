"""Assessment (考核): monthly, quarterly and annual scores of districts and departments.

Each indicator scores 0–100 over the window (the month; the quarter or the year up to and
including the month — final when the month closes the quarter or the year):
- investment: investment completed in the window over the annual plan's share for the window's
  months (plan × months / 12), counted up to `completion_cap`, the cap scoring 100;
- new_starts: projects started in the window (`projects.domain.started_within`: the actual start,
  else the move to 新开工) over those planned to start in it (≤ 100);
- problems_on_time: problems due in the window and closed by their due date, over those due;
- report_timeliness: project-months with an on-time report over the project-months classed
  (every project under construction or in preparation owes one report a month);
- satisfaction (departments): the department's counted 好差评 ratings in the window that are
  非常满意, 满意 or 基本满意, over all its counted ratings (国办发〔2019〕51号; the rule and the exclusion
  of disputed ratings are evaluation's: `evaluation.selectors.department_satisfaction`).
An indicator without a denominator (no plan, no planned start, no problem due, no report owed)
is left out and the weights of the others are renormalised; with none left there is no score.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from onewindow.ranking.domain.classification import two_places
from onewindow.ranking.domain.periods import months_from, quarter_start, year_start
from onewindow.ranking.domain.rules import AssessmentRules, Indicator


class Window(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


WINDOW_LABELS: dict[Window, str] = {Window.MONTH: "月度", Window.QUARTER: "季度", Window.YEAR: "年度"}

INDICATOR_LABELS: dict[Indicator, str] = {
    Indicator.INVESTMENT: "投资完成",
    Indicator.NEW_STARTS: "新开工",
    Indicator.PROBLEMS_ON_TIME: "问题按期办结",
    Indicator.REPORT_TIMELINESS: "按时填报",
    Indicator.SATISFACTION: "群众满意度",
}


def window_start(window: Window, period: dt.date) -> dt.date:
    if window is Window.QUARTER:
        return quarter_start(period)
    if window is Window.YEAR:
        return year_start(period)
    return period


@dataclass(frozen=True)
class AssessmentInputs:
    invested: Decimal
    annual_plan: Decimal
    window_months: int
    starts_planned: int = 0
    starts_actual: int = 0
    problems_due: int = 0
    problems_on_time: int = 0
    reports_owed: int = 0
    reports_on_time: int = 0
    ratings: int = 0
    ratings_satisfied: int = 0


@dataclass(frozen=True)
class IndicatorScore:
    numerator: Decimal
    denominator: Decimal
    score: Decimal | None


def _share(numerator: int, denominator: int) -> IndicatorScore:
    score = two_places(min(Fraction(numerator, denominator), Fraction(1)) * 100) if denominator else None
    return IndicatorScore(Decimal(numerator), Decimal(denominator), score)


def investment_score(inputs: AssessmentInputs, cap: Decimal) -> IndicatorScore:
    due = inputs.annual_plan * inputs.window_months / 12
    if due <= 0:
        return IndicatorScore(inputs.invested, Decimal(0), None)
    ratio = min(Fraction(inputs.invested) / Fraction(due), Fraction(cap))
    return IndicatorScore(inputs.invested, two_places(Fraction(due)), two_places(ratio / Fraction(cap) * 100))


def indicator_scores(inputs: AssessmentInputs, rules: AssessmentRules) -> dict[Indicator, IndicatorScore]:
    return {
        Indicator.INVESTMENT: investment_score(inputs, rules.completion_cap),
        Indicator.NEW_STARTS: _share(inputs.starts_actual, inputs.starts_planned),
        Indicator.PROBLEMS_ON_TIME: _share(inputs.problems_on_time, inputs.problems_due),
        Indicator.REPORT_TIMELINESS: _share(inputs.reports_on_time, inputs.reports_owed),
        Indicator.SATISFACTION: _share(inputs.ratings_satisfied, inputs.ratings),
    }


def assessment_score(scores: Mapping[Indicator, IndicatorScore], rules: AssessmentRules) -> Decimal | None:
    """The weighted mean of the indicators that apply, or None when none does."""
    present = {key: value.score for key, value in scores.items() if value.score is not None}
    weights = {key: Fraction(rules.weights.get(key, Decimal(0))) for key in present}
    total = sum(weights.values(), Fraction(0))
    if total == 0:
        return None
    return two_places(sum((weights[key] * Fraction(score) for key, score in present.items()), Fraction(0)) / total)


def positions(scores: Sequence[tuple[str, Decimal | None]]) -> dict[str, int | None]:
    """Position 1..n by score (descending, then key); no score, no position."""
    scored = sorted((item for item in scores if item[1] is not None), key=lambda item: (-(item[1] or 0), item[0]))
    ranked: dict[str, int | None] = {key: position for position, (key, _) in enumerate(scored, start=1)}
    return {key: ranked.get(key) for key, _ in scores}


def window_months(window: Window, period: dt.date) -> int:
    return months_from(window_start(window, period), period)
