"""Login throttling: django-axes with two limits, its counts in the database.

Every password check goes through `django.contrib.auth.authenticate(request, ...)`: the login page,
the admin's login and the API's token endpoint. django-axes (`axes.backends.AxesStandaloneBackend`,
first in AUTHENTICATION_BACKENDS) refuses a locked-out account or address before the password is
looked at, and counts each failure in its `AccessAttempt` table: one row per username, address and
user agent, so the counts hold across every gunicorn worker.

- An **account** (username) is locked after `LOGIN_FAILURES_PER_ACCOUNT` failures from anywhere.
- An **address** is locked after `LOGIN_FAILURES_PER_ADDRESS` failures on any usernames (someone
  trying many accounts); higher, as a service hall's clerks share one address.
- A failure counts for `LOGIN_LOCKOUT_MINUTES` after it; a lock ends that long after the failure
  that made it. Attempts while locked are refused and not counted (a correct password too).
- A successful login resets the account's count (not the address's: a login to one's own account
  must not clear the failures on others').

The locked-out user reads a Chinese message with the minutes to wait (the forms' error; the API:
429 `too_many_attempts`), and every locked response carries `Retry-After`. Each new lock is an
audit event (`orgs.login_locked`); the security admin sees the counts and lifts a lock in the admin
(`admin_lockouts.py`, `orgs.login_unlocked`).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import math
from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from onewindow.errors import DomainError
from onewindow.orgs.models import User


class LoginLocked(DomainError):
    """Too many failed logins: the account or the address waits `retry_after` seconds."""

    code = "too_many_attempts"
    status = 429

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def failure_limit(request: HttpRequest, credentials: dict[str, Any] | None) -> int:
    """AXES_FAILURE_LIMIT: the account's limit (the address's: LoginThrottleHandler.get_failures)."""
    return int(settings.LOGIN_FAILURES_PER_ACCOUNT)


def cool_off(request: HttpRequest | None = None) -> dt.timedelta:
    """AXES_COOLOFF_TIME: how long a failure counts, and so how long a lock lasts."""
    return dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def lock_ends_at(attempts: QuerySet[AccessAttempt], limit: int) -> dt.datetime | None:
    """When the failures in `attempts` fall below `limit` again, or None if they are below it now.

    A row holds its failures until its last one is `cool_off()` old: the newest rows that reach the
    limit together hold the lock until the oldest of them expires.
    """
    counted = 0
    for failures, last_at in attempts.order_by("-attempt_time").values_list("failures_since_start", "attempt_time"):
        counted += failures
        if counted >= limit:
            ends_at: dt.datetime = last_at + cool_off()
            return ends_at
    return None


class LoginThrottleHandler(AxesDatabaseHandler):  # type: ignore[misc]
    """axes' database handler with a limit per account and a (higher) limit per address."""

    def recent_attempts(
        self, request: HttpRequest, credentials: dict[str, Any] | None
    ) -> tuple[QuerySet[AccessAttempt], QuerySet[AccessAttempt]]:
        """The failures still counted against the account and against the address (a lock ends at
        the moment `locked_until` names, not a tick later)."""
        recent = AccessAttempt.objects.filter(attempt_time__gt=get_cool_off_threshold(request))
        username = get_client_username(request, credentials)
        return recent.filter(username=username), recent.filter(ip_address=request.axes_ip_address)  # type: ignore[attr-defined]

    def locked_until(self, request: HttpRequest, credentials: dict[str, Any] | None) -> dt.datetime | None:
        by_account, by_address = self.recent_attempts(request, credentials)
        ends = [
            lock_ends_at(by_account, settings.LOGIN_FAILURES_PER_ACCOUNT),
            lock_ends_at(by_address, settings.LOGIN_FAILURES_PER_ADDRESS),
        ]
        return max((end for end in ends if end is not None), default=None)

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        """Failures against AXES_FAILURE_LIMIT (the account's limit): the account's own, or the whole
        limit once the address has reached its own."""
        by_account, by_address = (
            int(sum(attempts.values_list("failures_since_start", flat=True)))
            for attempts in self.recent_attempts(request, credentials)
        )
        if by_address >= settings.LOGIN_FAILURES_PER_ADDRESS:
            return max(by_account, settings.LOGIN_FAILURES_PER_ACCOUNT)
        return by_account

    def reset_user_attempts(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        """After a successful login: the account's failures only."""
        username = get_client_username(request, credentials)
        count, _deleted = AccessAttempt.objects.filter(username=username).delete()
        return int(count)

    def user_login_failed(
        self, sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
    ) -> None:
        """Count the failure; a failure that locks the account or the address is audited with it."""
        if request is None:
            super().user_login_failed(sender, credentials, request, **kwargs)  # axes logs the error
            return
        was_locked = bool(getattr(request, "axes_locked_out", False))
        with transaction.atomic():
            super().user_login_failed(sender, credentials, request, **kwargs)
            if request.axes_locked_out and not was_locked:  # type: ignore[attr-defined]
                from onewindow.orgs.services import login_lockout_record

                login_lockout_record(
                    username=get_client_username(request, credentials) or "",
                    address=request.axes_ip_address or "",  # type: ignore[attr-defined]
                    locked_until=self.locked_until(request, credentials),
                )


def client_address(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or behind LOGIN_THROTTLE_TRUSTED_PROXIES proxies the
    X-Forwarded-For entry the outermost trusted proxy added (entries before it are the client's say)."""
    address = request.META.get("REMOTE_ADDR")
    proxies = settings.LOGIN_THROTTLE_TRUSTED_PROXIES
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if proxies and len(forwarded) >= proxies:
        address = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(address or ""))
    except ValueError:
        return None


def login_lockout(request: HttpRequest | None) -> LoginLocked | None:
    """What a request refused by the throttle is told, or None if the throttle did not refuse it."""
    if request is None or not getattr(request, "axes_locked_out", False):
        return None
    handler = AxesProxyHandler.get_implementation()
    until = None
    if isinstance(handler, LoginThrottleHandler):
        until = handler.locked_until(request, getattr(request, "axes_credentials", None))
    seconds = max(1, math.ceil(((until or timezone.now() + cool_off()) - timezone.now()).total_seconds()))
    message = _("登录失败次数过多，已暂时锁定，请在 %(minutes)d 分钟后再试。") % {"minutes": math.ceil(seconds / 60)}
    return LoginLocked(message, retry_after=seconds)


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the page or API answer the view gave (its form error or error body says
    why), as 429 Too Many Requests with Retry-After."""
    locked = login_lockout(request)
    retry_after = locked.retry_after if locked else int(cool_off().total_seconds())
    response = original_response
    if not isinstance(response, HttpResponse):
        response = HttpResponse(locked.message if locked else "", content_type="text/plain; charset=utf-8")
    response.status_code = 429
    response["Retry-After"] = str(retry_after)
    return response


class LockoutMessageFormMixin:
    """For an AuthenticationForm: a refused login says it is locked and for how long, not that the
    password is wrong."""

    request: HttpRequest | None

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()  # type: ignore[misc,no-any-return]
        except ValidationError:
            locked = login_lockout(self.request)
            if locked is None:
                raise
            raise ValidationError(locked.message, code=locked.code) from None


class LoginForm(LockoutMessageFormMixin, AuthenticationForm):
    """The login page's form (/accounts/login/)."""


def login_succeeded(request: HttpRequest, user: User) -> None:
    """A login without a session (an API token): tell the listeners what Django's login() tells
    them, so that the account's failures are reset and its last login recorded."""
    user_logged_in.send(sender=type(user), request=request, user=user)
