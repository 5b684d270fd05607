"""`/analytics/report/?month=YYYY-MM` (the headline, the tables and the download links),
`/analytics/report/<YYYY-MM>.docx` and `.pdf`: the monthly analysis report of the reader's scope. Leaders,
supervisors and system admins; anyone else 403; a month that does not exist 404 on the downloads."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from onewindow import clock
from onewindow.analytics.figures.selectors import analysis_scope
from onewindow.analytics.report import selectors
from onewindow.analytics.report.domain import month_bounds
from onewindow.analytics.report.render import report_context, report_docx, report_pdf
from onewindow.analytics.report.tables import Report, report_for
from onewindow.errors import InvalidFields
from onewindow.web.http import domain_errors_as_http, render_page, request_user

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@login_required
@domain_errors_as_http
@require_GET
def page(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    analysis_scope(user)  # 403 before anything else
    today = clock.today()
    errors: dict[str, str] = {}
    try:
        first, last = selectors.month_of(request.GET.get("month", ""), today)
    except InvalidFields as exc:
        errors = exc.errors
        first, last = selectors.month_of("", today)
    report = report_for(user, first, last)
    context = report_context(report, selectors.sender_of(user), linked=True) | {
        "month": f"{first:%Y-%m}",
        "errors": errors,
    }
    return render_page(request, "analytics/report.html", context)


def _report(request: HttpRequest, month: str) -> tuple[Report, str]:
    user = request_user(request)
    analysis_scope(user)
    bounds = month_bounds(month)
    if bounds is None:
        raise Http404
    return report_for(user, *bounds), selectors.sender_of(user)


@login_required
@domain_errors_as_http
@require_GET
def docx(request: HttpRequest, month: str) -> HttpResponse:
    report, sender = _report(request, month)
    response = HttpResponse(report_docx(report, sender), content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="analytics-report-{month}.docx"'
    return response


@login_required
@domain_errors_as_http
@require_GET
def pdf(request: HttpRequest, month: str) -> HttpResponse:
    report, sender = _report(request, month)
    response = HttpResponse(report_pdf(report, sender), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="analytics-report-{month}.pdf"'
    return response
