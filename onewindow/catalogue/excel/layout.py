"""The workbook's layout (sheets, columns, cell words) and what an import reports."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import translation

from onewindow.catalogue.domain import (
    FIELD_KIND_LABELS,
)
from onewindow.catalogue.models import (
    MaterialForm,
    OnlineLevel,
)

MATTERS = "事项"
MATERIALS = "材料"
FORMS = "表单"
BUNDLES = "一件事"

COLUMNS: dict[str, tuple[str, ...]] = {
    MATTERS: (
        "事项编码",
        "事项名称",
        "实施部门编码",
        "事项类型",
        "设定依据",
        "法定时限",
        "承诺时限",
        "网办深度",
        "最多跑动次数",
        "告知承诺",
        "收费",
        "受理条件",
        "办理地点",
    ),
    MATERIALS: ("事项编码", "材料编码", "材料名称", "必要性", "材料形式", "可容缺", "电子证照类型", "份数"),
    FORMS: ("事项编码", "字段编码", "字段名称", "类型", "必填", "格式", "最小值", "最大值", "选项"),
    BUNDLES: ("主题编码", "主题名称", "阶段序号", "阶段名称", "事项编码", "牵头部门编码"),
}
# Columns a workbook may leave out (an older layout): blank or missing, the default applies.
OPTIONAL_COLUMNS: dict[str, tuple[str, ...]] = {MATTERS: ("会签人数", "整改期限")}
REVIEW_RULE_COLUMNS = {"required_signoffs": "会签人数", "rectification_days": "整改期限"}

YES, NO = "是", "否"
REQUIRED_LABELS = {"必要": True, "非必要": False}
KINDS = {label: kind for kind, label in FIELD_KIND_LABELS.items()}
OPTION_SEPARATOR = "、"
LIMIT_COLUMNS = {"statutory_limit_days": "法定时限", "promised_limit_days": "承诺时限", "max_visits": "最多跑动次数"}


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int
    column: str
    message: str


@dataclass
class ImportReport:
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def chinese(label: object) -> str:
    """A choice's label as the workbook writes it: in Chinese, whatever language the page speaks."""
    with translation.override("zh-hans"):
        return str(label)


def chinese_choices(choices: type[OnlineLevel] | type[MaterialForm]) -> dict[str, str]:
    return {chinese(label): value for value, label in choices.choices}
