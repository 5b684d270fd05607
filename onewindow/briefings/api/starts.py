"""The concentrated-start endpoints (集中开工): list, create (office), detail, add and remove projects."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status
from pydantic import field_validator

from onewindow.api.auth import api_user
from onewindow.api.params import parse_date
from onewindow.briefings.api.groups import group_member_endpoints
from onewindow.briefings.api.schemas import ERRORS
from onewindow.briefings.selectors import starts as selectors
from onewindow.briefings.services import starts as services
from onewindow.projects.models import Project, StartEvent

router = Router(tags=["集中开工"])


class StartEventIn(Schema):
    model_config = {"extra": "forbid"}

    name: str = Field(min_length=1, max_length=100)
    held_on: dt.date
    venue: str = Field("", max_length=200, description="主会场")
    codes: list[str] = Field([], max_length=200, description="开工项目编码")

    @field_validator("held_on", mode="before")
    @classmethod
    def _date(cls, value: Any) -> dt.date:
        return parse_date(value, "开工日期")


class StartEventOut(Schema):
    id: int
    name: str
    held_on: dt.date
    venue: str
    project_count: int
    total_investment: Decimal = Field(description="全部开工项目的总投资（万元）")


class StartProjectOut(Schema):
    id: int
    code: str
    name: str
    district: str
    phase: str
    total_investment: Decimal
    actual_start: dt.date | None


class StartEventDetailOut(StartEventOut):
    projects: list[StartProjectOut] = Field(description="调用者可见的开工项目")
    hidden_count: int
    can_manage: bool


def _project(project: Project) -> dict[str, Any]:
    return {
        "id": project.pk,
        "code": project.code,
        "name": project.name,
        "district": project.district.name,
        "phase": project.phase,
        "total_investment": project.total_investment,
        "actual_start": project.actual_start,
    }


def _detail(request: HttpRequest, event: StartEvent) -> dict[str, Any]:
    user = api_user(request)
    view = selectors.start_event_view(user, event)
    return {
        "id": event.pk,
        "name": event.name,
        "held_on": event.held_on,
        "venue": event.venue,
        "project_count": view.project_count,
        "total_investment": view.total_investment,
        "projects": [_project(p) for p in view.projects],
        "hidden_count": view.hidden_count,
        "can_manage": selectors.can_manage_start_event(user, event),
    }


@router.get("/starts", response={200: list[StartEventOut], **ERRORS}, summary="集中开工列表")
def start_list(request: HttpRequest) -> list[dict[str, Any]]:
    """调用者能看到其中至少一个项目的活动（重点项目办另见尚无项目的），新的在前，至多 200 个。"""
    events = selectors.start_event_list(api_user(request))[:200]
    return [
        {
            "id": e.pk,
            "name": e.name,
            "held_on": e.held_on,
            "venue": e.venue,
            "project_count": e.project_count,  # type: ignore[attr-defined]
            "total_investment": e.total_investment or Decimal(0),  # type: ignore[attr-defined]
        }
        for e in events
    ]


@router.post("/starts", response={201: StartEventDetailOut, **ERRORS}, summary="新建集中开工活动")
def start_create(request: HttpRequest, payload: StartEventIn) -> Status[dict[str, Any]]:
    event = services.start_event_create(
        actor=api_user(request),
        name=payload.name,
        held_on=payload.held_on,
        venue=payload.venue,
        project_codes=list(dict.fromkeys(code.strip() for code in payload.codes if code.strip())),
    )
    return Status(201, _detail(request, event))


@router.get("/starts/{int:event_id}", response={200: StartEventDetailOut, **ERRORS}, summary="活动详情")
def start_detail(request: HttpRequest, event_id: int) -> dict[str, Any]:
    """开工项目及其总投资。无权查看与不存在同为 404（start_event_not_found）。"""
    return _detail(request, selectors.start_event_get_for_user(api_user(request), event_id))


group_member_endpoints(
    router,
    path="/starts/{int:event_id}/projects",
    writes=services.WRITES,
    detail=_detail,
    out=StartEventDetailOut,
    label="开工项目",
)
