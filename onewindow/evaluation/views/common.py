"""What the evaluation pages share: the sub-navigation, the rating form's input, the 410 of a spent link."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, QueryDict
from django.template.response import TemplateResponse

from onewindow.errors import DomainError
from onewindow.evaluation import selectors
from onewindow.evaluation.domain import LEVEL_LABELS, Level
from onewindow.evaluation.models import ReasonTag
from onewindow.evaluation.services import Given
from onewindow.orgs.models import User
from onewindow.web import http

LEVELS = [(level.value, label) for level, label in LEVEL_LABELS.items()]


def links(user: User) -> dict[str, bool]:
    return {
        "is_staff": selectors.is_follow_up_staff(user),
        "is_supervisor": selectors.is_supervisor(user),
        "is_clerk": selectors.is_clerk(user),
    }


def render(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> TemplateResponse:
    return http.render_page(request, template, context, status, links=links)


def _level(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return 0  # refused by the domain's check with its message


def given_from(data: QueryDict, prefix: str = "") -> Given:
    return Given(
        level=_level(data.get(f"{prefix}level")),
        tags=tuple(data.getlist(f"{prefix}tags")),
        comment=data.get(f"{prefix}comment", "")[:2000],
        may_contact=data.get(f"{prefix}may_contact") in {"on", "1", "true"},
    )


def form_context() -> dict[str, Any]:
    return {
        "levels": LEVELS,
        "tags": list(ReasonTag.objects.filter(is_active=True)),
        "bad_levels": [Level.DISSATISFIED.value, Level.VERY_DISSATISFIED.value],
    }


def link_refused(request: HttpRequest, exc: DomainError) -> TemplateResponse:
    return TemplateResponse(request, "evaluation/link_refused.html", {"error": exc.message}, status=exc.status)
