"""Problems (问题交办): statuses and their transitions, the three levels (三级调度), deadlines."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from onewindow.errors import Conflict
from onewindow.projects.domain import Level
from onewindow.workdays.domain import WorkCalendar, add_working_days


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


class ProblemAction(StrEnum):
    RAISE = "raise"
    ANSWER = "answer"
    CONFIRM = "confirm"
    RETURN = "return"
    ESCALATE = "escalate"


PROBLEM_ACTION_LABELS: dict[ProblemAction, str] = {
    ProblemAction.RAISE: "提出并交办",
    ProblemAction.ANSWER: "答复",
    ProblemAction.CONFIRM: "确认办结",
    ProblemAction.RETURN: "退回重办",
    ProblemAction.ESCALATE: "提级调度",
}


class ProblemTransitionNotAllowed(Conflict):
    code = "problem_transition_not_allowed"


# --- problems -------------------------------------------------------------------------------------

PROBLEM_TRANSITIONS: dict[tuple[ProblemStatus, ProblemAction], ProblemStatus] = {
    (ProblemStatus.OPEN, ProblemAction.ANSWER): ProblemStatus.ANSWERED,
    (ProblemStatus.OPEN, ProblemAction.ESCALATE): ProblemStatus.OPEN,
    (ProblemStatus.ANSWERED, ProblemAction.CONFIRM): ProblemStatus.CLOSED,
    (ProblemStatus.ANSWERED, ProblemAction.RETURN): ProblemStatus.OPEN,
}

ESCALATION: dict[ProblemLevel, ProblemLevel] = {
    ProblemLevel.DISTRICT: ProblemLevel.CITY_DEPARTMENT,
    ProblemLevel.CITY_DEPARTMENT: ProblemLevel.CITY_LEADER,
}


def next_problem_status(status: ProblemStatus, action: ProblemAction) -> ProblemStatus:
    try:
        return PROBLEM_TRANSITIONS[(status, action)]
    except KeyError:
        raise ProblemTransitionNotAllowed(
            f"该问题当前状态为“{PROBLEM_STATUS_LABELS[status]}”，不能{PROBLEM_ACTION_LABELS[action]}"
        ) from None


def next_level(level: ProblemLevel) -> ProblemLevel | None:
    """The level an escalation moves to; None at the top (the city leader)."""
    return ESCALATION.get(level)


def initial_levels(project_level: Level) -> tuple[ProblemLevel, ...]:
    """Where a new problem may start: the district; a city-level project also at the city department."""
    if project_level == Level.CITY:
        return (ProblemLevel.DISTRICT, ProblemLevel.CITY_DEPARTMENT)
    return (ProblemLevel.DISTRICT,)


def escalation_unit(level: ProblemLevel, *, responsible_unit: int | None, leader_unit: int | None, city: int) -> int:
    """The unit the automatic job assigns at a new level.

    City department level: the project's responsible unit (责任单位); city leader level: the
    organisation of the project's responsible leader (包联领导). Either missing: the city itself,
    whose key-project office then reassigns the problem by hand.
    """
    if level == ProblemLevel.CITY_DEPARTMENT:
        return responsible_unit or city
    if level == ProblemLevel.CITY_LEADER:
        return leader_unit or city
    return city


def is_overdue(status: ProblemStatus, due_on: dt.date, today: dt.date) -> bool:
    """Open past its deadline (an answered problem waits for the project side, not the unit)."""
    return status == ProblemStatus.OPEN and today > due_on


def should_escalate(status: ProblemStatus, level: ProblemLevel, due_on: dt.date, today: dt.date) -> bool:
    return is_overdue(status, due_on, today) and next_level(level) is not None


def closed_on_time(
    status: ProblemStatus, answered_on: dt.date | None, due_on: dt.date, *, still_at_level: bool = True
) -> bool:
    """Closed, with the confirmed answer given by the deadline, before any escalation moved it on."""
    return status == ProblemStatus.CLOSED and still_at_level and answered_on is not None and answered_on <= due_on


def problem_due_on(raised_on: dt.date, working_days: int, calendar: WorkCalendar) -> dt.date:
    """The default deadline: `working_days` working days after the day it is raised (not counted)."""
    return add_working_days(raised_on, working_days, calendar).on


def check_due_on(due_on: dt.date, today: dt.date) -> str | None:
    if due_on <= today:
        return "办理期限须晚于今天"
    if due_on > today + dt.timedelta(days=366):
        return "办理期限不能超过一年"
    return None
