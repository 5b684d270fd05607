"""The roadmap endpoints (推进路径图): read, replace (reverse-scheduled), publish, actual dates, and
linking approval cases (which puts them on the green channel with the project's agent)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status
from pydantic import field_validator

from onewindow.api.auth import api_user
from onewindow.api.params import parse_bool, parse_int, parse_optional_date
from onewindow.errors import NotFound
from onewindow.orgs.models import User
from onewindow.projects import selectors
from onewindow.projects.api.registry import user_out
from onewindow.projects.api.schemas import ERRORS, UserOut
from onewindow.projects.domain import MAX_DURATION_DAYS, MAX_MILESTONES, MILESTONE_KIND_LABELS
from onewindow.projects.selectors.roadmap import LinkedCase, MilestoneRow, RoadmapView, roadmap_view
from onewindow.projects.services import roadmap as services
from onewindow.workdays.schemas import provisional_field, provisional_resolver

router = Router(tags=["推进路径图"])


class SlippageOut(Schema):
    state: str = Field(description="done_on_time 按期完成、done_late 滞后完成、overdue 已超期、pending 未到期")
    label: str
    days: int = Field(description="滞后天数（日历日）")


class LinkedCaseOut(Schema):
    id: int
    number: str
    title: str
    status: str
    status_label: str
    due_on: dt.date | None = Field(description="办结期限（受理前为受理期限）")
    due_on_provisional: bool = provisional_field("办结期限")
    resolve_due_on_provisional = provisional_resolver("due_on")
    remaining_days: int | None = Field(description="剩余工作日，超期为负")
    warning_level: str
    warning_label: str
    is_green_channel: bool


class MilestoneOut(Schema):
    id: int
    position: int
    kind: str
    kind_label: str
    name: str
    duration_days: int
    counts_working_days: bool
    latest_start_on: dt.date | None = Field(description="最迟开始（倒排）")
    latest_on: dt.date | None = Field(description="最迟完成（倒排）")
    provisional: bool = Field(description="跨越节假日安排未公布的年度，暂按周末计算")
    planned_on: dt.date | None
    actual_on: dt.date | None
    slippage: SlippageOut
    cases: list[LinkedCaseOut]


class RoadmapOut(Schema):
    target_on: dt.date
    is_published: bool
    published_at: dt.datetime | None
    slippage_days: int
    agent: UserOut | None = Field(description="审批办件的代办员：项目首席服务人")
    milestones: list[MilestoneOut]


class MilestoneIn(Schema):
    model_config = {"extra": "forbid"}

    id: int | None = Field(None, description="已有节点的 id（保留其实际完成日期和关联办件）；新节点不填")
    kind: str = Field(
        description="类型：" + "、".join(f"{k.value} {label}" for k, label in MILESTONE_KIND_LABELS.items())
    )
    name: str = Field(max_length=100)
    duration_days: int = Field(description=f"所需天数，0 至 {MAX_DURATION_DAYS}；审批节点按工作日计")
    counts_working_days: bool = False
    planned_on: dt.date | None = None

    @field_validator("duration_days", mode="before")
    @classmethod
    def _days(cls, value: Any) -> int:
        return parse_int(value, "所需天数 duration_days", 0, MAX_DURATION_DAYS)

    @field_validator("counts_working_days", mode="before")
    @classmethod
    def _working(cls, value: Any) -> bool:
        return parse_bool(value, "按工作日计 counts_working_days")

    @field_validator("planned_on", mode="before")
    @classmethod
    def _planned(cls, value: Any) -> dt.date | None:
        return parse_optional_date(value, "计划完成 planned_on")


class RoadmapIn(Schema):
    model_config = {"extra": "forbid"}

    target_on: dt.date = Field(description="目标日期：最后一个节点在此日完成")
    milestones: list[MilestoneIn] = Field(max_length=MAX_MILESTONES, description="按先后顺序；整体替换")

    @field_validator("target_on", mode="before")
    @classmethod
    def _target(cls, value: Any) -> dt.date | None:
        return parse_optional_date(value, "目标日期 target_on")


class PublishIn(Schema):
    model_config = {"extra": "forbid"}

    published: bool = True

    @field_validator("published", mode="before")
    @classmethod
    def _published(cls, value: Any) -> bool:
        return parse_bool(value, "published")


class ActualIn(Schema):
    model_config = {"extra": "forbid"}

    actual_on: dt.date | None = Field(description="实际完成日期，不晚于今天；null 清除")

    @field_validator("actual_on", mode="before")
    @classmethod
    def _actual(cls, value: Any) -> dt.date | None:
        return parse_optional_date(value, "实际完成 actual_on")


class LinkCaseIn(Schema):
    model_config = {"extra": "forbid"}

    case_number: str = Field(min_length=1, max_length=40, description="办件编号")


def _case(linked: LinkedCase) -> dict[str, Any]:
    case = linked.case
    return {
        "id": case.pk,
        "number": case.number,
        "title": case.title,
        "status": case.status,
        "status_label": linked.status_label,
        "due_on": linked.due_on,
        "remaining_days": linked.remaining_days,
        "warning_level": linked.warning,
        "warning_label": linked.warning_label,
        "is_green_channel": case.is_green_channel,
    }


def _milestone(row: MilestoneRow) -> dict[str, Any]:
    m = row.milestone
    return {
        **{f: getattr(m, f) for f in ("position", "kind", "name", "duration_days", "counts_working_days")},
        "id": m.pk,
        "kind_label": row.kind_label,
        "latest_start_on": row.latest_start_on,
        "latest_on": m.latest_on,
        "provisional": row.provisional,
        "planned_on": m.planned_on,
        "actual_on": m.actual_on,
        "slippage": {"state": row.slippage.state.value, "label": row.slip_label, "days": row.slippage.days},
        "cases": [_case(linked) for linked in row.cases],
    }


def _roadmap(view: RoadmapView) -> dict[str, Any]:
    roadmap = view.roadmap
    if roadmap is None:
        raise NotFound("该项目尚未编制推进路径图", code="roadmap_not_found")
    return {
        "target_on": roadmap.target_on,
        "is_published": roadmap.is_published,
        "published_at": roadmap.published_at,
        "slippage_days": view.slippage_days,
        "agent": user_out(view.agent),
        "milestones": [_milestone(row) for row in view.rows],
    }


def _readable(user: User, project_id: int) -> RoadmapView:
    project = selectors.project_get_for_user(user, project_id)
    view = roadmap_view(project)
    if not view.is_published and view.roadmap is not None and not selectors.is_project_office_for(user, project):
        raise NotFound("该项目的推进路径图尚未发布", code="roadmap_not_published")
    return view


def _office_view(user: User, project_id: int) -> dict[str, Any]:
    return _roadmap(roadmap_view(selectors.project_get_for_office(user, project_id)))


@router.get(
    "/projects/{int:project_id}/roadmap",
    response={200: RoadmapOut, **ERRORS},
    summary="推进路径图",
)
def roadmap_get(request: HttpRequest, project_id: int) -> dict[str, Any]:
    """各节点最迟开始、最迟完成（倒排）、计划与实际完成、滞后情况，审批节点关联办件的实时状态、期限与预警。
    未发布的路径图只有重点项目办可见（404 roadmap_not_published）。"""
    return _roadmap(_readable(api_user(request), project_id))


@router.put(
    "/projects/{int:project_id}/roadmap",
    response={200: RoadmapOut, **ERRORS},
    summary="编制推进路径图",
)
def roadmap_put(request: HttpRequest, project_id: int, payload: RoadmapIn) -> dict[str, Any]:
    """设置目标日期并整体替换节点（同一事务），按倒排工期重新计算各节点最迟完成日期。"""
    user = api_user(request)
    project = selectors.project_get_for_office(user, project_id)
    milestones = [services.MilestoneInput(**m.model_dump()) for m in payload.milestones]
    services.roadmap_set(actor=user, project=project, target_on=payload.target_on, milestones=milestones)
    return _office_view(user, project_id)


@router.post(
    "/projects/{int:project_id}/roadmap/publish",
    response={200: RoadmapOut, **ERRORS},
    summary="发布或撤回推进路径图",
)
def roadmap_publish(request: HttpRequest, project_id: int, payload: PublishIn) -> dict[str, Any]:
    """发布后公开页面 /projects/roadmaps/<项目编码>/ 可访问（不含人员和办件编号）。"""
    user = api_user(request)
    project = selectors.project_get_for_office(user, project_id)
    services.roadmap_publish(actor=user, project=project, publish=payload.published)
    return _office_view(user, project_id)


@router.post(
    "/projects/{int:project_id}/milestones/{int:milestone_id}/actual",
    response={200: RoadmapOut, **ERRORS},
    summary="登记节点实际完成日期",
)
def milestone_actual(request: HttpRequest, project_id: int, milestone_id: int, payload: ActualIn) -> dict[str, Any]:
    user = api_user(request)
    project = selectors.project_get_for_office(user, project_id)
    services.milestone_record_actual(
        actor=user, project=project, milestone_id=milestone_id, actual_on=payload.actual_on
    )
    return _office_view(user, project_id)


@router.post(
    "/projects/{int:project_id}/milestones/{int:milestone_id}/cases",
    response={201: RoadmapOut, **ERRORS},
    summary="关联审批办件",
)
def milestone_link_case(
    request: HttpRequest, project_id: int, milestone_id: int, payload: LinkCaseIn
) -> Status[dict[str, Any]]:
    """按办件编号关联到审批节点；在办办件纳入绿色通道，代办员为项目首席服务人。
    办件须在调用者可见范围内（404 case_not_found）；非审批节点 409 milestone_not_approval。"""
    user = api_user(request)
    project = selectors.project_get_for_office(user, project_id)
    services.milestone_link_case(
        actor=user, project=project, milestone_id=milestone_id, case_number=payload.case_number
    )
    return Status(201, _office_view(user, project_id))


@router.delete(
    "/projects/{int:project_id}/milestones/{int:milestone_id}/cases/{int:case_id}",
    response={204: None, **ERRORS},
    summary="取消关联审批办件",
)
def milestone_unlink_case(request: HttpRequest, project_id: int, milestone_id: int, case_id: int) -> Status[None]:
    user = api_user(request)
    project = selectors.project_get_for_office(user, project_id)
    services.milestone_unlink_case(actor=user, project=project, milestone_id=milestone_id, case_id=case_id)
    return Status(204, None)
