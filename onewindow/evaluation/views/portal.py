"""The applicant's pages: rate an ended case (先评价后取证: voluntary, `?next=` back to where they were),
their ratings with the answers to bad ones, the SMS link (no login) and the window's tablet (no login)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from onewindow.errors import Conflict, DomainError
from onewindow.evaluation import selectors, services
from onewindow.evaluation.domain import Channel
from onewindow.evaluation.services import Given, LinkExpired
from onewindow.evaluation.views.common import form_context, given_from, link_refused, render
from onewindow.web.http import act, domain_errors_as_http, form_failure, request_user

GET_POST = ["GET", "POST"]


def _next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    ok = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    return target if target and ok and target.startswith("/") else fallback


def _by_department(request: HttpRequest, departments: list[Any]) -> dict[int, Given]:
    return {d.pk: given_from(request.POST, prefix=f"department_{d.pk}_") for d in departments}


@require_http_methods(GET_POST)
@login_required
@domain_errors_as_http
def case_rate(request: HttpRequest, case_id: int) -> HttpResponse:
    """评价办件: the case as a whole and each department; or 跳过 (recorded, nothing withheld)."""
    user = request_user(request)
    case = selectors.case_for_rater(user=user, case_id=case_id)
    then = _next(request, reverse("cases:detail", args=[case.pk]))
    departments = selectors.case_departments(case)

    def page(request: HttpRequest, context: dict[str, Any], status: int) -> HttpResponse:
        context = {
            "case": case,
            "departments": departments,
            "next": then,
            "ratings": selectors.case_ratings(case),
            "ended": case.status in selectors.ENDED,
            **form_context(),
            **context,
        }
        return render(request, "evaluation/case_rate.html", context, status)

    if request.method == "GET":
        return page(request, {}, 200)
    if "skip" in request.POST:
        return act(
            request,
            lambda: services.rating_skip(case=case, user=user, channel=Channel.PORTAL, context="portal"),
            lambda _r: (_("已跳过评价。您可以随时在办件页面评价。"), then),
            page,
        )
    return act(
        request,
        lambda: services.case_rate(
            case=case,
            rater=user,
            channel=Channel.PORTAL,
            given=given_from(request.POST),
            by_department=_by_department(request, departments),
        ),
        lambda _r: (_("感谢您的评价！"), then),
        page,
    )


@require_GET
@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """我的评价: the ratings of one's cases, the answer to a bad one and whether it settled the matter."""
    ratings = list(selectors.ratings_of_user(request_user(request))[:100])
    return render(request, "evaluation/mine.html", {"ratings": ratings})


@require_POST
@login_required
@domain_errors_as_http
def settle(request: HttpRequest, rating_id: int) -> HttpResponse:
    user = request_user(request)
    rating = selectors.rating_get_for_rater(user=user, rating_id=rating_id)
    settled = request.POST.get("settled") == "yes"
    try:
        services.follow_up_settle(actor=user, rating=rating, settled=settled)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已收到您对整改答复的意见，谢谢。"))
    return redirect("evaluation:mine")


# --- without logging in ------------------------------------------------------------------------------


@require_http_methods(GET_POST)
def sms_rate(request: HttpRequest, token: str) -> HttpResponse:
    """短信评价: the signed link rates the case once, without logging in."""
    try:
        case = services.sms_link_case(token)
    except (LinkExpired, Conflict) as exc:
        return link_refused(request, exc)
    except DomainError as exc:
        return link_refused(request, exc)

    def page(request: HttpRequest, context: dict[str, Any], status: int) -> HttpResponse:
        context = {"case_number": case.number, "case_title": case.title, **form_context(), **context}
        return render(request, "evaluation/link_rate.html", context, status)

    if request.method == "GET":
        return page(request, {}, 200)
    try:
        services.sms_link_rate(token=token, given=given_from(request.POST))
    except (LinkExpired, Conflict) as exc:
        return link_refused(request, exc)
    except DomainError as exc:
        context, status = form_failure(request, exc)
        return page(request, context, status)
    return render(request, "evaluation/thanks.html", {})


@require_http_methods(GET_POST)
def kiosk(request: HttpRequest, token: str) -> HttpResponse:
    """评价器: the tablet facing the applicant rates the window service the clerk just finished."""
    try:
        service = services.kiosk_service(token)
    except DomainError as exc:
        return link_refused(request, exc)

    def page(request: HttpRequest, context: dict[str, Any], status: int) -> HttpResponse:
        context = {"service": service, "kiosk": True, **form_context(), **context}
        return render(request, "evaluation/kiosk.html", context, status)

    if request.method == "GET":
        return page(request, {}, 200)
    try:
        services.window_rate(token=token, given=given_from(request.POST))
    except Conflict as exc:
        return link_refused(request, exc)
    except DomainError as exc:
        context, status = form_failure(request, exc)
        return page(request, context, status)
    return render(request, "evaluation/thanks.html", {"kiosk": True})
