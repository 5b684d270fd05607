"""The rulebook of one rule version (规则版本): thresholds and weights as validated numbers.

A version is stored as JSON (RuleVersion.rules) and read back through `rules_from_json`, which
fills every missing number from DEFAULT_RULES, refuses unknown keys and out-of-range numbers with a
Chinese message per field, and returns a frozen RuleSet. `rules_as_json` writes the complete,
normalised rulebook, so a stored version never depends on later defaults.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from onewindow.errors import InvalidFields


class RankClass(StrEnum):
    AHEAD = "ahead"
    NORMAL = "normal"
    LAGGING = "lagging"
    NO_PROGRESS = "no_progress"


RANK_CLASS_LABELS: dict[RankClass, str] = {
    RankClass.AHEAD: "超序时",
    RankClass.NORMAL: "正常推进",
    RankClass.LAGGING: "滞后",
    RankClass.NO_PROGRESS: "无进展",
}


class WarningLevel(StrEnum):
    YELLOW = "yellow"
    RED = "red"
    ORGANISATIONAL = "organisational"


WARNING_LEVEL_LABELS: dict[WarningLevel, str] = {
    WarningLevel.YELLOW: "黄色预警",
    WarningLevel.RED: "红色预警",
    WarningLevel.ORGANISATIONAL: "组织处理建议",
}


class ScoreComponent(StrEnum):
    """What a district's ranking score weighs (each component scored 0–100)."""

    COMPLETION = "completion"  # investment completion against 序时进度, capped
    AHEAD = "ahead"  # share of ranked projects ahead
    NOT_LAGGING = "not_lagging"  # share of ranked projects neither lagging nor without progress


class Indicator(StrEnum):
    """The assessment (考核) indicators, each scored 0–100."""

    INVESTMENT = "investment"
    NEW_STARTS = "new_starts"
    PROBLEMS_ON_TIME = "problems_on_time"
    REPORT_TIMELINESS = "report_timeliness"
    SATISFACTION = "satisfaction"  # 好差评: departments only (evaluation.selectors.department_satisfaction)


@dataclass(frozen=True)
class ClassificationRules:
    ahead_margin_points: Decimal  # ahead: completion ≥ 序时 + this many percentage points
    ahead_max_slippage_days: int  # … and milestones at most this many days late
    lagging_margin_points: Decimal  # lagging: completion < 序时 − this many points
    lagging_slippage_days: int  # … or a due milestone more than this many days late


@dataclass(frozen=True)
class DistrictScoreRules:
    weights: Mapping[ScoreComponent, Decimal]
    completion_cap: Decimal  # completion/序时 counts up to this ratio (1.2 = 120 % of 序时)


@dataclass(frozen=True)
class WarningRules:
    yellow_after: int  # consecutive periods ranked last with the target unmet
    red_after: int
    organisational_after: int


@dataclass(frozen=True)
class AssessmentRules:
    weights: Mapping[Indicator, Decimal]
    completion_cap: Decimal


@dataclass(frozen=True)
class RuleSet:
    classification: ClassificationRules
    district_score: DistrictScoreRules
    warnings: WarningRules
    assessment: AssessmentRules


DEFAULT_RULES: dict[str, dict[str, Any]] = {
    "classification": {
        "ahead_margin_points": 10,
        "ahead_max_slippage_days": 0,
        "lagging_margin_points": 10,
        "lagging_slippage_days": 30,
    },
    "district_score": {
        "weights": {"completion": 60, "ahead": 20, "not_lagging": 20},
        "completion_cap": 1.2,
    },
    "warnings": {"yellow_after": 2, "red_after": 3, "organisational_after": 4},
    "assessment": {
        "weights": {
            "investment": 40,
            "new_starts": 20,
            "problems_on_time": 20,
            "report_timeliness": 20,
            "satisfaction": 10,
        },
        "completion_cap": 1.2,
    },
}

_SECTION_LABELS = {"classification": "项目分类", "district_score": "区县评分", "warnings": "预警", "assessment": "考核"}


