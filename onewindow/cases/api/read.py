"""The read side of the cases API (mounted at /api/cases/): cases, tasks, intake queue, supervision.

Every endpoint accepts the browser session or a bearer token from POST /auth/token, reads
through `onewindow.cases.selectors` (scoped to the caller) and masks the applicant's ID and phone
for roles that do not need them. A case the caller may not see is a 404 like a missing one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import authenticate
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from pydantic import field_validator
from pydantic_core import PydanticCustomError

from onewindow.api.auth import NotAuthenticated, api_user, token_issue
from onewindow.api.pagination import PageQuery, page_rows
from onewindow.api.schemas import ErrorOut, error_responses
from onewindow.cases import selectors
from onewindow.cases.api.commitment_out import case_commitment_out
from onewindow.cases.api.read_out import (
    BoardOut,
    CaseDetailOut,
    CasePageOut,
    DepartmentRateOut,
    LevelsOut,
    TaskPageOut,
    TokenOut,
    case_out,
    case_page,
    levels_out,
    material_out,
    matter_out,
    organisation_out,
    owed_material,
    supplement_request_out,
    task_out,
    task_page,
    timeline_out,
)
from onewindow.cases.domain import CASE_STATUS_LABELS, CaseStatus
from onewindow.cases.presentation import case_rows, task_rows
from onewindow.orgs.login_throttle import login_lockout, login_succeeded
from onewindow.orgs.models import User
from onewindow.orgs.selectors import display_id_number, display_phone

router = Router(tags=["办件查询"])


# --- query parameters -----------------------------------------------------------------------------


class CaseListQuery(PageQuery):
    status: str | None = Field(
        None, description="办件状态：" + "、".join(f"{s.value} {label}" for s, label in CASE_STATUS_LABELS.items())
    )

    @field_validator("status", mode="before")
    @classmethod
    def _status(cls, value: Any) -> str | None:
        if value in (None, ""):
            return None
        if value not in {s.value for s in CaseStatus}:
            allowed = "、".join(s.value for s in CaseStatus)
            raise PydanticCustomError(
                "invalid_choice", "办件状态 status 取值无效，可选：{allowed}", {"allowed": allowed}
            )
        return str(value)


class BoardQuery(PageQuery):
    organisation: str | None = Field(None, max_length=40, description="组织编码：只看该区划或部门及其下级")
    department: str | None = Field(None, max_length=40, description="部门编码")
    matter: str | None = Field(None, max_length=40, description="事项编码")


class LevelsQuery(Schema):
    organisation: str | None = Field(
        None, max_length=40, description="区划编码：以该区划为本级，列出其各下级区划；不填为本人监察的区划"
    )


class RateQuery(Schema):
    since: dt.date | None = Field(None, description="统计起始日期（含），YYYY-MM-DD；不填为全部")

    @field_validator("since", mode="before")
    @classmethod
    def _since(cls, value: Any) -> dt.date | None:
        if value in (None, ""):
            return None
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            raise PydanticCustomError("invalid_date", "统计起始日期 since 应为 YYYY-MM-DD 格式的日期") from None


class TokenIn(Schema):
    model_config = {"extra": "forbid"}

    username: str = Field(min_length=1, max_length=150, description="用户名")
    password: str = Field(min_length=1, max_length=256, description="密码")


# --- endpoints ------------------------------------------------------------------------------------

ERRORS = error_responses(401, 403, 404, 422)


@router.post(
    "/auth/token",
    response={200: TokenOut, 401: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    auth=None,
    summary="获取登录凭证",
)
def token_create(request: HttpRequest, payload: TokenIn) -> dict[str, Any]:
    """用户名和密码换取登录凭证（App、小程序使用）。凭证到期或修改密码后失效。

    连续登录失败过多时，账号或来源地址暂时锁定：返回 429 too_many_attempts，响应头 Retry-After 为需等待的秒数。
    """
    user = authenticate(request, username=payload.username, password=payload.password)
    if not isinstance(user, User) or not user.is_active:
        raise login_lockout(request) or NotAuthenticated("用户名或密码错误", code="invalid_credentials")
    login_succeeded(request, user)
    issued = token_issue(user)
    return {"token": issued.token, "expires_at": issued.expires_at}


@router.get("/cases", response={200: CasePageOut, **ERRORS}, summary="办件列表")
def case_list(request: HttpRequest, params: Query[CaseListQuery]) -> dict[str, Any]:
    """申请人：我的办件（最新在前，含草稿）。工作人员：其可见范围内的办件，可按状态筛选。"""
    user = api_user(request)
    if selectors.is_staff(user):
        cases = selectors.cases_for_staff(user, status=params.status)
    else:
        cases = selectors.cases_for_applicant_user(user)
        cases = cases.filter(status=params.status) if params.status else cases
    return case_page(cases, params)


@router.get("/cases/{int:case_id}", response={200: CaseDetailOut, **ERRORS}, summary="办件详情")
def case_detail(request: HttpRequest, case_id: int) -> dict[str, Any]:
    """状态、事项及结果、材料（名称、大小、SHA-256）、各部门审查任务及剩余工作日与预警、办理环节。

    无权查看与不存在同为 404 case_not_found。
    """
    user = api_user(request)
    case = selectors.case_get_for_user(user=user, case_id=case_id)
    matters, tasks = selectors.case_detail_parts(case)
    staff_view = selectors.is_staff(user)
    applicant = case.applicant
    summary = case_out(case_rows([case])[0])  # first: the case as the law stands
    materials = list(case.materials.order_by("id"))
    return summary | {
        "applicant": {
            "kind": applicant.kind,
            "name": applicant.name,
            "id_number": display_id_number(user, applicant.id_number),
            "phone": display_phone(user, applicant.phone),
        },
        "acceptance_notice_number": case.acceptance_notice_number,
        "limit_days": case.limit_days,
        "extension_days": case.extension_days,
        "completed_at": case.completed_at,
        "decision_note": case.decision_note,
        "refusal_reason": case.refusal_reason,
        "correction_notices": [
            {"number": n.number, "issued_at": n.issued_at, "resolved_at": n.resolved_at, "items": n.items}
            for n in case.correction_notices.order_by("-issued_at", "-id")
        ],
        "supplement_requests": [supplement_request_out(stop) for stop in selectors.case_open_supplement_requests(case)],
        "owed_materials": [owed_material(row) for row in selectors.deferral.owed_rows(case, materials)],
        "matters": [matter_out(matter) for matter in matters],
        "materials": [material_out(material) for material in materials],
        "tasks": [task_out(row) for row in task_rows(tasks)],
        "timeline": [
            timeline_out(entry, staff_view=staff_view) for entry in selectors.case_timeline(user=user, case=case)
        ],
        **case_commitment_out(user, case),
    }


@router.get("/tasks/todo", response={200: TaskPageOut, **ERRORS}, summary="待办审查任务")
def task_todo(request: HttpRequest, params: Query[PageQuery]) -> dict[str, Any]:
    """本部门待办与中止计时的任务（分配给本人或未分配），红灯在前，其次黄灯，再按期限。"""
    return task_page(selectors.tasks_todo(user=api_user(request)), params)


@router.get("/tasks/done", response={200: TaskPageOut, **ERRORS}, summary="已办审查任务")
def task_done(request: HttpRequest, params: Query[PageQuery]) -> dict[str, Any]:
    """本人办理过的任务，最近办理的在前。"""
    return task_page(selectors.tasks_done(user=api_user(request)), params)


@router.get("/intake/queue", response={200: CasePageOut, **ERRORS}, summary="受理队列")
def intake_queue(request: HttpRequest, params: Query[PageQuery]) -> dict[str, Any]:
    """本区划（含下级）待受理、待补正的办件，绿色通道在前，再按受理期限先后。仅窗口人员。"""
    return case_page(selectors.intake_queue(user=api_user(request)), params)


@router.get("/supervision/board", response={200: BoardOut, **ERRORS}, summary="效能监察看板")
def supervision_board(request: HttpRequest, params: Query[BoardQuery]) -> dict[str, Any]:
    """监察范围内在办办件与审查任务，可按组织（含下级）、部门、事项筛选，附各预警等级数量。仅效能监察人员。"""
    user = api_user(request)
    selectors.supervision_scope(user)
    filters = selectors.board_filters(
        organisation=params.organisation, department=params.department, matter=params.matter
    )
    board = selectors.supervision_board(
        user=user, organisation=filters.organisation, department=filters.department, matter=filters.matter
    )
    return {
        "case_counts": board.case_counts,
        "case_counts_capped": board.case_counts_capped,
        "task_counts": board.task_counts,
        "limit": params.limit,
        "offset": params.offset,
        "cases": [case_out(row) for row in case_rows(page_rows(board.cases, params.limit, params.offset))],
        "tasks": [task_out(row) for row in task_rows(page_rows(board.tasks, params.limit, params.offset))],
    }


@router.get("/supervision/levels", response={200: LevelsOut, **ERRORS}, summary="分级在办办件")
def supervision_levels(request: HttpRequest, params: Query[LevelsQuery]) -> dict[str, Any]:
    """按受理地统计监察范围内的在办办件：本级，及各下级区划（含其乡镇、街道），附各预警等级数量；
    另按受理地层级合计。仅效能监察人员。"""
    user = api_user(request)
    selectors.supervision_scope(user)
    filters = selectors.board_filters(organisation=params.organisation, department=None, matter=None)
    return levels_out(selectors.supervision_by_region(user=user, organisation=filters.organisation))


@router.get(
    "/supervision/on-time-rate",
    response={200: list[DepartmentRateOut], **ERRORS},
    summary="部门按期办结率",
)
def on_time_rate(request: HttpRequest, params: Query[RateQuery]) -> list[dict[str, Any]]:
    """监察范围内各部门：已办结审查任务数、按期办结数（办理日不晚于期限）及比率。仅效能监察人员。"""
    rates = selectors.department_on_time_rate(user=api_user(request), since=params.since)
    return [
        {
            "department": organisation_out(rate.department),
            "decided_count": rate.decided_count,
            "on_time_count": rate.on_time_count,
            "rate": rate.rate,
        }
        for rate in rates
    ]
