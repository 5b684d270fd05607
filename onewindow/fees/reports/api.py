"""The fee reports as JSON, the same tables as the pages and the Excel exports:
`GET /api/fees/reconciliation?from=&to=&department=` (staff as on the page; 403 for others, a department out
of scope 404), `GET /api/fees/savings?from=&to=` (public totals, no enterprise names) and
`GET /api/fees/savings/list?from=&to=` (the finance office's list). A wrong date or month: 422
`fees_report_period_invalid`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from onewindow import clock
from onewindow.api.auth import api_user
from onewindow.api.schemas import error_responses
from onewindow.fees.reports import selectors
from onewindow.fees.reports.tables import Report, reconciliation_for, savings_list, savings_public

router = Router()


class FeesReportColumnOut(Schema):
    key: str
    label: str


class FeesReportTableOut(Schema):
    key: str = Field(description="reconciliation_accounts | reconciliation_daily | savings_by_policy | …")
    title: str
    columns: list[FeesReportColumnOut]
    rows: list[dict[str, int | Decimal | str | None]] = Field(description="每行按列的 key 取值；金额单位为元")


class FeesReportDepartmentOut(Schema):
    id: int
    name: str


class FeesReconciliationOut(Schema):
    from_date: dt.date
    to_date: dt.date
    department_id: int | None
    departments: list[FeesReportDepartmentOut] = Field(description="本人可查看的执收部门")
    tables: list[FeesReportTableOut]


class FeesSavingsOut(Schema):
    from_date: dt.date
    to_date: dt.date
    year_relieved_wan: Decimal | None = Field(None, description="本年度为企业减免费用（万元），仅公开汇总")
    tables: list[FeesReportTableOut]


class FeesReconciliationQuery(Schema):
    department: int | None = Field(None, description="执收部门；不填为可查看的全部部门")
    first: str = Field("", alias="from", max_length=10, description="开始日期 YYYY-MM-DD（默认近 30 天）")
    last: str = Field("", alias="to", max_length=10, description="结束日期 YYYY-MM-DD（默认今天）")


class FeesSavingsQuery(Schema):
    first: str = Field("", alias="from", max_length=7, description="开始月份 YYYY-MM（默认近 12 个月）")
    last: str = Field("", alias="to", max_length=7, description="结束月份 YYYY-MM（默认本月）")


def _tables(report: Report) -> list[dict[str, Any]]:
    return [
        {
            "key": t.key,
            "title": t.title,
            "columns": [{"key": k, "label": label} for k, label in t.columns],
            "rows": t.rows,
        }
        for t in report.tables
    ]


@router.get(
    "/reconciliation", response={200: FeesReconciliationOut, **error_responses(401, 403, 404, 422)}, summary="收费对账"
)
def reconciliation(request: HttpRequest, query: Query[FeesReconciliationQuery]) -> dict[str, Any]:
    """按执收部门和收款账户逐日统计出具、缴款、退款笔数与金额及日终未缴。执收部门看本部门，财政局看本级全部部门，
    领导、效能监察和系统管理员看本辖区。"""
    user = api_user(request)
    selectors.reconciliation_scope(user)
    period = selectors.day_period_of(query.first, query.last, clock.today())
    report = reconciliation_for(user, department_id=query.department, period=period)
    return {
        "from_date": period.first,
        "to_date": period.last,
        "department_id": report.department.pk if report.department else None,
        "departments": [{"id": d.pk, "name": d.name} for d in report.departments],
        "tables": _tables(report),
    }


@router.get(
    "/savings", response={200: FeesSavingsOut, **error_responses(422)}, auth=None, summary="减免成效（公开汇总）"
)
def savings(request: HttpRequest, query: Query[FeesSavingsQuery]) -> dict[str, Any]:
    """各项政策为企业少缴的费用及其中财政补贴部分，按政策、月份、区县、行业汇总；不含企业名称。"""
    period = selectors.month_period_of(query.first, query.last, clock.today())
    report = savings_public(period=period, today=clock.today())
    return {
        "from_date": period.first,
        "to_date": period.last,
        "year_relieved_wan": report.headline,
        "tables": _tables(report),
    }


@router.get(
    "/savings/list", response={200: FeesSavingsOut, **error_responses(401, 403, 422)}, summary="减免明细（按缴款人）"
)
def savings_list_endpoint(request: HttpRequest, query: Query[FeesSavingsQuery]) -> dict[str, Any]:
    """按缴款人和政策列出减免金额（自然人姓名脱敏），及各项汇总。财政局、领导和系统管理员，本辖区。"""
    user = api_user(request)
    selectors.savings_list_scope(user)
    period = selectors.month_period_of(query.first, query.last, clock.today())
    report = savings_list(user, period=period)
    return {"from_date": period.first, "to_date": period.last, "tables": _tables(report)}
