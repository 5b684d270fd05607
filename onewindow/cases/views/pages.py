"""The read-only case pages: the applicant's 我的办件 and status page, the written intake notice,
the clerk's intake queue, the reviewer's 待办 / 已办 and the supervision board.

Views are thin: they call one selector, paginate, and render. A case the user may not see is a
404 like a missing one; a console page the user's roles do not open is a 403.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET

from onewindow.agency.selectors import case_agency
from onewindow.cases import selectors
from onewindow.cases.domain import CaseStatus
from onewindow.cases.presentation import case_rows, task_rows, timeline_rows
from onewindow.cases.views.common import PAGE_SIZE, paginate, render
from onewindow.errors import InvalidFields, NotFound
from onewindow.orgs.models import Organisation, User
from onewindow.orgs.selectors import display_id_number, display_phone
from onewindow.web.http import domain_errors_as_http, request_user


@require_GET
@login_required
def my_cases(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors.cases_for_applicant_user(request_user(request)))
    return render(request, "cases/my_cases.html", {"page": page, "rows": case_rows(page)})


@require_GET
@login_required
@domain_errors_as_http
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    user = request_user(request)
    case = selectors.case_get_for_user(user=user, case_id=case_id)
    matters, tasks = selectors.case_detail_parts(case)
    context = {
        "case": case,
        "progress": case_rows([case])[0].progress,
        "matters": matters,
        "task_rows": task_rows(tasks, viewer=user),
        "materials": (materials := list(case.materials.order_by("id"))),
        "timeline": timeline_rows(selectors.case_timeline(user=user, case=case)),
        "applicant_id_number": display_id_number(user, case.applicant.id_number),
        "applicant_phone": display_phone(user, case.applicant.phone),
        "agency": case_agency(case),
        "commitment": selectors.commitment.case_commitment(case),
    }
    context["owed"] = selectors.deferral.owed_rows(case, materials)
    if selectors.is_staff(user):
        context["awaiting_supplement"] = case.status == CaseStatus.IN_REVIEW and bool(
            selectors.case_open_supplement_requests(case)
        )
        return render(request, "cases/case_staff.html", context)
    return render(request, "cases/case_status.html", context)


@require_GET
@login_required
@domain_errors_as_http
def intake_notice(request: HttpRequest, case_id: int) -> HttpResponse:
    """The written intake decision, to print and hand over (受理通知书, 一次性告知书, 不予受理通知书)."""
    case = selectors.case_get_for_user(user=request_user(request), case_id=case_id)
    notice = selectors.intake_notice(case)
    context = {"case": case, "notice": notice, "matters": selectors.case_matters(case)}
    return render(request, "cases/intake_notice.html", context)


@require_GET
@login_required
@domain_errors_as_http
def intake_queue(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors.intake_queue(user=request_user(request)))
    return render(request, "cases/intake_queue.html", {"page": page, "rows": case_rows(page)})


@require_GET
@login_required
@domain_errors_as_http
def received(request: HttpRequest) -> HttpResponse:
    """已收件: what the clerk's region received, followed to its end wherever it is decided."""
    page = paginate(request, selectors.cases_received(user=request_user(request)))
    return render(request, "cases/received.html", {"page": page, "rows": case_rows(page)})


@require_GET
@login_required
@domain_errors_as_http
def my_tasks(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    tab = "done" if request.GET.get("tab") == "done" else "todo"
    tasks = selectors.tasks_done(user=user) if tab == "done" else selectors.tasks_todo(user=user)
    page = paginate(request, tasks)
    context = {"tab": tab, "page": page, "rows": task_rows(page, viewer=user), "query": f"tab={tab}"}
    return render(request, "cases/my_tasks.html", context)


def _board(
    user: User, chosen: dict[str, str]
) -> tuple[selectors.SupervisionBoard, dict[str, str], Organisation | None]:
    """The board for the chosen filters, and the region it was narrowed to; a wrong filter is reported
    beside its field and dropped."""
    errors: dict[str, str] = {}
    try:
        filters = selectors.board_filters(**{key: value or None for key, value in chosen.items()})
    except InvalidFields as exc:
        errors, filters = exc.errors, selectors.BoardFilters()
    try:
        board = selectors.supervision_board(
            user=user, organisation=filters.organisation, department=filters.department, matter=filters.matter
        )
    except NotFound as exc:
        errors["organisation"] = exc.message
        board = selectors.supervision_board(user=user, department=filters.department, matter=filters.matter)
        return board, errors, None
    return board, errors, filters.organisation


# What htmx swaps on the board page (its target), and the template that renders only that part.
BOARD_FRAGMENTS = {"ow-board": "cases/_board.html", "ow-supervision": "cases/_supervision.html"}


@require_GET
@login_required
@domain_errors_as_http
def supervision(request: HttpRequest) -> HttpResponse:
    """The board; htmx's one-minute reload of the board and its filtering get only their part, which
    spares the filter choices (a reload) and the on-time rates (both), read for the whole page."""
    user = request_user(request)
    fragment = BOARD_FRAGMENTS.get(request.htmx.target or "") if request.htmx else None  # type: ignore[attr-defined]
    chosen = {key: request.GET.get(key, "").strip()[:40] for key in ("organisation", "department", "matter")}
    board, errors, organisation = _board(user, chosen)
    context: dict[str, Any] = {
        "chosen": chosen,
        "errors": errors,
        "board": board,
        "case_rows": case_rows(board.cases[:PAGE_SIZE]),
        "task_page": (task_page := paginate(request, board.tasks)),
        "task_rows": task_rows(task_page, viewer=user),
        "query": urlencode({key: value for key, value in chosen.items() if value and key not in errors}),
    }
    if fragment != BOARD_FRAGMENTS["ow-board"]:
        context["organisations"], context["departments"], context["matters"] = selectors.board_choices(user)
        context["levels"] = selectors.supervision_by_region(user=user, organisation=organisation)
    if fragment is None:
        context["rates"] = selectors.department_on_time_rate(user=user)
        context["materials_reused"] = selectors.materials_reused_count(user=user)
    return render(request, fragment or "cases/supervision.html", context)


urlpatterns: list[URLPattern] = [
    path("mine/", my_cases, name="mine"),
    path("intake/", intake_queue, name="intake_queue"),
    path("received/", received, name="received"),
    path("tasks/", my_tasks, name="tasks"),
    path("supervision/", supervision, name="supervision"),
    path("<int:case_id>/", case_detail, name="detail"),
    path("<int:case_id>/notice/", intake_notice, name="intake_notice"),
]
