"""What a matter version says: its time limits and review rules, and its content as plain data
(the services and the Excel import compare these)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from onewindow.catalogue.domain.errors import CatalogueRuleError

MAX_VISITS = 2


def limits_problems(*, statutory_days: int, promised_days: int, max_visits: int) -> dict[str, str]:
    """Problems with a matter's limits: {field name: Chinese message}."""
    problems: dict[str, str] = {}
    if statutory_days < 0:
        problems["statutory_limit_days"] = "法定时限不能为负数"
    if promised_days < 0:
        problems["promised_limit_days"] = "承诺时限不能为负数"
    elif promised_days > statutory_days >= 0:
        problems["promised_limit_days"] = (
            f"承诺时限（{promised_days} 个工作日）不能超过法定时限（{statutory_days} 个工作日）"
        )
    if not 0 <= max_visits <= MAX_VISITS:
        problems["max_visits"] = "最多跑动次数只能是 0、1 或 2"
    return problems


def check_limits(*, statutory_days: int, promised_days: int, max_visits: int) -> None:
    problems = limits_problems(statutory_days=statutory_days, promised_days=promised_days, max_visits=max_visits)
    for name, message in problems.items():
        raise CatalogueRuleError(message, code=f"matter_{name}_invalid", field=name)


MAX_SIGNOFFS = 9
DEFAULT_RECTIFICATION_DAYS = 20  # 告知承诺: working days to rectify after a failed post-check
MAX_RECTIFICATION_DAYS = 120


def review_rule_problems(*, required_signoffs: int, rectification_days: int) -> dict[str, str]:
    """Problems with how a matter is reviewed and checked: {field name: Chinese message}."""
    problems: dict[str, str] = {}
    if not 1 <= required_signoffs <= MAX_SIGNOFFS:
        problems["required_signoffs"] = f"会签人数应为 1 至 {MAX_SIGNOFFS} 人（1 表示无需会签）"
    if not 1 <= rectification_days <= MAX_RECTIFICATION_DAYS:
        problems["rectification_days"] = f"整改期限应为 1 至 {MAX_RECTIFICATION_DAYS} 个工作日"
    return problems


def check_review_rules(*, required_signoffs: int, rectification_days: int) -> None:
    problems = review_rule_problems(required_signoffs=required_signoffs, rectification_days=rectification_days)
    for name, message in problems.items():
        raise CatalogueRuleError(message, code=f"matter_{name}_invalid", field=name)


@dataclass(frozen=True)
class MatterContent:
    """Everything a matter version says, apart from its materials."""

    name: str
    category: str
    legal_basis: str
    statutory_limit_days: int
    promised_limit_days: int
    online_level: str
    max_visits: int
    commitment_allowed: bool = False
    deferral_blocks_decision: bool = True
    fee_description: str = "不收费"
    conditions: str = ""
    location: str = ""
    form_schema: Mapping[str, Any] = field(default_factory=dict)
    required_signoffs: int = 1
    rectification_days: int = DEFAULT_RECTIFICATION_DAYS


MATTER_CONTENT_FIELDS = (
    "name",
    "category",
    "legal_basis",
    "statutory_limit_days",
    "promised_limit_days",
    "online_level",
    "max_visits",
    "commitment_allowed",
    "deferral_blocks_decision",
    "fee_description",
    "conditions",
    "location",
    "form_schema",
    "required_signoffs",
    "rectification_days",
)


def content_changes(old: MatterContent, new: MatterContent) -> dict[str, list[Any]]:
    """{field: [old, new]} for the fields that differ."""
    return {
        name: [getattr(old, name), getattr(new, name)]
        for name in MATTER_CONTENT_FIELDS
        if getattr(old, name) != getattr(new, name)
    }
