"""The leaders' analysis pages: `/analytics/` (overview), `/analytics/demand/`, `/analytics/operations/`, each
with ECharts charts drawn by `static/analytics/figures.js` from a JSON script tag over the same tables shown
beside them, and `/analytics/<page>/export/` (one sheet per table). Leaders, supervisors and system admins of
the cases' subtree; a region or department out of scope is 404, anyone else 403."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from onewindow import clock, xlsx
from onewindow.analytics.figures import selectors
from onewindow.analytics.figures.findings import Finding, overview_findings
from onewindow.analytics.figures.outlook import outlook_findings
from onewindow.analytics.figures.selectors import Filters
from onewindow.analytics.figures.tables import Analysis, demand_for, operations_for, overview_for
from onewindow.errors import InvalidFields
from onewindow.orgs.models import User
from onewindow.web.http import domain_errors_as_http, int_or_none, render_page, request_user
from onewindow.web.tables import Table


def filters_asked(request: HttpRequest) -> tuple[Filters, dict[str, str]]:
    """The filters asked for; on a wrong date the default period and the errors to show beside the fields."""
    today = clock.today()
    try:
        period = selectors.period_of(request.GET.get("from", ""), request.GET.get("to", ""), today)
        errors: dict[str, str] = {}
    except InvalidFields as exc:
        period, errors = selectors.period_of("", "", today), exc.errors
    user = request_user(request)
    return selectors.filters_of(
        user, period, int_or_none(request.GET.get("region")), int_or_none(request.GET.get("department"))
    ), errors


def analyses(page: str, request: HttpRequest, filters: Filters) -> Analysis:
    user = request_user(request)
    if page == "demand":
        return demand_for(user, filters)
    if page == "operations":
        return operations_for(user, filters)
    return overview_for(user, filters)


# The tables static/analytics/figures.js draws (the others, one-row summaries and case lists, stand alone).
CHARTED = frozenset(
    {
        *("online_share", "by_channel", "by_applicant_kind", "by_matter", "by_bundle", "by_department", "by_region"),
        *("by_hour", "by_weekday", "by_month", "phases", "times_by_matter", "times_by_region"),
        *("times_by_department", "finish_last", "corrections_by_matter", "materials_corrected"),
    }
)
TITLES = {"overview": "领导分析", "demand": "把握公众需求", "operations": "规范运行管理"}


def chart_labels() -> dict[str, str]:
    return {
        "count": _("办件量"),
        "days": _("天"),
        "p50": "P50",
        "p90": "P90",
        "intake_p50": _("受理"),
        "review_p50": _("审查"),
        "waiting_p50": _("等待申请人"),
        "decision_p50": _("决定"),
        "last": _("最后办结次数"),
        "notices": _("补正告知书"),
        "online_rate": _("网上办理率"),
        "target": _("目标"),
    }


def display_rows(table: Table) -> list[list[tuple[Any, str | None]]]:
    """Each cell with the link to what is behind it, where it has one: a case's page (`<column>_url` in the
    row) or the list of the cases behind a figure (`Table.links`)."""
    return [
        [(row.get(key), table.link(index, key) or row.get(f"{key}_url")) for key, _label in table.columns]  # type: ignore[misc]
        for index, row in enumerate(table.rows)
    ]


def _page(request: HttpRequest, page: str) -> HttpResponse:
    user = request_user(request)
    regions, departments = selectors.scope_choices(user)  # 403 before anything else for others
    filters, errors = filters_asked(request)
    analysis = analyses(page, request, filters)
    context = {
        "page": page,
        "title": _(TITLES[page]),
        "analysis": analysis,
        "tables": [(t, display_rows(t), t.key in CHARTED) for t in analysis.tables],
        "charts": {t.key: t.rows for t in analysis.tables},
        "chart_labels": chart_labels(),
        "regions": regions,
        "departments": departments,
        "errors": errors,
        "values": request.GET if errors else {},
        "query": filters_query(filters),
        "findings": _findings(user, analysis) if page == "overview" else [],
    }
    return render_page(request, "analytics/figures.html", context)


def _findings(user: User, analysis: Analysis) -> list[Finding]:
    """The period's key findings, then next weeks' load and the latest reform's results."""
    return overview_findings(analysis.tables) + outlook_findings(user, analysis.filters, clock.today())


def filters_query(filters: Filters) -> str:
    parts = [f"from={filters.period.first:%Y-%m-%d}", f"to={filters.period.last:%Y-%m-%d}"]
    if filters.region is not None:
        parts.append(f"region={filters.region.pk}")
    if filters.department is not None:
        parts.append(f"department={filters.department.pk}")
    return "&".join(parts)


@login_required
@domain_errors_as_http
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    return _page(request, "overview")


@login_required
@domain_errors_as_http
@require_GET
def demand(request: HttpRequest) -> HttpResponse:
    return _page(request, "demand")


@login_required
@domain_errors_as_http
@require_GET
def operations(request: HttpRequest) -> HttpResponse:
    return _page(request, "operations")


@login_required
@domain_errors_as_http
@require_GET
def export(request: HttpRequest, page: str) -> FileResponse:
    if page not in TITLES:
        raise Http404
    selectors.analysis_scope(request_user(request))
    filters, _errors = filters_asked(request)
    analysis = analyses(page, request, filters)
    filename = f"analytics-{page}-{filters.period.first:%Y%m%d}-{filters.period.last:%Y%m%d}.xlsx"
    return FileResponse(xlsx.to_file(workbook_of(analysis)), as_attachment=True, filename=filename)


def workbook_of(analysis: Analysis) -> xlsx.Workbook:
    workbook = xlsx.Workbook()
    workbook.remove(workbook.active)
    filters = analysis.filters
    scope = "、".join(o.name for o in (filters.region, filters.department) if o is not None) or _("本辖区")
    span = _("%(first)s 至 %(last)s") % {"first": filters.period.first, "last": filters.period.last}
    for table in analysis.tables:
        sheet = workbook.create_sheet(table.title[:31])
        xlsx.append_row(sheet, [f"{table.title}　{scope}（{span}）"], bold=True)
        xlsx.append_row(sheet, [label for _key, label in table.columns], bold=True)
        for row in table.cells:
            xlsx.append_row(sheet, row)
    return workbook
