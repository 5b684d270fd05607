"""Pages for what follows an approval on commitment: the applicant reports a rectification done, and
credit records (信用记录). The staff side (the checks, 加签) lives on the task page (views/review.py).

Thin: parse, call one service or selector, render. Another applicant's case is a 404 like a missing one.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from onewindow.cases import selectors
from onewindow.cases.models import Case
from onewindow.cases.services import commitment
from onewindow.cases.views.common import paginate, render
from onewindow.errors import DomainError, InvalidFields, NotFound, PermissionDenied
from onewindow.web.http import domain_errors_as_http, request_user


def _rectification_page(
    request: HttpRequest, case: Case, failed: tuple[int, str, dict[str, str]] | None = None
) -> HttpResponse:
    task_id, message, errors = failed or (0, "", {})
    context = {
        "case": case,
        "rectifications": [r for r in selectors.commitment.case_commitment(case).rectifications if not r.reported_at],
        "failed_task_id": task_id,
        "message": message,
        "errors": errors,
        "note": request.POST.get("note", "") if failed else "",
    }
    return render(request, "cases/portal/rectification.html", context, status=422 if failed else 200)


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def rectification(request: HttpRequest, case_id: int) -> HttpResponse:
    """报告整改完成: the applicant says what was rectified (with files if they like); the department re-checks."""
    user = request_user(request)
    case = selectors.case_get_for_applicant_user(user=user, case_id=case_id)
    if request.method != "POST":
        return _rectification_page(request, case)
    rows = selectors.commitment.case_commitment(case).rectifications
    row = next((r for r in rows if str(r.task.pk) == request.POST.get("task")), None)
    if row is None:
        return _rectification_page(request, case, (0, _("该整改要求已处理或不存在，请刷新后查看"), {}))
    try:
        commitment.task_report_rectification(
            actor=user, task=row.task, note=request.POST.get("note", ""), files=request.FILES.getlist("files")
        )
    except (NotFound, PermissionDenied):
        raise
    except DomainError as exc:
        errors = dict(exc.errors) if isinstance(exc, InvalidFields) else {}
        return _rectification_page(request, case, (row.task.pk, exc.message, errors))
    messages.success(request, _("已报告整改完成，等待部门复查。"))
    return redirect("cases:detail", case_id=case.pk)


@require_GET
@login_required
def credit_records(request: HttpRequest) -> HttpResponse:
    """信用记录: the applicant's own; for staff, those of cases in their regions."""
    user = request_user(request)
    page = paginate(request, selectors.commitment.credit_records_for_user(user))
    return render(request, "cases/credit_records.html", {"page": page, "is_staff": selectors.is_staff(user)})


urlpatterns: list[URLPattern] = [
    path("<int:case_id>/rectification/", rectification, name="portal_rectification"),
    path("credit-records/", credit_records, name="credit_records"),
]
