"""The read side of the cases API (mounted at /api/cases/): cases, tasks, intake queue, supervision.

Every endpoint accepts the browser session or a bearer token from POST /auth/token, reads
through `onewindow.cases.selectors` (scoped to the caller) and masks the applicant's ID and phone
for roles that do not need them. A case the caller may not see is a 404 like a missing one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import authenticate
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from pydantic import field_validator
from pydantic_core import PydanticCustomError

from onewindow.api.auth import NotAuthenticated, request_user, token_issue
from onewindow.api.schemas import ErrorOut
from onewindow.cases import selectors, selectors_deferral
from onewindow.cases.api.commitment_out import CreditRecordOut, RectificationOut, RevocationOut, case_commitment_out
from onewindow.cases.domain import (
    CASE_STATUS_LABELS,
    WARNING_LABELS,
    CaseStatus,
    TaskStatus,
    task_status_label,
)
from onewindow.cases.models import Case, CaseMaterial, CaseMatter, ClockStop, Task, TimelineEntry
from onewindow.orgs.login_throttle import login_lockout, login_succeeded
from onewindow.orgs.models import Organisation, User
from onewindow.orgs.selectors import display_id_number, display_phone
from onewindow.workdays.schemas import provisional_field, provisional_resolver

router = Router(tags=["办件查询"])

MAX_LIMIT = 100
MAX_OFFSET = 1_000_000  # past it the database cannot take the number (a 500 before)


# --- query parameters -----------------------------------------------------------------------------


def _int(value: Any, name: str, low: int, high: int | None) -> int:
    if isinstance(value, bool):
        raise PydanticCustomError("not_integer", "{name}必须是整数", {"name": name})
    try:
        number = value if isinstance(value, int) else int(str(value).strip())
    except ValueError:
        raise PydanticCustomError("not_integer", "{name}必须是整数", {"name": name}) from None
    if number < low or (high is not None and number > high):
        bounds = f"{low} 至 {high}" if high is not None else f"不小于 {low}"
        raise PydanticCustomError("out_of_range", "{name}应为 {bounds}", {"name": name, "bounds": bounds})
    return number


class PageQuery(Schema):
    limit: int = Field(20, ge=1, le=MAX_LIMIT, description=f"每页条数，1 至 {MAX_LIMIT}")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description=f"跳过的条数，0 至 {MAX_OFFSET}")

    @field_validator("limit", mode="before")
    @classmethod
    def _limit(cls, value: Any) -> int:
        return _int(value, "每页条数 limit", 1, MAX_LIMIT)

    @field_validator("offset", mode="before")
    @classmethod
    def _offset(cls, value: Any) -> int:
        return _int(value, "偏移量 offset", 0, MAX_OFFSET)


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


# --- responses ------------------------------------------------------------------------------------


class TokenOut(Schema):
    token: str = Field(description="登录凭证,放在请求头 Authorization: Bearer <token>")
    expires_at: dt.datetime = Field(description="过期时间；修改密码后立即失效")


class CaseOrganisationOut(Schema):
    id: int
    code: str = Field(description="组织编码")
    name: str = Field(description="名称（部门带所属区划）")


class ApplicantOut(Schema):
    kind: str = Field(description="person 自然人 / enterprise 法人")
    name: str
    id_number: str = Field(description="证件号码；无需查看的角色只见脱敏号码")
    phone: str = Field(description="联系电话；无需查看的角色只见脱敏号码")


class ProgressFields(Schema):
    remaining_days: int | None = Field(description="剩余工作日，超期为负；不计时为空")
    warning_level: str = Field(description="预警:normal 正常、yellow 黄灯、red 红灯")
    warning_label: str
    is_suspended: bool = Field(description="是否中止计时（补正、补充材料、特别程序）")


class CaseSummaryOut(ProgressFields):
    id: int
    number: str = Field(description="办件编号")
    title: str = Field(description="办件名称")
    status: str
    status_label: str = Field(description="状态（中文）")
    channel: str = Field(description="online 网上申报 / window 窗口受理")
    applicant_name: str
    region: CaseOrganisationOut
    is_green_channel: bool = Field(description="绿色通道（重点项目）")
    created_at: dt.datetime
    submitted_at: dt.datetime | None
    intake_due_on: dt.date | None = Field(description="受理期限")
    intake_due_on_provisional: bool = provisional_field("受理期限")
    resolve_intake_due_on_provisional = provisional_resolver("intake_due_on")
    accepted_on: dt.date | None = Field(description="受理日")
    is_deemed_accepted: bool = Field(
        description="视为受理：受理期限届满未作决定，依《行政许可法》第三十二条自收到材料之日起受理（记录前即如此显示）"
    )
    due_on: dt.date | None = Field(description="办结期限")
    due_on_provisional: bool = provisional_field("办结期限")
    resolve_due_on_provisional = provisional_resolver("due_on")


class CasePageOut(Schema):
    count: int = Field(description="总条数")
    limit: int
    offset: int
    items: list[CaseSummaryOut]


class CaseMatterOut(Schema):
    name: str = Field(description="事项名称")
    code: str = Field(description="事项编码")
    department: CaseOrganisationOut
    stage: int = Field(description="阶段")
    result: str
    result_label: str = Field(description="结果：办理中、准予许可、不予许可、告知承诺准予")


class CaseMaterialOut(Schema):
    key: str
    name: str
    size: int = Field(description="字节数")
    sha256: str
    content_type: str
    uploaded_at: dt.datetime | None
    deferred_due_on: dt.date | None = Field(description="容缺补交期限")


class TaskOut(ProgressFields):
    id: int
    case_id: int
    case_number: str
    case_title: str
    matter_name: str
    department: CaseOrganisationOut
    kind: str = Field(description="review 审查 / post_check 承诺核查 / recheck 整改复查")
    stage: int
    status: str
    status_label: str = Field(description="状态（中文）；承诺核查、整改复查为“符合”“不符合”")
    assignee: str | None = Field(description="经办人")
    started_on: dt.date
    limit_days: int
    extension_days: int
    due_on: dt.date
    due_on_provisional: bool = provisional_field("审查期限")
    resolve_due_on_provisional = provisional_resolver("due_on")
    decided_at: dt.datetime | None
    is_green_channel: bool


class TaskPageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[TaskOut]


class TimelineOut(Schema):
    at: dt.datetime
    action: str
    action_label: str = Field(description="环节（中文）")
    from_status: str
    to_status: str
    note: str
    actor: str | None = Field(description="办理人（员工可见）或办理部门")
    department: str | None


class CorrectionItemOut(Schema):
    target: str = Field(description="material:材料编码 或 field:字段编码")
    label: str = Field(description="材料或字段名称")
    problem: str


class CorrectionNoticeOut(Schema):
    number: str = Field(description="一次性告知书编号")
    issued_at: dt.datetime
    resolved_at: dt.datetime | None = Field(description="补正提交时间；未补正为 null")
    items: list[CorrectionItemOut]


class SupplementRequestOut(Schema):
    task_id: int = Field(description="补交时用：POST /api/cases/tasks/{task_id}/supplement/received")
    department: CaseOrganisationOut = Field(description="要求补充的部门")
    requested_on: dt.date
    note: str = Field(description="需要补充的材料及说明")


class OwedMaterialOut(Schema):
    key: str = Field(description="材料编码;补交用：POST /api/cases/cases/{id}/deferred-materials/{key}")
    name: str
    due_on: dt.date = Field(description="补交期限")
    is_overdue: bool = Field(description="已过补交期限仍未补交")
    overdue_days: int = Field(description="逾期天数（自然日），未逾期为 0")


class CaseDetailOut(CaseSummaryOut):
    applicant: ApplicantOut
    acceptance_notice_number: str
    limit_days: int
    extension_days: int
    completed_at: dt.datetime | None
    decision_note: str
    refusal_reason: str
    correction_notices: list[CorrectionNoticeOut] = Field(description="一次性告知书，最新在前：申请人据此补正")
    supplement_requests: list[SupplementRequestOut] = Field(
        description="各部门尚未收到的补充材料要求，最早的在前：申请人据此补交"
    )
    owed_materials: list[OwedMaterialOut] = Field(
        description="容缺受理后尚未补交的材料及补交期限，最早到期的在前；办结后仍未补交的也列出"
    )
    matters: list[CaseMatterOut]
    materials: list[CaseMaterialOut] = Field(description="材料（不含存储路径）")
    tasks: list[TaskOut]
    timeline: list[TimelineOut]
    revocation: RevocationOut | None = Field(description="撤销许可决定（办件状态为 revoked 时）")
    rectifications: list[RectificationOut] = Field(description="告知承诺核查不符合、尚待复查的整改要求")
    applicant_credit_records: list[CreditRecordOut] = Field(
        description="申请人的信用记录，仅向受理地窗口人员提供（受理时的提示）"
    )


class WarningCountsOut(Schema):
    normal: int
    yellow: int
    red: int
    total: int


class BoardOut(Schema):
    case_counts: WarningCountsOut = Field(description="在办办件数，按预警等级；每级最多计到 1000")
    case_counts_capped: bool = Field(description="有一级达到 1000 时为 true:该级与合计为下限（显示为“1000+”）")
    task_counts: WarningCountsOut = Field(description="在办审查任务数，按预警等级")
    limit: int
    offset: int
    cases: list[CaseSummaryOut]
    tasks: list[TaskOut]


class DepartmentRateOut(Schema):
    department: CaseOrganisationOut
    decided_count: int = Field(description="已办结审查任务数")
    on_time_count: int = Field(description="按期办结数（办理日不晚于期限）")
    rate: float | None = Field(description="按期办结率，0 至 1")


# --- serialisation --------------------------------------------------------------------------------


def _organisation(organisation: Organisation) -> dict[str, Any]:
    return {"id": organisation.pk, "code": organisation.code, "name": organisation.display_name}


def _progress(progress: selectors.Progress) -> dict[str, Any]:
    return {
        "remaining_days": progress.remaining_days,
        "warning_level": progress.level.value,
        "warning_label": WARNING_LABELS[progress.level],
        "is_suspended": progress.is_suspended,
    }


def _case(row: selectors.CaseRow) -> dict[str, Any]:
    case = row.case
    return _progress(row.progress) | {
        "id": case.pk,
        "number": case.number,
        "title": case.title,
        "status": case.status,
        "status_label": CASE_STATUS_LABELS[CaseStatus(case.status)],
        "channel": case.channel,
        "applicant_name": case.applicant.name,
        "region": _organisation(case.region),
        "is_green_channel": case.is_green_channel,
        "created_at": case.created_at,
        "submitted_at": case.submitted_at,
        "intake_due_on": case.intake_due_on,
        "accepted_on": case.accepted_on,
        "is_deemed_accepted": case.is_deemed_accepted,
        "due_on": case.due_on,
    }


def _task(row: selectors.TaskRow) -> dict[str, Any]:
    task = row.task
    assignee: User | None = task.assignee
    return _progress(row.progress) | {
        "id": task.pk,
        "case_id": task.case_id,
        "case_number": task.case.number,
        "case_title": task.case.title,
        "matter_name": task.case_matter.matter_version.name,
        "department": _organisation(task.department),
        "kind": task.kind,
        "stage": task.stage,
        "status": task.status,
        "status_label": task_status_label(TaskStatus(task.status), is_check=task.is_check),
        "assignee": str(assignee) if assignee else None,
        "started_on": task.started_on,
        "limit_days": task.limit_days,
        "extension_days": task.extension_days,
        "due_on": task.due_on,
        "decided_at": task.decided_at,
        "is_green_channel": task.case.is_green_channel,
    }


def _matter(matter: CaseMatter) -> dict[str, Any]:
    return {
        "name": matter.matter_version.name,
        "code": matter.matter_version.matter.code,
        "department": _organisation(matter.department),
        "stage": matter.stage,
        "result": matter.result,
        "result_label": matter.get_result_display(),
    }


def _material(material: CaseMaterial) -> dict[str, Any]:
    return {
        "key": material.key,
        "name": material.name,
        "size": material.size,
        "sha256": material.sha256,
        "content_type": material.content_type,
        "uploaded_at": material.uploaded_at,
        "deferred_due_on": material.deferred_due_on,
    }


def owed_material(row: selectors_deferral.OwedRow) -> dict[str, Any]:
    return {
        "key": row.material.key,
        "name": row.material.name,
        "due_on": row.due_on,
        "is_overdue": row.is_overdue,
        "overdue_days": row.overdue_days,
    }


def _supplement_request(stop: ClockStop) -> dict[str, Any]:
    task = stop.task
    assert task is not None  # case_open_supplement_requests reads the stops of tasks only
    return {
        "task_id": task.pk,
        "department": _organisation(task.department),
        "requested_on": stop.first_on,
        "note": stop.note,
    }


def _timeline(entry: TimelineEntry, *, staff_view: bool) -> dict[str, Any]:
    department = entry.task.department.display_name if entry.task else None
    actor = str(entry.actor) if staff_view and entry.actor else department
    return {
        "at": entry.at,
        "action": entry.action,
        "action_label": selectors.timeline_action_label(entry.action),
        "from_status": entry.from_status,
        "to_status": entry.to_status,
        "note": entry.note,
        "actor": actor,
        "department": department,
    }


def _slice(rows: QuerySet[Any], params: PageQuery) -> list[Any]:
    return list(rows[params.offset : params.offset + params.limit])


def _page(rows: QuerySet[Any], params: PageQuery) -> tuple[int, list[Any]]:
    return rows.count(), _slice(rows, params)


def _case_page(cases: QuerySet[Case], params: PageQuery) -> dict[str, Any]:
    count, page = _page(cases, params)
    items = [_case(row) for row in selectors.case_rows(page)]
    return {"count": count, "limit": params.limit, "offset": params.offset, "items": items}


def _task_page(tasks: QuerySet[Task], params: PageQuery) -> dict[str, Any]:
    count, page = _page(tasks, params)
    items = [_task(row) for row in selectors.task_rows(page)]
    return {"count": count, "limit": params.limit, "offset": params.offset, "items": items}


# --- endpoints ------------------------------------------------------------------------------------

ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


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
    user = request_user(request)
    if selectors.is_staff(user):
        cases = selectors.cases_for_staff(user, status=params.status)
    else:
        cases = selectors.cases_for_applicant_user(user)
        cases = cases.filter(status=params.status) if params.status else cases
    return _case_page(cases, params)


@router.get("/cases/{int:case_id}", response={200: CaseDetailOut, **ERRORS}, summary="办件详情")
def case_detail(request: HttpRequest, case_id: int) -> dict[str, Any]:
    """状态、事项及结果、材料（名称、大小、SHA-256）、各部门审查任务及剩余工作日与预警、办理环节。

    无权查看与不存在同为 404 case_not_found。
    """
    user = request_user(request)
    case = selectors.case_get_for_user(user=user, case_id=case_id)
    matters, tasks = selectors.case_detail_parts(case)
    staff_view = selectors.is_staff(user)
    applicant = case.applicant
    summary = _case(selectors.case_rows([case])[0])  # first: the case as the law stands
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
        "supplement_requests": [_supplement_request(stop) for stop in selectors.case_open_supplement_requests(case)],
        "owed_materials": [owed_material(row) for row in selectors_deferral.owed_rows(case, materials)],
        "matters": [_matter(matter) for matter in matters],
        "materials": [_material(material) for material in materials],
        "tasks": [_task(row) for row in selectors.task_rows(tasks)],
        "timeline": [
            _timeline(entry, staff_view=staff_view) for entry in selectors.case_timeline(user=user, case=case)
        ],
        **case_commitment_out(user, case),
    }


@router.get("/tasks/todo", response={200: TaskPageOut, **ERRORS}, summary="待办审查任务")
def task_todo(request: HttpRequest, params: Query[PageQuery]) -> dict[str, Any]:
    """本部门待办与中止计时的任务（分配给本人或未分配），红灯在前，其次黄灯，再按期限。"""
    return _task_page(selectors.tasks_todo(user=request_user(request)), params)


@router.get("/tasks/done", response={200: TaskPageOut, **ERRORS}, summary="已办审查任务")
def task_done(request: HttpRequest, params: Query[PageQuery]) -> dict[str, Any]:
    """本人办理过的任务，最近办理的在前。"""
    return _task_page(selectors.tasks_done(user=request_user(request)), params)


@router.get("/intake/queue", response={200: CasePageOut, **ERRORS}, summary="受理队列")
def intake_queue(request: HttpRequest, params: Query[PageQuery]) -> dict[str, Any]:
    """本区划（含下级）待受理、待补正的办件，绿色通道在前，再按受理期限先后。仅窗口人员。"""
    return _case_page(selectors.intake_queue(user=request_user(request)), params)


@router.get("/supervision/board", response={200: BoardOut, **ERRORS}, summary="效能监察看板")
def supervision_board(request: HttpRequest, params: Query[BoardQuery]) -> dict[str, Any]:
    """监察范围内在办办件与审查任务，可按组织（含下级）、部门、事项筛选，附各预警等级数量。仅效能监察人员。"""
    user = request_user(request)
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
        "cases": [_case(row) for row in selectors.case_rows(_slice(board.cases, params))],
        "tasks": [_task(row) for row in selectors.task_rows(_slice(board.tasks, params))],
    }


@router.get(
    "/supervision/on-time-rate",
    response={200: list[DepartmentRateOut], **ERRORS},
    summary="部门按期办结率",
)
def on_time_rate(request: HttpRequest, params: Query[RateQuery]) -> list[dict[str, Any]]:
    """监察范围内各部门：已办结审查任务数、按期办结数（办理日不晚于期限）及比率。仅效能监察人员。"""
    rates = selectors.department_on_time_rate(user=request_user(request), since=params.since)
    return [
        {
            "department": _organisation(rate.department),
            "decided_count": rate.decided_count,
            "on_time_count": rate.on_time_count,
            "rate": rate.rate,
        }
        for rate in rates
    ]
