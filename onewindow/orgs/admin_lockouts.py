"""The security admin's page of the login throttle (login_throttle.py): the failures still counted,
which accounts and addresses they lock, and lifting a lock (audited, orgs.login_unlocked)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import admin
from django.db.models import IntegerField, OuterRef, QuerySet, Subquery, Sum
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from onewindow.orgs import services
from onewindow.orgs.admin_access import RoleAdmin
from onewindow.orgs.domain import Role
from onewindow.orgs.login_throttle import cool_off
from onewindow.orgs.models import LoginAttempt


def _failures_of(field: str) -> Subquery:
    """The failures still counted against the row's account (or address), from all its rows."""
    recent = LoginAttempt.objects.filter(attempt_time__gt=timezone.now() - cool_off(), **{field: OuterRef(field)})
    total = recent.order_by().values(field).annotate(total=Sum("failures_since_start")).values("total")
    return Subquery(total, output_field=IntegerField())


def _status(failures: int | None, limit: int) -> str:
    if (failures or 0) >= limit:
        return gettext("已锁定")
    return gettext("还可尝试 %(n)d 次") % {"n": limit - (failures or 0)}


@admin.register(LoginAttempt)
class LoginAttemptAdmin(RoleAdmin):
    edit_roles = (Role.SECURITY_ADMIN,)
    list_display = [
        "login_username",
        "address",
        "failures",
        "last_failed_at",
        "counted_until",
        "account_status",
        "address_status",
    ]
    search_fields = ["username", "ip_address"]
    ordering = ["-attempt_time"]
    actions = ["unlock_accounts", "unlock_addresses"]
    fields = ("username", "ip_address", "user_agent", "failures_since_start", "attempt_time", "path_info")
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[LoginAttempt]:
        queryset: QuerySet[LoginAttempt] = (
            super()
            .get_queryset(request)
            .annotate(account_failures=_failures_of("username"), address_failures=_failures_of("ip_address"))
        )
        return queryset

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # a lock is lifted by the actions below, through the audited service

    def has_unlock_permission(self, request: HttpRequest) -> bool:
        return self._has(request, self.edit_roles)

    @admin.display(description=_("用户名"), ordering="username")
    def login_username(self, obj: LoginAttempt) -> str:
        return obj.username or ""

    @admin.display(description=_("地址"), ordering="ip_address")
    def address(self, obj: LoginAttempt) -> str:
        return obj.ip_address or ""

    @admin.display(description=_("失败次数"), ordering="failures_since_start")
    def failures(self, obj: LoginAttempt) -> int:
        return int(obj.failures_since_start)

    @admin.display(description=_("最近失败时间"), ordering="attempt_time")
    def last_failed_at(self, obj: LoginAttempt) -> Any:
        return obj.attempt_time

    @admin.display(description=_("计数至"))
    def counted_until(self, obj: LoginAttempt) -> Any:
        return obj.attempt_time + cool_off()

    @admin.display(description=_("账号状态"))
    def account_status(self, obj: Any) -> str:
        return _status(obj.account_failures, settings.LOGIN_FAILURES_PER_ACCOUNT)

    @admin.display(description=_("地址状态"))
    def address_status(self, obj: Any) -> str:
        return _status(obj.address_failures, settings.LOGIN_FAILURES_PER_ADDRESS)

    @admin.action(description=_("解除所选账号的登录锁定"), permissions=["unlock"])
    def unlock_accounts(self, request: HttpRequest, queryset: QuerySet[LoginAttempt]) -> None:
        usernames = {name for name in queryset.values_list("username", flat=True) if name}
        services.login_lockout_lift(actor=request.user, usernames=usernames)  # type: ignore[arg-type]
        self.message_user(request, gettext("已解除 %(n)d 个账号的登录锁定。") % {"n": len(usernames)})

    @admin.action(description=_("解除所选地址的登录锁定"), permissions=["unlock"])
    def unlock_addresses(self, request: HttpRequest, queryset: QuerySet[LoginAttempt]) -> None:
        addresses = {address for address in queryset.values_list("ip_address", flat=True) if address}
        services.login_lockout_lift(actor=request.user, addresses=addresses)  # type: ignore[arg-type]
        self.message_user(request, gettext("已解除 %(n)d 个地址的登录锁定。") % {"n": len(addresses)})
