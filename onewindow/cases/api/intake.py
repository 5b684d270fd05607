"""The intake endpoints of the cases API (mounted at /api/cases/): submit, drafts, correction,
resubmission, acceptance, 容缺受理, refusal, 告知承诺 and withdrawal.

Submit, draft and resubmit take multipart forms: the fields below, `form_data` as a JSON object
string, and one file per material whose form-field name is the material's key. The others take
JSON. Each returns the case summary. Who may act is decided in the services.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest
from ninja import Field, Form, Router, Schema
from ninja.responses import Status

from onewindow.api.auth import api_user, has_bearer
from onewindow.api.schemas import error_responses
from onewindow.cases.domain import CASE_STATUS_LABELS, CaseStatus
from onewindow.cases.models import Case, Channel
from onewindow.cases.services import intake
from onewindow.catalogue.models import BundleVersion, MatterVersion
from onewindow.errors import DomainError, NotFound
from onewindow.orgs.models import Applicant, User
from onewindow.orgs.services import applicant_register
from onewindow.workdays.schemas import provisional_field, provisional_resolver

router = Router(tags=["一口受理"])


class IntakeCaseOut(Schema):
    id: int
    number: str
    status: str
    status_label: str
    received_on: dt.date | None
    intake_due_on: dt.date | None
    intake_due_on_provisional: bool = provisional_field("受理期限")
    resolve_intake_due_on_provisional = provisional_resolver("intake_due_on")
    accepted_on: dt.date | None
    due_on: dt.date | None
    due_on_provisional: bool = provisional_field("办结期限")
    resolve_due_on_provisional = provisional_resolver("due_on")
    is_deemed_accepted: bool
    acceptance_notice_number: str


class CorrectionOut(IntakeCaseOut):
    notice_number: str


ERRORS = error_responses(400, 401, 403, 404, 409, 422)


def _summary(case: Case) -> dict[str, Any]:
    return {
        "id": case.pk,
        "number": case.number,
        "status": case.status,
        "status_label": CASE_STATUS_LABELS[CaseStatus(case.status)],
        "received_on": case.received_on,
        "intake_due_on": case.intake_due_on,
        "accepted_on": case.accepted_on,
        "due_on": case.due_on,
        "is_deemed_accepted": case.is_deemed_accepted,
        "acceptance_notice_number": case.acceptance_notice_number,
    }


def _case(case_id: int) -> Case:
    case = Case.objects.filter(pk=case_id).first()
    if case is None:
        raise NotFound("未找到该办件", code="case_not_found")
    return case


def _files(request: HttpRequest) -> dict[str, UploadedFile]:
    uploads = ((key, request.FILES.get(key)) for key in request.FILES)
    return {key: upload for key, upload in uploads if isinstance(upload, UploadedFile)}


def _form_data(raw: str) -> dict[str, Any]:
    try:
        value = json.loads(raw or "{}")
    except json.JSONDecodeError:
        value = None
    if not isinstance(value, dict):
        raise DomainError("表单数据须为 JSON 对象", code="form_data_malformed", field="form_data")
    return value


# --- submit and drafts -----------------------------------------------------------------------------


class ApplicationIn(Schema):
    channel: str = Field(
        description="online(网上申报)、app(移动端申报)或 window(窗口受理)；"
        "App、小程序以登录凭证(Bearer)提交的 online 记为 app"
    )
    matter_version_id: int | None = Field(None, description="事项版本（与一件事二选一）")
    bundle_version_id: int | None = Field(None, description="一件事版本")
    form_data: str = Field("{}", max_length=100_000, description="表单数据，JSON 对象")
    applicant_id: int | None = Field(None, description="申请人（网上申报可省略：本人账号关联的申请人）")
    applicant_kind: str | None = Field(None, description="窗口受理时按证件登记申请人:person 或 enterprise")
    applicant_name: str | None = Field(None, max_length=200)
    applicant_id_number: str | None = Field(None, max_length=18, description="身份证号或统一社会信用代码")
    is_green_channel: bool = False
    agent_id: int | None = None
    draft_id: int | None = Field(None, description="提交已保存的草稿")


def _applicant(user: User, data: ApplicationIn) -> Applicant:
    if data.applicant_id is not None:
        found = Applicant.objects.filter(pk=data.applicant_id).first()
        if found is None:
            raise NotFound("未找到该申请人", code="applicant_not_found")
        return found
    if data.applicant_kind and data.applicant_id_number:
        return applicant_register(
            kind=data.applicant_kind, name=data.applicant_name or "", id_number=data.applicant_id_number, actor=user
        )
    own = list(Applicant.objects.filter(user=user)[:2])
    if len(own) != 1:
        raise DomainError("请选择申请人", code="applicant_required", field="applicant_id")
    return own[0]


def _applied_for(data: ApplicationIn) -> dict[str, Any]:
    """What the application is for and what it says (everything but who applies and the channel)."""
    return {
        "matter_version": MatterVersion.objects.filter(pk=data.matter_version_id).first()
        if data.matter_version_id
        else None,
        "bundle_version": BundleVersion.objects.filter(pk=data.bundle_version_id).first()
        if data.bundle_version_id
        else None,
        "form_data": _form_data(data.form_data),
        "is_green_channel": data.is_green_channel,
        "agent": User.objects.filter(pk=data.agent_id).first() if data.agent_id else None,
    }


def _channel(request: HttpRequest, asked: str) -> str:
    """An online application sent with a bearer token comes from the mobile app or a mini program (the
    portal's pages use the browser session): it is recorded as 移动端申报."""
    return Channel.APP if asked == Channel.ONLINE and has_bearer(request) else asked


def _application(request: HttpRequest, data: ApplicationIn) -> dict[str, Any]:
    user = api_user(request)
    draft = _case(data.draft_id) if data.draft_id is not None else None
    return {
        "actor": user,
        "applicant": draft.applicant if draft is not None else _applicant(user, data),
        **_applied_for(data),
        "channel": _channel(request, data.channel),
        "draft": draft,
    }


def _window_applicant(data: ApplicationIn) -> intake.WindowApplicant | None:
    """The applicant a clerk names by ID number at the window, for a new case (not a draft's, not by id)."""
    named = data.applicant_kind and data.applicant_id_number
    if data.channel != Channel.WINDOW or not named or data.applicant_id is not None or data.draft_id is not None:
        return None
    return intake.WindowApplicant(
        kind=data.applicant_kind or "", name=data.applicant_name or "", id_number=data.applicant_id_number or ""
    )


@router.post("/submissions", response={201: IntakeCaseOut, **ERRORS}, summary="提交申请")
def submit(request: HttpRequest, data: Form[ApplicationIn]) -> Status[dict[str, Any]]:
    user, window_applicant = api_user(request), _window_applicant(data)
    if window_applicant is not None:  # registered only together with the case it files
        case = intake.case_submit_at_window(
            actor=user, applicant=window_applicant, files=_files(request), **_applied_for(data)
        )
    else:
        case = intake.case_submit(files=_files(request), **_application(request, data))
    return Status(201, _summary(case))


@router.post("/drafts", response={201: IntakeCaseOut, **ERRORS}, summary="保存草稿")
def save_draft(request: HttpRequest, data: Form[ApplicationIn]) -> Status[dict[str, Any]]:
    case = intake.case_save_draft(files=_files(request), **_application(request, data))
    return Status(201, _summary(case))


# --- correction and resubmission -------------------------------------------------------------------


class CorrectionItemIn(Schema):
    target: str = Field(max_length=80, description="material:材料编码 或 field:字段编码")
    problem: str = Field(max_length=1000, description="需要补正的问题")


class CorrectionIn(Schema):
    items: list[CorrectionItemIn] = Field(max_length=200)


@router.post(
    "/cases/{int:case_id}/correction",
    response={200: CorrectionOut, **ERRORS},
    summary="一次性告知补正",
)
def request_correction(request: HttpRequest, case_id: int, data: CorrectionIn) -> dict[str, Any]:
    items = [item.model_dump() for item in data.items]
    notice = intake.case_request_correction(actor=api_user(request), case=_case(case_id), items=items)
    return {**_summary(notice.case), "notice_number": notice.number}


class ResubmitIn(Schema):
    form_data: str = Field("{}", max_length=100_000, description="需要更正的表单字段，JSON 对象")


@router.post(
    "/cases/{int:case_id}/resubmit",
    response={200: IntakeCaseOut, **ERRORS},
    summary="补正后重新提交",
)
def resubmit(request: HttpRequest, case_id: int, data: Form[ResubmitIn]) -> dict[str, Any]:
    case = intake.case_resubmit(
        actor=api_user(request), case=_case(case_id), form_data=_form_data(data.form_data), files=_files(request)
    )
    return _summary(case)


# --- intake decisions ------------------------------------------------------------------------------


@router.post("/cases/{int:case_id}/accept", response={200: IntakeCaseOut, **ERRORS}, summary="受理")
def accept(request: HttpRequest, case_id: int) -> dict[str, Any]:
    return _summary(intake.case_accept(actor=api_user(request), case=_case(case_id)))


class DeferralIn(Schema):
    deferred: dict[str, dt.date] = Field(description="材料编码 → 补交期限")


@router.post(
    "/cases/{int:case_id}/accept-with-deferral",
    response={200: IntakeCaseOut, **ERRORS},
    summary="容缺受理",
)
def accept_with_deferral(request: HttpRequest, case_id: int, data: DeferralIn) -> dict[str, Any]:
    case = intake.case_accept_with_deferral(actor=api_user(request), case=_case(case_id), deferred=data.deferred)
    return _summary(case)


class RefusalIn(Schema):
    reason: str = Field("", max_length=2000)
    legal_basis: str = Field("", max_length=1000)


@router.post("/cases/{int:case_id}/refuse", response={200: IntakeCaseOut, **ERRORS}, summary="不予受理")
def refuse(request: HttpRequest, case_id: int, data: RefusalIn) -> dict[str, Any]:
    case = intake.case_refuse(
        actor=api_user(request), case=_case(case_id), reason=data.reason, legal_basis=data.legal_basis
    )
    return _summary(case)


class CommitmentIn(Schema):
    commitment_text: str = Field("", max_length=5000)


@router.post(
    "/cases/{int:case_id}/approve-on-commitment",
    response={200: IntakeCaseOut, **ERRORS},
    summary="告知承诺准予",
)
def approve_on_commitment(request: HttpRequest, case_id: int, data: CommitmentIn) -> dict[str, Any]:
    case = intake.case_approve_on_commitment(
        actor=api_user(request), case=_case(case_id), commitment_text=data.commitment_text
    )
    return _summary(case)


class WithdrawIn(Schema):
    reason: str = Field("", max_length=1000)


@router.post("/cases/{int:case_id}/withdraw", response={200: IntakeCaseOut, **ERRORS}, summary="撤回申请")
def withdraw(request: HttpRequest, case_id: int, data: WithdrawIn) -> dict[str, Any]:
    case = intake.case_withdraw(actor=api_user(request), case=_case(case_id), reason=data.reason)
    return _summary(case)
