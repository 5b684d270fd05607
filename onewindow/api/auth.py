"""Who is calling the API: one rule for every endpoint, set as the NinjaAPI's default `auth`.

- With an `Authorization: Bearer <token>` header the token decides: a valid token is its user and
  needs no CSRF token (it is not a cookie a browser sends by itself); an invalid or expired one is
  a 401 (`token_invalid`, `token_expired`), never a fall-back to the session.
- Without it the browser session decides, and an unsafe method (POST, PUT, PATCH, DELETE) also
  needs Django's CSRF token (header `X-CSRFToken`), else a 403 `csrf_failed`.
- Neither: a 401 `not_authenticated`. Public endpoints say `auth=None`.

A token (POST /api/cases/auth/token) is a timestamped, signed value (TimestampSigner with its own
salt), no table: it carries the user id and the user's session-auth hash (derived from the
password hash), expires after `CASES_API_TOKEN_MAX_AGE_SECONDS` (default 12 hours), and a password
change revokes it at once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from onewindow.errors import DomainError, PermissionDenied
from onewindow.orgs.models import User

# The salt names the module tokens were first issued from; changing it would void every issued token.
SALT = "onewindow.cases.api-token"
DEFAULT_MAX_AGE_SECONDS = 12 * 60 * 60


class NotAuthenticated(DomainError):
    code = "not_authenticated"
    status = 401


def token_max_age() -> dt.timedelta:
    return dt.timedelta(seconds=int(getattr(settings, "CASES_API_TOKEN_MAX_AGE_SECONDS", DEFAULT_MAX_AGE_SECONDS)))


@dataclass(frozen=True)
class IssuedToken:
    token: str
    expires_at: dt.datetime


def token_issue(user: User) -> IssuedToken:
    """A signed token for `user`, valid until `expires_at` or until their password changes."""
    payload = {"u": user.pk, "h": user.get_session_auth_hash()}
    token = signing.TimestampSigner(salt=SALT).sign_object(payload, compress=True)
    return IssuedToken(token=token, expires_at=timezone.now() + token_max_age())


def token_user(token: str) -> User:
    """The active user a token stands for, or NotAuthenticated (token_invalid / token_expired)."""
    signer = signing.TimestampSigner(salt=SALT)
    try:
        payload: Any = signer.unsign_object(token, max_age=token_max_age())
    except signing.SignatureExpired:
        raise NotAuthenticated("登录凭证已过期，请重新获取", code="token_expired") from None
    except (signing.BadSignature, ValueError, TypeError):
        raise NotAuthenticated("登录凭证无效，请重新登录", code="token_invalid") from None
    user = _active_user(payload)
    if user is None or not constant_time_compare(str(payload.get("h", "")), user.get_session_auth_hash()):
        raise NotAuthenticated("登录凭证无效，请重新登录", code="token_invalid")
    return user


def _active_user(payload: Any) -> User | None:
    if not isinstance(payload, dict) or not isinstance(payload.get("u"), int):
        return None
    user_model: type[User] = get_user_model()
    return user_model.objects.filter(pk=payload["u"], is_active=True).first()


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>`: the token's user, or a 401 with a stable code."""

    openapi_description = (
        "App、小程序：POST /api/cases/auth/token 获取登录凭证，放在请求头 Authorization: Bearer <token>"
    )

    def authenticate(self, request: HttpRequest, token: str) -> User:
        return token_user(token)


def has_bearer(request: HttpRequest) -> bool:
    return request.headers.get("Authorization", "").split(" ")[0].lower() == "bearer"


class SessionCookie(APIKeyCookie):
    """The browser session (cookie), with Django's CSRF token on unsafe methods."""

    param_name = settings.SESSION_COOKIE_NAME
    openapi_description = "浏览器登录会话；POST、PUT、DELETE 另需请求头 X-CSRFToken（Cookie csrftoken 的值）"

    def _get_key(self, request: HttpRequest) -> str | None:
        return request.COOKIES.get(self.param_name)  # the CSRF check waits until a user is known

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user: Any = request.user
        if has_bearer(request) or not isinstance(user, User) or not user.is_authenticated:
            return None
        if check_csrf(request) is not None:  # passes GET, HEAD, OPTIONS and TRACE
            raise PermissionDenied("安全校验未通过（CSRF），请刷新页面后重试。", code="csrf_failed")
        return user


# The order matters: the token is tried first, and the session never when a bearer header is sent.
API_AUTH = [BearerToken(), SessionCookie()]


def api_user(request: HttpRequest) -> User:
    """The user authenticated by the token or the session (ninja puts either in request.auth)."""
    user: Any = getattr(request, "auth", None)
    if not isinstance(user, User):
        raise NotAuthenticated("请先登录")
    return user
