"""The registry in Excel: the office's import page (every bad row reported, nothing half-imported)
and the export of any filtered list (`/projects/export.xlsx?<the list's filters>`)."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from onewindow.errors import PermissionDenied
from onewindow.projects import forms, selectors
from onewindow.projects.excel import layout
from onewindow.projects.excel.exporter import projects_export
from onewindow.projects.excel.importer import ImportReport, projects_import
from onewindow.projects.views.registry import render
from onewindow.web.http import domain_errors_as_http, request_user

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_GET
@login_required
def project_export(request: HttpRequest) -> HttpResponse:
    """The list's projects (same filters, every page) as a workbook in the import layout."""
    user = request_user(request)
    filters, _errors = selectors.project_filters(request.GET)
    today = timezone.localdate()
    workbook = projects_export(selectors.project_list(user, filters), today=today)
    response = HttpResponse(content_type=XLSX)
    name = f"{layout.TITLE}-{today.isoformat()}.xlsx"
    response["Content-Disposition"] = f"attachment; filename=\"projects.xlsx\"; filename*=UTF-8''{quote(name)}"
    workbook.save(response)
    return response


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def project_import(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    if not selectors.is_project_office(user):
        raise PermissionDenied(_("只有重点项目办可以导入项目"), code="project_office_required")
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    report: ImportReport | None = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            report = projects_import(actor=user, rows=form.cleaned_data["rows"], dry_run=form.cleaned_data["dry_run"])
        status = 200 if report is not None and report.ok else 422
    if report is not None and report.ok:
        counts = {"created": report.created, "updated": report.updated, "unchanged": report.unchanged}
        text = _("新增 %(created)s 个项目，更新 %(updated)s 个，未变 %(unchanged)s 个") % counts
        prefix = _("检查通过（未导入）：") if form.cleaned_data["dry_run"] else _("导入完成：")
        messages.success(request, prefix + text)
    context = {"form": form, "report": report, "columns": layout.header([timezone.localdate().year])}
    return render(request, "projects/import.html", context, status=status)
