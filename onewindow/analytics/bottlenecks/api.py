"""`GET /api/analytics/bottlenecks` (`?from=&to=&region=&department=`: staff workload) and `GET
/api/analytics/what-if` (`?bundle=&department=&days=&from=&to=&region=`: the bundle's cases decided in the
period replayed with the department's review shortened by `days` working days; the figures count them all, the
replayed cases come a page at a time, `limit` and `offset`). The same numbers as the
page and its export. Leaders, supervisors and system admins; a region, department or bundle out of scope 404,
anyone else 403, a wrong date or what-if 422."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from onewindow import clock
from onewindow.analytics.bottlenecks import selectors
from onewindow.analytics.bottlenecks.tables import what_if_for, workload_for
from onewindow.analytics.figures import selectors as figures
from onewindow.analytics.figures.tables import Analysis
from onewindow.api.auth import api_user
from onewindow.api.pagination import PageQuery, limit_field
from onewindow.api.schemas import error_responses

router = Router(tags=["领导分析"])
MOST_CASES = 500  # replayed cases a page: a year's bundle cases of a large city are tens of thousands


class AnalyticsBottleneckColumnOut(Schema):
    key: str
    label: str


class AnalyticsBottleneckTableOut(Schema):
    key: str = Field(description="workload_by_department | workload_by_reviewer | what_if_summary | …")
    title: str
    columns: list[AnalyticsBottleneckColumnOut]
    rows: list[dict[str, str | int | float | None]] = Field(description="每行按列的 key 取值；时长单位为工作日")
    links: list[dict[str, str]] = Field(
        [], description="与 rows 同序：各格背后办件清单的页面；同一查询串用于 GET /api/analytics/cases"
    )


class AnalyticsBottleneckOut(Schema):
    from_date: dt.date
    to_date: dt.date
    region_id: int | None
    department_id: int | None
    tables: list[AnalyticsBottleneckTableOut]


class AnalyticsBottleneckQuery(Schema):
    first: str = Field("", alias="from", max_length=10, description="开始日期 YYYY-MM-DD（默认近 90 天）")
    last: str = Field("", alias="to", max_length=10, description="结束日期 YYYY-MM-DD（默认今天）")
    region: int | None = Field(None, description="受理地（本辖区内的区划）")
    department: int | None = Field(None, description="部门（本辖区内的部门）")


class AnalyticsWhatIfQuery(PageQuery):
    limit: int = limit_field(100, most=MOST_CASES)
    bundle: int | None = Field(None, description="一件事")
    department: int | None = Field(None, description="审查缩短的部门（本辖区内）")
    days: str = Field("", max_length=4, description="缩短的工作日数（1–60）")
    first: str = Field("", alias="from", max_length=10, description="开始日期 YYYY-MM-DD（默认近 90 天）")
    last: str = Field("", alias="to", max_length=10, description="结束日期 YYYY-MM-DD（默认今天）")
    region: int | None = Field(None, description="受理地（本辖区内的区划）")


class AnalyticsWhatIfCaseOut(Schema):
    case_id: int
    saved_days: int
    decided_on: dt.date
    replayed_on: dt.date
    due_on: dt.date | None
    involved: bool


class AnalyticsWhatIfOut(AnalyticsBottleneckOut):
    bundle_id: int
    what_if_department_id: int
    days: int
    case_count: int = Field(description="重放的办件数（本期办结的该一件事办件）")
    limit: int
    offset: int
    cases: list[AnalyticsWhatIfCaseOut] = Field(
        description="本页的重放办件：节省最多的在前，再按办件 id；与表 what_if_cases 的行同序"
    )


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
                "columns": [{"key": k, "label": v} for k, v in t.columns],
                "rows": t.rows,
                "links": t.links,
            }
            for t in analysis.tables
        ],
    }


@router.get(
    "bottlenecks", response={200: AnalyticsBottleneckOut, **error_responses(401, 403, 404, 422)}, summary="工作量"
)
def bottlenecks(request: HttpRequest, query: Query[AnalyticsBottleneckQuery]) -> dict[str, Any]:
    """各部门、各经办人的在办审查任务（数量、黄灯、红灯、在办时长）、未分派任务，本期办结任务与审查用时中位数。"""
    user = api_user(request)
    figures.analysis_scope(user)
    period = figures.period_of(query.first, query.last, clock.today())
    return _out(workload_for(user, figures.filters_of(user, period, query.region, query.department)))


@router.get("what-if", response={200: AnalyticsWhatIfOut, **error_responses(401, 403, 404, 422)}, summary="推演")
def what_if(request: HttpRequest, query: Query[AnalyticsWhatIfQuery]) -> dict[str, Any]:
    """若某部门审查少用 N 个工作日，本期办结的一件事办件按阶段逐件重放：提前办结的办件、节省天数、按期率。"""
    user = api_user(request)
    figures.analysis_scope(user)
    period = figures.period_of(query.first, query.last, clock.today())
    filters = figures.filters_of(user, period, query.region, None)
    ask = selectors.what_if_ask(user, query.bundle, query.department, query.days)
    analysis, results = what_if_for(user, filters, ask, slice(query.offset, query.offset + query.limit))
    return _out(analysis) | {
        "bundle_id": ask.bundle.pk,
        "what_if_department_id": ask.department.pk,
        "days": ask.days,
        "case_count": analysis.table("what_if_cases").row_count,
        "limit": query.limit,
        "offset": query.offset,
        "cases": [
            {
                "case_id": r.case,
                "saved_days": r.saved_days,
                "decided_on": r.decided_on,
                "replayed_on": r.replayed_on,
                "due_on": r.due_on,
                "involved": r.involved,
            }
            for r in results
        ],
    }
