"""`/analytics/cases/`: the cases behind a figure of the analysis pages (the pages' period and filters, and the
figure's slice: `trace.domain`), a page of PAGE_SIZE at a time, with the figure's number on top; and
`/analytics/cases/export/` (the same list in Excel, applicant names masked). Leaders, supervisors and system
admins; a region or department out of scope is 404, anyone else 403, a wrong slice 422 (the page says which
parameter)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from onewindow import xlsx
from onewindow.analytics.figures import selectors as figures
from onewindow.analytics.figures.views import filters_asked, filters_query
from onewindow.analytics.trace.selectors import Trace, slice_of, trace_for
from onewindow.analytics.trace.tables import PAGE_SIZE, cells, columns, export_rows, heading_of, page_rows
from onewindow.errors import InvalidFields
from onewindow.web.http import domain_errors_as_http, int_or_none, render_page, request_user


def _trace(request: HttpRequest) -> tuple[Trace, dict[str, str]]:
    user = request_user(request)
    figures.analysis_scope(user)  # 403 before anything else
    filters, errors = filters_asked(request)
    return trace_for(user, filters, slice_of(request.GET)), errors


def _refused(request: HttpRequest, exc: InvalidFields) -> HttpResponse:
    """A wrong slice: the page says which parameter, 422."""
    context = {"title": _("办件清单"), "slice_errors": exc.errors, "message": exc.message}
    return render_page(request, "analytics/trace.html", context, status=422)


@login_required
@domain_errors_as_http
@require_GET
def cases(request: HttpRequest) -> HttpResponse:
    try:
        trace, errors = _trace(request)
    except InvalidFields as exc:
        return _refused(request, exc)
    case_count = trace.case_count()
    pages = max((case_count + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    number = min(int_or_none(request.GET.get("page")) or 1, pages)
    rows = page_rows(trace, (number - 1) * PAGE_SIZE, PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    context: dict[str, Any] = {
        "title": _("办件清单"),
        "trace": trace,
        "heading": heading_of(trace, case_count),
        "columns": columns(),
        "rows": [(row["number_url"], cells(row)) for row in rows],
        "page": number,
        "pages": pages,
        "first_row": (number - 1) * PAGE_SIZE + 1,
        "last_row": (number - 1) * PAGE_SIZE + len(rows),
        "case_count": case_count,
        "list_query": query.urlencode(),
        "query": filters_query(trace.filters),
        "errors": errors,
    }
    return render_page(request, "analytics/trace.html", context)


@login_required
@domain_errors_as_http
@require_GET
def export(request: HttpRequest) -> HttpResponse | FileResponse:
    try:
        trace, _errors = _trace(request)
    except InvalidFields as exc:
        return _refused(request, exc)
    heading = heading_of(trace, trace.case_count())
    workbook = xlsx.Workbook()
    sheet = workbook.active
    sheet.title = _("办件清单")
    period = trace.filters.period
    span = _("%(first)s 至 %(last)s") % {"first": period.first, "last": period.last}
    scope = "，".join(o.name for o in (trace.filters.region, trace.filters.department) if o is not None)
    xlsx.append_row(sheet, [f"{heading.title}（{span}{'，' + scope if scope else ''}）"], bold=True)
    for label, value in heading.conditions:
        xlsx.append_row(sheet, [label, value])
    xlsx.append_row(sheet, [heading.count_text])
    xlsx.append_row(sheet, [label for _key, label in columns()], bold=True)
    for row in export_rows(trace):
        xlsx.append_row(sheet, cells(row))
    filename = f"analytics-cases-{period.first:%Y%m%d}-{period.last:%Y%m%d}.xlsx"
    return FileResponse(xlsx.to_file(workbook), as_attachment=True, filename=filename)
