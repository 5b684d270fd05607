"""The reform pages: `/analytics/reforms/` (the reforms with their headline; a system admin records one there),
`/analytics/reforms/<id>/` (before and after per matter and bundle and in total, an ECharts chart from a JSON
script tag, `?months=&region=&department=`), `/analytics/reforms/<id>/cases/` (the cases behind a figure,
`?side=&subject=`, paginated, each linking to its case page), and an Excel export of each (`export/`).
Leaders, supervisors and system admins of the reform's region or above; another region's reform is 404, anyone
else 403; recording is for system admins only (403)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from onewindow import clock, xlsx
from onewindow.analytics.figures import selectors as figures
from onewindow.analytics.figures.views import display_rows
from onewindow.analytics.reforms import selectors, services
from onewindow.analytics.reforms.tables import (
    ReformAsk,
    ReformResults,
    cases_table,
    reform_ask,
    reform_cases,
    reform_list,
    reform_results,
    side_of,
    subject_key,
    subject_names,
)
from onewindow.errors import InvalidFields, PermissionDenied
from onewindow.orgs.models import Organisation
from onewindow.web.http import act, domain_errors_as_http, int_or_none, render_page, request_user
from onewindow.web.tables import Table

PAGE_SIZE = 50


def _workbook(tables: list[Table], heading: str) -> xlsx.Workbook:
    workbook = xlsx.Workbook()
    workbook.remove(workbook.active)
    for table in tables:
        sheet = workbook.create_sheet(table.title[:31])
        xlsx.append_row(sheet, [f"{table.title}　{heading}"], bold=True)
        xlsx.append_row(sheet, [label for _key, label in table.columns], bold=True)
        for row in table.cells:
            xlsx.append_row(sheet, row)
    return workbook


def _form_context(request: HttpRequest) -> dict[str, Any]:
    """The recording form's choices, for a system admin (nothing for the others)."""
    try:
        scope = services.recording_scope(request_user(request))
    except PermissionDenied:
        return {"may_record": False}
    regions = list(scope.filter(kind=Organisation.Kind.REGION).order_by("path"))
    matters, bundles = selectors.subject_choices(scope)
    return {"may_record": True, "form_regions": regions, "form_matters": matters, "form_bundles": bundles}


