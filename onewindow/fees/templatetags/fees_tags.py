"""Panels on other apps' pages, as template tags so those apps never import fees:

{% case_bills_panel case %}  a case page: the case's bills (缴款通知书) the user may see, each linked
{{ name|fee_input_label }}   a fee material's Chinese name (floor_area → 总建筑面积（平方米）)
"""

from __future__ import annotations

from typing import Any

from django import template

from onewindow.cases.models import Case
from onewindow.fees.domain import INPUT_LABELS, FeeInput
from onewindow.fees.selectors import bills_visible_to

register = template.Library()


@register.inclusion_tag("fees/_case_panel.html", takes_context=True)
def case_bills_panel(context: template.Context, case: Case) -> dict[str, Any]:
    user = context.get("user") or getattr(context.get("request"), "user", None)
    bills = list(bills_visible_to(user).filter(case_id=case.pk).order_by("stage_position")) if user else []
    return {"bills": bills}


@register.filter
def fee_input_label(name: str) -> str:
    """The material's label; an unknown name as it is."""
    try:
        return INPUT_LABELS[FeeInput(name)]
    except ValueError:
        return name
