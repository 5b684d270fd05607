"""The monthly leader report endpoints: list, detail (with the SMS text and deliveries), files,
generate (office), send (office)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import FileResponse, HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from pydantic import field_validator
from pydantic_core import PydanticCustomError

from onewindow.api.auth import api_user
from onewindow.api.pagination import PageQuery
from onewindow.briefings.api.schemas import ERRORS
from onewindow.briefings.domain.amounts import parse_period
from onewindow.briefings.models import LeaderReport, ReportDelivery
from onewindow.briefings.selectors import reports as selectors
from onewindow.briefings.services.reports import check_period, report_files_ensure, require_office
from onewindow.briefings.services.sending import report_filename
from onewindow.briefings.tasks import GENERATE_JOB, SEND_JOB, report_send_job, reports_generate_job
from onewindow.errors import PermissionDenied
from onewindow.jobs.api import JobOut, job_out
from onewindow.jobs.services import job_start
from onewindow.notify.models import Delivery

router = Router(tags=["领导月报"])


def _period(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    period = parse_period(str(value)) if not isinstance(value, bool) else None
    if period is None:
        raise PydanticCustomError("invalid_period", "月份应为 YYYY-MM 格式")
    return period


class ReportListQuery(PageQuery):
    period: dt.date | None = Field(None, description="月份，YYYY-MM；不填为全部")

    @field_validator("period", mode="before")
    @classmethod
    def _period(cls, value: Any) -> dt.date | None:
        return _period(value)


class GenerateIn(Schema):
    model_config = {"extra": "forbid"}

    period: dt.date = Field(description="月份,YYYY-MM")

    @field_validator("period", mode="before")
    @classmethod
    def _period(cls, value: Any) -> dt.date:
        period = _period(value)
        if period is None:
            raise PydanticCustomError("invalid_period", "请填写月份(YYYY-MM)")
        return period


class DeliveryOut(Schema):
    channel: str = Field(description="sms 短信 / email 电子邮件")
    status: str = Field(description="sent 已发送 / failed 发送失败")
    version: int = Field(description="所发送的月报版本")
    address: str
    error: str
    sent_at: dt.datetime


class ReportOut(Schema):
    id: int
    period: str = Field(description="月份 YYYY-MM")
    leader_id: int
    leader_name: str
    region: str | None = Field(description="月报所属区划（覆盖全部包联项目的最低一级）")
    title: str
    project_count: int
    annual_plan: Decimal = Field(description="年度计划投资（万元）")
    invested_ytd: Decimal = Field(description="累计完成投资（万元）")
    lagging_count: int = Field(description="滞后及无进展项目数")
    overdue_problem_count: int
    version: int
    generated_at: dt.datetime
    sms_text: str = Field(description="短信内容（不超过 500 字）")
    docx_url: str
    pdf_url: str


class ReportDetailOut(ReportOut):
    content: dict[str, Any] = Field(description="通报内容：摘要、各部分段落与表格、图表数据")
    deliveries: list[DeliveryOut]


class ReportPageOut(Schema):
    count: int
    items: list[ReportOut]


def report_out(report: LeaderReport) -> dict[str, Any]:
    base = f"/api/briefings/reports/{report.pk}"
    return {
        "id": report.pk,
        "period": f"{report.period:%Y-%m}",
        "leader_id": report.leader_id,
        "leader_name": str(report.leader),
        "region": report.region.name if report.region else None,
        "title": report.title,
        "project_count": report.project_count,
        "annual_plan": report.annual_plan,
        "invested_ytd": report.invested_ytd,
        "lagging_count": report.lagging_count,
        "overdue_problem_count": report.overdue_problem_count,
        "version": report.version,
        "generated_at": report.generated_at,
        "sms_text": report.sms_text,
        "docx_url": f"{base}/docx",
        "pdf_url": f"{base}/pdf",
    }


def delivery_out(item: ReportDelivery) -> dict[str, Any]:
    delivery: Delivery = item.delivery
    return {
        "channel": delivery.channel,
        "status": delivery.status,
        "version": item.version,
        "address": delivery.address,
        "error": delivery.error,
        "sent_at": delivery.sent_at,
    }


def _detail(report: LeaderReport) -> dict[str, Any]:
    deliveries = [delivery_out(item) for item in selectors.report_deliveries(report)]
    return {**report_out(report), "content": report.content, "deliveries": deliveries}


def _require_reader(request: HttpRequest) -> Any:
    user = api_user(request)
    if not selectors.may_open_reports(user):
        raise PermissionDenied("领导月报仅对重点项目办和领导开放", code="briefings_reports_forbidden")
    return user


@router.get("/reports", response={200: ReportPageOut, **ERRORS}, summary="月报列表")
def reports_list(request: HttpRequest, params: Query[ReportListQuery]) -> dict[str, Any]:
    """重点项目办：本辖区的领导月报（所含项目全部在本区划内）；领导：本人的月报。新月份在前。"""
    reports = selectors.report_list(_require_reader(request), params.period)
    window = reports[params.offset : params.offset + params.limit]
    return {"count": reports.count(), "items": [report_out(r) for r in window]}


@router.get("/reports/{int:report_id}", response={200: ReportDetailOut, **ERRORS}, summary="月报详情")
def report_detail(request: HttpRequest, report_id: int) -> dict[str, Any]:
    """短信内容、通报内容与发送记录。无权查看与不存在同为 404（leader_report_not_found）。"""
    return _detail(selectors.report_get_for_user(api_user(request), report_id))


@router.get("/reports/{int:report_id}/docx", response={200: None, **ERRORS}, summary="Word 版")
def report_docx(request: HttpRequest, report_id: int) -> FileResponse:
    report = report_files_ensure(selectors.report_get_for_user(api_user(request), report_id))
    return FileResponse(report.docx.open("rb"), as_attachment=True, filename=report_filename(report, "docx"))


@router.get("/reports/{int:report_id}/pdf", response={200: None, **ERRORS}, summary="PDF 版")
def report_pdf(request: HttpRequest, report_id: int) -> FileResponse:
    report = report_files_ensure(selectors.report_get_for_user(api_user(request), report_id))
    return FileResponse(report.pdf.open("rb"), as_attachment=True, filename=report_filename(report, "pdf"))


@router.post("/reports/generate", response={202: JobOut, **ERRORS}, summary="生成月报（后台作业）")
def reports_generate(request: HttpRequest, payload: GenerateIn) -> Status[dict[str, Any]]:
    """为本辖区每位包联领导生成（或重新生成）该月月报：短信、Word 与 PDF。仅重点项目办（403）。
    返回后台作业；用 `GET /api/jobs/{id}` 查询进度，完成后 `result` 含 `period`、`created`、`updated`。"""
    user = api_user(request)
    require_office(user)
    period = check_period(payload.period, timezone.localdate())
    job = job_start(kind=GENERATE_JOB, actor=user, task=reports_generate_job, period=period.isoformat())
    return Status(202, job_out(job))


@router.post(
    "/reports/{int:report_id}/send",
    response={202: JobOut, **ERRORS},
    summary="发送月报（后台作业）",
)
def report_send_endpoint(request: HttpRequest, report_id: int) -> Status[dict[str, Any]]:
    """短信发送短信内容，邮件附 Word 与 PDF；本版已送达的渠道不重复发送。返回后台作业；完成后
    `result.deliveries` 为本次的发送结果（渠道、状态、错误），发送记录见月报详情。"""
    user = api_user(request)
    report = selectors.report_get_for_user(user, report_id)
    require_office(user)
    job = job_start(kind=SEND_JOB, actor=user, task=report_send_job, report_id=report.pk)
    return Status(202, job_out(job))
