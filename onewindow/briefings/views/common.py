"""What every briefings page shares: rendering with the sub-navigation, form parsing. One POST action
is `web.http.act`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from onewindow.briefings.selectors.access import is_office
from onewindow.briefings.selectors.reports import may_open_reports
from onewindow.errors import InvalidFields, PermissionDenied
from onewindow.orgs.models import User
from onewindow.web import http
from onewindow.web.http import request_user


def nav_links(user: User) -> dict[str, bool]:
    return {"show_reports": may_open_reports(user), "is_office": is_office(user)}


def render_page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> TemplateResponse:
    return http.render_page(request, template, context, status, links=nav_links)


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
