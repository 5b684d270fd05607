"""The registry pages: the filtered list, 我的项目, a project's page, and the office's forms.

Views are thin: one selector or one service each. A project the user may not see is a 404 like a
missing one; a form only the key-project office may use is a 403 for anyone else who sees the
project. A refused write re-renders its page with the messages beside the fields and the input kept.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from onewindow.agency.forms import ProjectAgentForm
from onewindow.agency.selectors import project_agent_authorisation
from onewindow.errors import DomainError, PermissionDenied
from onewindow.orgs.models import User
from onewindow.projects import forms, selectors
from onewindow.projects.domain import (
    LEVEL_LABELS,
    PHASE_LABELS,
    Phase,
    TeamRole,
    allowed_phase_moves,
    has_started,
    is_the_start,
)
from onewindow.projects.models import Project
from onewindow.projects.selectors.roadmap import roadmap_view
from onewindow.projects.services import registry, team
from onewindow.web import http
from onewindow.web.http import domain_errors_as_http, request_user

PAGE_SIZE = 20


def links(user: User) -> dict[str, bool]:
    """Which registry pages the sub-navigation offers this user."""
    return {"is_office": selectors.is_project_office(user)}


def render(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> TemplateResponse:
    return http.render_page(request, template, context, status, links=links)


def office_project(user: User, project_id: int) -> Project:
    """A project the user sees (else 404) and manages as key-project office (else 403)."""
    return selectors.project_get_for_office(user, project_id)


# --- the list, its export, 我的项目 -----------------------------------------------------------------


@require_GET
@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    filters, errors = selectors.project_filters(request.GET)
    page = Paginator(selectors.project_list(user, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filters": filters,
        "chosen": {key: request.GET.get(key, "") for key in selectors.FILTER_KEYS},
        "errors": errors,
        "choices": selectors.project_filter_choices(user),
        "phases": PHASE_LABELS,
        "levels": LEVEL_LABELS,
        "query": urlencode(filters.query()),
    }
    return render(request, "projects/list.html", context)


@require_GET
@login_required
def my_projects(request: HttpRequest) -> HttpResponse:
    held = selectors.projects_held_by(request_user(request))
    return render(request, "projects/mine.html", {"held": held})


# --- one project -------------------------------------------------------------------------------------


@require_GET
@login_required
@domain_errors_as_http
def project_detail(request: HttpRequest, project_id: int) -> HttpResponse:
    project = selectors.project_get_for_user(request_user(request), project_id)
    return _detail_with(request, project, 200)


def _next_phase(project: Project) -> str:
    moves = allowed_phase_moves(Phase(project.phase))
    return moves[0].value if moves else ""


def _detail_with(request: HttpRequest, project: Project, status: int, **forms_: Any) -> HttpResponse:
    """The project page again, with a failed form in place of its empty one."""
    user = request_user(request)
    context = {
        "project": project,
        "parts": selectors.project_parts(project),
        "roadmap": roadmap_view(project),
        "is_office": selectors.is_project_office_for(user, project),
        "phase_form": forms.PhaseForm(initial={"to_phase": _next_phase(project), "started_on": timezone.localdate()}),
        "phase_moves": [(phase, PHASE_LABELS[phase]) for phase in allowed_phase_moves(Phase(project.phase))],
        "can_start": is_the_start(Phase(project.phase), Phase.NEW_START),
        "plan_form": forms.PlanForm(),
        "project_agency": (assigned := project_agent_authorisation(project)),
        "agent_form": ProjectAgentForm(
            initial={"agent": assigned.agent if assigned else selectors.project_chief_service_person(project)}
        ),
        **forms_,
    }
    return render(request, "projects/detail.html", context, status=status)


def _post(
    request: HttpRequest,
    form: forms.BootstrapForm,
    call: Callable[[], str],
    failed: Callable[[int], HttpResponse],
    then: str,
) -> HttpResponse:
    """Valid form → the service call → its message and a redirect; otherwise the page with the errors."""
    if not form.is_valid():
        return failed(422)

    def failure(_request: HttpRequest, exc: DomainError) -> tuple[dict[str, Any], int]:
        form.add_service_errors(exc)
        return {}, http.refusal_status(exc)

    def page(_request: HttpRequest, _context: dict[str, Any], status: int) -> HttpResponse:
        return failed(status)

    return http.act(request, call, lambda message: (message, then), page, failure=failure)


@require_POST
@login_required
@domain_errors_as_http
def phase_change(request: HttpRequest, project_id: int) -> HttpResponse:
    user = request_user(request)
    project = office_project(user, project_id)
    form = forms.PhaseForm(request.POST)

    def call() -> str:
        data = form.cleaned_data
        registry.project_change_phase(
            actor=user, project=project, to_phase=data["to_phase"], reason=data["reason"], started_on=form.start_day()
        )
        return _("建设阶段已变更")

    def failed(status: int) -> HttpResponse:
        return _detail_with(request, project, status, phase_form=form)

    return _post(request, form, call, failed, f"/projects/{project.pk}/")


@require_POST
@login_required
@domain_errors_as_http
def plan_set(request: HttpRequest, project_id: int) -> HttpResponse:
    user = request_user(request)
    project = office_project(user, project_id)
    form = forms.PlanForm(request.POST)

    def call() -> str:
        data = form.cleaned_data
        registry.project_plans_set(actor=user, project=project, plans={data["year"]: data["amount"]})
        return _("年度计划投资已保存")

    def failed(status: int) -> HttpResponse:
        return _detail_with(request, project, status, plan_form=form)

    return _post(request, form, call, failed, f"/projects/{project.pk}/")


# --- create and edit ---------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def project_create(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    if not selectors.is_project_office(user):
        raise PermissionDenied(_("只有重点项目办可以登记项目"), code="project_office_required")
    form = forms.NewProjectForm(request.POST or None, districts=selectors.office_regions(user))
    if request.method == "GET":
        return render(request, "projects/form.html", {"form": form, "project": None})
    created: list[Project] = []

    def call() -> str:
        created.append(registry.project_create(actor=user, data=form.project_data(), phase=form.cleaned_data["phase"]))
        return _("项目已登记")

    def failed(status: int) -> HttpResponse:
        return render(request, "projects/form.html", {"form": form, "project": None}, status=status)

    response = _post(request, form, call, failed, "/projects/")
    return redirect(f"/projects/{created[0].pk}/") if created else response


def _initial(project: Project) -> dict[str, Any]:
    fields = ("code", "name", "owner_name", "owner_credit_code", "industry", "total_investment", "level")
    more = ("planned_start", "planned_finish", "actual_start", "location", "description")
    initial = {name: getattr(project, name) for name in (*fields, *more)}
    return initial | {"district": project.district_id, "chain_tags": "、".join(project.chain_tags or [])}


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def project_edit(request: HttpRequest, project_id: int) -> HttpResponse:
    user = request_user(request)
    project = office_project(user, project_id)
    form = forms.EditProjectForm(
        request.POST or None,
        initial=_initial(project),
        districts=selectors.office_regions(user),
        started=has_started(Phase(project.phase)),
    )
    context = {"form": form, "project": project}
    if request.method == "GET":
        return render(request, "projects/form.html", context)

    def call() -> str:
        with transaction.atomic():
            changed = registry.project_update(actor=user, project=project, data=form.project_data())
            if "actual_start" in form.fields:
                start = form.cleaned_data["actual_start"]
                changed |= registry.project_actual_start_set(actor=user, project=project, actual_start=start)
        return _("项目信息已保存") if changed else _("项目信息没有变化")

    return _post(
        request,
        form,
        call,
        lambda status: render(request, "projects/form.html", context, status=status),
        f"/projects/{project.pk}/",
    )


# --- the service team ----------------------------------------------------------------------------------

TEAM_FIELDS = {role.value: role for role in TeamRole}


def _team_initial(project: Project) -> dict[str, str]:
    members = selectors.project_team(project)
    initial = {role.value: selectors.user_label(members[role].user) for role in members}
    unit = project.responsible_unit
    return initial | {"responsible_unit": unit.code if unit is not None else ""}


def _team_save(user: User, project: Project, form: forms.TeamForm) -> str:
    data = form.cleaned_data
    members = selectors.team_from_names({role: data[role] for role in TEAM_FIELDS})
    unit = selectors.unit_from_name(data["responsible_unit"])
    with transaction.atomic():
        changed = team.project_team_set(actor=user, project=project, members=members)
        changed |= team.project_responsible_unit_set(actor=user, project=project, unit=unit)
    return _("服务专班已保存") if changed else _("服务专班没有变化")


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def team_edit(request: HttpRequest, project_id: int) -> HttpResponse:
    user = request_user(request)
    project = office_project(user, project_id)
    form = forms.TeamForm(request.POST or None, initial=_team_initial(project))
    context = {"form": form, "project": project, "agent": selectors.project_chief_service_person(project)}
    if request.method == "GET":
        return render(request, "projects/team.html", context)
    return _post(
        request,
        form,
        lambda: _team_save(user, project, form),
        lambda status: render(request, "projects/team.html", context, status=status),
        f"/projects/{project.pk}/",
    )
