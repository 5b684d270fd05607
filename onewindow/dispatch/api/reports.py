"""Cycles, progress reports, site reports, photos and the office's chase lists (/api/dispatch/).

Thin: find the project or report the caller may see (otherwise the same 404 as a missing one),
call one service, answer with the new state. A write the caller's part does not allow is a 403.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Form, Query, Router, Schema, Status
from pydantic import StrictInt, StrictStr

from onewindow.api.auth import api_user
from onewindow.api.pagination import page_of
from onewindow.dispatch.api.common import ERRORS, Body, DispatchPageQuery
from onewindow.dispatch.models import Photo, ProgressReport, SiteReport
from onewindow.dispatch.selectors import reports as selectors
from onewindow.dispatch.selectors.access import require_office
from onewindow.dispatch.services import photos, reports
from onewindow.projects.selectors import project_get_for_user

router = Router(tags=["进度填报"])


class PhotoOut(Schema):
    id: int
    caption: str
    sha256: str
    content_type: str
    size: int
    url: str


class ReportIn(Body):
    period_end: dt.date | None = Field(None, description="填报期的截止日；留空为本期")
    invested_in_period: StrictStr | StrictInt | Decimal = Field(..., description="本期完成投资（万元），最多两位小数")
    progress_note: StrictStr = Field(..., max_length=4000, description="形象进度")
    workers: StrictInt | StrictStr = Field(0, description="在岗人数")
    difficulties: StrictStr = Field("", max_length=4000, description="存在问题")


class ProgressReportOut(Schema):
    id: int
    project_id: int
    period_start: dt.date
    period_end: dt.date
    invested_in_period: Decimal
    invested_year_to_date: Decimal = Field(description="年度累计（系统汇总本年度各期）")
    progress_note: str
    workers: int
    difficulties: str
    is_late: bool
    is_locked: bool
    submitted_at: dt.datetime
    photos: list[PhotoOut]


class ProgressReportPageOut(Schema):
    count: int
    items: list[ProgressReportOut]


class SiteReportIn(Body):
    workers: StrictInt | StrictStr = Field(..., description="在岗人数")
    machines: StrictInt | StrictStr = Field(..., description="机械台数")
    note: StrictStr = Field("", max_length=4000, description="现场情况")


class SiteReportOut(Schema):
    id: int
    project_id: int
    reported_on: dt.date
    workers: int
    machines: int
    note: str
    photos: list[PhotoOut]


class SiteReportPageOut(Schema):
    count: int
    items: list[SiteReportOut]


class PhotoIn(Schema):
    caption: str = Field("", max_length=200, description="说明")


class ChaseOut(Schema):
    project_id: int
    code: str
    name: str
    district: str
    secretary: str = Field(description="项目秘书姓名")
    missed_on: dt.date = Field(description="错过的截止日（日报：今天）")


def _photos(rows: list[Photo]) -> list[dict[str, Any]]:
    return [
        {
            "id": p.pk,
            "caption": p.caption,
            "sha256": p.sha256,
            "content_type": p.content_type,
            "size": p.size,
            "url": reverse("dispatch:photo", kwargs={"photo_id": p.pk}),
        }
        for p in rows
    ]


REPORT_FIELDS = (
    "id",
    "project_id",
    "period_start",
    "period_end",
    "invested_in_period",
    "invested_year_to_date",
    "progress_note",
    "workers",
    "difficulties",
    "is_late",
    "is_locked",
    "submitted_at",
)


def _report(report: ProgressReport) -> dict[str, Any]:
    return {name: getattr(report, name) for name in REPORT_FIELDS} | {"photos": _photos(list(report.photos.all()))}


def _site(report: SiteReport) -> dict[str, Any]:
    fields = ("id", "project_id", "reported_on", "workers", "machines", "note")
    return {name: getattr(report, name) for name in fields} | {"photos": _photos(list(report.photos.all()))}


# --- progress reports -----------------------------------------------------------------------------


@router.get(
    "/projects/{int:project_id}/reports",
    response={200: ProgressReportPageOut, **ERRORS},
    summary="进度填报列表",
)
def report_list(request: HttpRequest, project_id: int, params: Query[DispatchPageQuery]) -> dict[str, Any]:
    project = project_get_for_user(api_user(request), project_id)
    count, rows = page_of(selectors.progress_reports_of(project).prefetch_related("photos"), params)
    return {"count": count, "items": [_report(r) for r in rows]}


@router.post("/projects/{int:project_id}/reports", response={200: ProgressReportOut, **ERRORS}, summary="填报进度")
def report_submit(request: HttpRequest, project_id: int, payload: ReportIn) -> dict[str, Any]:
    """项目秘书、首席服务人或重点项目办填报一期进度；同一期再次提交即为修改。年度累计由系统汇总。"""
    user = api_user(request)
    project = project_get_for_user(user, project_id)
    report = reports.progress_report_submit(
        actor=user,
        project=project,
        period_end=payload.period_end,
        invested_in_period=str(payload.invested_in_period),
        progress_note=payload.progress_note,
        workers=payload.workers,
        difficulties=payload.difficulties,
    )
    return _report(report)


@router.get("/reports/{int:report_id}", response={200: ProgressReportOut, **ERRORS}, summary="进度填报详情")
def report_detail(request: HttpRequest, report_id: int) -> dict[str, Any]:
    return _report(selectors.progress_report_get_for_user(api_user(request), report_id))


def _upload(request: HttpRequest) -> UploadedFile | None:
    upload = request.FILES.get("file")
    return upload if isinstance(upload, UploadedFile) else None


@router.post("/reports/{int:report_id}/photos", response={200: PhotoOut, **ERRORS}, summary="上传进度照片")
def report_photo(request: HttpRequest, report_id: int, payload: Form[PhotoIn]) -> dict[str, Any]:
    """表单上传：file 为照片文件（JPEG 或 PNG，按文件头判断，不超过 5 MB），caption 为说明。"""
    user = api_user(request)
    report = selectors.progress_report_get_for_user(user, report_id)
    photo = photos.photo_add(actor=user, report=report, upload=_upload(request), caption=payload.caption)
    return _photos([photo])[0]


@router.delete("/photos/{int:photo_id}", response={204: None, **ERRORS}, summary="删除照片")
def photo_delete(request: HttpRequest, photo_id: int) -> Status[None]:
    user = api_user(request)
    photos.photo_remove(actor=user, photo=selectors.photo_get_for_user(user, photo_id))
    return Status(204, None)


# --- site reports ---------------------------------------------------------------------------------


@router.get(
    "/projects/{int:project_id}/site-reports",
    response={200: SiteReportPageOut, **ERRORS},
    summary="现场日报列表",
)
def site_report_list(request: HttpRequest, project_id: int, params: Query[DispatchPageQuery]) -> dict[str, Any]:
    project = project_get_for_user(api_user(request), project_id)
    count, rows = page_of(selectors.site_reports_of(project).prefetch_related("photos"), params)
    return {"count": count, "items": [_site(r) for r in rows]}


@router.post(
    "/projects/{int:project_id}/site-reports",
    response={200: SiteReportOut, **ERRORS},
    summary="填报今日现场日报",
)
def site_report_submit(request: HttpRequest, project_id: int, payload: SiteReportIn) -> dict[str, Any]:
    """每个项目每天一份；当天再次提交即为修改。"""
    user = api_user(request)
    project = project_get_for_user(user, project_id)
    report = reports.site_report_submit(
        actor=user, project=project, workers=payload.workers, machines=payload.machines, note=payload.note
    )
    return _site(report)


@router.get(
    "/site-reports/{int:report_id}",
    response={200: SiteReportOut, **ERRORS},
    summary="现场日报详情",
)
def site_report_detail(request: HttpRequest, report_id: int) -> dict[str, Any]:
    return _site(selectors.site_report_get_for_user(api_user(request), report_id))


@router.post(
    "/site-reports/{int:report_id}/photos",
    response={200: PhotoOut, **ERRORS},
    summary="上传现场照片",
)
def site_report_photo(request: HttpRequest, report_id: int, payload: Form[PhotoIn]) -> dict[str, Any]:
    """表单上传：file 为照片文件（JPEG 或 PNG，按文件头判断，不超过 5 MB），caption 为说明。"""
    user = api_user(request)
    report = selectors.site_report_get_for_user(user, report_id)
    photo = photos.photo_add(actor=user, report=report, upload=_upload(request), caption=payload.caption)
    return _photos([photo])[0]


# --- the office's chase lists ---------------------------------------------------------------------


class LateQuery(Schema):
    cutoff_on: dt.date | None = Field(None, description="截止日；留空为各项目最近一个已过的截止日")


@router.get("/late-reporters", response={200: list[ChaseOut], **ERRORS}, summary="逾期未报")
def late_reporters(request: HttpRequest, params: Query[LateQuery]) -> list[selectors.ChaseRow]:
    """重点项目办：在建项目中已过截止日仍未填报进度的，附项目秘书姓名。"""
    user = api_user(request)
    require_office(user)
    return selectors.late_reporters(user, today=timezone.localdate(), cutoff_on=params.cutoff_on)


@router.get("/site-reports/missing", response={200: list[ChaseOut], **ERRORS}, summary="今日未报日报")
def site_reports_missing(request: HttpRequest) -> list[selectors.ChaseRow]:
    """重点项目办：今天尚未报送现场日报的在建项目，附项目秘书姓名。"""
    user = api_user(request)
    require_office(user)
    return selectors.site_reports_missing(user, today=timezone.localdate())
