"""`/analytics/forecast/`: the next eight weeks' volume (cases submitted) for the caller's scope, a region or a
department, beside the naive seasonal baseline and the backtest that says which wins; a chart of the history
and the forecast with its interval (`static/analytics/forecast.js`, from a JSON script tag), and
`/analytics/forecast/export/` (Excel, one sheet a table). Leaders, supervisors and system admins; a region or
department out of scope is 404, anyone else 403."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from onewindow import clock, xlsx
from onewindow.analytics.figures.views import display_rows
from onewindow.analytics.forecast import selectors
from onewindow.analytics.forecast.tables import BASELINE, MODEL, Forecast, forecast_for, method_names
from onewindow.web.http import domain_errors_as_http, int_or_none, render_page, request_user

SHOWN = ("weekly", "backtest", "by_category", "daily")
CHART_DAYS = 182  # the history the chart shows before the forecast


def _forecast(request: HttpRequest) -> Forecast:
    return forecast_for(
        request_user(request),
        clock.today(),
        int_or_none(request.GET.get("region")),
        int_or_none(request.GET.get("department")),
    )


def chart_data(forecast: Forecast) -> dict[str, object]:
    history = forecast.table("history").rows[-CHART_DAYS:]
    daily = forecast.table("daily").rows
    return {
        "dates": [r["date"] for r in history] + [r["date"] for r in daily],
        "history": [r["count"] for r in history] + [None] * len(daily),
        "forecast": [None] * len(history) + [r["forecast"] for r in daily],
        "lower": [None] * len(history) + [r["lower"] for r in daily],
        "upper": [None] * len(history) + [r["upper"] for r in daily],
        "baseline": [None] * len(history) + [r["baseline"] for r in daily],
        "labels": {
            "history": _("实际提交量"),
            "forecast": _("预测"),
            "band": _("80% 区间"),
            "baseline": _("基线"),
            "count": _("办件量"),
        },
    }


def _query(forecast: Forecast) -> str:
    f = forecast.filters
    parts = [f"region={f.region.pk}" if f.region else "", f"department={f.department.pk}" if f.department else ""]
    return "&".join(p for p in parts if p)


@login_required
@domain_errors_as_http
@require_GET
def forecast_page(request: HttpRequest) -> HttpResponse:
    regions, departments = selectors.scope_choices(request_user(request))  # 403 before anything else for others
    forecast = _forecast(request)
    names = method_names()
    context = {
        "title": _("办件量预测"),
        "forecast": forecast,
        "winner": names.get(forecast.winner or ""),
        "winner_is_model": forecast.winner == MODEL,
        "baseline_name": names[BASELINE],
        "tables": [(table, display_rows(table), False) for table in map(forecast.table, SHOWN)],
        "chart": chart_data(forecast),
        "regions": regions,
        "departments": departments,
        "query": _query(forecast),
    }
    return render_page(request, "analytics/forecast.html", context)


@login_required
@domain_errors_as_http
@require_GET
def export(request: HttpRequest) -> FileResponse:
    selectors.scope_choices(request_user(request))
    forecast = _forecast(request)
    filename = f"analytics-forecast-{forecast.today:%Y%m%d}.xlsx"
    return FileResponse(xlsx.to_file(workbook_of(forecast)), as_attachment=True, filename=filename)


def workbook_of(forecast: Forecast) -> xlsx.Workbook:
    workbook = xlsx.Workbook()
    workbook.remove(workbook.active)
    f = forecast.filters
    scope = "、".join(o.name for o in (f.region, f.department) if o is not None) or _("本辖区")
    for table in forecast.tables:
        sheet = workbook.create_sheet(table.title[:31])
        xlsx.append_row(sheet, [f"{table.title}　{scope}（{forecast.today:%Y-%m-%d}）"], bold=True)
        xlsx.append_row(sheet, [label for _key, label in table.columns], bold=True)
        for row in table.cells:
            xlsx.append_row(sheet, row)
    return workbook
