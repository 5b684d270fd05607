"""The certificates' pages: staff (list of their scope, the issuing clock's warnings, a certificate with
its lifecycle actions, the certificate types), applicants (my certificates, one certificate, a case's
统一发证 page, the PDF download) and the public verification page (by number, or by uploading a PDF).

Thin: one selector or one service each. A certificate one may not see is a 404 like a missing one.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from onewindow.cases.selectors import is_staff
from onewindow.certificates import selectors, services, verification
from onewindow.certificates.domain import METHOD_LABELS, REVOCATION_LABELS, Method, parse_fields
from onewindow.certificates.models import Certificate
from onewindow.errors import DomainError, NotFound, PermissionDenied
from onewindow.orgs.models import User
from onewindow.orgs.selectors import display_id_number
from onewindow.web import http
from onewindow.web.http import domain_errors_as_http, request_user

PAGE_SIZE = 20
MAX_UPLOAD = 20 * 1024 * 1024


def links(user: User) -> dict[str, bool]:
    return {"is_staff": is_staff(user)}


def render(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> TemplateResponse:
    return http.render_page(request, template, context, status, links=links)


def _require_staff(user: User) -> None:
    if not is_staff(user):
        raise PermissionDenied(_("只有工作人员可以查看该页面"), code="not_staff")


# --- staff ------------------------------------------------------------------------------------------


@require_GET
@login_required
@domain_errors_as_http
def staff_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    if not is_staff(user):
        return redirect("certificates:mine")
    status, query = request.GET.get("status", ""), request.GET.get("q", "").strip()[:60]
    rows = selectors.certificate_list_for_staff(user, status=status, query=query)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    statuses = Certificate._meta.get_field("status").choices
    return render(
        request, "certificates/staff_list.html", {"page": page, "status": status, "q": query, "statuses": statuses}
    )


@require_GET
@login_required
@domain_errors_as_http
def warning_list(request: HttpRequest) -> HttpResponse:
    """待签发证照: the Art. 44 clock (10 working days from the decision), red first."""
    user = request_user(request)
    _require_staff(user)
    page = Paginator(selectors.certificate_issue_warnings(user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "certificates/warning_list.html", {"page": page})


def detail_context(user: User, certificate: Certificate) -> dict[str, Any]:
    return {
        "certificate": certificate,
        "status": verification.certificate_status(certificate),
        "fields": [
            (s.key, s.label, certificate.data.get(s.key, ""))
            for s in parse_fields(certificate.certificate_type.field_specs)
        ],
        "versions": selectors.certificate_versions(certificate),
        "holder_id": display_id_number(user, certificate.holder_id_number),
        "may_manage": selectors.may_manage(user, certificate),
        "deliveries": certificate.deliveries.select_related("recorded_by", "agent", "window").all(),
        "revocation_kinds": list(REVOCATION_LABELS.items()),
    }


def staff_context(user: User, certificate: Certificate) -> dict[str, Any]:
    """The staff page: the certificate, and the 送达 form (the methods a clerk records, windows, agents)."""
    return {
        **detail_context(user, certificate),
        "may_deliver": selectors.may_deliver(user, certificate),
        "delivery_methods": [(m.value, METHOD_LABELS[m]) for m in (Method.WINDOW, Method.POST)],
        "delivery_windows": selectors.delivery_windows(user),
        "delivery_agents": selectors.collecting_agents(certificate),
    }


@require_GET
@login_required
@domain_errors_as_http
def staff_detail(request: HttpRequest, certificate_id: int) -> HttpResponse:
    user = request_user(request)
    certificate = selectors.certificate_get_for_staff(user=user, certificate_id=certificate_id)
    return render(request, "certificates/staff_detail.html", staff_context(user, certificate))


def _lifecycle(request: HttpRequest, certificate_id: int, action: str) -> HttpResponse:
    user = request_user(request)
    certificate = selectors.certificate_get_for_staff(user=user, certificate_id=certificate_id)
    post = request.POST

    def call() -> Certificate:
        if action == "alter":
            changes = {key[len("field_") :]: post.get(key, "") for key in post if key.startswith("field_")}
            return services.certificate_alter(
                actor=user, certificate=certificate, changes=changes, reason=post.get("reason", "")
            )
        if action == "renew":
            return services.certificate_renew(actor=user, certificate=certificate, reason=post.get("reason", ""))
        if action == "revoke":
            return services.certificate_revoke(
                actor=user,
                certificate=certificate,
                kind=post.get("kind", ""),
                reason=post.get("reason", ""),
                legal_basis=post.get("legal_basis", ""),
            )
        if not selectors.may_manage(user, certificate):
            raise PermissionDenied(_("只有颁发部门的工作人员可以签发证照"), code="certificate_not_issuer")
        return services.certificate_seal(certificate_id=certificate.pk, actor=user)

    def page(req: HttpRequest, extra: dict[str, Any], status: int) -> HttpResponse:
        return render(
            req,
            "certificates/staff_detail.html",
            {**staff_context(user, certificate), **extra, "action": action},
            status,
        )

    done = {
        "alter": _("已变更，新版本正在签发。"),
        "renew": _("已延续，新版本正在签发。"),
        "revoke": _("证照已撤销。"),
        "seal": _("证照已签发。"),
    }
    return http.act(
        request, call, lambda result: (str(done[action]), reverse("certificates:staff_detail", args=[result.pk])), page
    )


@require_POST
@login_required
@domain_errors_as_http
def staff_action(request: HttpRequest, certificate_id: int, action: str) -> HttpResponse:
    if action not in {"alter", "renew", "revoke", "seal"}:
        raise NotFound(_("未找到该操作"))
    return _lifecycle(request, certificate_id, action)


def pdf_response(certificate: Certificate) -> HttpResponseBase:
    if not certificate.pdf:
        raise NotFound(_("证照尚未签发，暂无文件"), code="certificate_not_issued")
    response = FileResponse(
        certificate.pdf.open("rb"),
        as_attachment=True,
        filename=f"{certificate.number}.pdf",
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
@login_required
@domain_errors_as_http
def staff_pdf(request: HttpRequest, certificate_id: int) -> HttpResponseBase:
    return pdf_response(selectors.certificate_get_for_staff(user=request_user(request), certificate_id=certificate_id))


@require_GET
@login_required
@domain_errors_as_http
def type_list(request: HttpRequest) -> HttpResponse:
    _require_staff(request_user(request))
    return render(request, "certificates/type_list.html", {"types": selectors.certificate_types_for_staff()})


@require_GET
@login_required
@domain_errors_as_http
def type_detail(request: HttpRequest, type_id: int) -> HttpResponse:
    _require_staff(request_user(request))
    certificate_type = selectors.certificate_types_for_staff().filter(pk=type_id).first()
    if certificate_type is None:
        raise NotFound(_("未找到该证照类型"))
    context = {"type": certificate_type, "fields": parse_fields(certificate_type.field_specs)}
    return render(request, "certificates/type_detail.html", context)


# --- applicants ---------------------------------------------------------------------------------------


@require_GET
@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """我的证照: the certificates of the account's applicants, newest first (cards)."""
    page = Paginator(selectors.certificate_list_for_holder(request_user(request)), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "certificates/mine.html", {"page": page})


