"""The campaign endpoints (百日攻坚): list, create (office), detail with progress, add and remove members."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Count
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.responses import Status
from pydantic import field_validator

from onewindow.api.auth import api_user
from onewindow.api.params import parse_date, parse_int
from onewindow.briefings.api.groups import group_member_endpoints
from onewindow.briefings.api.schemas import ERRORS, parse_share
from onewindow.briefings.domain.campaigns import Indicator, MemberFacts
from onewindow.briefings.selectors import campaigns as selectors
from onewindow.briefings.services import campaigns as services
from onewindow.projects.models import Campaign

router = Router(tags=["攻坚行动"])


class CampaignIn(Schema):
    model_config = {"extra": "forbid"}

    name: str = Field(min_length=1, max_length=100)
    starts_on: dt.date
    ends_on: dt.date
    target_starts: int = Field(0, description="目标开工数")
    target_completions: int = Field(0, description="目标竣工数")
    target_investment_share: Decimal = Field(Decimal(0), description="目标投资完成率，0 至 1(0.9 即 90%)")
    codes: list[str] = Field([], max_length=200, description="成员项目编码")

    @field_validator("starts_on", "ends_on", mode="before")
    @classmethod
    def _date(cls, value: Any) -> dt.date:
        return parse_date(value, "日期")

    @field_validator("target_starts", "target_completions", mode="before")
    @classmethod
    def _count(cls, value: Any) -> int:
        return parse_int(value, "目标数", 0, 999999)

    @field_validator("target_investment_share", mode="before")
    @classmethod
    def _share(cls, value: Any) -> Decimal:
        return parse_share(value)


class CampaignOut(Schema):
    id: int
    name: str
    starts_on: dt.date
    ends_on: dt.date
    target_starts: int
    target_completions: int
    target_investment_share: Decimal
    member_count: int


class IndicatorOut(Schema):
    name: str
    actual: str
    target: str
    ratio: Decimal | None = Field(description="实际 / 目标；未设目标为空")
    is_met: bool
    is_on_pace: bool = Field(description="完成比例不低于时间进度")


class MemberOut(Schema):
    project_id: int
    name: str
    district: str
    started: bool = Field(description="期内开工")
    completed: bool = Field(description="期内竣工")
    annual_plan: Decimal
    invested_ytd: Decimal


class ProgressOut(Schema):
    as_of: dt.date = Field(description="投资统计截至日期")
    elapsed_share: Decimal = Field(description="时间进度，0 至 1")
    started: int
    completed: int
    annual_plan: Decimal
    invested: Decimal
    investment_share: Decimal | None
    indicators: list[IndicatorOut]


class CampaignDetailOut(CampaignOut):
    progress: ProgressOut
    members: list[MemberOut] = Field(description="调用者可见的成员项目")
    hidden_count: int = Field(description="调用者不可见的成员项目数（已计入进度）")
    can_manage: bool


def campaign_out(campaign: Campaign, member_count: int) -> dict[str, Any]:
    return {
        "id": campaign.pk,
        "name": campaign.name,
        "starts_on": campaign.starts_on,
        "ends_on": campaign.ends_on,
        "target_starts": campaign.target_starts,
        "target_completions": campaign.target_completions,
        "target_investment_share": campaign.target_investment_share,
        "member_count": member_count,
    }


def _indicator(indicator: Indicator) -> dict[str, Any]:
    return vars(indicator).copy()


def _member(member: MemberFacts) -> dict[str, Any]:
    return vars(member).copy()


def _detail(request: HttpRequest, campaign: Campaign) -> dict[str, Any]:
    user = api_user(request)
    view = selectors.campaign_view(user, campaign, timezone.localdate())
    progress = view.progress
    return {
        **campaign_out(campaign, progress.member_count),
        "progress": {
            "as_of": view.as_of,
            "elapsed_share": progress.elapsed_share.quantize(Decimal("0.0001")),
            "started": progress.started,
            "completed": progress.completed,
            "annual_plan": progress.annual_plan,
            "invested": progress.invested,
            "investment_share": None
            if progress.investment_share is None
            else progress.investment_share.quantize(Decimal("0.0001")),
            "indicators": [_indicator(i) for i in progress.indicators],
        },
        "members": [_member(m) for m in view.members],
        "hidden_count": view.hidden_count,
        "can_manage": selectors.can_manage_campaign(user, campaign),
    }


@router.get("/campaigns", response={200: list[CampaignOut], **ERRORS}, summary="攻坚行动列表")
def campaign_list(request: HttpRequest) -> list[dict[str, Any]]:
    """调用者能看到其中至少一个项目的攻坚行动（重点项目办另见尚无项目的），新的在前，至多 200 个。"""
    campaigns = selectors.campaigns_visible_to(api_user(request)).annotate(member_count=Count("projects"))
    return [campaign_out(c, c.member_count) for c in campaigns.order_by("-starts_on", "-pk")[:200]]


@router.post("/campaigns", response={201: CampaignDetailOut, **ERRORS}, summary="新建攻坚行动")
def campaign_create(request: HttpRequest, payload: CampaignIn) -> Status[dict[str, Any]]:
    """重点项目办新建攻坚行动（起止日期、目标开工数、竣工数、投资完成率与本辖区成员项目）。"""
    campaign = services.campaign_create(
        actor=api_user(request),
        name=payload.name,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        target_starts=payload.target_starts,
        target_completions=payload.target_completions,
        target_investment_share=payload.target_investment_share,
        project_codes=list(dict.fromkeys(code.strip() for code in payload.codes if code.strip())),
    )
    return Status(201, _detail(request, campaign))


@router.get(
    "/campaigns/{int:campaign_id}",
    response={200: CampaignDetailOut, **ERRORS},
    summary="攻坚行动详情与进度",
)
def campaign_detail(request: HttpRequest, campaign_id: int) -> dict[str, Any]:
    """期内开工数、竣工数与投资完成率对照目标及时间进度。无权查看与不存在同为 404（campaign_not_found）。"""
    return _detail(request, selectors.campaign_get_for_user(api_user(request), campaign_id))


group_member_endpoints(
    router,
    path="/campaigns/{int:campaign_id}/members",
    writes=services.WRITES,
    detail=_detail,
    out=CampaignDetailOut,
    label="成员项目",
)
