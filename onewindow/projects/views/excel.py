"""The registry in Excel: the office's import page (every bad row reported, nothing half-imported)
and the export of any filtered list (`/projects/export.xlsx?<the list's filters>`)."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from onewindow.errors import PermissionDenied
from onewindow.jobs.selectors import job_in_query
from onewindow.jobs.services import job_start
from onewindow.projects import forms, selectors
from onewindow.projects.excel import layout
from onewindow.projects.excel.exporter import projects_export
from onewindow.projects.excel.importer import ImportReport, projects_import
from onewindow.projects.tasks import IMPORT_JOB, import_summary, projects_import_job
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
        if form.is_valid() and len(form.cleaned_data["rows"]) > settings.PROJECTS_IMPORT_BACKGROUND_ROWS:
            return _import_in_the_background(request, form)
        if form.is_valid():
            report = projects_import(actor=user, rows=form.cleaned_data["rows"], dry_run=form.cleaned_data["dry_run"])
        status = 200 if report is not None and report.ok else 422
    if report is not None and report.ok:
        messages.success(request, import_summary(report, dry_run=form.cleaned_data["dry_run"]))
    context: dict[str, Any] = {"form": form, "report": report, "columns": layout.header([timezone.localdate().year])}
    context["job"] = job_in_query(request)
    return render(request, "projects/import.html", context, status=status)


def _import_in_the_background(request: HttpRequest, form: forms.ImportForm) -> HttpResponse:
    """A large workbook: kept in the file storage for a worker, which imports it as a job."""
    upload = form.cleaned_data["file"]
    upload.seek(0)
    path = default_storage.save(f"jobs/imports/{uuid.uuid4().hex}.xlsx", upload)
    job = job_start(
        kind=IMPORT_JOB,
        actor=request_user(request),
        task=projects_import_job,
        path=path,
        dry_run=form.cleaned_data["dry_run"],
    )
    return redirect(f"{reverse('projects:import')}?job={job.pk}")