def _list_page(request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    figures.analysis_scope(request_user(request))  # 403 before anything else for others
    results, _table = reform_list(request_user(request), clock.today())
    values = context.get("values")
    chosen = {
        "matters": set(values.getlist("matters")) if values is not None else set(),
        "bundles": set(values.getlist("bundles")) if values is not None else set(),
    }
    page = {
        "title": _("改革成效"),
        "reforms": [(r, subject_names(selectors.subjects_of(r.ask.reform)).values()) for r in results],
        "chosen": chosen,
        **_form_context(request),
        **context,
    }
    return render_page(request, "analytics/reforms.html", page, status)


def _record(request: HttpRequest) -> Any:
    post = request.POST
    data = services.ReformInput(
        title=post.get("title", ""),
        document_number=post.get("document_number", ""),
        effective_on=post.get("effective_on", ""),
        organisation_id=int_or_none(post.get("organisation")),
        description=post.get("description", ""),
        matter_ids=[pk for v in post.getlist("matters") if (pk := int_or_none(v)) is not None],
        bundle_ids=[pk for v in post.getlist("bundles") if (pk := int_or_none(v)) is not None],
    )
    return services.reform_record(actor=request_user(request), data=data)


@login_required
@domain_errors_as_http
@require_http_methods(["GET", "POST"])
def reforms(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        figures.analysis_scope(request_user(request))
        return act(
            request,
            lambda: _record(request),
            lambda reform: (
                _("已登记改革“%(title)s”。") % {"title": reform.title},
                reverse("analytics_reforms:detail", args=[reform.pk]),
            ),
            _list_page,
        )
    return _list_page(request, {})


@login_required
@domain_errors_as_http
@require_GET
def reforms_export(request: HttpRequest) -> FileResponse:
    figures.analysis_scope(request_user(request))
    _results, table = reform_list(request_user(request), clock.today())
    workbook = _workbook([table], f"{clock.today():%Y-%m-%d}")
    return FileResponse(
        xlsx.to_file(workbook), as_attachment=True, filename=f"analytics-reforms-{clock.today():%Y%m%d}.xlsx"
    )


def _ask(request: HttpRequest, reform_id: int) -> tuple[ReformAsk, dict[str, str]]:
    """The reform and filters asked for; a wrong number of months: the default, with the error to show."""
    user = request_user(request)
    figures.analysis_scope(user)
    region, department = int_or_none(request.GET.get("region")), int_or_none(request.GET.get("department"))
    try:
        return reform_ask(user, reform_id, request.GET.get("months", ""), region, department), {}
    except InvalidFields as exc:
        return reform_ask(user, reform_id, "", region, department), exc.errors


def _heading(results: ReformResults) -> str:
    reform = results.ask.reform
    windows = results.windows
    span = (
        _("改革前 %(b1)s 至 %(b2)s，改革后 %(a1)s 至 %(a2)s")
        % {"b1": windows.before.first, "b2": windows.before.last, "a1": windows.after.first, "a2": windows.after.last}
        if windows is not None
        else _("暂无可比较的办件")
    )
    return f"{reform.title}（{reform.document_number}）{span}"


def chart_data(results: ReformResults) -> dict[str, Any]:
    """Per matter and bundle: median working days and materials asked, before and after."""
    return {
        "names": [name for _s, name, _c in results.by_subject],
        "before_days": [c.before.working_p50 for _s, _n, c in results.by_subject],
        "after_days": [c.after.working_p50 for _s, _n, c in results.by_subject],
        "before_materials": [c.before.materials for _s, _n, c in results.by_subject],
        "after_materials": [c.after.materials for _s, _n, c in results.by_subject],
        "labels": {
            "before": _("改革前"),
            "after": _("改革后"),
            "days": _("办理时间 P50（工作日）"),
            "materials": _("申请材料（件）"),
            "days_unit": _("工作日"),
            "materials_unit": _("件"),
        },
    }


@login_required
@domain_errors_as_http
@require_GET
def detail(request: HttpRequest, reform_id: int) -> HttpResponse:
    user = request_user(request)
    regions, departments = figures.scope_choices(user)
    ask, errors = _ask(request, reform_id)
    results = reform_results(user, ask, clock.today())
    context = {
        "title": results.ask.reform.title,
        "reform": results.ask.reform,
        "results": results,
        "filters": results.filters,
        "tables": [(t, display_rows(t), False) for t in results.tables],
        "chart": chart_data(results),
        "regions": regions,
        "departments": departments,
        "errors": errors,
        "values": request.GET,
        "query": ask.query(),
        "all_before": f"{reverse('analytics_reforms:cases', args=[reform_id])}?{ask.query(side='before')}",
        "all_after": f"{reverse('analytics_reforms:cases', args=[reform_id])}?{ask.query(side='after')}",
    }
    return render_page(request, "analytics/reform.html", context)


@login_required
@domain_errors_as_http
@require_GET
def detail_export(request: HttpRequest, reform_id: int) -> FileResponse:
    ask, _errors = _ask(request, reform_id)
    results = reform_results(request_user(request), ask, clock.today())
    filename = f"analytics-reform-{reform_id}.xlsx"
    return FileResponse(
        xlsx.to_file(_workbook(results.tables, _heading(results))), as_attachment=True, filename=filename
    )


def _cases(request: HttpRequest, reform_id: int) -> tuple[Any, dict[str, str]]:
    ask, errors = _ask(request, reform_id)
    subject = selectors.subject_of(ask.reform, request.GET.get("subject", ""))
    side = side_of(request.GET.get("side", ""))
    return reform_cases(request_user(request), ask, side, subject, clock.today()), errors


@login_required
@domain_errors_as_http
@require_GET
def cases(request: HttpRequest, reform_id: int) -> HttpResponse:
    found, errors = _cases(request, reform_id)
    page = Paginator(found.facts, PAGE_SIZE).get_page(request.GET.get("page"))
    table = cases_table(found, list(page.object_list))
    query = found.ask.query(side=found.side, subject=subject_key(found.subject))
    subject_name = subject_names([found.subject])[found.subject] if found.subject is not None else ""
    windows = found.windows
    span = None
    if windows is not None:
        chosen = {"before": windows.before, "after": windows.after}.get(found.side)
        span = (chosen.first, chosen.last) if chosen is not None else (windows.before.first, windows.after.last)
    context = {
        "title": _("改革前后的办件"),
        "reform": found.ask.reform,
        "found": found,
        "subject_name": subject_name,
        "span": span,
        "page": page,
        "tables": [(table, display_rows(table), False)],
        "errors": errors,
        "query": query,
        "export_url": f"{reverse('analytics_reforms:cases_export', args=[reform_id])}?{query}",
        "back_url": f"{reverse('analytics_reforms:detail', args=[reform_id])}?{found.ask.query()}",
    }
    return render_page(request, "analytics/reform_cases.html", context)


@login_required
@domain_errors_as_http
@require_GET
def cases_export(request: HttpRequest, reform_id: int) -> FileResponse:
    found, _errors = _cases(request, reform_id)
    table = cases_table(found, found.facts)
    heading = f"{found.ask.reform.title}（{found.ask.reform.document_number}）"
    return FileResponse(
        xlsx.to_file(_workbook([table], heading)),
        as_attachment=True,
        filename=f"analytics-reform-{reform_id}-cases.xlsx",
    )
