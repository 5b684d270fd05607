"""Problems (问题交办): the board per unit, a problem's page with its steps and actions, raising one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from onewindow.dispatch.domain import (
    PROBLEM_ACTION_LABELS,
    PROBLEM_CATEGORY_LABELS,
    PROBLEM_LEVEL_LABELS,
    PROBLEM_STATUS_LABELS,
    ProblemLevel,
    ProblemStatus,
    initial_levels,
    is_overdue,
    next_level,
)
from onewindow.dispatch.models import Problem
from onewindow.dispatch.selectors import problems as selectors
from onewindow.dispatch.selectors.access import city_of, is_city_office_for, is_project_side, is_unit_staff_for
from onewindow.dispatch.services import problems as services
from onewindow.dispatch.views.common import PAGE_SIZE, date_param, empty_form, refused, render_page
from onewindow.errors import InvalidFields, NotFound, PermissionDenied
from onewindow.orgs.models import Organisation, User
from onewindow.projects.domain import Level
from onewindow.projects.models import Project
from onewindow.projects.selectors import project_get_for_user, projects_visible_to
from onewindow.web import http
from onewindow.web.http import domain_errors_as_http, request_user

FILTERS = ("status", "level", "category", "unit", "project", "overdue")


@require_GET
@login_required
@domain_errors_as_http
def board(request: HttpRequest) -> HttpResponse:
    """The problem board: counts per unit and the list, filtered; what the user may see only."""
    user = request_user(request)
    today = timezone.localdate()
    chosen = {key: request.GET.get(key, "").strip()[:20] for key in FILTERS}
    filters = selectors.problem_filters(**chosen)
    rows = selectors.problem_list(user, filters, today=today)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode({key: value for key, value in chosen.items() if value and key not in filters.errors})
    project = projects_visible_to(user).filter(pk=filters.project).first() if filters.project else None
    context = {
        "raise_project": project if project is not None and is_project_side(user, project) else None,
        "counts": selectors.board_counts(
            selectors.problem_list(user, selectors.ProblemFilters(), today=today), today=today
        ),
        "page": page,
        "overdue_ids": {p.pk for p in page if is_overdue(ProblemStatus(p.status), p.due_on, today)},
        "chosen": chosen,
        "errors": filters.errors,
        "query": query,
        "units": selectors.problem_unit_choices(user),
        "statuses": PROBLEM_STATUS_LABELS,
        "levels": PROBLEM_LEVEL_LABELS,
        "categories": PROBLEM_CATEGORY_LABELS,
    }
    return render_page(request, "dispatch/problems/board.html", context)


def escalation_units(project: Project) -> QuerySet[Organisation]:
    """Units the city's office may choose when escalating: the city's departments and regions."""
    city = city_of(project.district)
    return Organisation.objects.filter(path__startswith=city.path).select_related("parent").order_by("path")


def raise_units(project: Project) -> QuerySet[Organisation]:
    """Units a new problem may go to: the district's own, and the city's departments."""
    city = city_of(project.district)
    condition = Q(path__startswith=project.district.path) | Q(parent=city, kind=Organisation.Kind.DEPARTMENT)
    return Organisation.objects.filter(condition).select_related("parent").order_by("path")


def _problem_page(
    request: HttpRequest, problem: Problem, forms: dict[str, dict[str, Any]] | None = None, status: int = 200
) -> HttpResponse:
    user = request_user(request)
    today = timezone.localdate()
    state = ProblemStatus(problem.status)
    can_escalate = state == ProblemStatus.OPEN and next_level(ProblemLevel(problem.level)) is not None
    context = {
        "problem": problem,
        "project": problem.project,
        "steps": selectors.problem_steps(problem),
        "overdue": is_overdue(state, problem.due_on, today),
        "action_labels": PROBLEM_ACTION_LABELS,
        "can_answer": state == ProblemStatus.OPEN and is_unit_staff_for(user, problem.assigned_unit),
        "can_confirm": state == ProblemStatus.ANSWERED and is_project_side(user, problem.project),
        "can_escalate": can_escalate and is_city_office_for(user, problem.project),
        "forms": forms or {},
    }
    if context["can_escalate"]:
        context["units"] = escalation_units(problem.project)
    return render_page(request, "dispatch/problems/detail.html", context, status)


@require_GET
@login_required
@domain_errors_as_http
def problem_detail(request: HttpRequest, problem_id: int) -> HttpResponse:
    return _problem_page(request, selectors.problem_get_for_user(request_user(request), problem_id))


def _unit(value: str) -> Organisation | None:
    return Organisation.objects.filter(pk=int(value)).first() if value.strip().isdigit() and len(value) < 19 else None


Action = Callable[[User, Problem, QueryDict], Problem]

ACTIONS: dict[str, tuple[Action, Any]] = {
    "answer": (
        lambda u, p, f: services.problem_answer(actor=u, problem=p, answer=f.get("note", "")),
        gettext_lazy("已答复"),
    ),
    "confirm": (
        lambda u, p, f: services.problem_confirm(actor=u, problem=p, note=f.get("note", "")),
        gettext_lazy("已确认办结"),
    ),
    "return": (
        lambda u, p, f: services.problem_return(actor=u, problem=p, note=f.get("note", "")),
        gettext_lazy("已退回重办"),
    ),
    "escalate": (
        lambda u, p, f: services.problem_escalate(
            actor=u,
            problem=p,
            unit=_unit(f.get("unit", "")),
            due_on=date_param(f.get("due_on", ""), "due_on"),
            note=f.get("note", ""),
        ),
        gettext_lazy("已提级调度"),
    ),
}


@require_POST
@login_required
@domain_errors_as_http
def problem_action(request: HttpRequest, problem_id: int, action: str) -> HttpResponse:
    user = request_user(request)
    problem = selectors.problem_get_for_user(user, problem_id)
    if action not in ACTIONS:
        raise NotFound("没有这项操作", code="problem_action_not_found")
    step, done = ACTIONS[action]

    def page(request: HttpRequest, form: dict[str, Any], status: int) -> HttpResponse:
        return _problem_page(request, problem, {action: form}, status)

    then = reverse("dispatch:problem", args=[problem.pk])
    call = lambda: step(user, problem, request.POST)  # noqa: E731
    return http.act(request, call, http.done_with(done, then), page, failure=refused(request.POST))


def _new_page(request: HttpRequest, project: Project, form: dict[str, Any], status: int = 200) -> HttpResponse:
    context = {
        "project": project,
        "form": form,
        "units": raise_units(project),
        "categories": PROBLEM_CATEGORY_LABELS,
        "levels": {level: PROBLEM_LEVEL_LABELS[level] for level in initial_levels(Level(project.level))},
        "cases": project.milestones.values_list("cases__pk", "cases__number", "cases__title").exclude(cases=None),
    }
    return render_page(request, "dispatch/problems/new.html", context, status)


NEW_VALUES = ("category", "title", "description", "unit", "level", "due_on", "case_id")


def _new_problem(values: dict[str, str]) -> services.NewProblem:
    case = values["case_id"].strip()
    if case and not case.isdigit():
        raise InvalidFields("关联办件有误", errors={"case_id": "关联办件有误"}, code="problem_invalid")
    return services.NewProblem(
        category=values["category"],
        title=values["title"],
        description=values["description"],
        unit=_unit(values["unit"]),
        level=values["level"] or ProblemLevel.DISTRICT,
        due_on=date_param(values["due_on"], "due_on"),
        case_id=int(case) if case else None,
    )


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def problem_new(request: HttpRequest, project_id: int) -> HttpResponse:
    """Raise a problem on a project: the project side (service team, office) only."""
    user = request_user(request)
    project = project_get_for_user(user, project_id)
    if not is_project_side(user, project):
        raise PermissionDenied("只有项目服务专班或重点项目办可以提出问题", code="problem_not_project_side")
    if request.method == "GET":
        return _new_page(request, project, empty_form({"level": ProblemLevel.DISTRICT}))
    values = {name: request.POST.get(name, "") for name in NEW_VALUES}
    call = lambda: services.problem_raise(actor=user, project=project, new=_new_problem(values))  # noqa: E731

    def done(problem: Problem) -> tuple[str, str]:
        return _("问题已交办"), reverse("dispatch:problem", args=[problem.pk])

    def page(request: HttpRequest, form: dict[str, Any], status: int) -> HttpResponse:
        return _new_page(request, project, form, status)

    return http.act(request, call, done, page, failure=refused(values))
