"""Problems (问题交办) in the JSON API (/api/dispatch/): list, board, raise, answer, confirm, return, escalate.

A problem is visible to whoever sees its project and to the staff of its current unit; otherwise
the same 404 as a missing one. An action the caller's part does not allow is a 403; a step out of
order (answering a closed problem) is a 409.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from pydantic import StrictInt, StrictStr

from onewindow.api.auth import api_user
from onewindow.api.pagination import page_of
from onewindow.dispatch.api.common import ERRORS, Body, DispatchPageQuery
from onewindow.dispatch.domain import (
    PROBLEM_ACTION_LABELS,
    PROBLEM_CATEGORY_LABELS,
    PROBLEM_LEVEL_LABELS,
    PROBLEM_STATUS_LABELS,
    ProblemAction,
    ProblemCategory,
    ProblemLevel,
    ProblemStatus,
    is_overdue,
)
from onewindow.dispatch.models import Problem
from onewindow.dispatch.selectors import problems as selectors
from onewindow.dispatch.services import problems as services
from onewindow.orgs.models import Organisation
from onewindow.projects.selectors import project_get_for_user

router = Router(tags=["问题交办"])


class UnitOut(Schema):
    id: int
    name: str


class ProblemOut(Schema):
    id: int
    project_id: int
    project_name: str
    category: str
    category_label: str
    title: str
    description: str
    level: str
    level_label: str
    status: str
    status_label: str
    unit: UnitOut
    due_on: dt.date
    is_overdue: bool
    raised_on: dt.date
    answer: str
    answered_on: dt.date | None
    closed_on: dt.date | None
    case_id: int | None


class StepOut(Schema):
    action: str
    action_label: str
    level: str
    unit: UnitOut
    note: str
    due_on: dt.date | None
    actor: str | None = Field(description="操作人；自动提级时为空")
    at: dt.datetime


class ProblemDetailOut(ProblemOut):
    steps: list[StepOut]


class ProblemPageOut(Schema):
    count: int
    items: list[ProblemOut]


class UnitCountsOut(Schema):
    unit: UnitOut
    open_count: int = Field(description="未办结（办理中与已答复待确认）")
    overdue_count: int
    closed_count: int
    closed_on_time_count: int


class ProblemQuery(DispatchPageQuery):
    status: ProblemStatus | None = None
    level: ProblemLevel | None = None
    category: ProblemCategory | None = None
    unit: int | None = Field(None, description="责任单位 ID")
    project: int | None = Field(None, description="项目 ID")
    overdue: bool = Field(False, description="仅逾期")


class ProblemIn(Body):
    category: ProblemCategory
    title: StrictStr = Field(..., max_length=200)
    description: StrictStr = Field("", max_length=4000)
    unit_id: StrictInt = Field(..., description="责任单位 ID")
    level: ProblemLevel = Field(ProblemLevel.DISTRICT, description="起始层级:district;市级项目可为 city_department")
    due_on: dt.date | None = Field(None, description="办理期限；留空为默认工作日数之后")
    case_id: StrictInt | None = Field(None, description="关联办件（本项目路径图中的审批办件）")


class AnswerIn(Body):
    answer: StrictStr = Field(..., max_length=4000)


class ProblemNoteIn(Body):
    note: StrictStr = Field("", max_length=4000)


class EscalateIn(Body):
    unit_id: StrictInt = Field(..., description="新的责任单位 ID（本市范围内）")
    due_on: dt.date | None = None
    note: StrictStr = Field("", max_length=4000)


def _unit(unit: Organisation) -> dict[str, Any]:
    return {"id": unit.pk, "name": unit.display_name}


def _problem(problem: Problem, today: dt.date) -> dict[str, Any]:
    status, level = ProblemStatus(problem.status), ProblemLevel(problem.level)
    fields = ("id", "project_id", "title", "description", "due_on", "raised_on", "answer", "answered_on", "closed_on")
    return {name: getattr(problem, name) for name in fields} | {
        "project_name": problem.project.name,
        "category": problem.category,
        "category_label": PROBLEM_CATEGORY_LABELS[ProblemCategory(problem.category)],
        "level": level,
        "level_label": PROBLEM_LEVEL_LABELS[level],
        "status": status,
        "status_label": PROBLEM_STATUS_LABELS[status],
        "unit": _unit(problem.assigned_unit),
        "is_overdue": is_overdue(status, problem.due_on, today),
        "case_id": problem.case_id,
    }


def _detail(problem: Problem) -> dict[str, Any]:
    steps = [
        {
            "action": step.action,
            "action_label": PROBLEM_ACTION_LABELS.get(ProblemAction(step.action), step.action),
            "level": step.level,
            "unit": _unit(step.unit),
            "note": step.note,
            "due_on": step.due_on,
            "actor": str(step.actor) if step.actor else None,
            "at": step.at,
        }
        for step in selectors.problem_steps(problem)
    ]
    return _problem(problem, timezone.localdate()) | {"steps": steps}


@router.get("/problems", response={200: ProblemPageOut, **ERRORS}, summary="问题列表")
def problem_list(request: HttpRequest, params: Query[ProblemQuery]) -> dict[str, Any]:
    """调用者可见的问题（所见项目的问题，以及本单位承办的问题），可筛选。"""
    today = timezone.localdate()
    filters = selectors.ProblemFilters(
        status=params.status,
        level=params.level,
        category=params.category,
        unit=params.unit,
        project=params.project,
        overdue=params.overdue,
    )
    count, rows = page_of(selectors.problem_list(api_user(request), filters, today=today), params)
    return {"count": count, "items": [_problem(p, today) for p in rows]}


@router.get("/problems/board", response={200: list[UnitCountsOut], **ERRORS}, summary="问题看板")
def problem_board(request: HttpRequest) -> list[dict[str, Any]]:
    """按责任单位统计：未办结、已逾期、已办结、按期办结（答复在期限内并经确认）。"""
    today = timezone.localdate()
    rows = selectors.problem_list(api_user(request), selectors.ProblemFilters(), today=today)
    return [
        {
            "unit": _unit(row.unit),
            "open_count": row.open_count,
            "overdue_count": row.overdue_count,
            "closed_count": row.closed_count,
            "closed_on_time_count": row.closed_on_time_count,
        }
        for row in selectors.board_counts(rows, today=today)
    ]


@router.post(
    "/projects/{int:project_id}/problems",
    response={200: ProblemDetailOut, **ERRORS},
    summary="提出问题",
)
def problem_raise(request: HttpRequest, project_id: int, payload: ProblemIn) -> dict[str, Any]:
    """项目服务专班或重点项目办提出问题并交办责任单位。"""
    user = api_user(request)
    project = project_get_for_user(user, project_id)
    new = services.NewProblem(
        category=payload.category,
        title=payload.title,
        description=payload.description,
        unit=Organisation.objects.filter(pk=payload.unit_id).first(),
        level=payload.level,
        due_on=payload.due_on,
        case_id=payload.case_id,
    )
    return _detail(services.problem_raise(actor=user, project=project, new=new))


@router.get("/problems/{int:problem_id}", response={200: ProblemDetailOut, **ERRORS}, summary="问题详情")
def problem_detail(request: HttpRequest, problem_id: int) -> dict[str, Any]:
    return _detail(selectors.problem_get_for_user(api_user(request), problem_id))


@router.post(
    "/problems/{int:problem_id}/answer",
    response={200: ProblemDetailOut, **ERRORS},
    summary="答复",
)
def problem_answer(request: HttpRequest, problem_id: int, payload: AnswerIn) -> dict[str, Any]:
    """责任单位的工作人员答复。"""
    user = api_user(request)
    problem = selectors.problem_get_for_user(user, problem_id)
    return _detail(services.problem_answer(actor=user, problem=problem, answer=payload.answer))


@router.post(
    "/problems/{int:problem_id}/confirm",
    response={200: ProblemDetailOut, **ERRORS},
    summary="确认办结",
)
def problem_confirm(request: HttpRequest, problem_id: int, payload: ProblemNoteIn) -> dict[str, Any]:
    """项目方（服务专班或重点项目办）确认答复，问题办结。"""
    user = api_user(request)
    problem = selectors.problem_get_for_user(user, problem_id)
    return _detail(services.problem_confirm(actor=user, problem=problem, note=payload.note))


@router.post(
    "/problems/{int:problem_id}/return",
    response={200: ProblemDetailOut, **ERRORS},
    summary="退回重办",
)
def problem_return(request: HttpRequest, problem_id: int, payload: ProblemNoteIn) -> dict[str, Any]:
    """项目方不认可答复，须填写理由；问题回到办理中，期限不变。"""
    user = api_user(request)
    problem = selectors.problem_get_for_user(user, problem_id)
    return _detail(services.problem_return(actor=user, problem=problem, note=payload.note))


@router.post(
    "/problems/{int:problem_id}/escalate",
    response={200: ProblemDetailOut, **ERRORS},
    summary="提级调度",
)
def problem_escalate(request: HttpRequest, problem_id: int, payload: EscalateIn) -> dict[str, Any]:
    """市重点项目办把办理中的问题提升一级（区县 → 市直部门 → 市领导），指定新的责任单位和期限。"""
    user = api_user(request)
    problem = selectors.problem_get_for_user(user, problem_id)
    unit = Organisation.objects.filter(pk=payload.unit_id).first()
    moved = services.problem_escalate(actor=user, problem=problem, unit=unit, due_on=payload.due_on, note=payload.note)
    return _detail(moved)
