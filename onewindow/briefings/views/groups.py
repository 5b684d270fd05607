"""The pages every group of projects has (campaigns, concentrated starts): one group with its
projects, adding projects to it and removing one. A `GroupPages` names a kind's template, its URL
and what its page shows; the views are written once (`group_views`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from onewindow.briefings.selectors.groups import Group, can_manage_group, group_get_for_user
from onewindow.briefings.services.groups import GroupWrites, group_project_remove, group_projects_add
from onewindow.briefings.services.members import split_codes
from onewindow.briefings.views.common import act, render_page
from onewindow.orgs.models import User
from onewindow.web.http import domain_errors_as_http, request_user

View = Callable[..., HttpResponse]


@dataclass(frozen=True)
class GroupPages(Generic[Group]):
    writes: GroupWrites[Group]
    template: str
    url_name: str  # the group's page, "briefings:campaign"
    removed: Promise  # the message after a project was removed
    describe: Callable[[User, Group], dict[str, Any]]  # what the page shows of the group

    def url(self, group: Group) -> str:
        return reverse(self.url_name, args=[group.pk])

    def get(self, request: HttpRequest, group_id: int) -> Group:
        return group_get_for_user(self.writes.kind, request_user(request), group_id)

    def page(self, request: HttpRequest, group_id: int, context: dict[str, Any], status: int = 200) -> HttpResponse:
        user = request_user(request)
        group = self.get(request, group_id)
        body = {
            **self.describe(user, group),
            "can_manage": can_manage_group(user, group),
            "values": {},
            "errors": {},
            **context,
        }
        return render_page(request, self.template, body, status)


def group_views(pages: GroupPages[Any]) -> tuple[View, View, View]:
    """The views of one group's page: (detail, projects_add, project_remove)."""

    def again(group_id: int) -> Callable[[HttpRequest, dict[str, Any], int], HttpResponse]:
        return lambda request, context, status: pages.page(request, group_id, context, status)

    @require_GET
    @login_required
    @domain_errors_as_http
    def detail(request: HttpRequest, group_id: int) -> HttpResponse:
        return pages.page(request, group_id, {})

    @require_POST
    @login_required
    @domain_errors_as_http
    def projects_add(request: HttpRequest, group_id: int) -> HttpResponse:
        group = pages.get(request, group_id)
        codes = split_codes(request.POST.get("projects", "")[:10000])

        def call() -> Any:
            return group_projects_add(pages.writes, actor=request_user(request), group=group, project_codes=codes)

        def done(_result: Any) -> tuple[str, str]:
            return _("已加入 %(count)d 个项目。") % {"count": len(codes)}, pages.url(group)

        return act(request, call, done, again(group_id))

    @require_POST
    @login_required
    @domain_errors_as_http
    def project_remove(request: HttpRequest, group_id: int, project_id: int) -> HttpResponse:
        group = pages.get(request, group_id)

        def call() -> Any:
            return group_project_remove(pages.writes, actor=request_user(request), group=group, project_id=project_id)

        def done(_result: Any) -> tuple[str, str]:
            return str(pages.removed), pages.url(group)

        return act(request, call, done, again(group_id))

    return detail, projects_add, project_remove
