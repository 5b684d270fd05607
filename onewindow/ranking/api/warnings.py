"""Warnings (list, acknowledge, rectify), assessment scores and the dashboards' data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from onewindow.api.auth import api_user
from onewindow.errors import PermissionDenied
from onewindow.orgs.models import User
from onewindow.ranking import selectors
from onewindow.ranking.api.common import ERRORS, Body, ranking_user
from onewindow.ranking.domain import Window, parse_period, period_label
from onewindow.ranking.domain.assessment import window_start
from onewindow.ranking.domain.periods import period_of
from onewindow.ranking.models import AssessmentScore, Warning
from onewindow.ranking.services.warnings import warning_acknowledge, warning_add_rectification

router = Router(tags=["预警与考核"])


def _warnings_user(request: HttpRequest) -> User:
    user = api_user(request)
    if not selectors.can_open_warnings(user):
        raise PermissionDenied("您没有查看预警的权限", code="warnings_forbidden")
    return user


class NoteOut(Schema):
    note: str
    written_by: str
    written_at: dt.datetime


class WarningOut(Schema):
    id: int
    district_id: int
    district: str
    period: str = Field(description="月份 YYYY-MM")
    level: str = Field(description="yellow 黄色预警、red 红色预警、organisational 组织处理建议")
    level_label: str
    streak: int = Field(description="连续末位且未达标的期数")
    rule_version: int
    issued_at: dt.datetime
    acknowledged_at: dt.datetime | None
    acknowledged_by: str | None
    withdrawn_at: dt.datetime | None = Field(description="重算后不再成立时的撤销时间")
    rectification_notes: list[NoteOut]
    can_handle: bool = Field(description="调用者能否签收和填写整改（被预警区县的重点项目办）")


def _warning(warning: Warning, handled: set[int]) -> dict[str, Any]:
    return {
        "id": warning.pk,
        "district_id": warning.district_id,
        "district": warning.district.name,
        "period": period_label(warning.period),
        "level": warning.level,
        "level_label": warning.get_level_display(),
        "streak": warning.streak,
        "rule_version": warning.rule_version.number,
        "issued_at": warning.issued_at,
        "acknowledged_at": warning.acknowledged_at,
        "acknowledged_by": str(warning.acknowledged_by) if warning.acknowledged_by else None,
        "withdrawn_at": warning.withdrawn_at,
        "rectification_notes": [
            {"note": n.note, "written_by": str(n.written_by), "written_at": n.written_at}
            for n in warning.rectification_notes.all()
        ],
        "can_handle": warning.district_id in handled,
    }


@router.get("/warnings", response={200: list[WarningOut], **ERRORS}, summary="预警")
def warnings(request: HttpRequest) -> list[dict[str, Any]]:
    """重点项目办：本级及下级区县的预警；领导：其包联项目所在区县的预警。"""
    user = _warnings_user(request)
    handled = selectors.handled_district_ids(user)
    return [_warning(w, handled) for w in selectors.warnings_visible_to(user)[:200]]


def _after(request: HttpRequest, warning_id: int) -> dict[str, Any]:
    user = api_user(request)
    return _warning(selectors.warning_get_for_user(user, warning_id), selectors.handled_district_ids(user))


@router.post(
    "/warnings/{int:warning_id}/acknowledge",
    response={200: WarningOut, **ERRORS},
    summary="签收预警",
)
def acknowledge(request: HttpRequest, warning_id: int) -> dict[str, Any]:
    """被预警区县的重点项目办签收（一次）。"""
    user = _warnings_user(request)
    warning_acknowledge(warning=selectors.warning_get_for_user(user, warning_id), actor=user)
    return _after(request, warning_id)


class RectificationIn(Body):
    note: str = Field(..., max_length=2000, description="整改情况")


@router.post(
    "/warnings/{int:warning_id}/rectifications",
    response={201: WarningOut, **ERRORS},
    summary="填写整改情况",
)
def rectify(request: HttpRequest, warning_id: int, body: RectificationIn) -> Status[dict[str, Any]]:
    """签收后由被预警区县的重点项目办填写；记录只增不改。"""
    user = _warnings_user(request)
    warning_add_rectification(warning=selectors.warning_get_for_user(user, warning_id), actor=user, note=body.note)
    return Status(201, _after(request, warning_id))


class AssessmentQuery(Schema):
    period: str = Field(..., max_length=7, description="截至月份 YYYY-MM")
    window: Window = Field(Window.MONTH, description="month 月度、quarter 季度、year 年度")
    subject: AssessmentScore.Subject = Field(
        AssessmentScore.Subject.DISTRICT, description="district 区县、department 部门"
    )


class AssessmentOut(Schema):
    id: int
    organisation_id: int
    organisation: str
    window: str
    period: str = Field(description="考核周期起始月份")
    as_of: str = Field(description="截至月份")
    score: Decimal | None
    position: int | None
    indicators: dict[str, Any] = Field(description="各指标:numerator 实际、denominator 应达、score 得分")
    rule_version: int


@router.get("/assessment", response={200: list[AssessmentOut], **ERRORS}, summary="考核得分")
def assessment(request: HttpRequest, params: Query[AssessmentQuery]) -> list[dict[str, Any]]:
    user = ranking_user(request)
    start = window_start(params.window, parse_period(params.period))
    scores = selectors.assessment_scores_for(user, window=params.window, period=start, subject=params.subject)
    return [
        {
            "id": s.pk,
            "organisation_id": s.organisation_id,
            "organisation": s.organisation.display_name,
            "window": s.window,
            "period": period_label(s.period),
            "as_of": period_label(s.as_of),
            "score": s.score,
            "position": s.position,
            "indicators": s.indicators,
            "rule_version": s.rule_version.number,
        }
        for s in scores[:500]
    ]


class DashboardQuery(Schema):
    period: str | None = Field(None, max_length=7, description="月份 YYYY-MM；不填为最近计算的月份")


class DashboardOut(Schema):
    year: int
    months: list[str]
    completion: list[dict[str, Any]] = Field(description="各区县按月投资完成率 %:{district, values}")
    period: str | None
    classes: list[dict[str, Any]] = Field(description="该月项目分类分布")
    problems: list[dict[str, Any]] = Field(description="各责任单位问题:open 办理中、overdue 已逾期、closed 已办结")


@router.get("/dashboard", response={200: DashboardOut, **ERRORS}, summary="看板数据")
def dashboard(request: HttpRequest, params: Query[DashboardQuery]) -> dict[str, Any]:
    user = ranking_user(request)
    period = parse_period(params.period) if params.period else selectors.latest_ranked_period()
    year = (period or period_of(timezone.localdate())).year
    return selectors.dashboard_data(user, year, period, today=timezone.localdate())
