"""The roadmap pages (推进路径图): the project's roadmap as a table and a timeline, the office's
editor (target and milestones, reverse-scheduled on save), actual dates, approval cases, publishing,
and the public page of a published roadmap (no person, no case number on it).

Who: anyone signed in who sees the project reads its roadmap once published; the office of the
project's district or above reads the draft and writes (403 for others who see the project).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from onewindow.errors import DomainError, InvalidFields
from onewindow.orgs.models import User
from onewindow.projects import forms, selectors
from onewindow.projects.models import Project
from onewindow.projects.selectors.roadmap import roadmap_public, roadmap_view
from onewindow.projects.services import roadmap as roadmap_services
from onewindow.projects.views.registry import office_project, render
from onewindow.web import http
from onewindow.web.http import domain_errors_as_http, request_user


def _url(project: Project) -> str:
    return f"/projects/{project.pk}/roadmap/"


def _page(request: HttpRequest, project: Project, status: int = 200, **extra: Any) -> HttpResponse:
    user = request_user(request)
    context = {
        "project": project,
        "view": roadmap_view(project),
        "is_office": selectors.is_project_office_for(user, project),
        "actual_form": forms.ActualForm(),
        "link_form": forms.LinkCaseForm(),
        **extra,
    }
    return render(request, "projects/roadmap.html", context, status=status)


@require_GET
@login_required
@domain_errors_as_http
def roadmap(request: HttpRequest, project_id: int) -> HttpResponse:
    project = selectors.project_get_for_user(request_user(request), project_id)
    return _page(request, project)


def _act(request: HttpRequest, project: Project, call: Any, done: str, **failed_forms: Any) -> HttpResponse:
    """One roadmap action (`web.http.act`); a refusal shows beside the posted forms on the roadmap page."""

    def failure(_request: HttpRequest, exc: DomainError) -> tuple[dict[str, Any], int]:
        for form in failed_forms.values():
            form.add_service_errors(exc)
        return {"error": exc.message, **failed_forms}, http.refusal_status(exc)

    def page(request: HttpRequest, extra: dict[str, Any], status: int) -> HttpResponse:
        return _page(request, project, status, **extra)

    return http.act(request, call, http.done_with(done, _url(project)), page, failure=failure)


@require_POST
@login_required
@domain_errors_as_http
def milestone_actual(request: HttpRequest, project_id: int, milestone_id: int) -> HttpResponse:
    user = request_user(request)
    project = office_project(user, project_id)
    form = forms.ActualForm(request.POST)
    if not form.is_valid():
        return _page(request, project, 422, actual_form=form, failed_milestone=milestone_id)
    actual_on = form.cleaned_data["actual_on"]
    return _act(
        request,
        project,
        lambda: roadmap_services.milestone_record_actual(
            actor=user, project=project, milestone_id=milestone_id, actual_on=actual_on
        ),
        _("实际完成日期已登记"),
        actual_form=form,
        failed_milestone=milestone_id,
    )


@require_POST
@login_required
@domain_errors_as_http
def milestone_link_case(request: HttpRequest, project_id: int, milestone_id: int) -> HttpResponse:
    user = request_user(request)
    project = office_project(user, project_id)
    form = forms.LinkCaseForm(request.POST)
    if not form.is_valid():
        return _page(request, project, 422, link_form=form, failed_milestone=milestone_id)
    number = form.cleaned_data["case_number"]
    return _act(
        request,
        project,
        lambda: roadmap_services.milestone_link_case(
            actor=user, project=project, milestone_id=milestone_id, case_number=number
        ),
        _("办件已关联，已纳入绿色通道"),
        link_form=form,
        failed_milestone=milestone_id,
    )


@require_POST
@login_required
@domain_errors_as_http
def milestone_unlink_case(request: HttpRequest, project_id: int, milestone_id: int, case_id: int) -> HttpResponse:
    user = request_user(request)
    project = office_project(user, project_id)
    return _act(
        request,
        project,
        lambda: roadmap_services.milestone_unlink_case(
            actor=user, project=project, milestone_id=milestone_id, case_id=case_id
        ),
        _("已取消关联"),
    )


@require_POST
@login_required
@domain_errors_as_http
def roadmap_publish(request: HttpRequest, project_id: int) -> HttpResponse:
    user = request_user(request)
    project = office_project(user, project_id)
    publish = request.POST.get("publish") != "0"
    return _act(
        request,
        project,
        lambda: roadmap_services.roadmap_publish(actor=user, project=project, publish=publish),
        _("推进路径图已发布") if publish else _("推进路径图已撤回"),
    )


# --- the editor -----------------------------------------------------------------------------------------


def _editor_initial(project: Project) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    existing = getattr(project, "roadmap", None)
    target = {"target_on": existing.target_on} if existing is not None else {}
    rows = [
        {
            "id": m.pk,
            "kind": m.kind,
            "name": m.name,
            "duration_days": m.duration_days,
            "counts_working_days": m.counts_working_days,
            "planned_on": m.planned_on,
        }
        for m in project.milestones.order_by("position")
    ]
    return target, rows


def _milestones(formset: Any) -> list[roadmap_services.MilestoneInput]:
    """The rows kept, in the order given (blank extra rows and rows ticked for deletion left out)."""
    return [form.milestone_input() for form in formset.ordered_forms]


def _save(user: User, project: Project, target: forms.RoadmapTargetForm, formset: Any) -> None:
    roadmap_services.roadmap_set(
        actor=user, project=project, target_on=target.cleaned_data["target_on"], milestones=_milestones(formset)
    )


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def roadmap_edit(request: HttpRequest, project_id: int) -> HttpResponse:
    user = request_user(request)
    project = office_project(user, project_id)
    target_initial, rows = _editor_initial(project)
    target = forms.RoadmapTargetForm(request.POST or None, initial=target_initial)
    formset = forms.MilestoneFormSet(request.POST or None, initial=rows, prefix="m")
    context = {"project": project, "target_form": target, "formset": formset}
    if request.method == "POST" and target.is_valid() and formset.is_valid():
        try:
            _save(user, project, target, formset)
        except InvalidFields as exc:
            context["error"] = exc.message
            context["field_errors"] = list(exc.errors.values())
            return render(request, "projects/roadmap_edit.html", context, status=422)
        messages.success(request, _("推进路径图已保存，各节点最迟完成日期已倒排计算"))
        return redirect(_url(project))
    status = 422 if request.method == "POST" else 200
    return render(request, "projects/roadmap_edit.html", context, status=status)


# --- the public page ---------------------------------------------------------------------------------------


@require_GET
@domain_errors_as_http
def roadmap_public_page(request: HttpRequest, code: str) -> HttpResponse:
    view = roadmap_public(code)
    return TemplateResponse(request, "projects/roadmap_public.html", {"project": view.project, "view": view})
