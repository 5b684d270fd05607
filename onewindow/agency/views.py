"""The agency pages: the agent's work list (代办工作台), the authorisations (list, detail, the window's
and the applicant's forms, revocation, the 委托书 file) and the key-project office's assignment.

Thin: one selector or one service each. An authorisation or a project the user may not see is a 404
like a missing one; a page the user's roles do not open is a 403. A refused form is shown again with
the messages beside its fields and what was typed kept.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from onewindow.agency import forms, selectors, services
from onewindow.agency.domain import STATE_LABELS, scope_labels
from onewindow.agency.models import Authorisation
from onewindow.cases.presentation import case_rows
from onewindow.errors import DomainError, NotFound, PermissionDenied
from onewindow.orgs.domain import Role
from onewindow.orgs.models import Applicant, User
from onewindow.orgs.selectors import applicants_of, display_id_number, user_has_role
from onewindow.orgs.services import applicant_register
from onewindow.projects.selectors import project_get_for_user
from onewindow.web import http
from onewindow.web.http import domain_errors_as_http, request_user

PAGE_SIZE = 20
GET_POST = ["GET", "POST"]


def links(user: User) -> dict[str, bool]:
    """Which agency pages the sub-navigation offers (no query: the roles are read once per request)."""
    return {
        "is_agent": user_has_role(user, Role.AGENT),
        "is_clerk": user_has_role(user, Role.CLERK),
    }


def render(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> TemplateResponse:
    return http.render_page(request, template, context, status, links=links)


# --- the agent's work list --------------------------------------------------------------------------


@require_GET
@login_required
@domain_errors_as_http
def work_list(request: HttpRequest) -> HttpResponse:
    """代办工作台: the cases the agent represents, with status, due dates and what waits for them."""
    user = request_user(request)
    if not selectors.is_agent(user):
        raise PermissionDenied(_("只有代办员可以查看代办工作台"), code="not_an_agent")
    page = Paginator(selectors.represented_cases(user), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "rows": case_rows(page)}
    return render(request, "agency/work_list.html", context)


# --- authorisations ---------------------------------------------------------------------------------


@require_GET
@login_required
def authorisation_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    page = Paginator(selectors.authorisation_list(user), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "rows": [_row(user, authorisation) for authorisation in page],
        "may_grant_online": applicants_of(user).exists(),
    }
    return render(request, "agency/authorisation_list.html", context)


def _row(user: User, authorisation: Authorisation) -> dict[str, Any]:
    """What a list or a page shows of an authorisation, the applicant's ID number masked as the viewer's
    roles require (an agent sees it masked)."""
    state = authorisation.state_on(timezone.localdate())
    return {
        "authorisation": authorisation,
        "state": state.value,
        "state_label": STATE_LABELS[state],
        "scope_labels": scope_labels(authorisation.scope),
        "applicant_id_number": display_id_number(user, authorisation.applicant.id_number),
    }


@require_GET
@login_required
@domain_errors_as_http
def authorisation_detail(request: HttpRequest, authorisation_id: int) -> HttpResponse:
    return _detail(request, authorisation_id, forms.RevokeForm(), 200)


def _detail(request: HttpRequest, authorisation_id: int, form: forms.RevokeForm, status: int) -> HttpResponse:
    user = request_user(request)
    authorisation = selectors.authorisation_get_for_user(user, authorisation_id)
    context = {
        **_row(user, authorisation),
        "revoke_form": form,
        "may_revoke": authorisation.revoked_at is None and selectors.may_revoke(user, authorisation),
    }
    return render(request, "agency/authorisation_detail.html", context, status=status)


@require_POST
@login_required
@domain_errors_as_http
def authorisation_revoke(request: HttpRequest, authorisation_id: int) -> HttpResponse:
    user = request_user(request)
    authorisation = selectors.authorisation_get_for_user(user, authorisation_id)
    form = forms.RevokeForm(request.POST)
    form.is_valid()
    try:
        services.authorisation_revoke(actor=user, authorisation=authorisation, reason=form.cleaned_data["reason"])
    except (NotFound, PermissionDenied):
        raise
    except DomainError as exc:
        form.add_service_errors(exc)
        return _detail(request, authorisation_id, form, exc.status if exc.status in (409, 422) else 422)
    messages.success(request, _("委托已撤销。"))
    return redirect("agency:detail", authorisation_id=authorisation_id)


@require_GET
@login_required
@domain_errors_as_http
def authorisation_document(request: HttpRequest, authorisation_id: int) -> FileResponse:
    """The signed 委托书, for whoever may see the authorisation (never a public media URL)."""
    authorisation = selectors.authorisation_get_for_user(request_user(request), authorisation_id)
    if not authorisation.document:
        raise NotFound(_("该委托没有上传授权委托书"), code="document_not_found")
    name = PurePath(authorisation.document.name).name
    return FileResponse(authorisation.document.open("rb"), as_attachment=True, filename=name)


def _form_page(request: HttpRequest, form: forms.AuthorisationForm, *, window: bool, status: int = 200) -> HttpResponse:
    return render(request, "agency/authorisation_form.html", {"form": form, "window": window}, status=status)


def _refused(request: HttpRequest, form: forms.AuthorisationForm, exc: DomainError, *, window: bool) -> HttpResponse:
    if isinstance(exc, NotFound | PermissionDenied):
        raise exc
    fields = {"id_number": "id_number"} if window else {}
    form.add_service_errors(exc, fields)
    return _form_page(request, form, window=window, status=http.refusal_status(exc))


def _grant_arguments(form: forms.AuthorisationForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "agent": data.get("agent"),
        "scope": data.get("scope") or [],
        "valid_from": data.get("valid_from"),
        "valid_until": data.get("valid_until"),
        "document": data.get("document"),
    }


@require_http_methods(GET_POST)
@login_required
@domain_errors_as_http
def window_new(request: HttpRequest) -> HttpResponse:
    """窗口登记委托: the clerk finds or registers the applicant and records the signed 委托书."""
    user = request_user(request)
    if not user_has_role(user, Role.CLERK):
        raise PermissionDenied(_("只有窗口人员可以在窗口登记代办委托"), code="not_a_clerk")
    today = timezone.localdate()
    form = forms.WindowAuthorisationForm(request.POST or None, request.FILES or None, initial={"valid_from": today})
    if request.method != "POST":
        return _form_page(request, form, window=True)
    if not form.is_valid():
        return _form_page(request, form, window=True, status=422)
    try:
        with transaction.atomic():  # a refused authorisation registers no applicant either
            applicant = applicant_register(
                kind=form.cleaned_data["applicant_kind"],
                name=form.cleaned_data["applicant_name"].strip(),
                id_number=form.cleaned_data["id_number"],
                actor=user,
            )
            authorisation = services.authorisation_record_at_window(
                actor=user, applicant=applicant, **_grant_arguments(form)
            )
    except DomainError as exc:
        return _refused(request, form, exc, window=True)
    messages.success(request, _("代办委托已登记。"))
    return redirect("agency:detail", authorisation_id=authorisation.pk)


@require_http_methods(GET_POST)
@login_required
@domain_errors_as_http
def grant_online(request: HttpRequest) -> HttpResponse:
    """网上委托代办: the applicant's account names an agent for one of its applicants."""
    user = request_user(request)
    applicants = applicants_of(user)
    if not applicants.exists():
        raise PermissionDenied(_("只有申请人账号可以网上委托代办"), code="not_applicant_user")
    today = timezone.localdate()
    form = forms.OnlineAuthorisationForm(
        request.POST or None, request.FILES or None, applicants=applicants, initial={"valid_from": today}
    )
    if request.method != "POST":
        return _form_page(request, form, window=False)
    if not form.is_valid():
        return _form_page(request, form, window=False, status=422)
    applicant: Applicant = form.cleaned_data["applicant"]
    try:
        authorisation = services.authorisation_grant_online(actor=user, applicant=applicant, **_grant_arguments(form))
    except DomainError as exc:
        return _refused(request, form, exc, window=False)
    messages.success(request, _("已委托代办员代为办理。"))
    return redirect("agency:detail", authorisation_id=authorisation.pk)


# --- a key project's agent --------------------------------------------------------------------------


@require_POST
@login_required
@domain_errors_as_http
def project_agent_assign(request: HttpRequest, project_id: int) -> HttpResponse:
    """The key-project office assigns the project's agent (the form is on the project's page)."""
    user = request_user(request)
    project = project_get_for_user(user, project_id)
    form = forms.ProjectAgentForm(request.POST)
    form.is_valid()
    try:
        services.project_agent_assign(actor=user, project=project, agent=form.cleaned_data.get("agent"))
    except (NotFound, PermissionDenied):
        raise
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("projects:detail", project_id=project.pk)
    messages.success(request, _("已指派代办员，项目审批办件由其免费代办。"))
    return redirect("projects:detail", project_id=project.pk)
