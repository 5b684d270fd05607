"""The workbook layout of the registry: one sheet, title rows allowed above a header row, then one
project per row. Import and export both take the columns from here.

Columns (Chinese headers, in this order): 序号, 项目名称, 项目编码, 业主单位, 统一社会信用代码, 所属区县,
行业, 产业链, 总投资（万元）, one "<year>年计划投资（万元）" column per year, 建设阶段, 项目级别, 计划开工,
计划竣工, 建设地点, 包联领导, 首席服务人, 项目秘书, 企业特派员, 责任单位.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from onewindow.projects.domain import PHASE_LABELS, Level, Phase, TeamRole

TITLE = "重点项目清单"

SEQ = "序号"
NAME = "项目名称"
CODE = "项目编码"
OWNER = "业主单位"
CREDIT_CODE = "统一社会信用代码"
DISTRICT = "所属区县"
INDUSTRY = "行业"
CHAIN = "产业链"
TOTAL = "总投资（万元）"
PHASE = "建设阶段"
LEVEL = "项目级别"
START = "计划开工"
FINISH = "计划竣工"
LOCATION = "建设地点"
LEADER = "包联领导"
CHIEF_SERVICE = "首席服务人"
SECRETARY = "项目秘书"
COMMISSIONER = "企业特派员"
UNIT = "责任单位"

BEFORE_PLANS = (SEQ, NAME, CODE, OWNER, CREDIT_CODE, DISTRICT, INDUSTRY, CHAIN, TOTAL)
AFTER_PLANS = (PHASE, LEVEL, START, FINISH, LOCATION, LEADER, CHIEF_SERVICE, SECRETARY, COMMISSIONER, UNIT)
REQUIRED = (NAME, CODE, OWNER, CREDIT_CODE, DISTRICT, INDUSTRY, TOTAL, PHASE, LEVEL)

TEAM_COLUMNS: dict[str, TeamRole] = {
    LEADER: TeamRole.LEADER,
    CHIEF_SERVICE: TeamRole.CHIEF_SERVICE,
    SECRETARY: TeamRole.SECRETARY,
    COMMISSIONER: TeamRole.COMMISSIONER,
}

PHASES: dict[str, Phase] = {label: phase for phase, label in PHASE_LABELS.items()}
LEVEL_WRITTEN: dict[Level, str] = {Level.CITY: "市级", Level.DISTRICT: "区级"}
LEVELS: dict[str, Level] = {
    "市级": Level.CITY,
    "区级": Level.DISTRICT,
    "市级重点项目": Level.CITY,
    "区级重点项目": Level.DISTRICT,
}
TAG_SEPARATOR = "、"
TAG_SPLIT = re.compile("[、,;\uff0c\uff1b]")  # 、 , ; and their full-width forms

_PLAN = re.compile(r"^(\d{4})年计划投资（万元）$")
_ASCII_PARENTHESES = str.maketrans({"(": "\uff08", ")": "\uff09"})


def normalise_header(value: object) -> str:
    """A header cell as compared: no spaces, ASCII parentheses read as the full-width ones the layout uses."""
    text = "" if value is None else str(value)
    return "".join(text.split()).translate(_ASCII_PARENTHESES)


def plan_header(year: int) -> str:
    return f"{year}年计划投资（万元）"


def plan_year(header: str) -> int | None:
    """The year of a "<year>年计划投资（万元）" header, else None."""
    match = _PLAN.match(normalise_header(header))
    return int(match.group(1)) if match else None


def column_rank(column: str) -> int:
    """Where a column stands in the layout (for reporting errors left to right)."""
    if column in BEFORE_PLANS:
        return BEFORE_PLANS.index(column)
    if plan_year(column) is not None:
        return len(BEFORE_PLANS)
    if column in AFTER_PLANS:
        return len(BEFORE_PLANS) + 1 + AFTER_PLANS.index(column)
    return len(BEFORE_PLANS) + len(AFTER_PLANS) + 1


def header(years: Iterable[int]) -> list[str]:
    """The header row for the given plan years."""
    return [*BEFORE_PLANS, *(plan_header(year) for year in sorted(years)), *AFTER_PLANS]
