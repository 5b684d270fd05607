"""The agency endpoints (mounted at /api/agency/): the agent's work list, the authorisations (list,
detail, recorded at the window, granted online, revoked), the agents one may name, and the key-project
office's assignment. A bearer token or the browser session, as everywhere (onewindow/api/auth.py).

The agent acts on the cases through the cases API itself (submit with the applicant's `applicant_id`,
resubmit, supplement, withdraw): the cases' services check the authorisation.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Form, Query, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict

from onewindow.agency import selectors, services
from onewindow.agency.domain import ACTION_LABELS, ALL_ACTIONS, BASIS_LABELS, STATE_LABELS, Basis, scope_labels
from onewindow.agency.models import Authorisation
from onewindow.api.auth import api_user
from onewindow.api.pagination import PageQuery, page_body, page_of
from onewindow.api.schemas import error_responses
from onewindow.cases.domain import CASE_STATUS_LABELS, WARNING_LABELS, CaseStatus, WarningLevel
from onewindow.cases.presentation import CaseRow, case_rows
from onewindow.errors import InvalidFields, NotFound, PermissionDenied
from onewindow.orgs.domain import Role
from onewindow.orgs.models import Applicant, User
from onewindow.orgs.selectors import display_id_number, user_has_role
from onewindow.orgs.services import applicant_register
from onewindow.projects.selectors import project_get_for_user

router = Router(tags=["代办服务"])

ERRORS = error_responses(400, 401, 403, 404, 409, 422)
SCOPE_HELP = (
    "委托范围，逗号分隔："
    + "、".join(f"{a.value} {label}" for a, label in ACTION_LABELS.items())
    + f"；或 {ALL_ACTIONS} 全部"
)


# The agency lists page with the shared bounds; the class keeps its name in the OpenAPI document.
class AgencyPageQuery(PageQuery):
    pass


# --- the work list ----------------------------------------------------------------------------------


class AgencyCaseOut(Schema):
    id: int
    number: str = Field(description="办件编号")
    title: str
    status: str
    status_label: str
    applicant_name: str
    is_green_channel: bool
    intake_due_on: dt.date | None = Field(description="受理期限")
    due_on: dt.date | None = Field(description="办结期限")
    remaining_days: int | None = Field(description="剩余工作日，超期为负；不计时为空")
    warning_level: str
    warning_label: str
    awaiting_correction: bool = Field(description="待补正：POST /api/cases/cases/{id}/resubmit")
    awaiting_supplement: bool = Field(description="部门要求补充材料：见办件详情的 supplement_requests")


class AgencyCasePageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[AgencyCaseOut]


def _case(row: CaseRow) -> dict[str, Any]:
    case = row.case
    return {
        "id": case.pk,
        "number": case.number,
        "title": case.title,
        "status": case.status,
        "status_label": CASE_STATUS_LABELS[CaseStatus(case.status)],
        "applicant_name": case.applicant.name,
        "is_green_channel": case.is_green_channel,
        "intake_due_on": case.intake_due_on,
        "due_on": case.due_on,
        "remaining_days": row.progress.remaining_days,
        "warning_level": row.progress.level.value,
        "warning_label": WARNING_LABELS[WarningLevel(row.progress.level)],
        "awaiting_correction": case.status == CaseStatus.CORRECTION,
        "awaiting_supplement": bool(getattr(case, "awaiting_supplement", False)),
    }


@router.get("/cases", response={200: AgencyCasePageOut, **ERRORS}, summary="代办工作台")
def work_list(request: HttpRequest, params: Query[AgencyPageQuery]) -> dict[str, Any]:
    """代办员受委托代为办理的办件：在办的在前，按期限先后。仅代办员；委托到期或撤销后不再列出。"""
    user = api_user(request)
    if not selectors.is_agent(user):
        raise PermissionDenied("只有代办员可以查看代办工作台", code="not_an_agent")
    cases = selectors.represented_cases(user)
    count, page = page_of(cases, params)
    items = [_case(row) for row in case_rows(page)]
    return {"count": count, "limit": params.limit, "offset": params.offset, "items": items}


# --- authorisations ---------------------------------------------------------------------------------


class AgencyPersonOut(Schema):
    id: int
    name: str


class AgencyApplicantOut(Schema):
    id: int = Field(description="代为申报时的 applicant_id")
    kind: str
    name: str
    id_number: str = Field(description="证件号码；无需查看的角色（含代办员）只见脱敏号码")


class AgencyDocumentOut(Schema):
    sha256: str
    size: int
    content_type: str


class AuthorisationOut(Schema):
    id: int
    agent: AgencyPersonOut
    applicant: AgencyApplicantOut
    project_id: int | None = Field(description="重点项目（免费代办）")
    basis: str = Field(description="window 窗口登记、online 申请人网上委托、key_project 重点项目免费代办")
    basis_label: str
    scope: list[str]
    scope_labels: list[str]
    valid_from: dt.date
    valid_until: dt.date | None = Field(description="截止日期；空为撤销为止")
    state: str = Field(description="valid 有效、not_yet_valid 尚未生效、expired 已到期、revoked 已撤销")
    state_label: str
    is_free: bool = Field(description="免费代办（重点项目）")
    document: AgencyDocumentOut | None = Field(description="授权委托书")
    recorded_at: dt.datetime
    revoked_at: dt.datetime | None
    revoke_reason: str


class AuthorisationPageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[AuthorisationOut]


def _person(user: User) -> dict[str, Any]:
    return {"id": user.pk, "name": user.name or user.username}


def _authorisation(viewer: User, a: Authorisation) -> dict[str, Any]:
    state = a.state_on(timezone.localdate())
    applicant = a.applicant
    document = (
        {"sha256": a.document_sha256, "size": a.document_size, "content_type": a.document_content_type}
        if a.document
        else None
    )
    return {
        "id": a.pk,
        "agent": _person(a.agent),
        "applicant": {
            "id": applicant.pk,
            "kind": applicant.kind,
            "name": applicant.name,
            "id_number": display_id_number(viewer, applicant.id_number),
        },
        "project_id": a.project_id,
        "basis": a.basis,
        "basis_label": BASIS_LABELS[Basis(a.basis)],
        "scope": list(a.scope),
        "scope_labels": scope_labels(a.scope),
        "valid_from": a.valid_from,
        "valid_until": a.valid_until,
        "state": state.value,
        "state_label": STATE_LABELS[state],
        "is_free": a.is_free,
        "document": document,
        "recorded_at": a.recorded_at,
        "revoked_at": a.revoked_at,
        "revoke_reason": a.revoke_reason,
    }


def _page(viewer: User, rows: QuerySet[Authorisation], params: AgencyPageQuery) -> dict[str, Any]:
    return page_body(rows, params, lambda authorisation: _authorisation(viewer, authorisation))


@router.get("/authorisations", response={200: AuthorisationPageOut, **ERRORS}, summary="代办委托列表")
def authorisation_list(request: HttpRequest, params: Query[AgencyPageQuery]) -> dict[str, Any]:
    """本人可见的委托：代办员的、申请人账号的、本辖区窗口登记的、重点项目办指派的；最新的在前。"""
    user = api_user(request)
    return _page(user, selectors.authorisation_list(user), params)


@router.get("/authorisations/{int:authorisation_id}", response={200: AuthorisationOut, **ERRORS}, summary="代办委托")
def authorisation_detail(request: HttpRequest, authorisation_id: int) -> dict[str, Any]:
    """无权查看与不存在同为 404 authorisation_not_found。"""
    user = api_user(request)
    return _authorisation(user, selectors.authorisation_get_for_user(user, authorisation_id))


class GrantIn(Schema):
    agent_id: int | None = Field(None, description="代办员的用户 ID（GET /api/agency/agents）")
    scope: str = Field("", max_length=200, description=SCOPE_HELP)
    valid_from: dt.date | None = Field(None, description="起始日期 YYYY-MM-DD")
    valid_until: dt.date | None = Field(None, description="截止日期 YYYY-MM-DD")


class WindowGrantIn(GrantIn):
    applicant_kind: str = Field(description="person 或 enterprise")
    applicant_name: str = Field("", max_length=200)
    applicant_id_number: str = Field(max_length=30, description="身份证号或统一社会信用代码")


class OnlineGrantIn(GrantIn):
    applicant_id: int = Field(description="本人账号关联的申请人（GET /api/orgs/me）")


def _document(request: HttpRequest) -> UploadedFile | None:
    upload = request.FILES.get("document")
    return upload if isinstance(upload, UploadedFile) else None


def _grant(data: GrantIn, request: HttpRequest) -> dict[str, Any]:
    return {
        "agent": selectors.agent_find(data.agent_id),
        "scope": [part for part in data.scope.replace("，", ",").split(",") if part.strip()],
        "valid_from": data.valid_from,
        "valid_until": data.valid_until,
        "document": _document(request),
    }


@router.post("/authorisations/window", response={201: AuthorisationOut, **ERRORS}, summary="窗口登记代办委托")
def window_grant(request: HttpRequest, data: Form[WindowGrantIn]) -> Status[dict[str, Any]]:
    """窗口人员按申请人签章的授权委托书登记（multipart 表单，document 为委托书文件：PDF、JPG、PNG 或 OFD，必填）。"""
    user = api_user(request)
    if not user_has_role(user, Role.CLERK):
        raise PermissionDenied("只有窗口人员可以在窗口登记代办委托", code="not_a_clerk")
    if data.applicant_kind not in Applicant.Kind.values:
        message = "申请人类型只能是 person（自然人）或 enterprise（法人/企业）"
        raise InvalidFields(message, errors={"applicant_kind": message}, code="authorisation_invalid")
    with transaction.atomic():  # a refused authorisation registers no applicant either
        applicant = applicant_register(
            kind=data.applicant_kind, name=data.applicant_name, id_number=data.applicant_id_number, actor=user
        )
        authorisation = services.authorisation_record_at_window(
            actor=user, applicant=applicant, **_grant(data, request)
        )
    return Status(201, _authorisation(user, authorisation))


@router.post("/authorisations/grant", response={201: AuthorisationOut, **ERRORS}, summary="网上委托代办")
def online_grant(request: HttpRequest, data: Form[OnlineGrantIn]) -> Status[dict[str, Any]]:
    """申请人账号委托代办员代为办理（multipart 表单；document 为授权委托书文件，可选）。"""
    user = api_user(request)
    applicant = Applicant.objects.filter(pk=data.applicant_id, user=user).first()
    if applicant is None:
        raise NotFound("未找到该申请人", code="applicant_not_found")
    authorisation = services.authorisation_grant_online(actor=user, applicant=applicant, **_grant(data, request))
    return Status(201, _authorisation(user, authorisation))


class RevokeIn(Schema):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field("", max_length=1000, description="撤销原因（必填）")


@router.post(
    "/authorisations/{int:authorisation_id}/revoke", response={200: AuthorisationOut, **ERRORS}, summary="撤销代办委托"
)
def revoke(request: HttpRequest, authorisation_id: int, data: RevokeIn) -> dict[str, Any]:
    """委托人、代办员本人、登记地窗口人员或（重点项目）重点项目办撤销；自今日起代办员不再可见、不能代办。"""
    user = api_user(request)
    authorisation = selectors.authorisation_get_for_user(user, authorisation_id)
    revoked = services.authorisation_revoke(actor=user, authorisation=authorisation, reason=data.reason)
    return _authorisation(user, revoked)


@router.get("/agents", response={200: list[AgencyPersonOut], **ERRORS}, summary="可选的代办员")
def agents(request: HttpRequest) -> list[dict[str, Any]]:
    """在岗的代办员（委托时的 agent_id）。"""
    api_user(request)
    return [_person(user) for user in selectors.agents_to_choose()[:500]]


# --- a key project's agent --------------------------------------------------------------------------


class ProjectAgentIn(Schema):
    model_config = ConfigDict(extra="forbid")
    agent_id: int = Field(..., strict=True, description="代办员的用户 ID（GET /api/agency/agents）")


@router.post(
    "/projects/{int:project_id}/agent", response={200: AuthorisationOut, **ERRORS}, summary="指派重点项目代办员"
)
def project_agent(request: HttpRequest, project_id: int, data: ProjectAgentIn) -> dict[str, Any]:
    """重点项目办为项目指派代办员（免费代办）：代业主单位办理全部事项，关联到路径图的在办办件记录该代办员。"""
    user = api_user(request)
    project = project_get_for_user(user, project_id)
    agent = selectors.agent_find(data.agent_id)
    return _authorisation(user, services.project_agent_assign(actor=user, project=project, agent=agent))
