"""The fee report pages and their Excel exports (one sheet per table, the same numbers as the page):
`/fees/reconciliation/` (staff: collecting departments, the finance bureau, leaders, supervisors, the system
admin), `/fees/savings/` (public totals, no enterprise names), `/fees/savings/list/` (the finance office's list
with enterprise names: the finance bureau, leaders, the system admin)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from onewindow import clock, xlsx
from onewindow.errors import InvalidFields
from onewindow.fees.reports import selectors
from onewindow.fees.reports.selectors import Period
from onewindow.fees.reports.tables import Report, reconciliation_for, savings_list, savings_public
from onewindow.web.http import domain_errors_as_http, int_or_none, render_page, request_user

PeriodOf = Callable[[str, str, Any], Period]


def _period(request: HttpRequest, period_of: PeriodOf) -> tuple[Period, dict[str, str]]:
    """The period asked for; on a wrong value the default period and the errors to show beside the fields."""
    today = clock.today()
    try:
        return period_of(request.GET.get("from", ""), request.GET.get("to", ""), today), {}
    except InvalidFields as exc:
        return period_of("", "", today), exc.errors


def _department_id(request: HttpRequest) -> int | None:
    return int_or_none(request.GET.get("department"))


def _context(report: Report, errors: dict[str, str], request: HttpRequest) -> dict[str, Any]:
    return {
        "report": report,
        "charts": {table.key: table.rows for table in report.tables},
        "errors": errors,
        "values": request.GET if errors else {},
    }


# --- reconciliation ---------------------------------------------------------------------------------------


def _reconciliation(request: HttpRequest) -> tuple[Report, dict[str, str]]:
    user = request_user(request)
    selectors.reconciliation_scope(user)  # 403 before anything else
    period, errors = _period(request, selectors.day_period_of)
    return reconciliation_for(user, department_id=_department_id(request), period=period), errors


@login_required
@domain_errors_as_http
@require_GET
def reconciliation(request: HttpRequest) -> HttpResponse:
    report, errors = _reconciliation(request)
    context = _context(report, errors, request) | {"department_id": _department_id(request)}
    return render_page(request, "fees/reports/reconciliation.html", context)


@login_required
@domain_errors_as_http
@require_GET
def reconciliation_export(request: HttpRequest) -> FileResponse:
    report, _errors = _reconciliation(request)
    scope = report.department.name if report.department else _("全部执收部门")
    name = f"fee-reconciliation-{report.period.first:%Y%m%d}-{report.period.last:%Y%m%d}.xlsx"
    return FileResponse(xlsx.to_file(workbook_of(report, scope)), as_attachment=True, filename=name)


# --- savings ----------------------------------------------------------------------------------------------


@require_GET
def savings(request: HttpRequest) -> HttpResponse:
    period, errors = _period(request, selectors.month_period_of)
    report = savings_public(period=period, today=clock.today())
    context = _context(report, errors, request) | {"chart_labels": chart_labels(), "chart_titles": chart_titles()}
    return render_page(request, "fees/reports/savings.html", context)


@require_GET
def savings_export(request: HttpRequest) -> FileResponse:
    period, _errors = _period(request, selectors.month_period_of)
    report = savings_public(period=period, today=clock.today())
    name = f"fee-savings-{report.period.first:%Y%m}-{report.period.last:%Y%m}.xlsx"
    return FileResponse(xlsx.to_file(workbook_of(report, _("全部"))), as_attachment=True, filename=name)


def _savings_list(request: HttpRequest) -> tuple[Report, dict[str, str]]:
    user = request_user(request)
    selectors.savings_list_scope(user)
    period, errors = _period(request, selectors.month_period_of)
    return savings_list(user, period=period), errors


@login_required
@domain_errors_as_http
@require_GET
def savings_list_page(request: HttpRequest) -> HttpResponse:
    report, errors = _savings_list(request)
    return render_page(request, "fees/reports/savings_list.html", _context(report, errors, request))


@login_required
@domain_errors_as_http
@require_GET
def savings_list_export(request: HttpRequest) -> FileResponse:
    report, _errors = _savings_list(request)
    name = f"fee-savings-list-{report.period.first:%Y%m}-{report.period.last:%Y%m}.xlsx"
    return FileResponse(xlsx.to_file(workbook_of(report, _("本辖区"))), as_attachment=True, filename=name)


def chart_titles() -> list[tuple[str, str]]:
    return [
        ("chart-policy", _("减免成效（按政策，元）")),
        ("chart-month", _("减免成效（按月份，元）")),
        ("chart-district", _("减免成效（按区县，元）")),
        ("chart-industry", _("减免成效（按行业，元）")),
    ]


def chart_labels() -> dict[str, str]:
    return {
        "relieved_amount": _("企业少缴金额"),
        "subsidised_amount": _("其中：财政补贴"),
        "yuan": _("元"),
    }


def workbook_of(report: Report, scope: str) -> xlsx.Workbook:
    workbook = xlsx.Workbook()
    workbook.remove(workbook.active)
    span = _("%(first)s 至 %(last)s") % {"first": report.period.first, "last": report.period.last}
    for table in report.tables:
        sheet = workbook.create_sheet(table.title[:31])
        xlsx.append_row(sheet, [f"{table.title}　{scope}（{span}）"], bold=True)
        xlsx.append_row(sheet, [label for _key, label in table.columns], bold=True)
        money = {n: "#,##0.00" for n, (key, _label) in enumerate(table.columns, start=1) if key.endswith("_amount")}
        for row in table.cells:
            xlsx.append_row(sheet, row, number_formats=money)
    return workbook
