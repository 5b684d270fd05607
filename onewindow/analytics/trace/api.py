"""`GET /api/analytics/cases`: the cases behind a figure of the analysis pages, a page at a time (`limit`,
`offset`), with the figure's number (`count`: the cases, notices, tasks or stages it counted) and the number of
cases behind it (`case_count`). The query is the one the pages link to (`Table.links`, the tables' `links` in
the analysis APIs): the period and filters (`from`, `to`, `region`, `department`) and the slice (`of` and its
conditions, `order`: `trace.domain`). Leaders, supervisors and system admins; a region or department out of
scope 404, anyone else 403, a wrong slice 422 `analytics_trace_invalid`, a wrong date 422
`analytics_period_invalid`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from onewindow import clock
from onewindow.analytics.figures import selectors as figures
from onewindow.analytics.trace.domain import CONDITIONS
from onewindow.analytics.trace.selectors import slice_of, trace_for
from onewindow.analytics.trace.tables import page_rows
from onewindow.api.auth import api_user
from onewindow.api.pagination import PageQuery, limit_field
from onewindow.api.schemas import error_responses

router = Router(tags=["领导分析"])
MOST = 500  # a trace is read in bulk by an analyst's tool: up to 500 cases a page


class AnalyticsTraceQuery(PageQuery):
    limit: int = limit_field(100, most=MOST)
    first: str = Field("", alias="from", max_length=10, description="开始日期 YYYY-MM-DD（默认近 90 天）")
    last: str = Field("", alias="to", max_length=10, description="结束日期 YYYY-MM-DD（默认今天）")
    region: int | None = Field(None, description="受理地（本辖区内的区划）")
    department: int | None = Field(None, description="部门（本辖区内的部门）")
    of: str = Field(
        "",
        max_length=20,
        description="统计对象：submitted（默认）| decided | notices | review_tasks | shared_stages | open_tasks"
        " | decided_tasks",
    )
    order: str = Field("", max_length=10, description="latest（默认，按提交时间倒序）| days（办理时间最长在前）")
    matter: str = Field("", max_length=12, description="事项 id")
    bundle: str = Field("", max_length=12, description="一件事 id")
    received_in: str = Field("", max_length=12, description="受理地 id（该区划本身）")
    concerns: str = Field("", max_length=12, description="涉及部门 id（办件事项所属部门）")
    reviewed_by: str = Field("", max_length=12, description="作出审查意见的部门 id")
    channel: str = Field("", max_length=20, description="渠道：window | online | app")
    online: str = Field("", max_length=1, description="1：网上（含移动端）；0：其他")
    applicant_kind: str = Field("", max_length=20, description="申请人类型：person | enterprise")
    green: str = Field("", max_length=1, description="绿色通道 1/0")
    economy: str = Field("", max_length=20, description="setups（企业开办）| investment（投资项目审批）")
    corrected: str = Field("", max_length=1, description="有补正告知书 1/0")
    stopped: str = Field("", max_length=1, description="审查中止计时 1/0")
    material: str = Field("", max_length=200, description="补正告知书中的材料名称")
    category: str = Field("", max_length=200, description="事项类型（行政许可等，目录的名称）；bundle：一件事的办件")
    industry: str = Field("", max_length=200, description="表单中的所属行业；none：未填写")
    hour: str = Field("", max_length=2, description="时段 0–23（Asia/Shanghai）")
    weekday: str = Field("", max_length=1, description="星期 1–7（周一为 1）")
    month: str = Field("", max_length=7, description="月份 YYYY-MM")
    extended: str = Field("", max_length=1, description="延期 1/0（办件或审查任务）")
    on_time: str = Field("", max_length=1, description="按期 1/0（办件或审查任务）")
    task_department: str = Field("", max_length=12, description="审查任务的部门 id")
    assignee: str = Field("", max_length=12, description="经办人 id，none 为未分派")
    warning: str = Field("", max_length=10, description="预警：normal | yellow | red")
    ended_by: str = Field("", max_length=12, description="决定阶段结束的部门 id")
    with_department: str = Field("", max_length=12, description="参与并联阶段的部门 id")
    stage: str = Field("", max_length=2, description="阶段序号")


class AnalyticsTraceCaseOut(Schema):
    case_id: int
    number: str
    url: str = Field(description="办件页面")
    subject: str = Field(description="事项或一件事")
    applicant: str = Field(description="申请人（姓名已隐去）")
    region_id: int
    region: str
    submitted_at: dt.datetime | None
    decided_at: dt.datetime | None
    days: float | None = Field(description="办理时间（自然日，与分析页同一算法）")
    waiting_days: float | None = Field(description="其中等待申请人（审查中止计时）")
    working_days: int | None = Field(description="提交次日至办结日的工作日数")
    status: str
    status_label: str


class AnalyticsTraceOut(Schema):
    from_date: dt.date
    to_date: dt.date
    region_id: int | None
    department_id: int | None
    of: str
    unit: str = Field(description="cases | notices | tasks | stages：count 数的是什么")
    count: int = Field(description="图表上的数字")
    case_count: int = Field(description="其背后的办件数")
    limit: int
    offset: int
    items: list[AnalyticsTraceCaseOut]


@router.get("cases", response={200: AnalyticsTraceOut, **error_responses(401, 403, 404, 422)}, summary="图表背后的办件")
def cases(request: HttpRequest, query: Query[AnalyticsTraceQuery]) -> dict[str, Any]:
    """分析页上某一数字背后的办件：与分析页相同的统计期、受理地、部门，加上统计对象（of）与该行该格的条件。"""
    user = api_user(request)
    figures.analysis_scope(user)
    period = figures.period_of(query.first, query.last, clock.today())
    filters = figures.filters_of(user, period, query.region, query.department)
    params = {c.name: getattr(query, c.name) for c in CONDITIONS} | {"of": query.of, "order": query.order}
    trace = trace_for(user, filters, slice_of(params))
    rows = page_rows(trace, query.offset, query.limit)
    return {
        "from_date": period.first,
        "to_date": period.last,
        "region_id": query.region,
        "department_id": query.department,
        "of": trace.slice.of.value,
        "unit": trace.unit.value,
        "count": trace.count,
        "case_count": trace.case_count(),
        "limit": query.limit,
        "offset": query.offset,
        "items": [row | {"url": row["number_url"], "waiting_days": row["waiting"]} for row in rows],
    }
