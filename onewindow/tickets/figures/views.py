"""The figures page (统计看板, `/tickets/figures/`: ECharts charts over the same tables shown below them,
the accessible version) and its Excel export (one sheet per table). Staff of the halls' subtree."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from onewindow import xlsx
from onewindow.errors import InvalidFields
from onewindow.tickets.figures import selectors
from onewindow.tickets.figures.tables import Figures, figures_for
from onewindow.web.http import domain_errors_as_http, int_or_none, render_page, request_user
from onewindow.workdays.selectors import work_calendar_for


def _hall_id(request: HttpRequest) -> int | None:
    return int_or_none(request.GET.get("hall"))


def _figures(request: HttpRequest, period: selectors.Period) -> Figures:
    return figures_for(
        request_user(request),
        hall_id=_hall_id(request),
        period=period,
        now=timezone.now(),
        calendar=work_calendar_for(request),
    )


def _period(request: HttpRequest) -> tuple[selectors.Period, dict[str, str]]:
    """The period asked for; on a wrong date the default period and the errors to show beside the fields."""
    today = timezone.localdate()
    try:
        return selectors.period_of(request.GET.get("from", ""), request.GET.get("to", ""), today), {}
    except InvalidFields as exc:
        return selectors.period_of("", "", today), exc.errors


def chart_titles() -> list[tuple[str, str]]:
    return [
        ("chart-times-hour", _("等候与办理时间（按时段，分钟）")),
        ("chart-times-weekday", _("等候与办理时间（按星期，分钟）")),
        ("chart-times-window", _("等候与办理时间（按窗口，分钟）")),
        ("chart-utilisation", _("窗口利用率（%）")),
        ("chart-abandoned", _("弃号（按大厅）")),
        ("chart-bookings", _("预约到场、取消与失约（按大厅）")),
        ("chart-channels", _("预约（按渠道）")),
        ("chart-weekend", _("周末办件量（按窗口）")),
    ]


def chart_labels() -> dict[str, str]:
    return {
        "minutes": _("分钟"),
        "waiting_p50": _("等候 P50"),
        "waiting_p90": _("等候 P90"),
        "service_p50": _("办理 P50"),
        "service_p90": _("办理 P90"),
        "utilisation": _("利用率"),
        "left_in_queue": _("未叫到即离开"),
        "skipped_never_recalled": _("过号未重呼"),
        "kept": _("已到场"),
        "cancelled": _("已取消"),
        "no_show": _("失约"),
        "pending": _("待到场"),
        "saturday": _("周六"),
        "sunday": _("周日"),
    }


def charts_data(figures: Figures) -> dict[str, Any]:
    """What the charts draw: each table's rows by key (json_script)."""
    return {table.key: table.rows for table in figures.tables}


@login_required
@domain_errors_as_http
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    scope = selectors.figure_halls(request_user(request))  # 403 before anything else for non-staff
    period, errors = _period(request)
    figures = _figures(request, period)
    today = timezone.localdate()
    context = {
        "figures": figures,
        "charts": charts_data(figures),
        "chart_titles": chart_titles(),
        "chart_labels": chart_labels(),
        "scope_halls": scope,
        "errors": errors,
        "values": request.GET if errors else {},
        "hall_id": _hall_id(request),
        "today": today,
        "is_today": period.first == period.last == today,
    }
    return render_page(request, "tickets/figures/dashboard.html", context)


@login_required
@domain_errors_as_http
@require_GET
def export(request: HttpRequest) -> FileResponse:
    selectors.figure_halls(request_user(request))
    period, _errors = _period(request)
    figures = _figures(request, period)
    return FileResponse(xlsx.to_file(workbook_of(figures)), as_attachment=True, filename=_filename(figures.period))


def workbook_of(figures: Figures) -> xlsx.Workbook:
    workbook = xlsx.Workbook()
    workbook.remove(workbook.active)
    scope = figures.hall.name if figures.hall else _("全部大厅")
    span = _("%(first)s 至 %(last)s") % {"first": figures.period.first, "last": figures.period.last}
    for table in figures.tables:
        sheet = workbook.create_sheet(table.title[:31])
        xlsx.append_row(sheet, [f"{table.title}　{scope}（{span}）"], bold=True)
        xlsx.append_row(sheet, [label for _key, label in table.columns], bold=True)
        for row in table.cells:
            xlsx.append_row(sheet, row)
    return workbook


def _filename(period: selectors.Period) -> str:
    return f"hall-figures-{period.first:%Y%m%d}-{period.last:%Y%m%d}.xlsx"
