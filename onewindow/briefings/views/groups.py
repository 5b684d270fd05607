"""The pages every group of projects has (campaigns, concentrated starts): a new group, one group
with its projects, adding projects to it and removing one. A `GroupPages` names a kind's templates,
its URL, how its form is read and what its page shows; the views are written once (`group_views`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, Generic

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from onewindow.briefings.selectors.groups import Group, can_manage_group, group_get_for_user
from onewindow.briefings.services.groups import GroupWrites, group_project_remove, group_projects_add
from onewindow.briefings.services.members import split_codes
from onewindow.briefings.views.common import FormReader, render_page, require_office
from onewindow.orgs.models import User
from onewindow.web.http import act, domain_errors_as_http, request_user

View = Callable[..., HttpResponse]


@dataclass(frozen=True)
class GroupPages(Generic[Group]):
    writes: GroupWrites[Group]
    url_name: str  # the group's page, "briefings:campaign"
    template: str  # the group's page
    new_template: str
    # Reads the new group's form (with FormReader.check()) and creates it with the project codes.
    create: Callable[[FormReader, User, list[str]], Group]
    created: Promise  # "%(name)s": the message after a group was created
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


def _codes(request: HttpRequest) -> list[str]:
    return split_codes(request.POST.get("projects", "")[:10000])


def _again(pages: GroupPages[Any], group_id: int) -> Callable[[HttpRequest, dict[str, Any], int], HttpResponse]:
    return lambda request, context, status: pages.page(request, group_id, context, status)


def _new_page(pages: GroupPages[Any], request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return render_page(request, pages.new_template, {"values": {}, "errors": {}, **context}, status)


def _new(pages: GroupPages[Any], request: HttpRequest) -> HttpResponse:
    require_office(request)
    if request.method == "GET":
        return _new_page(pages, request, {})

    def call() -> Any:
        return pages.create(FormReader(request.POST), request_user(request), _codes(request))

    def done(group: Any) -> tuple[str, str]:
        return str(pages.created) % {"name": group.name}, pages.url(group)

    return act(request, call, done, partial(_new_page, pages))


def _detail(pages: GroupPages[Any], request: HttpRequest, group_id: int) -> HttpResponse:
    return pages.page(request, group_id, {})


def _projects_add(pages: GroupPages[Any], request: HttpRequest, group_id: int) -> HttpResponse:
    group = pages.get(request, group_id)
    codes = _codes(request)

    def call() -> Any:
        return group_projects_add(pages.writes, actor=request_user(request), group=group, project_codes=codes)

    def done(_result: Any) -> tuple[str, str]:
        return _("已加入 %(count)d 个项目。") % {"count": len(codes)}, pages.url(group)

    return act(request, call, done, _again(pages, group_id))


def _project_remove(pages: GroupPages[Any], request: HttpRequest, group_id: int, project_id: int) -> HttpResponse:
    group = pages.get(request, group_id)

    def call() -> Any:
        return group_project_remove(pages.writes, actor=request_user(request), group=group, project_id=project_id)

    def done(_result: Any) -> tuple[str, str]:
        return str(pages.removed), pages.url(group)

    return act(request, call, done, _again(pages, group_id))


def _view(body: Callable[..., HttpResponse], pages: GroupPages[Any], methods: Callable[[View], View]) -> View:
    view: View = domain_errors_as_http(partial(body, pages))
    return methods(login_required(view))


def group_views(pages: GroupPages[Any]) -> tuple[View, View, View, View]:
    """The views of a kind of group: (new, detail, projects_add, project_remove)."""
    return (
        _view(_new, pages, require_http_methods(["GET", "POST"])),
        _view(_detail, pages, require_GET),
        _view(_projects_add, pages, require_POST),
        _view(_project_remove, pages, require_POST),
    )
