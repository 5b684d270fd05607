"""`GET /api/tickets/figures?hall=&from=&to=`: the figures of the dashboard as its tables (the same
numbers as the page and the Excel export). Staff of the halls' subtree; a hall out of scope is 404,
a user without a staff role 403, a wrong date 422 `tickets_figures_period_invalid`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from onewindow.api.auth import api_user
from onewindow.api.schemas import error_responses
from onewindow.tickets.figures import selectors
from onewindow.tickets.figures.tables import figures_for
from onewindow.workdays.selectors import work_calendar_for

router = Router(tags=["取号叫号"])


class FiguresHallOut(Schema):
    id: int
    name: str


class ColumnOut(Schema):
    key: str
    label: str


class TableOut(Schema):
    key: str = Field(description="times_by_hall | times_by_category | times_by_window | times_by_hour | …")
    title: str
    columns: list[ColumnOut]
    rows: list[dict[str, str | int | float | None]] = Field(
        description="每行按列的 key 取值；时长单位为分钟，比率为百分数"
    )


class FiguresOut(Schema):
    hall_id: int | None
    from_date: dt.date
    to_date: dt.date
    halls: list[FiguresHallOut]
    tables: list[TableOut]


class FiguresQuery(Schema):
    hall: int | None = Field(None, description="大厅；不填为本辖区全部大厅")
    first: str = Field("", alias="from", max_length=10, description="开始日期 YYYY-MM-DD（默认近 30 天）")
    last: str = Field("", alias="to", max_length=10, description="结束日期 YYYY-MM-DD（默认今天）")


@router.get("", response={200: FiguresOut, **error_responses(401, 403, 404, 422)}, summary="大厅统计")
def figures(request: HttpRequest, query: Query[FiguresQuery]) -> dict[str, Any]:
    """等候时间（取号至首次叫号）与办理时间（开始至办结）按大厅、类别、窗口、时段、星期的 P50、P90；弃号；
    窗口利用率；预约到场、取消、失约；周末办件量。本辖区的工作人员；其他大厅 404。"""
    user = api_user(request)
    selectors.figure_halls(user)
    period = selectors.period_of(query.first, query.last, timezone.localdate())
    result = figures_for(
        user, hall_id=query.hall, period=period, now=timezone.now(), calendar=work_calendar_for(request)
    )
    return {
        "hall_id": query.hall,
        "from_date": period.first,
        "to_date": period.last,
        "halls": [{"id": h.pk, "name": h.name} for h in result.halls],
        "tables": [
            {
                "key": t.key,
                "title": t.title,
                "columns": [{"key": k, "label": label} for k, label in t.columns],
                "rows": t.rows,
            }
            for t in result.tables
        ],
    }
