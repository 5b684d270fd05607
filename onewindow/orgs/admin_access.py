"""Admin access by role (三权分立), not by Django's superuser flag.

The system admin keeps the catalogue, the tree and the calendar; the security admin grants
roles; the audit admin reads the log. None of them reaches the others' pages.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from onewindow.orgs.domain import Role
from onewindow.orgs.login_throttle import LockoutMessageFormMixin
from onewindow.orgs.selectors import user_has_role

ADMIN_ROLES = (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN)


class RoleAdminAuthenticationForm(LockoutMessageFormMixin, AdminAuthenticationForm):
    """The admin login admits the three administrator roles, not Django's is_staff flag."""

    def confirm_login_allowed(self, user: Any) -> None:
        AuthenticationForm.confirm_login_allowed(self, user)
        if not user_has_role(user, *ADMIN_ROLES):
            raise forms.ValidationError(_("该账号没有管理后台权限"), code="invalid_login")


class OneWindowAdminSite(admin.AdminSite):
    site_header = _("一窗受理政务服务平台 管理后台")
    site_title = _("onewindow 管理后台")
    index_title = _("系统管理")
    login_form = RoleAdminAuthenticationForm

    def has_permission(self, request: HttpRequest) -> bool:
        user: Any = request.user
        return bool(user.is_active and user_has_role(user, *ADMIN_ROLES))


class RoleAdmin(admin.ModelAdmin[Any]):
    """A ModelAdmin whose pages open to the named roles only."""

    edit_roles: tuple[Role, ...] = (Role.SYSTEM_ADMIN,)
    view_roles: tuple[Role, ...] = ()

    @classmethod
    def opens_to(cls, user: Any) -> bool:
        """Whether `user` may open this admin's pages (to view or to edit), without a request."""
        return bool(user.is_active and user_has_role(user, *cls.edit_roles, *cls.view_roles))

    def _has(self, request: HttpRequest, roles: tuple[Role, ...]) -> bool:
        user: Any = request.user
        return bool(user.is_active and user_has_role(user, *roles))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._has(request, self.edit_roles + self.view_roles)

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return self._has(request, self.edit_roles + self.view_roles)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._has(request, self.edit_roles)

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return self._has(request, self.edit_roles)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return self._has(request, self.edit_roles)
