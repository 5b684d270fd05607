"""The certificates' endpoints (mounted at /api/certificates/): the staff's list, the issuing clock's
warnings, one certificate, its lifecycle (变更, 延续, 撤销), the applicant's own certificates and their
PDF, and the public verification (by number, or a PDF uploaded). A bearer token or the browser session,
as everywhere (onewindow/api/auth.py); verification is public (`auth=None`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, HttpRequest
from ninja import Field, File, Query, Router, Schema
from ninja.files import UploadedFile as NinjaUploadedFile
from ninja.responses import Status
from pydantic import ConfigDict

from onewindow.api.auth import api_user
from onewindow.api.pagination import PageQuery, page_of
from onewindow.api.schemas import error_responses
from onewindow.cases.selectors import is_staff
from onewindow.certificates import selectors, services, verification
from onewindow.certificates.models import Certificate, Delivery
from onewindow.errors import InvalidFields, NotFound, PermissionDenied
from onewindow.evaluation.selectors import rating_prompt_due
from onewindow.orgs.models import User
from onewindow.orgs.selectors import display_id_number

router = Router(tags=["电子证照"])
ERRORS = error_responses(400, 401, 403, 404, 409, 422)
MAX_UPLOAD = 20 * 1024 * 1024


class CertificatePageQuery(PageQuery):
    status: str = Field("", description="状态：pending、valid、superseded、renewed、revoked")


class CertificateOut(Schema):
    id: int
    number: str = Field(description="证照版本编号（证照编号-版本号），核验页的键")
    licence_number: str = Field(description="证照编号")
    version: int
    identifier: str = Field(description="电子证照标识（GB/T 36904）")
    type_code: str
    type_name: str
    status: str
    status_label: str
    holder_name: str
    holder_id_number: str = Field(description="持证主体代码（无权查看者为脱敏值）")
    department: str
    case_id: int
    case_number: str
    data: dict[str, str]
    decided_on: dt.date
    due_on: dt.date = Field(description="发证期限（决定之日起十个工作日）")
    warning_level: str
    issued_on: dt.date | None
    valid_from: dt.date
    valid_until: dt.date | None
    pdf_sha256: str
    has_pdf: bool


class CertificatePageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[CertificateOut]


def _out(user: User, c: Certificate) -> dict[str, Any]:
    return {
        "id": c.pk,
        "number": c.number,
        "licence_number": c.licence_number,
        "version": c.version,
        "identifier": c.identifier,
        "type_code": c.certificate_type.code,
        "type_name": c.certificate_type.name,
        "status": c.status,
        "status_label": c.get_status_display(),
        "holder_name": c.holder_name,
        "holder_id_number": display_id_number(user, c.holder_id_number),
        "department": c.department.display_name,
        "case_id": c.case_id,
        "case_number": c.case.number,
        "data": {k: str(v) for k, v in c.data.items()},
        "decided_on": c.decided_on,
        "due_on": c.due_on,
        "warning_level": c.warning_level,
        "issued_on": c.issued_on,
        "valid_from": c.valid_from,
        "valid_until": c.valid_until,
        "pdf_sha256": c.pdf_sha256,
        "has_pdf": bool(c.pdf),
    }


def _page(user: User, rows: Any, params: PageQuery) -> dict[str, Any]:
    count, page = page_of(rows, params)
    return {"count": count, "limit": params.limit, "offset": params.offset, "items": [_out(user, c) for c in page]}


def _staff(request: HttpRequest) -> User:
    user = api_user(request)
    if not is_staff(user):
        raise PermissionDenied("只有工作人员可以查看", code="not_staff")
    return user


@router.get("/certificates", response={200: CertificatePageOut, **ERRORS}, summary="电子证照（工作人员）")
def staff_list(request: HttpRequest, params: Query[CertificatePageQuery]) -> dict[str, Any]:
    """本人所在机构及下级受理或颁发的证照，新的在前。"""
    user = _staff(request)
    return _page(user, selectors.certificate_list_for_staff(user, status=params.status), params)


@router.get("/warnings", response={200: CertificatePageOut, **ERRORS}, summary="发证时限预警")
def warnings(request: HttpRequest, params: Query[PageQuery]) -> dict[str, Any]:
    """待签发的证照（行政许可法第四十四条：决定之日起十个工作日内），红灯在前。"""
    user = _staff(request)
    return _page(user, selectors.certificate_issue_warnings(user), params)


@router.get("/certificates/{certificate_id}", response={200: CertificateOut, **ERRORS}, summary="一本证照（工作人员）")
def staff_detail(request: HttpRequest, certificate_id: int) -> dict[str, Any]:
    user = api_user(request)
    return _out(user, selectors.certificate_get_for_staff(user=user, certificate_id=certificate_id))


class CertificateAlterIn(Schema):
    model_config = ConfigDict(extra="forbid")
    changes: dict[str, str] = Field(description="字段键 → 新值")
    reason: str


class CertificateRenewIn(Schema):
    model_config = ConfigDict(extra="forbid")
    reason: str


class CertificateRevokeIn(Schema):
    model_config = ConfigDict(extra="forbid")
    kind: str = Field(description="revoke 撤销 或 cancel 注销")
    reason: str
    legal_basis: str


@router.post("/certificates/{certificate_id}/alter", response={200: CertificateOut, **ERRORS}, summary="变更")
def alter(request: HttpRequest, certificate_id: int, data: CertificateAlterIn) -> dict[str, Any]:
    user = api_user(request)
    certificate = selectors.certificate_get_for_staff(user=user, certificate_id=certificate_id)
    return _out(
        user, services.certificate_alter(actor=user, certificate=certificate, changes=data.changes, reason=data.reason)
    )


@router.post("/certificates/{certificate_id}/renew", response={200: CertificateOut, **ERRORS}, summary="延续")
def renew(request: HttpRequest, certificate_id: int, data: CertificateRenewIn) -> dict[str, Any]:
    user = api_user(request)
    certificate = selectors.certificate_get_for_staff(user=user, certificate_id=certificate_id)
    return _out(user, services.certificate_renew(actor=user, certificate=certificate, reason=data.reason))


@router.post("/certificates/{certificate_id}/revoke", response={200: CertificateOut, **ERRORS}, summary="撤销或注销")
def revoke(request: HttpRequest, certificate_id: int, data: CertificateRevokeIn) -> dict[str, Any]:
    user = api_user(request)
    certificate = selectors.certificate_get_for_staff(user=user, certificate_id=certificate_id)
    revoked = services.certificate_revoke(
        actor=user, certificate=certificate, kind=data.kind, reason=data.reason, legal_basis=data.legal_basis
    )
    return _out(user, revoked)


class CertificateDeliveryIn(Schema):
    model_config = ConfigDict(extra="forbid")
    method: str = Field(description="window 窗口领取 或 post 邮寄送达")
    recipient_name: str = Field(description="领取人或收件人")
    window_id: int | None = Field(default=None, description="领取窗口（窗口领取）")
    agent_id: int | None = Field(default=None, description="代领的代办员（须持有涵盖“领取办理结果”的有效委托）")
    carrier: str = Field(default="", description="寄递单位（邮寄送达）")
    tracking_number: str = Field(default="", description="寄递单号（邮寄送达，8至30位字母或数字）")


class CertificateDeliveryOut(Schema):
    id: int
    method: str = Field(description="download 网上下载、window 窗口领取、post 邮寄送达")
    method_label: str
    delivered_at: dt.datetime
    window: str
    agent: str
    carrier: str
    tracking_number: str


def _delivery_out(delivery: Delivery) -> dict[str, Any]:
    agent = delivery.agent
    return {
        "id": delivery.pk,
        "method": delivery.method,
        "method_label": delivery.get_method_display(),
        "delivered_at": delivery.delivered_at,
        "window": f"{delivery.window.hall.name} {delivery.window.number}" if delivery.window else "",
        "agent": (agent.name or agent.username) if agent else "",
        "carrier": delivery.carrier,
        "tracking_number": delivery.tracking_number,
    }


@router.get(
    "/certificates/{certificate_id}/deliveries",
    response={200: list[CertificateDeliveryOut], **ERRORS},
    summary="送达记录",
)
def deliveries(request: HttpRequest, certificate_id: int) -> list[dict[str, Any]]:
    user = api_user(request)
    certificate = selectors.certificate_get_for_staff(user=user, certificate_id=certificate_id)
    return [_delivery_out(row) for row in certificate.deliveries.select_related("agent", "window__hall")]


@router.post(
    "/certificates/{certificate_id}/deliveries",
    response={201: CertificateDeliveryOut, **ERRORS},
    summary="登记窗口领取或邮寄送达",
)
def hand_over(request: HttpRequest, certificate_id: int, data: CertificateDeliveryIn) -> Status[dict[str, Any]]:
    user = api_user(request)
    certificate = selectors.certificate_get_for_staff(user=user, certificate_id=certificate_id)
    window, agent = selectors.delivery_choice(user, certificate, window_id=data.window_id, agent_id=data.agent_id)
    delivery = services.certificate_hand_over(
        actor=user,
        certificate=certificate,
        method=data.method,
        recipient_name=data.recipient_name,
        carrier=data.carrier,
        tracking_number=data.tracking_number,
        window=window,
        agent=agent,
    )
    return Status(201, _delivery_out(delivery))


@router.get("/mine", response={200: CertificatePageOut, **ERRORS}, summary="我的证照")
def mine(request: HttpRequest, params: Query[PageQuery]) -> dict[str, Any]:
    user = api_user(request)
    return _page(user, selectors.certificate_list_for_holder(user), params)


@router.get("/mine/{certificate_id}", response={200: CertificateOut, **ERRORS}, summary="我的一本证照")
def mine_detail(request: HttpRequest, certificate_id: int) -> dict[str, Any]:
    user = api_user(request)
    return _out(user, selectors.certificate_get_for_holder(user=user, certificate_id=certificate_id))


@router.get("/mine/{certificate_id}/pdf", response={200: None, **ERRORS}, summary="下载证照文件")
def mine_pdf(request: HttpRequest, certificate_id: int) -> FileResponse:
    """签章的 PDF 文件（application/pdf，附件）。先评价后取证：办件尚未评价时，应用应先请申请人评价或跳过
    （POST /api/evaluation/…）；评价自愿，文件照常返回，响应头 `X-Rating-Prompt: due` 提示尚未评价。"""
    user = api_user(request)
    certificate = selectors.certificate_get_for_holder(user=user, certificate_id=certificate_id)
    if not certificate.pdf:
        raise NotFound("证照尚未签发，暂无文件", code="certificate_not_issued")
    response = FileResponse(
        certificate.pdf.open("rb"),
        as_attachment=True,
        filename=f"{certificate.number}.pdf",
        content_type="application/pdf",
    )
    if rating_prompt_due(case=certificate.case, user=user):
        response["X-Rating-Prompt"] = "due"
    services.certificate_downloaded(user=user, certificate=certificate)
    return response


# --- public verification ------------------------------------------------------------------------------


class CertificateStatusOut(Schema):
    number: str
    licence_number: str
    version: int
    identifier: str
    type_name: str
    standing: str = Field(description="valid、pending、superseded、renewed、revoked、expired")
    standing_label: str
    is_valid: bool
    holder: str = Field(description="持证主体（脱敏）")
    holder_id: str = Field(description="持证主体代码（脱敏）")
    department: str
    issued_on: dt.date | None
    valid_from: dt.date
    valid_until: dt.date | None
    current_number: str = Field(description="该证照的最新版本编号")
    revocation_kind: str
    revocation_reason: str
    revocation_basis: str
    revoked_on: dt.date | None
    data_signature_ok: bool = Field(description="证照数据的 SM2 签名有效")


class CertificateVerdictOut(Schema):
    genuine: bool = Field(description="本平台签发且未被改动")
    valid: bool = Field(description="真实且当前有效")
    reason: str
    status: CertificateStatusOut | None


@router.get(
    "/verify/{number}",
    response={200: CertificateStatusOut, **error_responses(404)},
    auth=None,
    summary="按编号核验（公开）",
)
def verify_number(request: HttpRequest, number: str) -> verification.Status:
    return verification.verify_number(number)


@router.post(
    "/verify", response={200: CertificateVerdictOut, **error_responses(422)}, auth=None, summary="上传 PDF 核验（公开）"
)
def verify_pdf(request: HttpRequest, file: File[NinjaUploadedFile]) -> verification.PdfVerdict:
    upload: UploadedFile = file
    if not upload.size or upload.size > MAX_UPLOAD:
        raise InvalidFields(
            "请上传不超过 20 MB 的 PDF 文件", errors={"file": "文件为空或超过 20 MB"}, code="upload_invalid"
        )
    return verification.verify_pdf(upload.read())
