"""What every page view needs: the signed-in user, typed; domain refusals as HTTP errors; a page
rendered with its app's sub-navigation; and one POST action (`act`).

`act` is the shape of every form post: call ONE service; on success a message and a redirect; when
a rule refuses the input, the same page again with the message beside the form and what was typed
kept (`form_failure`: 422, or 409 when the state moved on under the user). NotFound and
PermissionDenied pass through for `domain_errors_as_http` (404 / 403), never as a form error.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import wraps
from typing import Any, TypeVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from onewindow.errors import Conflict, DomainError, NotFound, PermissionDenied
from onewindow.orgs.models import User

ViewT = TypeVar("ViewT", bound=Callable[..., Any])
Page = Callable[[HttpRequest, dict[str, Any], int], HttpResponse]
Done = Callable[[Any], tuple[str, str]]  # the service's result → (success message, where to go)
Failure = Callable[[HttpRequest, DomainError], tuple[dict[str, Any], int]]
Links = Callable[[User], Mapping[str, Any]]


def int_or_none(value: str | None) -> int | None:
    """A whole number typed in a query or form (an id, a count), or None when there is none."""
    return int(value) if value and value.isdigit() else None


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


def render_page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200, *, links: Links | None = None
) -> TemplateResponse:
    """The page, with the app's sub-navigation (`links` of the signed-in user) as `links` in its context."""
    if links is not None:
        context = {"links": links(request_user(request)), **context}
    return TemplateResponse(request, template, context, status=status)


def field_errors(exc: DomainError) -> dict[str, str]:
    """The refusal's message per field: every field of InvalidFields, or the one field it names."""
    return dict(getattr(exc, "errors", {}) or ({exc.field: exc.message} if exc.field else {}))


def refusal_status(exc: DomainError) -> int:
    """409 when the state moved on under the user (another clerk was faster), else 422."""
    return 409 if isinstance(exc, Conflict) else 422


def form_failure(request: HttpRequest, exc: DomainError) -> tuple[dict[str, Any], int]:
    """The refused form's context (its message, its errors per field, what was typed) and status."""
    return {"error": exc.message, "errors": field_errors(exc), "values": request.POST}, refusal_status(exc)


def done_with(message: Any, then: str) -> Done:
    """A `Done` that ignores the service's result: the same message and target every time."""
    return lambda _result: (str(message), then)


def act(
    request: HttpRequest, call: Callable[[], Any], done: Done, page: Page, *, failure: Failure = form_failure
) -> HttpResponse:
    """Run one service call: success → its message and a redirect; a refused input → `page` again."""
    try:
        result = call()
    except (NotFound, PermissionDenied):
        raise
    except DomainError as exc:
        context, status = failure(request, exc)
        return page(request, context, status)
    message, then = done(result)
    messages.success(request, message)
    return redirect(then)
