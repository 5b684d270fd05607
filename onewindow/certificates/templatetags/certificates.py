"""`{% certificate_types_of matter %}`: the certificate types a matter issues, for the catalogue's matter
page (办理结果). A template tag, so the catalogue's pages show them without the catalogue importing us."""

from __future__ import annotations

from typing import Any

from django import template

from onewindow.certificates.selectors import certificate_types_for_matter

register = template.Library()


@register.inclusion_tag("certificates/_types_of_matter.html")
def certificate_types_of(matter_id: int) -> dict[str, Any]:
    return {"types": certificate_types_for_matter(matter_id)}
