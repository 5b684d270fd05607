"""Periods, runs, rule versions, project classes, district ranks and the public board."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from onewindow.api.pagination import page_body, page_rows
from onewindow.errors import PermissionDenied
from onewindow.jobs.api import JobOut, job_out
from onewindow.jobs.services import job_start
from onewindow.ranking import selectors
from onewindow.ranking.api.common import ERRORS, Body, RankingPageQuery, ranking_user
from onewindow.ranking.domain import parse_period, period_label
from onewindow.ranking.domain.periods import check_not_future
from onewindow.ranking.models import DistrictRank, ProjectRank, RankingRun
from onewindow.ranking.services.rules import rule_version_create
from onewindow.ranking.tasks import RECOMPUTE_JOB, ranking_recompute_job

router = Router(tags=["量化排位"])


# --- periods, runs, rules -------------------------------------------------------------------------


class RunOut(Schema):
    period: str = Field(description="月份 YYYY-MM")
    rule_version: int = Field(description="规则版本号")
    ran_at: dt.datetime
    project_count: int
    district_count: int
    warning_count: int


def _run(run: RankingRun) -> dict[str, Any]:
    return {
        "period": period_label(run.period),
        "rule_version": run.rule_version.number,
        "ran_at": run.ran_at,
        "project_count": run.project_count,
        "district_count": run.district_count,
        "warning_count": run.warning_count,
    }


@router.get("/periods", response={200: list[RunOut], **ERRORS}, summary="已计算的月份")
def periods(request: HttpRequest) -> list[dict[str, Any]]:
    ranking_user(request)
    return [_run(run) for run in RankingRun.objects.select_related("rule_version").order_by("-period")[:240]]


class RunIn(Body):
    period: str = Field(..., max_length=7, description="月份 YYYY-MM")


@router.post("/runs", response={202: JobOut, **ERRORS}, summary="重新计算一个月（后台作业）")
def run(request: HttpRequest, body: RunIn) -> Status[dict[str, Any]]:
    """市重点项目办：在后台重算该月项目分类、区县排位、预警与考核（幂等），并依次重算其后已计算的月份。
    返回后台作业；用 `GET /api/jobs/{id}` 查询进度，完成后 `result` 含该月的计算结果与 `later_periods`
    （随之重算的其后月份）。"""
    user = ranking_user(request)
    if not selectors.is_city_office(user):
        raise PermissionDenied("只有市重点项目办可以重新计算排位", code="ranking_run_forbidden")
    period = parse_period(body.period)
    check_not_future(period, today=timezone.localdate())
    job = job_start(kind=RECOMPUTE_JOB, actor=user, task=ranking_recompute_job, period=period_label(period))
    return Status(202, job_out(job))


class RuleVersionOut(Schema):
    number: int
    effective_from: str = Field(description="生效月份 YYYY-MM")
    note: str
    rules: dict[str, Any] = Field(description="完整规则（阈值与权重）")
    created_at: dt.datetime


class RuleVersionIn(Body):
    effective_from: str = Field(..., max_length=7, description="生效月份 YYYY-MM")
    rules: dict[str, Any] = Field(..., description="规则；未给出的项取默认值，未知项或越界数值逐项报错")
    note: str = Field("", max_length=200)


def _version(version: Any) -> dict[str, Any]:
    return {
        "number": version.number,
        "effective_from": period_label(version.effective_from),
        "note": version.note,
        "rules": version.rules,
        "created_at": version.created_at,
    }


@router.get("/rule-versions", response={200: list[RuleVersionOut], **ERRORS}, summary="规则版本")
def rule_versions(request: HttpRequest) -> list[dict[str, Any]]:
    ranking_user(request)
    return [_version(v) for v in selectors.rule_versions()[:100]]


@router.post("/rule-versions", response={201: RuleVersionOut, **ERRORS}, summary="新增规则版本")
def rule_version_add(request: HttpRequest, body: RuleVersionIn) -> Status[dict[str, Any]]:
    user = ranking_user(request)
    period = parse_period(body.effective_from, field="effective_from")
    return Status(
        201, _version(rule_version_create(actor=user, effective_from=period, rules=body.rules, note=body.note))
    )


# --- project classes and district ranks ----------------------------------------------------------


class ProjectRankOut(Schema):
    project_id: int
    project_code: str
    project_name: str
    district: str
    phase: str
    rank_class: str = Field(description="ahead 超序时、normal 正常推进、lagging 滞后、no_progress 无进展")
    rank_class_label: str
    reason: str
    reason_label: str
    annual_plan: Decimal = Field(description="年度计划投资（万元）")
    invested_year_to_date: Decimal
    invested_in_period: Decimal
    completion_pct: Decimal | None = Field(description="投资完成率 %")
    elapsed_pct: Decimal = Field(description="序时进度 %")
    gap_points: Decimal | None = Field(description="完成率与序时进度之差（百分点）")
    slippage_days: int = Field(description="最滞后的到期节点滞后天数")
    milestone_reached: bool
    has_report: bool
    report_on_time: bool
    rule_version: int


class ProjectRankPageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[ProjectRankOut]


def _project_rank(rank: ProjectRank) -> dict[str, Any]:
    return {
        "project_id": rank.project_id,
        "project_code": rank.project.code,
        "project_name": rank.project.name,
        "district": rank.district.name,
        "phase": rank.phase,
        "rank_class": rank.rank_class,
        "rank_class_label": rank.get_rank_class_display(),
        "reason": rank.reason,
        "reason_label": rank.get_reason_display(),
        "rule_version": rank.rule_version.number,
        **{
            name: getattr(rank, name)
            for name in (
                "annual_plan",
                "invested_year_to_date",
                "invested_in_period",
                "completion_pct",
                "elapsed_pct",
                "gap_points",
                "slippage_days",
                "milestone_reached",
                "has_report",
                "report_on_time",
            )
        },
    }


@router.get(
    "/periods/{period}/projects",
    response={200: ProjectRankPageOut, **ERRORS},
    summary="项目分类",
)
def project_ranks(request: HttpRequest, period: str, params: Query[RankingPageQuery]) -> dict[str, Any]:
    """调用者可见项目在该月的分类，附全部输入与规则版本。"""
    ranks = selectors.project_ranks_for(ranking_user(request), parse_period(period))
    if params.rank_class:
        ranks = ranks.filter(rank_class=params.rank_class)
    return page_body(ranks, params, _project_rank)


class DistrictRankOut(Schema):
    district_id: int
    district: str
    position: int
    score: Decimal
    target_met: bool = Field(description="累计完成是否达到序时目标")
    annual_plan: Decimal
    invested_year_to_date: Decimal
    target_amount: Decimal
    completion_pct: Decimal | None
    elapsed_pct: Decimal
    class_counts: dict[str, int]
    components: dict[str, Any] = Field(description="得分构成（各项 0–100）")
    last_unmet_streak: int = Field(description="连续末位且未达标的期数")
    rule_version: int


def _district_rank(rank: DistrictRank) -> dict[str, Any]:
    return {
        "district_id": rank.district_id,
        "district": rank.district.name,
        "class_counts": {
            "ahead": rank.ahead_count,
            "normal": rank.normal_count,
            "lagging": rank.lagging_count,
            "no_progress": rank.no_progress_count,
        },
        "rule_version": rank.rule_version.number,
        **{
            name: getattr(rank, name)
            for name in (
                "position",
                "score",
                "target_met",
                "annual_plan",
                "invested_year_to_date",
                "target_amount",
                "completion_pct",
                "elapsed_pct",
                "components",
                "last_unmet_streak",
            )
        },
    }


@router.get(
    "/periods/{period}/districts",
    response={200: list[DistrictRankOut], **ERRORS},
    summary="区县排位",
)
def district_ranks(request: HttpRequest, period: str) -> list[dict[str, Any]]:
    ranking_user(request)
    return [_district_rank(rank) for rank in selectors.district_ranks(parse_period(period))]


class BoardProjectOut(Schema):
    code: str
    name: str
    district: str
    rank_class: str


@router.get("/board/{period}", response={200: list[BoardProjectOut], **ERRORS}, auth=None, summary="进度牌（公开）")
def board(request: HttpRequest, period: str, params: Query[RankingPageQuery]) -> list[dict[str, Any]]:
    """公开的进度牌：项目名称、区县与分类，不含人员信息。"""
    rows = page_rows(selectors.board_rows(parse_period(period)), params.limit, params.offset)
    return [
        {"code": r.project.code, "name": r.project.name, "district": r.district.name, "rank_class": r.rank_class}
        for r in rows
    ]
