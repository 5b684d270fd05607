"""Pure rules of dispatch (调度): reporting cycles and their cut-offs, and problem assignment.

Problems escalate through three levels (三级调度): the district, the city department, the city
leader. No Django here.
"""

from __future__ import annotations

from enum import StrEnum


class CycleKind(StrEnum):
    TEN_DAY = "ten_day"
    MONTHLY = "monthly"


CYCLE_KIND_LABELS: dict[CycleKind, str] = {CycleKind.TEN_DAY: "一旬一调度", CycleKind.MONTHLY: "月调度"}


class ProblemCategory(StrEnum):
    LAND = "land"
    APPROVAL = "approval"
    FUNDING = "funding"
    DEMOLITION = "demolition"
    UTILITIES = "utilities"
    ENVIRONMENT = "environment"
    OTHER = "other"


PROBLEM_CATEGORY_LABELS: dict[ProblemCategory, str] = {
    ProblemCategory.LAND: "用地",
    ProblemCategory.APPROVAL: "审批",
    ProblemCategory.FUNDING: "资金",
    ProblemCategory.DEMOLITION: "征迁",
    ProblemCategory.UTILITIES: "水电气配套",
    ProblemCategory.ENVIRONMENT: "环保",
    ProblemCategory.OTHER: "其他",
}


class ProblemLevel(StrEnum):
    DISTRICT = "district"
    CITY_DEPARTMENT = "city_department"
    CITY_LEADER = "city_leader"


PROBLEM_LEVEL_LABELS: dict[ProblemLevel, str] = {
    ProblemLevel.DISTRICT: "区县调度",
    ProblemLevel.CITY_DEPARTMENT: "市直部门调度",
    ProblemLevel.CITY_LEADER: "市领导调度",
}


class ProblemStatus(StrEnum):
    OPEN = "open"
    ANSWERED = "answered"
    CLOSED = "closed"


PROBLEM_STATUS_LABELS: dict[ProblemStatus, str] = {
    ProblemStatus.OPEN: "办理中",
    ProblemStatus.ANSWERED: "已答复待确认",
    ProblemStatus.CLOSED: "已办结",
}
