"""Panels on other apps' pages, as template tags so those apps never import us:

{% certificate_types_of matter_id %}  the catalogue's matter page: the certificates it issues (办理结果)
{% case_certificates_panel case %}    the applicant's case page: its certificates and their downloads
"""

from __future__ import annotations

from typing import Any

from django import template

from onewindow.cases.models import Case
from onewindow.certificates.selectors import case_certificates_for_holder, certificate_types_for_matter

register = template.Library()


@register.inclusion_tag("certificates/_types_of_matter.html")
def certificate_types_of(matter_id: int) -> dict[str, Any]:
    return {"types": certificate_types_for_matter(matter_id)}


@register.inclusion_tag("certificates/_case_panel.html", takes_context=True)
def case_certificates_panel(context: template.Context, case: Case) -> dict[str, Any]:
    """On the applicant's case page: the certificates the case issued (统一发证), each with its download
    (which asks for the rating first)."""
    user = context.get("user") or getattr(context.get("request"), "user", None)
    rows = case_certificates_for_holder(user=user, case_id=case.pk) if user is not None else []
    return {"rows": rows, "case": case}