class _Reader:
    """Reads one rulebook, collecting every problem (field path → Chinese message)."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data
        self.errors: dict[str, str] = {}

    def section(self, name: str) -> Mapping[str, Any]:
        value = self.data.get(name, {})
        if not isinstance(value, Mapping):
            self.errors[name] = f"{_SECTION_LABELS[name]}规则应为对象"
            return {}
        self.unknown(name, value, DEFAULT_RULES[name])
        return value

    def unknown(self, path: str, given: Mapping[str, Any], known: Mapping[str, Any]) -> None:
        for key in given:
            if key not in known:
                self.errors[f"{path}.{key}"] = f"未知的规则项 {key}"

    def number(self, path: str, given: Mapping[str, Any], key: str, low: Decimal, high: Decimal) -> Decimal:
        default = Decimal(str(_lookup(DEFAULT_RULES, f"{path}.{key}")))
        value = given.get(key, default)
        number = _decimal(value)
        if number is None or not low <= number <= high:
            self.errors[f"{path}.{key}"] = f"{key} 应为 {low} 至 {high} 之间的数"
            return default
        return number

    def integer(self, path: str, given: Mapping[str, Any], key: str, low: int, high: int) -> int:
        number = self.number(path, given, key, Decimal(low), Decimal(high))
        if number != number.to_integral_value():
            self.errors[f"{path}.{key}"] = f"{key} 应为 {low} 至 {high} 之间的整数"
            return int(_lookup(DEFAULT_RULES, f"{path}.{key}"))
        return int(number)

    def weights(self, path: str, given: Mapping[str, Any], keys: type[StrEnum]) -> dict[Any, Decimal]:
        raw = given.get("weights", _lookup(DEFAULT_RULES, f"{path}.weights"))
        if not isinstance(raw, Mapping):
            self.errors[f"{path}.weights"] = "权重应为对象"
            raw = _lookup(DEFAULT_RULES, f"{path}.weights")
        self.unknown(f"{path}.weights", raw, {k.value: 0 for k in keys})
        weights = {key: self.number(f"{path}.weights", raw, key.value, Decimal(0), Decimal(1000)) for key in keys}
        if not any(weights.values()):
            self.errors[f"{path}.weights"] = "权重不能全部为 0"
        return weights


def _lookup(data: Mapping[str, Any], path: str) -> Any:
    value: Any = data
    for part in path.split("."):
        value = value.get(part, {})
    return value


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def rules_from_json(data: Any) -> RuleSet:
    """A RuleSet from stored or submitted JSON; InvalidFields lists every wrong number."""
    if not isinstance(data, Mapping):
        raise InvalidFields("规则应为 JSON 对象", errors={"rules": "规则应为 JSON 对象"}, code="invalid_rules")
    reader = _Reader(data)
    reader.unknown("rules", data, DEFAULT_RULES)
    rules = RuleSet(
        classification=_classification(reader),
        district_score=_district_score(reader),
        warnings=_warnings(reader),
        assessment=_assessment(reader),
    )
    if reader.errors:
        raise InvalidFields("规则有误，请逐项检查", errors=reader.errors, code="invalid_rules")
    return rules


def _classification(reader: _Reader) -> ClassificationRules:
    given = reader.section("classification")
    return ClassificationRules(
        ahead_margin_points=reader.number("classification", given, "ahead_margin_points", Decimal(0), Decimal(100)),
        ahead_max_slippage_days=reader.integer("classification", given, "ahead_max_slippage_days", 0, 3650),
        lagging_margin_points=reader.number("classification", given, "lagging_margin_points", Decimal(0), Decimal(100)),
        lagging_slippage_days=reader.integer("classification", given, "lagging_slippage_days", 0, 3650),
    )


def _district_score(reader: _Reader) -> DistrictScoreRules:
    given = reader.section("district_score")
    return DistrictScoreRules(
        weights=reader.weights("district_score", given, ScoreComponent),
        completion_cap=reader.number("district_score", given, "completion_cap", Decimal("0.1"), Decimal(10)),
    )


def _warnings(reader: _Reader) -> WarningRules:
    given = reader.section("warnings")
    rules = WarningRules(
        yellow_after=reader.integer("warnings", given, "yellow_after", 1, 36),
        red_after=reader.integer("warnings", given, "red_after", 1, 36),
        organisational_after=reader.integer("warnings", given, "organisational_after", 1, 36),
    )
    if not rules.yellow_after < rules.red_after < rules.organisational_after:
        reader.errors["warnings"] = "连续期数应满足：黄色预警 < 红色预警 < 组织处理建议"
    return rules


def _assessment(reader: _Reader) -> AssessmentRules:
    given = reader.section("assessment")
    return AssessmentRules(
        weights=reader.weights("assessment", given, Indicator),
        completion_cap=reader.number("assessment", given, "completion_cap", Decimal("0.1"), Decimal(10)),
    )


def _plain(number: Decimal) -> int | float:
    return int(number) if number == number.to_integral_value() else float(number)


def rules_as_json(rules: RuleSet) -> dict[str, Any]:
    """The complete rulebook as JSON numbers (what a RuleVersion stores)."""
    c, d, w, a = rules.classification, rules.district_score, rules.warnings, rules.assessment
    return {
        "classification": {
            "ahead_margin_points": _plain(c.ahead_margin_points),
            "ahead_max_slippage_days": c.ahead_max_slippage_days,
            "lagging_margin_points": _plain(c.lagging_margin_points),
            "lagging_slippage_days": c.lagging_slippage_days,
        },
        "district_score": {
            "weights": {key.value: _plain(value) for key, value in d.weights.items()},
            "completion_cap": _plain(d.completion_cap),
        },
        "warnings": {
            "yellow_after": w.yellow_after,
            "red_after": w.red_after,
            "organisational_after": w.organisational_after,
        },
        "assessment": {
            "weights": {key.value: _plain(value) for key, value in a.weights.items()},
            "completion_cap": _plain(a.completion_cap),
        },
    }


def default_rules() -> RuleSet:
    return rules_from_json(DEFAULT_RULES)
