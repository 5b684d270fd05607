"""The reforms' API: `GET /api/analytics/reforms` (each reform with its headline), `POST /api/analytics/reforms`
(a system admin records one), `GET /api/analytics/reforms/{id}` (`?months=&region=&department=`: before and
after per matter and bundle and in total, the tables of the page and its export) and `GET
/api/analytics/reforms/{id}/cases` (`?side=&subject=&limit=&offset=`: the cases behind a figure). Leaders,
supervisors and system admins of the reform's region or above; another region's reform 404, anyone else 403."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from pydantic import field_validator

from onewindow import clock
from onewindow.analytics.figures.selectors import analysis_scope
from onewindow.analytics.models import Reform
from onewindow.analytics.reforms import selectors, services
from onewindow.analytics.reforms.tables import (
    ReformResults,
    reform_ask,
    reform_cases,
    reform_list,
    reform_results,
    side_of,
    subject_names,
)
from onewindow.api.auth import api_user
from onewindow.api.pagination import PageQuery
from onewindow.api.params import parse_date
from onewindow.api.schemas import error_responses
from onewindow.web.tables import Table
from onewindow.workdays.selectors import work_calendar

router = Router(tags=["领导分析"])


class AnalyticsReformSubjectOut(Schema):
    kind: str = Field(description="matter 事项 | bundle 一件事")
    id: int
    code: str
    name: str


class AnalyticsReformOut(Schema):
    id: int
    title: str
    document_number: str = Field(description="文号")
    effective_on: dt.date = Field(description="实施日期")
    description: str
    organisation_id: int
    organisation: str
    subjects: list[AnalyticsReformSubjectOut]
    headline: str = Field(
        description="成效（前后各三个月，本辖区）：减少申请材料X件（Y%）、审批环节减少Z%……；无可比较的办件时为空"
    )
    sentence: str = Field(description="一句话成效（月度报告所用）")


class AnalyticsReformListOut(Schema):
    reforms: list[AnalyticsReformOut]


class AnalyticsReformWindowOut(Schema):
    first: dt.date
    last: dt.date


class AnalyticsReformColumnOut(Schema):
    key: str
    label: str


class AnalyticsReformTableOut(Schema):
    key: str = Field(description="reform_total | reform_by_subject")
    title: str
    columns: list[AnalyticsReformColumnOut]
    rows: list[dict[str, str | int | float | None]] = Field(
        description="每行按列的 key 取值：改革前、改革后和变化三行；`<列>_url` 为该数字背后办件的页面"
    )


class AnalyticsReformDetailOut(AnalyticsReformOut):
    months: int
    region_id: int | None
    department_id: int | None
    before: AnalyticsReformWindowOut | None = Field(description="改革前的提交日期（无可比较的办件时为空）")
    after: AnalyticsReformWindowOut | None
    tables: list[AnalyticsReformTableOut]


class AnalyticsReformQuery(Schema):
    months: str = Field("", max_length=4, description="前后各比较的月数（1–12，默认 3；按数据所及等长缩短）")
    region: int | None = Field(None, description="受理地（本辖区内的区划）")
    department: int | None = Field(None, description="部门（本辖区内的部门）")


class AnalyticsReformCasesQuery(AnalyticsReformQuery, PageQuery):
    side: str = Field("", max_length=6, description="before 改革前 | after 改革后（空：前后）")
    subject: str = Field("", max_length=30, description="matter-<id> 或 bundle-<id>（空：该改革的全部事项）")


class AnalyticsReformCaseOut(Schema):
    case_id: int
    number: str
    subject_kind: str
    subject_id: int
    subject: str
    side: str = Field(description="before | after")
    submitted_at: dt.datetime
    decided_at: dt.datetime | None
    materials: int = Field(description="适用版本的必要材料件数")
    steps: int | None = Field(description="审查任务数 + 阶段数（已办结）")
    promised_days: int
    working_days: int | None
    calendar_days: float | None


class AnalyticsReformCasesOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[AnalyticsReformCaseOut]


class AnalyticsReformIn(Schema):
    model_config = {"extra": "forbid"}

    title: str = Field(max_length=200, description="改革名称")
    document_number: str = Field(max_length=100, description="文号（不得与已登记的重复）")
    effective_on: dt.date = Field(description="实施日期 YYYY-MM-DD")
    organisation: int = Field(description="实施区划（本人系统管理员职责范围内的区划）")
    description: str = Field("", max_length=4000, description="改革内容")
    matters: list[int] = Field([], max_length=500, description="涉及的事项 id（须由实施区划内的部门实施）")
    bundles: list[int] = Field([], max_length=100, description="涉及的一件事 id")

    @field_validator("effective_on", mode="before")
    @classmethod
    def _effective_on(cls, value: Any) -> dt.date:
        return parse_date(value, "实施日期")


def _reform_out(reform: Reform, results: ReformResults) -> dict[str, Any]:
    subjects = selectors.subjects_of(reform)
    names = subject_names(subjects)
    codes = {("matter", m.pk): m.code for m in reform.matters.all()} | {
        ("bundle", b.pk): b.code for b in reform.bundles.all()
    }
    return {
        "id": reform.pk,
        "title": reform.title,
        "document_number": reform.document_number,
        "effective_on": reform.effective_on,
        "description": reform.description,
        "organisation_id": reform.organisation_id,
        "organisation": reform.organisation.name,
        "subjects": [{"kind": k, "id": pk, "code": codes[(k, pk)], "name": names[(k, pk)]} for k, pk in subjects],
        "headline": results.headline,
        "sentence": results.sentence,
    }


def _table_out(table: Table) -> dict[str, Any]:
    return {
        "key": table.key,
        "title": table.title,
        "columns": [{"key": k, "label": v} for k, v in table.columns],
        "rows": table.rows,
    }


@router.get("reforms", response={200: AnalyticsReformListOut, **error_responses(401, 403)}, summary="改革成效")
def reforms(request: HttpRequest) -> dict[str, Any]:
    """本辖区各项改革（文号、实施日期、涉及事项和一件事）及其成效：实施前后各三个月的办件相比。"""
    user = api_user(request)
    analysis_scope(user)
    results, _table = reform_list(user, clock.today())
    return {"reforms": [_reform_out(r.ask.reform, r) for r in results]}


@router.post("reforms", response={201: AnalyticsReformOut, **error_responses(401, 403, 404, 422)}, summary="登记改革")
def reform_create(request: HttpRequest, payload: AnalyticsReformIn) -> Status[dict[str, Any]]:
    """系统管理员登记一项改革（成效由办件算出，不填报）。文号重复、事项不在实施区划内等问题一次性逐项返回
    （422 analytics_reform_invalid）；区划不在职责范围内 404；其他角色 403（analytics_reform_forbidden）。"""
    user = api_user(request)
    analysis_scope(user)
    data = services.ReformInput(
        title=payload.title,
        document_number=payload.document_number,
        effective_on=payload.effective_on,
        organisation_id=payload.organisation,
        description=payload.description,
        matter_ids=payload.matters,
        bundle_ids=payload.bundles,
    )
    reform = services.reform_record(actor=user, data=data)
    ask = reform_ask(user, reform.pk, "", None, None)
    return Status(201, _reform_out(ask.reform, reform_results(user, ask, clock.today())))


@router.get(
    "reforms/{int:reform_id}",
    response={200: AnalyticsReformDetailOut, **error_responses(401, 403, 404, 422)},
    summary="改革成效明细",
)
def reform_detail(request: HttpRequest, reform_id: int, query: Query[AnalyticsReformQuery]) -> dict[str, Any]:
    """改革前后（按提交日期，等长）各事项、一件事及合计的办件、申请材料、审批环节、承诺时限和办理时间（工作日 P50/P90、
    自然日 P50）及其变化。月数有误 422（analytics_reform_months_invalid）。"""
    user = api_user(request)
    analysis_scope(user)
    ask = reform_ask(user, reform_id, query.months, query.region, query.department)
    results = reform_results(user, ask, clock.today())
    windows = results.windows
    return _reform_out(ask.reform, results) | {
        "months": ask.months,
        "region_id": ask.filters.region.pk if ask.filters.region else None,
        "department_id": ask.filters.department.pk if ask.filters.department else None,
        "before": {"first": windows.before.first, "last": windows.before.last} if windows else None,
        "after": {"first": windows.after.first, "last": windows.after.last} if windows else None,
        "tables": [_table_out(t) for t in results.tables],
    }


@router.get(
    "reforms/{int:reform_id}/cases",
    response={200: AnalyticsReformCasesOut, **error_responses(401, 403, 404, 422)},
    summary="改革前后的办件",
)
def reform_case_list(request: HttpRequest, reform_id: int, query: Query[AnalyticsReformCasesQuery]) -> dict[str, Any]:
    """某项改革前（后）某事项（或全部事项）的办件，按提交时间排列：成效表中每个数字背后的办件。"""
    user = api_user(request)
    analysis_scope(user)
    ask = reform_ask(user, reform_id, query.months, query.region, query.department)
    subject = selectors.subject_of(ask.reform, query.subject)
    found = reform_cases(user, ask, side_of(query.side), subject, clock.today())
    page = found.facts[query.offset : query.offset + query.limit]
    labels = selectors.case_labels([f.case for f in page])
    names = subject_names(sorted({f.subject for f in page}))
    calendar = work_calendar()
    items = []
    for f in page:
        assert found.windows is not None
        days = f.calendar_days
        items.append(
            {
                "case_id": f.case,
                "number": labels.get(f.case, ("", ""))[0],
                "subject_kind": f.subject[0],
                "subject_id": f.subject[1],
                "subject": names.get(f.subject, ""),
                "side": found.windows.side_of(f.submitted_at.date()),
                "submitted_at": f.submitted_at,
                "decided_at": f.decided_at,
                "materials": f.materials,
                "steps": f.steps if f.decided_at else None,
                "promised_days": f.promised_days,
                "working_days": f.working_days(calendar),
                "calendar_days": None if days is None else round(days, 1),
            }
        )
    return {"count": len(found.facts), "limit": query.limit, "offset": query.offset, "items": items}
