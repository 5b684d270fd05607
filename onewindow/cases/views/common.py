"""What the case pages share: the console's sub-navigation, paging, the role check, and the form
failure of a console action (each action's form keeps its own message, errors and values)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from onewindow.cases import selectors, sources
from onewindow.cases.models import Case
from onewindow.catalogue.domain import schema_to_fields
from onewindow.errors import Conflict, DomainError, PermissionDenied
from onewindow.orgs.domain import Role
from onewindow.orgs.models import User
from onewindow.orgs.selectors import user_has_role, user_roles
from onewindow.web import http
from onewindow.web.http import request_user

PAGE_SIZE = 20
Step = Callable[[User, Any, QueryDict, Mapping[str, UploadedFile]], object]  # (actor, case or task, POST, FILES)
CREDIT_ROLES = (Role.CLERK, Role.SUPERVISOR, Role.LEADER)  # staff of a region


def console_links(user: User) -> dict[str, bool]:
    """Which of the case pages the sub-navigation offers this user."""
    return {
        "show_intake": user_has_role(user, Role.CLERK),
        "show_tasks": user_has_role(user, *selectors.REVIEW_ROLES),
        "show_supervision": user_has_role(user, *selectors.SUPERVISION_ROLES),
        "show_case_extension": user_has_role(user, Role.DEPARTMENT_HEAD),
        "show_agency": user_has_role(user, Role.AGENT),
        # 代办委托: the agent's, the clerk's (who records them) and the applicant's (who grants them).
        "show_authorisations": user_has_role(user, Role.AGENT, Role.CLERK) or not user_roles(user),
        # an applicant's own, and region staff's (selectors.commitment.credit_records_for_user)
        "show_credit_records": not selectors.is_staff(user) or user_has_role(user, *CREDIT_ROLES),
    }


def render(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return http.render_page(request, template, context, status, links=console_links)


def paginate(request: HttpRequest, rows: QuerySet[Any]) -> Page[Any]:
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


def require_role(user: User, *roles: Role) -> None:
    if not user_has_role(user, *roles):
        raise PermissionDenied(_("您没有办理此类事务的角色"), code="console_role_required")


def action_failure(action: str) -> http.Failure:
    """The failed action's form: its message, per-field errors and what was typed, under its name."""

    def failure(request: HttpRequest, exc: DomainError) -> tuple[dict[str, Any], int]:
        message = exc.message
        if isinstance(exc, Conflict):
            message = _("操作未完成：%(message)s。可能已有其他工作人员办理，请查看最新状态。") % {"message": message}
        form = {"message": message, "errors": http.field_errors(exc), "values": request.POST}
        return {"failed": action, "forms": {action: form}, "error": message}, http.refusal_status(exc)

    return failure


def act(request: HttpRequest, action: str, call: Callable[[], Any], done: http.Done, page: http.Page) -> HttpResponse:
    """One console action (`web.http.act`) whose refusal comes back beside the action's own form."""
    return http.act(request, call, done, page, failure=action_failure(action))


def step_act(
    request: HttpRequest, action: str, steps: Mapping[str, tuple[Step, Any]], target: Any, then: str, page: http.Page
) -> HttpResponse:
    """Run the named step of a console's table (`(step, success message)` per action) on the case or task."""
    step, success = steps[action]
    user = request_user(request)
    call = lambda: step(user, target, request.POST, request.FILES)  # noqa: E731
    return act(request, action, call, http.done_with(success, then), page)


def materials_of(case: Case) -> list[Any]:
    return list(case.materials.order_by("id"))


def form_rows(case: Case) -> list[tuple[str, Any]]:
    """The case's form data with the field labels of its (unified) form, in the form's order."""
    specs = schema_to_fields(sources.case_source(case).form_schema)
    known = [(spec.label, case.form_data[spec.key]) for spec in specs if spec.key in case.form_data]
    return known + [(key, value) for key, value in case.form_data.items() if key not in {s.key for s in specs}]


def date_or_none(text: str) -> dt.date | None:
    """A date typed as YYYY-MM-DD; None for anything else (the service reports a missing date)."""
    try:
        return parse_date(text.strip())
    except ValueError:
        return None
