"""送达 pages: the holder's download, asked for a rating first (先评价后取证: once, and 跳过 always there),
and the clerk's record of a window collection or a posting, after which the 评价器 is offered."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from onewindow.certificates import selectors, services
from onewindow.certificates.domain import Method
from onewindow.certificates.views.pages import pdf_response, render, staff_context
from onewindow.evaluation.selectors import rating_prompt_due
from onewindow.web import http
from onewindow.web.http import domain_errors_as_http, int_or_none, request_user


@require_GET
@login_required
@domain_errors_as_http
def download(request: HttpRequest, certificate_id: int) -> HttpResponseBase:
    """The sealed PDF, as an attachment; the first time after the case ended, the rating page comes first
    and sends the holder back here whether they rate or skip."""
    user = request_user(request)
    certificate = selectors.certificate_get_for_holder(user=user, certificate_id=certificate_id)
    if certificate.pdf and rating_prompt_due(case=certificate.case, user=user):
        rate = reverse("evaluation:case_rate", args=[certificate.case_id])
        return redirect(f"{rate}?{urlencode({'next': request.path})}")
    response = pdf_response(certificate)
    services.certificate_downloaded(user=user, certificate=certificate)
    return response


@require_POST
@login_required
@domain_errors_as_http
def hand_over(request: HttpRequest, certificate_id: int) -> HttpResponse:
    """窗口领取 / 邮寄送达, recorded by a clerk of the case's region or the issuing department."""
    user = request_user(request)
    certificate = selectors.certificate_get_for_staff(user=user, certificate_id=certificate_id)
    post = request.POST
    window, agent = selectors.delivery_choice(
        user, certificate, window_id=int_or_none(post.get("window")), agent_id=int_or_none(post.get("agent"))
    )

    def call() -> Any:
        return services.certificate_hand_over(
            actor=user,
            certificate=certificate,
            method=post.get("method", ""),
            recipient_name=post.get("recipient_name", ""),
            carrier=post.get("carrier", ""),
            tracking_number=post.get("tracking_number", ""),
            window=window,
            agent=agent,
        )

    def page(req: HttpRequest, extra: dict[str, Any], status: int) -> HttpResponse:
        context = {**staff_context(user, certificate), **extra, "action": "deliver"}
        return render(req, "certificates/staff_detail.html", context, status)

    def done(delivery: Any) -> tuple[str, str]:
        then = reverse("certificates:staff_detail", args=[certificate.pk])
        if delivery.method == Method.WINDOW:  # the applicant is at the window: offer the 评价器
            return str(_("已登记窗口领取，请申请人在评价器上评价本次服务。")), f"{then}?rate=1"
        return str(_("已登记邮寄送达。")), then

    return http.act(request, call, done, page)
