"""Pages of the monthly leader reports: the month's list for the office (generate, preview the SMS,
download, send, delivery status), a leader's own reports, one report's preview and deliveries."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from onewindow.briefings.domain.amounts import parse_period, percent_text, period_text, previous_month, share
from onewindow.briefings.domain.printable import chart_from_json
from onewindow.briefings.models import LeaderReport
from onewindow.briefings.render.chart import MAX_BARS, chart_svg
from onewindow.briefings.selectors import reports as selectors
from onewindow.briefings.selectors.access import is_office
from onewindow.briefings.services.reports import check_period, report_files_ensure
from onewindow.briefings.services.reports import require_office as require_office_of_reports
from onewindow.briefings.services.sending import report_filename
from onewindow.briefings.tasks import GENERATE_JOB, SEND_JOB, report_send_job, reports_generate_job
from onewindow.briefings.views.common import render_page, require_office
from onewindow.errors import DomainError, InvalidFields, PermissionDenied
from onewindow.jobs.selectors import job_in_query
from onewindow.jobs.services import job_start
from onewindow.notify.models import Delivery
from onewindow.web.http import domain_errors_as_http, form_failure, request_user

PAGE_SIZE = 50


def _chosen_period(request: HttpRequest, periods: list[dt.date]) -> tuple[dt.date, str]:
    raw = request.GET.get("period", "").strip()[:10]
    default = periods[0] if periods else previous_month(timezone.localdate())
    if not raw:
        return default, ""
    period = parse_period(raw)
    if period is None:
        return default, _("月份格式应为 YYYY-MM")
    return period, ""


def _list_page(request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    user = request_user(request)
    if not selectors.may_open_reports(user):
        raise PermissionDenied(_("领导月报仅对重点项目办和领导开放"), code="briefings_reports_forbidden")
    periods = selectors.report_periods(user)
    period, period_error = _chosen_period(request, periods)
    page = Paginator(selectors.report_list(user, period), PAGE_SIZE).get_page(request.GET.get("page"))
    reports: list[LeaderReport] = list(page)
    states = selectors.delivery_states(reports)
    rows = [
        {"report": r, "share": percent_text(share(r.invested_ytd, r.annual_plan)), "states": states[r.pk]}
        for r in reports
    ]
    context = {
        "period": period,
        "period_value": f"{period:%Y-%m}",
        "period_label": period_text(period),
        "period_error": period_error,
        "periods": [(f"{p:%Y-%m}", period_text(p)) for p in periods],
        "page": page,
        "rows": rows,
        "query": urlencode({"period": f"{period:%Y-%m}"}),
        "can_generate": is_office(user),
        "job": job_in_query(request),
        **context,
    }
    return render_page(request, "briefings/reports.html", context, status)


@require_GET
@login_required
@domain_errors_as_http
def report_list(request: HttpRequest) -> HttpResponse:
    return _list_page(request, {})


@require_POST
@login_required
@domain_errors_as_http
def report_generate(request: HttpRequest) -> HttpResponse:
    """A job (a city's reports take seconds; the files are drawn when first needed): the month's list
    page shows its progress, then what was generated."""
    require_office(request)
    user = request_user(request)
    raw = request.POST.get("period", "").strip()[:10]
    period = parse_period(raw)
    try:
        if period is None:
            message = _("月份格式应为 YYYY-MM")
            raise InvalidFields(message, errors={"period": message}, code="briefings_period_invalid")
        period = check_period(period, timezone.localdate())
    except DomainError as exc:
        return _list_page(request, *form_failure(request, exc))
    job = job_start(kind=GENERATE_JOB, actor=user, task=reports_generate_job, period=period.isoformat())
    return redirect(f"{reverse('briefings:reports')}?{urlencode({'period': f'{period:%Y-%m}', 'job': job.pk})}")


def _detail_page(request: HttpRequest, report_id: int, context: dict[str, Any], status: int = 200) -> HttpResponse:
    user = request_user(request)
    report = selectors.report_get_for_user(user, report_id)
    chart = chart_from_json(report.content)
    body = {
        "report": report,
        "bulletin": report.content,
        # Every label in the SVG is escaped where it is drawn (render.chart).
        "chart_svg": mark_safe(chart_svg(chart)) if chart else "",  # noqa: S308
        "chart_max": MAX_BARS,
        "period_label": period_text(report.period),
        "share": percent_text(share(report.invested_ytd, report.annual_plan)),
        "deliveries": selectors.report_deliveries(report),
        "can_send": is_office(user),
        "sent_status": Delivery.Status.SENT,
        "job": job_in_query(request),
        **context,
    }
    return render_page(request, "briefings/report_detail.html", body, status)


@require_GET
@login_required
@domain_errors_as_http
def report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    return _detail_page(request, report_id, {})


@require_POST
@login_required
@domain_errors_as_http
def report_send_view(request: HttpRequest, report_id: int) -> HttpResponse:
    """A job (the files are drawn first when they are not yet): the report's page shows its outcome."""
    user = request_user(request)
    report = selectors.report_get_for_user(user, report_id)
    require_office_of_reports(user)
    job = job_start(kind=SEND_JOB, actor=user, task=report_send_job, report_id=report.pk)
    return redirect(f"{reverse('briefings:report', args=[report.pk])}?job={job.pk}")


@require_GET
@login_required
@domain_errors_as_http
def report_file(request: HttpRequest, report_id: int, kind: str) -> FileResponse:
    """The Word or PDF file, for whoever may see the report (never a public media URL)."""
    report = report_files_ensure(selectors.report_get_for_user(request_user(request), report_id))
    field = report.docx if kind == "docx" else report.pdf
    return FileResponse(field.open("rb"), as_attachment=True, filename=report_filename(report, kind))
