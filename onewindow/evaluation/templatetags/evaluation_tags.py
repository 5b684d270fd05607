"""The evaluation panels other apps' pages include (template tags, not imports: cases never imports us).

{% load evaluation_tags %}
{% case_rating_panel case %}      on the applicant's case page: asks for the rating once the case has
                                  ended, or shows the ratings given (and the answer to a bad one)
{% evaluation_board_panel %}      on the supervision board: open, overdue and escalated follow-ups
{% window_rating_link case %}     on the staff case page, for clerks: open the 评价器 for this case
{% percent rate %}                a satisfaction rate as 96.3%, or —
{{ rating.tags|reason_labels }}   the reason tags' names: 多次跑、服务态度差
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from onewindow.cases.models import Case
from onewindow.evaluation import selectors
from onewindow.evaluation.domain import rate_percent

register = template.Library()


@register.inclusion_tag("evaluation/_case_rating_panel.html", takes_context=True)
def case_rating_panel(context: template.Context, case: Case) -> dict[str, Any]:
    user = context.get("user") or getattr(context.get("request"), "user", None)
    if user is None or not user.is_authenticated or case.status not in selectors.ENDED:
        return {}
    ratings = selectors.case_ratings(case)
    request = context.get("request")
    path = request.get_full_path() if request is not None else ""
    return {
        "case": case,
        "csrf_token": context.get("csrf_token"),
        "ratings": ratings,
        "prompt": selectors.rating_prompt_due(case=case, user=user),
        "may_rate": not ratings and case.applicant.user_id == user.pk,
        "rate_url": reverse("evaluation:case_rate", args=[case.pk]) + ("?" + urlencode({"next": path}) if path else ""),
    }


@register.inclusion_tag("evaluation/_board_panel.html", takes_context=True)
def evaluation_board_panel(context: template.Context) -> dict[str, Any]:
    user = context.get("user") or getattr(context.get("request"), "user", None)
    if user is None or not selectors.is_follow_up_staff(user):
        return {"panel": None}
    return {"panel": selectors.board_panel(user=user, today=timezone.localdate())}


@register.inclusion_tag("evaluation/_window_rating_link.html", takes_context=True)
def window_rating_link(context: template.Context, case: Case) -> dict[str, Any]:
    """On the staff case page: the clerk opens the 评价器 for the service just given for this case."""
    user = context.get("user") or getattr(context.get("request"), "user", None)
    shown = user is not None and selectors.is_clerk(user)
    return {"url": reverse("evaluation:window_start") + "?" + urlencode({"case": case.pk}) if shown else ""}


@register.simple_tag
def percent(rate: Fraction | None) -> str:
    return rate_percent(rate)


@register.filter
def reason_labels(codes: list[str]) -> str:
    labels = selectors.reason_labels()
    return "、".join(labels.get(code, code) for code in codes or [])
