"""Dispatch cycles in the JSON API (/api/dispatch/): the office's regions and a project's cycle."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from pydantic import StrictInt

from onewindow.api.auth import api_user
from onewindow.dispatch.api.common import ERRORS, Body
from onewindow.dispatch.domain import CYCLE_KIND_LABELS, CycleKind, cutoffs_in_month, period_of
from onewindow.dispatch.selectors.access import require_office
from onewindow.dispatch.selectors.cycles import cycle_for_project, cycle_regions_for, cycle_rows_for
from onewindow.dispatch.services import cycles
from onewindow.errors import NotFound
from onewindow.orgs.models import Organisation, User
from onewindow.projects.selectors import project_get_for_user

router = Router(tags=["调度周期"])


class CycleIn(Body):
    kind: CycleKind = Field(..., description="ten_day 一旬一调度 / monthly 月调度")
    cutoff_day: StrictInt = Field(30, description="月调度的截止日，1 至 31（小月取月末）")
    remind_days_before: StrictInt = Field(2, description="提前几天提醒，0 至 9")


class CycleOut(Schema):
    region_id: int
    region_name: str
    is_own: bool = Field(description="是否为本区划单独设置（否则沿用上级或默认）")
    kind: str
    kind_label: str
    cutoff_day: int
    remind_days_before: int


class PeriodOut(Schema):
    start: dt.date
    end: dt.date


class ProjectCycleOut(Schema):
    kind: str
    kind_label: str
    cutoff_day: int
    remind_days_before: int
    current_period: PeriodOut
    cutoffs_this_month: list[dt.date]


# --- cycles ---------------------------------------------------------------------------------------


@router.get("/cycles", response={200: list[CycleOut], **ERRORS}, summary="调度周期")
def cycle_list(request: HttpRequest) -> list[dict[str, Any]]:
    """重点项目办：本级及下级区划的调度周期（单独设置的或沿用的）。"""
    user = api_user(request)
    require_office(user)
    return [
        {
            "region_id": row.region.pk,
            "region_name": row.region.name,
            "is_own": row.own is not None,
            "kind": row.effective.kind,
            "kind_label": CYCLE_KIND_LABELS[row.effective.kind],
            "cutoff_day": row.effective.cutoff_day,
            "remind_days_before": row.effective.remind_days_before,
        }
        for row in cycle_rows_for(user)
    ]


def _region(user: User, region_id: int) -> Organisation:
    region = cycle_regions_for(user).filter(pk=region_id).first()
    if region is None:
        raise NotFound("未找到该行政区划", code="region_not_found")
    return region


@router.put("/cycles/{int:region_id}", response={200: CycleOut, **ERRORS}, summary="设置调度周期")
def cycle_put(request: HttpRequest, region_id: int, payload: CycleIn) -> dict[str, Any]:
    """重点项目办为本级或下级区划设置调度周期。"""
    user = api_user(request)
    require_office(user)
    row = cycles.cycle_save(
        actor=user,
        region=_region(user, region_id),
        kind=payload.kind,
        cutoff_day=payload.cutoff_day,
        remind_days_before=payload.remind_days_before,
    )
    kind = CycleKind(row.kind)
    return {
        "region_id": region_id,
        "region_name": row.region.name,
        "is_own": True,
        "kind": kind,
        "kind_label": CYCLE_KIND_LABELS[kind],
        "cutoff_day": row.cutoff_day,
        "remind_days_before": row.remind_days_before,
    }


@router.delete("/cycles/{int:region_id}", response={204: None, **ERRORS}, summary="取消单独设置")
def cycle_delete(request: HttpRequest, region_id: int) -> Status[None]:
    """取消本区划单独设置的周期，改为沿用上级（或默认）。"""
    user = api_user(request)
    require_office(user)
    cycles.cycle_clear(actor=user, region=_region(user, region_id))
    return Status(204, None)


@router.get(
    "/projects/{int:project_id}/cycle",
    response={200: ProjectCycleOut, **ERRORS},
    summary="项目的调度周期",
)
def project_cycle(request: HttpRequest, project_id: int) -> dict[str, Any]:
    project = project_get_for_user(api_user(request), project_id)
    cycle = cycle_for_project(project)
    today = timezone.localdate()
    current = period_of(cycle, today)
    return {
        "kind": cycle.kind,
        "kind_label": CYCLE_KIND_LABELS[cycle.kind],
        "cutoff_day": cycle.cutoff_day,
        "remind_days_before": cycle.remind_days_before,
        "current_period": {"start": current.start, "end": current.end},
        "cutoffs_this_month": list(cutoffs_in_month(cycle, today.year, today.month)),
    }
