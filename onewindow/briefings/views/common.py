"""What every briefings page shares: rendering with the sub-navigation, one POST action, form parsing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from onewindow.briefings.selectors.access import is_office
from onewindow.briefings.selectors.reports import may_open_reports
from onewindow.errors import DomainError, InvalidFields, NotFound, PermissionDenied
from onewindow.web.http import request_user

Page = Callable[[HttpRequest, dict[str, Any], int], HttpResponse]


def nav_links(request: HttpRequest) -> dict[str, bool]:
    user = request_user(request)
    return {"show_reports": may_open_reports(user), "is_office": is_office(user)}


def render_page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> TemplateResponse:
    return TemplateResponse(request, template, {"links": nav_links(request), **context}, status=status)


def failure_context(request: HttpRequest, exc: DomainError) -> dict[str, Any]:
    errors = dict(getattr(exc, "errors", {}) or ({exc.field: exc.message} if exc.field else {}))
    return {"error": exc.message, "errors": errors, "values": request.POST}


def act(
    request: HttpRequest, call: Callable[[], Any], done: Callable[[Any], tuple[str, str]], page: Page
) -> HttpResponse:
    """Run one service call: success → message and redirect; a refusal of the input → the page again (422)."""
    try:
        result = call()
    except (NotFound, PermissionDenied):
        raise
    except DomainError as exc:
        return page(request, failure_context(request, exc), exc.status)
    message, then = done(result)
    messages.success(request, message)
    return redirect(then)


def require_office(request: HttpRequest) -> None:
    if not is_office(request_user(request)):
        raise PermissionDenied(_("只有重点项目办可以进行此操作"), code="briefings_office_required")


class FormReader:
    """Reads typed values from a form, collecting a Chinese message per bad field."""

    def __init__(self, data: Mapping[str, str]) -> None:
        self.data = data
        self.errors: dict[str, str] = {}

    def text(self, name: str, limit: int) -> str:
        value = str(self.data.get(name, "")).strip()
        if len(value) > limit:
            self.errors[name] = _("不能超过 %(limit)d 个字") % {"limit": limit}
        return value[:limit]

    def date(self, name: str) -> dt.date | None:
        raw = str(self.data.get(name, "")).strip()
        try:
            value = parse_date(raw) if raw else None
        except ValueError:
            value = None
        if raw and value is None:
            self.errors[name] = _("日期格式应为 YYYY-MM-DD")
        return value

    def count(self, name: str) -> int:
        raw = str(self.data.get(name, "")).strip() or "0"
        if not raw.isdigit() or len(raw) > 6:
            self.errors[name] = _("请填写 0 至 999999 之间的整数")
            return 0
        return int(raw)

    def percent(self, name: str) -> Decimal:
        """A percentage typed as 90 or 90% → Decimal("0.900")."""
        raw = str(self.data.get(name, "")).strip().rstrip("%％") or "0"
        try:
            value = Decimal(raw)
        except InvalidOperation:
            value = Decimal(-1)
        if not value.is_finite() or not Decimal(0) <= value <= Decimal(100):
            self.errors[name] = _("请填写 0 至 100 之间的百分数")
            return Decimal(0)
        return (value / 100).quantize(Decimal("0.001"))

    def check(self) -> None:
        if self.errors:
            raise InvalidFields(_("填写有误，请检查标出的项目"), errors=self.errors, code="invalid_form")
