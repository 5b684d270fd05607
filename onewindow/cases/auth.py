"""Token authentication for app and mini-program clients: no table, Django's signing.

A token is a timestamped, signed value (TimestampSigner with its own salt) carrying the user id
and the user's session-auth hash (derived from the password hash): it expires after
`CASES_API_TOKEN_MAX_AGE_SECONDS` (default 12 hours), and a password change revokes it at once.
Endpoints accept the browser session or the token: `auth=SESSION_OR_TOKEN`.
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
from ninja.security import HttpBearer, django_auth

from onewindow.errors import DomainError
from onewindow.orgs.models import User

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
        raise NotAuthenticated("登录凭证已过期,请重新获取", code="token_expired") from None
    except (signing.BadSignature, ValueError, TypeError):
        raise NotAuthenticated("登录凭证无效,请重新登录", code="token_invalid") from None
    user = _active_user(payload)
    if user is None or not constant_time_compare(str(payload.get("h", "")), user.get_session_auth_hash()):
        raise NotAuthenticated("登录凭证无效,请重新登录", code="token_invalid")
    return user


def _active_user(payload: Any) -> User | None:
    if not isinstance(payload, dict) or not isinstance(payload.get("u"), int):
        return None
    user_model: type[User] = get_user_model()
    return user_model.objects.filter(pk=payload["u"], is_active=True).first()


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`: the token's user, or a 401 with a stable code."""

    openapi_description = "POST /api/cases/auth/token 获取的登录凭证"

    def authenticate(self, request: HttpRequest, token: str) -> User:
        return token_user(token)


SESSION_OR_TOKEN = [django_auth, TokenAuth()]


def request_user(request: HttpRequest) -> User:
    """The user authenticated by the session or the token (ninja puts either in request.auth)."""
    user: Any = getattr(request, "auth", None)
    if not isinstance(user, User):
        raise NotAuthenticated("请先登录")
    return user
