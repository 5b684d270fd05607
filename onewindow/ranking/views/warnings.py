"""Warning and assessment pages.

Warnings (预警): the office sees its subtree's (the city's all), a leader those of the districts
where they hold projects. The warned district's own office acknowledges (签收) and records its
rectification (整改情况) — HTMX posts that swap the warning's card; anyone else who sees the
warning gets a 403 for these writes, someone who does not see it a 404.

Assessment (考核): the table of one window (month, quarter, year) for districts or departments,
and a drill-down to the indicators and the projects behind one score.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from onewindow.errors import DomainError, PermissionDenied
from onewindow.ranking import selectors
from onewindow.ranking.domain import (
    INDICATOR_LABELS,
    WINDOW_LABELS,
    Indicator,
    Window,
    period_label,
)
from onewindow.ranking.domain.assessment import window_start
from onewindow.ranking.models import AssessmentScore, Warning
from onewindow.ranking.services.warnings import warning_acknowledge, warning_add_rectification
from onewindow.ranking.views.ranks import chosen_period, labels, links, require_ranking_pages
from onewindow.web.http import domain_errors_as_http, refusal_status, request_user


def _require_warnings(request: HttpRequest) -> None:
    if not selectors.can_open_warnings(request_user(request)):
        raise PermissionDenied(_("您没有查看预警的权限"), code="warnings_forbidden")


@require_GET
@login_required
@domain_errors_as_http
def warnings(request: HttpRequest) -> HttpResponse:
    _require_warnings(request)
    user = request_user(request)
    rows = list(selectors.warnings_visible_to(user)[:200])
    handled = selectors.handled_district_ids(user)
    context = {"warnings": rows, "handled": handled, "links": links(user)}
    return render(request, "ranking/warnings.html", context)


def _card(request: HttpRequest, warning: Warning, error: str = "", status: int = 200) -> HttpResponse:
    user = request_user(request)
    fresh = selectors.warning_get_for_user(user, warning.pk)
    context = {"warning": fresh, "can_handle": selectors.can_handle_warning(user, fresh), "error": error}
    if getattr(request, "htmx", False):
        return render(request, "ranking/_warning_card.html", context, status=status)
    return redirect("ranking:warnings")


def _warning_act(request: HttpRequest, warning_id: int, action: str) -> HttpResponse:
    _require_warnings(request)
    user = request_user(request)
    warning = selectors.warning_get_for_user(user, warning_id)
    try:
        if action == "acknowledge":
            warning_acknowledge(warning=warning, actor=user)
        else:
            warning_add_rectification(warning=warning, actor=user, note=request.POST.get("note", "")[:5000])
    except PermissionDenied:
        raise
    except DomainError as exc:
        return _card(request, warning, exc.message, refusal_status(exc))
    return _card(request, warning)


@require_POST
@login_required
@domain_errors_as_http
def acknowledge(request: HttpRequest, warning_id: int) -> HttpResponse:
    return _warning_act(request, warning_id, "acknowledge")


@require_POST
@login_required
@domain_errors_as_http
def rectify(request: HttpRequest, warning_id: int) -> HttpResponse:
    return _warning_act(request, warning_id, "rectify")


def _window(request: HttpRequest) -> Window:
    value = request.GET.get("window", "")
    return Window(value) if value in {w.value for w in Window} else Window.MONTH


@require_GET
@login_required
@domain_errors_as_http
def assessment(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    require_ranking_pages(user)
    period, error = chosen_period(request)
    window = _window(request)
    subject = request.GET.get("subject", "")
    subject = subject if subject in AssessmentScore.Subject.values else AssessmentScore.Subject.DISTRICT
    context: dict[str, Any] = {"period": period, "period_error": error, "links": links(user), "window": window}
    context |= {"subject": subject, "windows": labels(WINDOW_LABELS), "subjects": AssessmentScore.Subject.choices}
    context |= {"periods": selectors.ranked_periods(), "indicator_labels": labels(INDICATOR_LABELS)}
    if period is not None:
        start = window_start(window, period)
        scores = selectors.assessment_scores_for(user, window=window, period=start, subject=subject)
        context["scores"] = list(scores[:500])
        context["query"] = urlencode({"period": period_label(period), "window": window.value, "subject": subject})
    return render(request, "ranking/assessment.html", context)


@require_GET
@login_required
@domain_errors_as_http
def assessment_detail(request: HttpRequest, score_id: int) -> HttpResponse:
    user = request_user(request)
    require_ranking_pages(user)
    score = selectors.assessment_score_get_for_user(user, score_id)
    context = {
        "score": score,
        "indicators": [(_indicator_label(key), values) for key, values in score.indicators.items()],
        "ranks": list(selectors.assessment_drill_down(user, score)[:200]),
        "links": links(user),
    }
    partial = bool(getattr(request, "htmx", False))
    return render(request, "ranking/_assessment_detail.html" if partial else "ranking/assessment_detail.html", context)


def _indicator_label(key: str) -> str:
    return _(INDICATOR_LABELS[Indicator(key)]) if key in {i.value for i in Indicator} else key
