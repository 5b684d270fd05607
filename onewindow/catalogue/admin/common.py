"""What the catalogue's admin pages share: system admin only, refusals as messages, and the
version lifecycle (read-only unless a draft; 发布 / 废止 / 基于此版本新建草稿) for matter and bundle
versions alike."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from onewindow.audit.admin_trail import AuditTrailAdminMixin
from onewindow.catalogue.models import VersionStatus
from onewindow.errors import DomainError
from onewindow.orgs.admin_access import RoleAdmin
from onewindow.orgs.domain import Role
from onewindow.orgs.models import User
from onewindow.orgs.selectors import user_has_role


def is_system_admin(request: HttpRequest) -> bool:
    user: Any = request.user
    return bool(user.is_active and user_has_role(user, Role.SYSTEM_ADMIN))


def actor_of(request: HttpRequest) -> User:
    user: Any = request.user
    return user  # type: ignore[no-any-return]


def is_draft(obj: object) -> bool:
    return obj is None or getattr(obj, "status", None) == VersionStatus.DRAFT


class DomainErrorsAsMessages:
    """Changes refused by a service show as a message on the same page instead of a 500."""

    def changeform_view(
        self, request: HttpRequest, object_id: str | None = None, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)  # type: ignore[misc,no-any-return]
        except DomainError as error:
            messages.error(request, error.message)
            return HttpResponseRedirect(request.get_full_path())


def run_each(request: HttpRequest, queryset: QuerySet[Any], action: Callable[[Any], object], done: str) -> None:
    """Apply a service to each selected row; report successes and refusals separately."""
    succeeded = 0
    for obj in queryset:
        try:
            action(obj)
            succeeded += 1
        except DomainError as error:
            messages.error(request, gettext("%(object)s:%(message)s") % {"object": obj, "message": error.message})
    if succeeded:
        messages.success(request, gettext("%(done)s %(count)s 项") % {"done": done, "count": succeeded})


class RoleInlineMixin:
    """Inlines follow their page: system admin only, and editable only on a draft."""

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return is_system_admin(request)

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return is_system_admin(request) and is_draft(obj)

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return is_system_admin(request) and is_draft(obj)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return is_system_admin(request) and is_draft(obj)


@dataclass(frozen=True)
class VersionServices:
    """The services behind a version admin's actions; each takes `actor` and `version`."""

    publish: Callable[..., object]
    retire: Callable[..., object]
    draft_from: Callable[..., object]


class VersionAdminMixin(AuditTrailAdminMixin, DomainErrorsAsMessages, RoleAdmin):
    """The admin of a versioned catalogue entry (matter or bundle versions).

    Published and retired versions open read-only and no version is deleted; the actions call the
    services of `version_services`, a refused one is a message naming the version.
    """

    version_services: VersionServices
    actions = ["publish", "retire", "draft_from"]

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        """Published and retired versions open read-only."""
        return super().has_change_permission(request, obj) and is_draft(obj)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.action(description=_("发布"))
    def publish(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        publish = self.version_services.publish
        run_each(request, queryset, lambda v: publish(actor=actor_of(request), version=v), gettext("已发布"))

    @admin.action(description=_("废止"))
    def retire(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        def retire_one(version: Any) -> None:
            if version.status != VersionStatus.PUBLISHED:
                raise DomainError(gettext("只能废止已发布的版本"), code="version_not_published")
            self.version_services.retire(actor=actor_of(request), version=version)

        run_each(request, queryset, retire_one, gettext("已废止"))

    @admin.action(description=_("基于此版本新建草稿"))
    def draft_from(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        draft_from = self.version_services.draft_from
        run_each(request, queryset, lambda v: draft_from(actor=actor_of(request), version=v), gettext("已新建草稿"))
