"""The staff pages: the 评价器 opened by a clerk, the follow-ups of bad ratings (list, detail: verify,
rectify and answer; a dispute and its decision) and the statistics with their Excel export.

A follow-up or dispute one may not see is a 404 like a missing one; a page one's roles do not open, 403.
Staff never see who rated unless the rater agreed to be called back (selectors.rater_shown).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from onewindow.cases.selectors import case_get_for_user
from onewindow.errors import NotFound, PermissionDenied
from onewindow.evaluation import selectors, services
from onewindow.evaluation.domain import FOLLOW_UP_LABELS, FollowUpStatus
from onewindow.evaluation.models import Dispute, FollowUp
from onewindow.evaluation.views.common import render
from onewindow.web.http import act, domain_errors_as_http, int_or_none, request_user
from onewindow.workdays.selectors import work_calendar_for

PAGE_SIZE = 20


def _require_staff(request: HttpRequest) -> None:
    if not selectors.is_follow_up_staff(request_user(request)):
        raise PermissionDenied(_("只有部门审核人员和效能监察人员可以查看差评整改"), code="not_evaluation_staff")


# --- the window's 评价器 -------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def window_start(request: HttpRequest) -> HttpResponse:
    """The clerk opens the rating of the service just finished; the tablet shows the kiosk link."""
    user = request_user(request)
    if not selectors.is_clerk(user):
        raise PermissionDenied(_("只有窗口人员可以开启窗口评价"), code="not_a_clerk")
    windows = selectors.windows_for_clerk(user)

    def page(request: HttpRequest, context: dict[str, Any], status: int) -> HttpResponse:
        prefill = (request.POST.get("case") or request.GET.get("case", ""))[:12]
        window_prefill = int_or_none(request.POST.get("window") or request.GET.get("window"))
        context = {"windows": windows, "case_prefill": prefill, "window_prefill": window_prefill, **context}
        return render(request, "evaluation/window_start.html", context, status)

    if request.method == "GET":
        return page(request, {}, 200)
    window = windows.filter(pk=int_or_none(request.POST.get("window")) or 0).first()
    if window is None:
        return page(request, {"errors": {"window": _("请选择本大厅的窗口")}, "values": request.POST}, 422)
    case = None
    if case_id := int_or_none(request.POST.get("case")):
        case = case_get_for_user(user=user, case_id=case_id)
    service = services.window_service_start(actor=user, window=window, case=case)
    kiosk_url = reverse("evaluation:kiosk", args=[services.kiosk_token(service.pk)])
    return page(request, {"service": service, "kiosk_url": kiosk_url}, 201)


# --- follow-ups ----------------------------------------------------------------------------------------


@require_GET
@login_required
@domain_errors_as_http
def follow_up_list(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    user = request_user(request)
    status = request.GET.get("status", "")
    rows = (
        selectors.follow_ups_visible_to(user)
        .select_related(*selectors.access.RELATED)
        .order_by(F("answered_at").asc(nulls_first=True), "verify_due_on", "-id")
    )
    if status in {s.value for s in FollowUpStatus}:
        rows = rows.filter(status=status)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    today, calendar = timezone.localdate(), work_calendar_for(request)
    items = [(f, selectors.follow_up_progress(f, today=today, calendar=calendar)) for f in page]
    context = {"page": page, "items": items, "statuses": FOLLOW_UP_LABELS.items(), "status": status}
    return render(request, "evaluation/follow_up_list.html", context)


def _detail_context(request: HttpRequest, follow_up: FollowUp) -> dict[str, Any]:
    user = request_user(request)
    rating = follow_up.rating
    return {
        "follow_up": follow_up,
        "rating": rating,
        "rater": selectors.rater_shown(rating),
        "progress": selectors.follow_up_progress(
            follow_up, today=timezone.localdate(), calendar=work_calendar_for(request)
        ),
        "may_act": selectors.may_act_on(user, follow_up),
        "is_supervisor": selectors.is_supervisor(user),
        "disputes": list(Dispute.objects.filter(rating=rating).order_by("requested_at")),
        "dispute_reasons": Dispute.Reason.choices,
        "excluded": selectors.is_excluded(rating),
    }


@require_GET
@login_required
@domain_errors_as_http
def follow_up_detail(request: HttpRequest, follow_up_id: int) -> HttpResponse:
    follow_up = selectors.follow_up_get_for_user(user=request_user(request), follow_up_id=follow_up_id)
    return render(request, "evaluation/follow_up_detail.html", _detail_context(request, follow_up))


def _follow_up_action(request: HttpRequest, follow_up_id: int, call: Any, message: str) -> HttpResponse:
    user = request_user(request)
    follow_up = selectors.follow_up_get_for_user(user=user, follow_up_id=follow_up_id)
    url = reverse("evaluation:follow_up", args=[follow_up.pk])

    def page(request: HttpRequest, context: dict[str, Any], status: int) -> HttpResponse:
        return render(
            request, "evaluation/follow_up_detail.html", {**_detail_context(request, follow_up), **context}, status
        )

    return act(request, lambda: call(user, follow_up), lambda _r: (message, url), page)


@require_POST
@login_required
@domain_errors_as_http
def follow_up_verify(request: HttpRequest, follow_up_id: int) -> HttpResponse:
    text = request.POST.get("verification", "")
    return _follow_up_action(
        request,
        follow_up_id,
        lambda user, f: services.follow_up_verify(actor=user, follow_up=f, verification=text),
        _("已记录核实情况"),
    )


@require_POST
@login_required
@domain_errors_as_http
def follow_up_answer(request: HttpRequest, follow_up_id: int) -> HttpResponse:
    rectification, answer = request.POST.get("rectification", ""), request.POST.get("answer", "")
    return _follow_up_action(
        request,
        follow_up_id,
        lambda user, f: services.follow_up_answer(actor=user, follow_up=f, rectification=rectification, answer=answer),
        _("已整改并答复申请人"),
    )


@require_POST
@login_required
@domain_errors_as_http
def dispute_request(request: HttpRequest, follow_up_id: int) -> HttpResponse:
    reason, explanation = request.POST.get("reason", ""), request.POST.get("explanation", "")
    evidence = request.FILES.get("evidence")
    return _follow_up_action(
        request,
        follow_up_id,
        lambda user, f: services.dispute_request(
            actor=user, rating=f.rating, reason=reason, explanation=explanation, evidence=evidence
        ),
        _("已提交申诉，等待效能监察审核"),
    )


@require_POST
@login_required
@domain_errors_as_http
def dispute_decide(request: HttpRequest, dispute_id: int) -> HttpResponse:
    user = request_user(request)
    dispute = selectors.dispute_get_for_supervisor(user=user, dispute_id=dispute_id)
    follow_up = FollowUp.objects.filter(rating_id=dispute.rating_id).first()
    if follow_up is None:
        raise NotFound(_("未找到该申诉"), code="dispute_not_found")
    uphold, note = request.POST.get("uphold") == "yes", request.POST.get("note", "")
    return _follow_up_action(
        request,
        follow_up.pk,
        lambda actor, _f: services.dispute_decide(actor=actor, dispute=dispute, uphold=uphold, note=note),
        _("已审核申诉"),
    )
