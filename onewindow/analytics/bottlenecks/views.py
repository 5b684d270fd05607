"""`/analytics/bottlenecks/`: staff workload (open review tasks per department and reviewer, their age and
warning level; tasks decided in the period and their review time) and the what-if replay of a bundle
(`?bundle=&whatif_department=&days=`), tables with ECharts charts (`static/analytics/bottlenecks.js` from a JSON
script tag), and `export/` (Excel, one sheet per table). Leaders, supervisors and system admins; a region,
department or bundle out of scope is 404, anyone else 403."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from onewindow import xlsx
from onewindow.analytics.bottlenecks import selectors
from onewindow.analytics.bottlenecks.tables import bundle_choices, what_if_for, workload_for
from onewindow.analytics.figures import selectors as figures
from onewindow.analytics.figures.tables import Analysis
from onewindow.analytics.figures.views import display_rows, filters_asked, filters_query, workbook_of
from onewindow.errors import InvalidFields
from onewindow.web.http import domain_errors_as_http, int_or_none, render_page, request_user

CHARTED = frozenset({"workload_by_department", "workload_by_reviewer", "what_if_saved"})
# The replayed cases the page lists (those that saved most first); the export has every one, the API a page at a
# time. A year's bundle cases of a large city are tens of thousands of rows: more than a page can show in a second.
SHOWN_CASES = 100


def _analysis(request: HttpRequest, rows: slice) -> tuple[Analysis, dict[str, str], dict[str, str], bool]:
    """The workload and, when asked, the what-if (its replayed cases in `rows`); with the filters' and the
    what-if's errors."""
    user = request_user(request)
    filters, errors = filters_asked(request)
    analysis = workload_for(user, filters)
    asked = any(request.GET.get(k) for k in ("bundle", "whatif_department", "days"))
    what_if_errors: dict[str, str] = {}
    if asked:
        try:
            ask = selectors.what_if_ask(
                user,
                int_or_none(request.GET.get("bundle")),
                int_or_none(request.GET.get("whatif_department")),
                request.GET.get("days", ""),
            )
        except InvalidFields as exc:
            what_if_errors = exc.errors
        else:
            what_if, _results = what_if_for(user, filters, ask, rows)
            analysis = Analysis(filters, what_if.tables + analysis.tables)
    return analysis, errors, what_if_errors, asked


@login_required
@domain_errors_as_http
@require_GET
def page(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    regions, departments = figures.scope_choices(user)  # 403 before anything else for others
    analysis, errors, what_if_errors, asked = _analysis(request, slice(SHOWN_CASES))
    context: dict[str, Any] = {
        "title": _("瓶颈分析"),
        "analysis": analysis,
        "tables": [(t, display_rows(t), t.key in CHARTED) for t in analysis.tables],
        "charts": {t.key: t.rows for t in analysis.tables if t.key in CHARTED},
        "chart_labels": {"open": _("在办任务"), "red": _("红灯"), "yellow": _("黄灯"), "count": _("办件数")},
        "regions": regions,
        "departments": departments,
        "bundles": bundle_choices(user, analysis.filters),
        "errors": errors,
        "what_if_errors": what_if_errors,
        "values": request.GET,
        "asked": asked,
        "query": filters_query(analysis.filters),
        "full_query": request.GET.urlencode(),
    }
    return render_page(request, "analytics/bottlenecks.html", context)


@login_required
@domain_errors_as_http
@require_GET
def export(request: HttpRequest) -> FileResponse:
    figures.analysis_scope(request_user(request))
    analysis, _errors, _what_if_errors, _asked = _analysis(request, slice(None))
    period = analysis.filters.period
    filename = f"analytics-bottlenecks-{period.first:%Y%m%d}-{period.last:%Y%m%d}.xlsx"
    return FileResponse(xlsx.to_file(workbook_of(analysis)), as_attachment=True, filename=filename)
