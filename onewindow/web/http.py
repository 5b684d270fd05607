"""What every page view needs: the signed-in user, typed, and domain refusals as HTTP errors."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest

from onewindow.errors import NotFound, PermissionDenied
from onewindow.orgs.models import User

ViewT = TypeVar("ViewT", bound=Callable[..., Any])


def request_user(request: HttpRequest) -> User:
    user: Any = request.user
    return user  # type: ignore[no-any-return]


def domain_errors_as_http(view: ViewT) -> ViewT:
    """NotFound → 404, PermissionDenied → 403 (Django's own pages), each with the Chinese message."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(exc.message) from exc
        except PermissionDenied as exc:
            raise DjangoPermissionDenied(exc.message) from exc

    return wrapped  # type: ignore[return-value]
