"""What every dispatch page shares: the sub-navigation, form failures, office-only pages, dates.

Views are thin: parse, call one selector or service, render. A project, report, photo or problem
the user may not see is a 404 like a missing one; an action their part does not allow is a 403;
a refused form comes back with the message beside its fields and what was typed kept (422; 409
when the state moved on).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.dateparse import parse_date

from onewindow.dispatch.selectors.access import is_office, require_office
from onewindow.errors import DomainError, InvalidFields
from onewindow.orgs.models import User
from onewindow.web import http

PAGE_SIZE = 30
__all__ = ["PAGE_SIZE", "date_param", "empty_form", "failure", "nav_links", "refused", "render_page", "require_office"]


def nav_links(user: User) -> dict[str, bool]:
    return {"show_office": is_office(user)}


def render_page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return http.render_page(request, template, context, status, links=nav_links)


def failure(values: Mapping[str, Any], exc: DomainError) -> tuple[dict[str, Any], int]:
    """A refused form: its message, its per-field errors and what was typed; and the status."""
    return {"message": exc.message, "errors": http.field_errors(exc), "values": values}, http.refusal_status(exc)


def refused(values: Mapping[str, Any]) -> http.Failure:
    """`web.http.act`'s failure for a dispatch form: the refused form (`failure`) with what was typed."""
    return lambda _request, exc: failure(values, exc)


def empty_form(values: Mapping[str, Any] | None = None) -> dict[str, Any]:
    return {"message": "", "errors": {}, "values": values or {}}


def date_param(value: str | None, field: str) -> dt.date | None:
    """An optional ISO date from a form or query; a wrong one is a field error."""
    if not value:
        return None
    try:
        parsed = parse_date(value.strip())
    except ValueError:
        parsed = None
    if parsed is None:
        raise InvalidFields("日期格式有误", errors={field: "请按 年-月-日 填写日期"}, code="invalid_date")
    return parsed
