"""Pure rules of quantified ranking (量化排位), warnings (预警) and assessment (考核). No Django.

    periods         calendar months, 序时进度 (months elapsed / 12)
    rules           the versioned rulebook: thresholds and weights, validated from JSON
    classification  a project's class in one period: ahead / normal / lagging / no progress
    districts       district scores, positions 1..n, the period target
    warnings        consecutive last places with the target unmet → yellow / red / organisational
    assessment      indicator scores and weighted totals per district and department

Services load rows, call these rules and store the outcome with the inputs and the rule version.
"""

from onewindow.ranking.domain.assessment import INDICATOR_LABELS, WINDOW_LABELS, Window
from onewindow.ranking.domain.classification import REASON_LABELS, Reason
from onewindow.ranking.domain.periods import InvalidPeriod, parse_period, period_end, period_label, period_of
from onewindow.ranking.domain.rules import (
    RANK_CLASS_LABELS,
    WARNING_LEVEL_LABELS,
    Indicator,
    RankClass,
    RuleSet,
    WarningLevel,
    rules_from_json,
)

__all__ = [
    "INDICATOR_LABELS",
    "RANK_CLASS_LABELS",
    "REASON_LABELS",
    "WARNING_LEVEL_LABELS",
    "WINDOW_LABELS",
    "Indicator",
    "InvalidPeriod",
    "RankClass",
    "Reason",
    "RuleSet",
    "WarningLevel",
    "Window",
    "parse_period",
    "period_end",
    "period_label",
    "period_of",
    "rules_from_json",
]
