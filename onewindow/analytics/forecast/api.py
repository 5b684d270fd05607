"""`GET /api/analytics/forecast` (`?region=&department=`): the forecast page's tables (the same numbers as the
page and its Excel export) and the backtest's winner. Leaders, supervisors and system admins; a region or
department out of scope is 404, anyone else 403."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from onewindow import clock
from onewindow.analytics.forecast import selectors
from onewindow.analytics.forecast.tables import forecast_for
from onewindow.api.auth import api_user
from onewindow.api.schemas import error_responses

router = Router(tags=["领导分析"])


class AnalyticsForecastColumnOut(Schema):
    key: str
    label: str


class AnalyticsForecastTableOut(Schema):
    key: str = Field(description="weekly | backtest | by_category | daily | history")
    title: str
    columns: list[AnalyticsForecastColumnOut]
    rows: list[dict[str, str | int | float | None]] = Field(description="每行按列的 key 取值；误差百分比为百分数")
    links: list[dict[str, str]] = Field(
        [],
        description="与 rows 同序：各计数背后的办件清单（列的 key → 地址），查询串亦可用于 GET /api/analytics/cases",
    )


class AnalyticsForecastOut(Schema):
    today: dt.date = Field(description="预测的第一天（今天）；历史为此前的 52 周")
    region_id: int | None
    department_id: int | None
    winner: str | None = Field(description="回测误差（MAE）较小的方法：model | baseline；数据不足时为空")
    tables: list[AnalyticsForecastTableOut]


class AnalyticsForecastQuery(Schema):
    region: int | None = Field(None, description="受理地（本辖区内的区划）")
    department: int | None = Field(None, description="部门（本辖区内的部门）")


RESPONSES = {200: AnalyticsForecastOut, **error_responses(401, 403, 404)}


@router.get("", response=RESPONSES, summary="办件量预测")
def forecast(request: HttpRequest, query: Query[AnalyticsForecastQuery]) -> dict[str, Any]:
    """未来八周每日、每周提交办件量的预测（SARIMAX，工作日与节假日特征，80% 区间）与朴素季节基线；回测最后四周的
    MAE、MAPE 与胜出的方法；按事项类型分摊；近一年逐日历史。"""
    user = api_user(request)
    selectors.scope_choices(user)
    result = forecast_for(user, clock.today(), query.region, query.department)
    f = result.filters
    return {
        "today": result.today,
        "region_id": f.region.pk if f.region else None,
        "department_id": f.department.pk if f.department else None,
        "winner": result.winner,
        "tables": [
            {
                "key": t.key,
                "title": t.title,
                "columns": [{"key": k, "label": v} for k, v in t.columns],
                "rows": t.rows,
                "links": t.links,
            }
            for t in result.tables
        ],
    }