@require_GET
@login_required
@domain_errors_as_http
def mine_detail(request: HttpRequest, certificate_id: int) -> HttpResponse:
    user = request_user(request)
    certificate = selectors.certificate_get_for_holder(user=user, certificate_id=certificate_id)
    return render(request, "certificates/mine_detail.html", detail_context(user, certificate))


@require_GET
@login_required
@domain_errors_as_http
def case_certificates(request: HttpRequest, case_id: int) -> HttpResponse:
    """统一发证: every certificate one case (a bundle: each approved matter) issued, on one page."""
    rows = selectors.case_certificates_for_holder(user=request_user(request), case_id=case_id)
    if not rows:
        raise NotFound(_("该办件没有电子证照"), code="certificate_not_found")
    return render(request, "certificates/case_certificates.html", {"rows": rows, "case": rows[0].case})


# --- public verification ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """核验: upload a PDF (POST) and learn whether it is a certificate issued here, unaltered and valid."""
    if request.method == "GET":
        return render(request, "certificates/verify.html", {})
    upload = request.FILES.get("file")
    if upload is None or upload.size is None or upload.size == 0:
        return render(request, "certificates/verify.html", {"error": _("请选择要核验的 PDF 文件")}, 422)
    if upload.size > MAX_UPLOAD:
        return render(request, "certificates/verify.html", {"error": _("文件不能超过 20 MB")}, 422)
    verdict = verification.verify_pdf(upload.read())
    return render(request, "certificates/verify.html", {"verdict": verdict, "status": verdict.status})


@require_GET
def verify_number(request: HttpRequest, number: str) -> HttpResponse:
    """The QR code's target: the status of one certificate version, the holder masked."""
    try:
        status = verification.verify_number(number)
    except DomainError as exc:
        return render(request, "certificates/verify.html", {"error": exc.message, "number": number}, 404)
    return render(request, "certificates/verify.html", {"status": status, "number": number})
