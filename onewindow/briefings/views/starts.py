"""Pages of concentrated starts (集中开工): the list, a new event, one event with its projects."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from onewindow.briefings.domain.amounts import amount_text
from onewindow.briefings.selectors import starts as selectors
from onewindow.briefings.selectors.access import is_office
from onewindow.briefings.services import starts as services
from onewindow.briefings.views.common import FormReader, render_page
from onewindow.briefings.views.groups import GroupPages, group_views
from onewindow.orgs.models import User
from onewindow.projects.models import StartEvent
from onewindow.web.http import request_user


@require_GET
@login_required
def start_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    events = selectors.start_event_list(user)[:200]
    rows = [{"event": e, "total": amount_text(e.total_investment or Decimal(0))} for e in events]  # type: ignore[attr-defined]
    return render_page(request, "briefings/starts.html", {"rows": rows, "can_create": is_office(user)})


def _create(form: FormReader, user: User, codes: list[str]) -> StartEvent:
    name, held_on, venue = form.text("name", 100), form.date("held_on"), form.text("venue", 200)
    form.check()
    return services.start_event_create(actor=user, name=name, held_on=held_on, venue=venue, project_codes=codes)


def _describe(user: User, event: StartEvent) -> dict[str, Any]:
    view = selectors.start_event_view(user, event)
    return {"view": view, "event": event, "total": amount_text(view.total_investment)}


PAGES = GroupPages(
    writes=services.WRITES,
    url_name="briefings:start",
    template="briefings/start_detail.html",
    new_template="briefings/start_new.html",
    create=_create,
    created=gettext_lazy("已创建集中开工活动“%(name)s”。"),
    removed=gettext_lazy("已将该项目移出活动。"),
    describe=_describe,
)
start_new, start_detail, start_projects_add, start_project_remove = group_views(PAGES)
