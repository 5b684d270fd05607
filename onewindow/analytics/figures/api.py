"""`GET /api/analytics/demand` and `GET /api/analytics/operations` (`?from=&to=&region=&department=`): the
analysis pages' tables (the same numbers as the pages and their Excel export). Leaders, supervisors and system
admins; a region or department out of scope is 404, anyone else 403, a wrong date 422
`analytics_period_invalid`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from onewindow import clock
from onewindow.analytics.figures import selectors
from onewindow.analytics.figures.tables import Analysis, demand_for, operations_for
from onewindow.api.auth import api_user
from onewindow.api.schemas import error_responses

router = Router(tags=["领导分析"])


class AnalyticsColumnOut(Schema):
    key: str
    label: str


class AnalyticsTableOut(Schema):
    key: str = Field(description="online_share | by_channel | by_matter | … | times_by_matter | finish_last | …")
    title: str
    columns: list[AnalyticsColumnOut]
    rows: list[dict[str, str | int | float | None]] = Field(
        description="每行按列的 key 取值；时长单位为天，比率为百分数；`<列>_url` 为该格所指办件的页面"
    )
    links: list[dict[str, str]] = Field(
        [],
        description="与 rows 同序：各格背后办件清单的页面（列的 key → 地址）；同一查询串用于 GET /api/analytics/cases",
    )


class AnalyticsOut(Schema):
    from_date: dt.date
    to_date: dt.date
    region_id: int | None
    department_id: int | None
    tables: list[AnalyticsTableOut]


class AnalyticsQuery(Schema):
    first: str = Field("", alias="from", max_length=10, description="开始日期 YYYY-MM-DD（默认近 90 天）")
    last: str = Field("", alias="to", max_length=10, description="结束日期 YYYY-MM-DD（默认今天）")
    region: int | None = Field(None, description="受理地（本辖区内的区划）")
    department: int | None = Field(None, description="部门（本辖区内的部门）")


def _filters(request: HttpRequest, query: AnalyticsQuery) -> selectors.Filters:
    user = api_user(request)
    selectors.analysis_scope(user)
    period = selectors.period_of(query.first, query.last, clock.today())
    return selectors.filters_of(user, period, query.region, query.department)


def _out(analysis: Analysis) -> dict[str, Any]:
    f = analysis.filters
    return {
        "from_date": f.period.first,
        "to_date": f.period.last,
        "region_id": f.region.pk if f.region else None,
        "department_id": f.department.pk if f.department else None,
        "tables": [
            {
                "key": t.key,
                "title": t.title,
                "columns": [{"key": k, "label": label} for k, label in t.columns],
                "rows": t.rows,
                "links": t.links,
            }
            for t in analysis.tables
        ],
    }


RESPONSES = {200: AnalyticsOut, **error_responses(401, 403, 404, 422)}


@router.get("demand", response=RESPONSES, summary="把握公众需求")
def demand(request: HttpRequest, query: Query[AnalyticsQuery]) -> dict[str, Any]:
    """办件量按事项、一件事、部门、受理地、渠道、申请人类型、时段、星期、月份；网上办理率与目标。"""
    return _out(demand_for(api_user(request), _filters(request, query)))


@router.get("operations", response=RESPONSES, summary="规范运行管理")
def operations(request: HttpRequest, query: Query[AnalyticsQuery]) -> dict[str, Any]:
    """本期办结办件的用时（受理、审查、等待申请人、决定）P50、P90，按事项、受理地、部门；按期办结率；延期；
    补正与补正最多的材料；关键路径上最常最后办结的部门；用时最长的办件。"""
    return _out(operations_for(api_user(request), _filters(request, query)))
