from __future__ import annotations

from typing import Any

from django import template

from onewindow.audit.labels import action_label as label_for
from onewindow.audit.selectors import events_for_target
from onewindow.errors import NotFound

register = template.Library()


@register.inclusion_tag("audit/trail.html", takes_context=True)
def audit_trail(context: dict[str, Any], target_type: str, target_id: object) -> dict[str, Any]:
    """`{% audit_trail "catalogue.matter" matter.pk %}`: the object's trail, or none when the viewer
    may not see the object (see selectors.trail_visible_to)."""
    user = context["request"].user
    try:
        return {"events": events_for_target(user=user, target_type=target_type, target_id=target_id)}
    except NotFound:
        return {"events": []}


@register.filter
def action_label(action: str) -> str:
    return label_for(action)
