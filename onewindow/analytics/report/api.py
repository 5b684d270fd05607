"""`GET /api/analytics/report?month=YYYY-MM`: the monthly report's headline and tables (the numbers of the page
and its Word and PDF). Leaders, supervisors and system admins; anyone else 403; a wrong month 422
`analytics_month_invalid`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from onewindow import clock
from onewindow.analytics.figures.selectors import analysis_scope
from onewindow.analytics.report import selectors
from onewindow.analytics.report.tables import report_for
from onewindow.api.auth import api_user
from onewindow.api.schemas import error_responses

router = Router(tags=["领导分析"])


class AnalyticsReportColumnOut(Schema):
    key: str
    label: str


class AnalyticsReportTableOut(Schema):
    key: str = Field(description="online_share | summary | setups_by_district | green_channel | …")
    title: str
    columns: list[AnalyticsReportColumnOut]
    rows: list[dict[str, str | int | float | None]] = Field(
        description="每行按列的 key 取值；时长单位为天，比率为百分数"
    )
    links: list[dict[str, str]] = Field(
        [], description="与 rows 同序：各格背后办件清单的页面；同一查询串用于 GET /api/analytics/cases"
    )


class AnalyticsReportSectionOut(Schema):
    heading: str
    tables: list[AnalyticsReportTableOut]


class AnalyticsReportOut(Schema):
    month: str = Field(description="YYYY-MM")
    from_date: dt.date
    to_date: dt.date
    headline: str
    sections: list[AnalyticsReportSectionOut]


class AnalyticsReportQuery(Schema):
    month: str = Field("", max_length=7, description="月份 YYYY-MM（默认上一个完整月份）")


@router.get("report", response={200: AnalyticsReportOut, **error_responses(401, 403, 422)}, summary="月度分析报告")
def report(request: HttpRequest, query: Query[AnalyticsReportQuery]) -> dict[str, Any]:
    """本月的综述（办件量及环比、网上办理率与目标、按期办结率、用时最长的事项、最常最后办结的部门、企业开办及其用时）
    与需求、运行、服务经济发展各表。"""
    user = api_user(request)
    analysis_scope(user)
    first, last = selectors.month_of(query.month, clock.today())
    result = report_for(user, first, last)
    return {
        "month": f"{first:%Y-%m}",
        "from_date": first,
        "to_date": last,
        "headline": result.headline,
        "sections": [
            {
                "heading": heading,
                "tables": [
                    {
                        "key": t.key,
                        "title": t.title,
                        "columns": [{"key": k, "label": label} for k, label in t.columns],
                        "rows": t.rows,
                        "links": t.links,
                    }
                    for t in tables
                ],
            }
            for heading, tables in result.sections
        ],
    }
