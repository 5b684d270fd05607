"""Pages of concentrated starts (集中开工): the list, a new event, one event with its projects."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from onewindow.briefings.domain.amounts import amount_text
from onewindow.briefings.selectors import starts as selectors
from onewindow.briefings.selectors.access import is_office
from onewindow.briefings.services import starts as services
from onewindow.briefings.services.members import split_codes
from onewindow.briefings.views.common import FormReader, act, render_page, require_office
from onewindow.briefings.views.groups import GroupPages, group_views
from onewindow.orgs.models import User
from onewindow.projects.models import StartEvent
from onewindow.web.http import domain_errors_as_http, request_user


@require_GET
@login_required
def start_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    events = selectors.start_event_list(user)[:200]
    rows = [{"event": e, "total": amount_text(e.total_investment or Decimal(0))} for e in events]  # type: ignore[attr-defined]
    return render_page(request, "briefings/starts.html", {"rows": rows, "can_create": is_office(user)})


def _new_page(request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return render_page(request, "briefings/start_new.html", {"values": {}, "errors": {}, **context}, status)


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def start_new(request: HttpRequest) -> HttpResponse:
    require_office(request)
    if request.method == "GET":
        return _new_page(request, {})
    user = request_user(request)

    def call() -> Any:
        form = FormReader(request.POST)
        name, held_on, venue = form.text("name", 100), form.date("held_on"), form.text("venue", 200)
        form.check()
        codes = split_codes(request.POST.get("projects", "")[:10000])
        return services.start_event_create(actor=user, name=name, held_on=held_on, venue=venue, project_codes=codes)

    def done(event: Any) -> tuple[str, str]:
        return _("已创建集中开工活动“%(name)s”。") % {"name": event.name}, reverse("briefings:start", args=[event.pk])

    return act(request, call, done, _new_page)


def _describe(user: User, event: StartEvent) -> dict[str, Any]:
    view = selectors.start_event_view(user, event)
    return {"view": view, "event": event, "total": amount_text(view.total_investment)}


PAGES = GroupPages(
    writes=services.WRITES,
    template="briefings/start_detail.html",
    url_name="briefings:start",
    removed=gettext_lazy("已将该项目移出活动。"),
    describe=_describe,
)
start_detail, start_projects_add, start_project_remove = group_views(PAGES)
