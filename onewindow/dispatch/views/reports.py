"""Progress reports (进度填报), site reports (现场日报) and their photos."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from onewindow.dispatch.models import Photo, ProgressReport, SiteReport
from onewindow.dispatch.selectors import reports as selectors
from onewindow.dispatch.selectors.access import is_reporter_for
from onewindow.dispatch.selectors.cycles import cycle_for_project
from onewindow.dispatch.services import photos, reports
from onewindow.dispatch.views.common import PAGE_SIZE, date_param, empty_form, failure, refused, render_page
from onewindow.errors import DomainError, InvalidFields, NotFound, PermissionDenied
from onewindow.projects.models import Project
from onewindow.projects.selectors import project_get_for_user
from onewindow.web import http
from onewindow.web.http import domain_errors_as_http, request_user

REPORT_VALUES = ("period_end", "invested_in_period", "progress_note", "workers", "difficulties")


@require_GET
@login_required
@domain_errors_as_http
def report_list(request: HttpRequest, project_id: int) -> HttpResponse:
    user = request_user(request)
    project = project_get_for_user(user, project_id)
    today = timezone.localdate()
    cycle = cycle_for_project(project)
    page = Paginator(selectors.progress_reports_of(project), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "project": project,
        "cycle": cycle,
        "current": selectors.period_choices(cycle, today)[0],
        "page": page,
        "can_report": is_reporter_for(user, project),
    }
    return render_page(request, "dispatch/reports/list.html", context)


def _report_form(request: HttpRequest, project: Project, form: dict[str, Any], status: int = 200) -> HttpResponse:
    cycle = cycle_for_project(project)
    context = {
        "project": project,
        "cycle": cycle,
        "periods": selectors.period_choices(cycle, timezone.localdate()),
        "form": form,
    }
    return render_page(request, "dispatch/reports/form.html", context, status)


def _initial(project: Project, period_end: str) -> dict[str, Any]:
    """The form's values: the period's report when there is one (an edit), else blank."""
    try:
        chosen = date_param(period_end, "period_end")
    except InvalidFields:
        chosen = None
    existing = ProgressReport.objects.filter(project=project, period_end=chosen).first() if chosen else None
    if existing is None:
        return {"period_end": chosen.isoformat() if chosen else ""}
    return {name: str(getattr(existing, name)) for name in REPORT_VALUES}


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def report_enter(request: HttpRequest, project_id: int) -> HttpResponse:
    """Enter (or edit) the report of a period: only the project's reporters see the form."""
    user = request_user(request)
    project = project_get_for_user(user, project_id)
    reports.require_reporter(user, project)
    if request.method == "GET":
        chosen = request.GET.get("period_end", "")[:10]
        return _report_form(request, project, empty_form(_initial(project, chosen)))
    values = {name: request.POST.get(name, "") for name in REPORT_VALUES}

    def call() -> ProgressReport:
        return reports.progress_report_submit(
            actor=user,
            project=project,
            period_end=date_param(values["period_end"], "period_end"),
            invested_in_period=values["invested_in_period"],
            progress_note=values["progress_note"],
            workers=values["workers"],
            difficulties=values["difficulties"],
        )

    def done(report: ProgressReport) -> tuple[str, str]:
        message = _("进度已填报：%(start)s 至 %(end)s") % {"start": report.period_start, "end": report.period_end}
        return message, reverse("dispatch:report", args=[report.pk])

    def page(request: HttpRequest, form: dict[str, Any], status: int) -> HttpResponse:
        return _report_form(request, project, form, status)

    return http.act(request, call, done, page, failure=refused(values))


def _photo_context(user: Any, report: ProgressReport | SiteReport) -> dict[str, Any]:
    locked = isinstance(report, ProgressReport) and report.is_locked
    return {
        "photos": list(report.photos.order_by("pk")),
        "can_edit": is_reporter_for(user, report.project) and not locked,
        "upload_url": _upload_url(report),
        "photo_form": empty_form(),
    }


def _upload_url(report: ProgressReport | SiteReport) -> str:
    if isinstance(report, ProgressReport):
        return reverse("dispatch:report_photos", kwargs={"report_id": report.pk})
    return reverse("dispatch:site_report_photos", kwargs={"report_id": report.pk})


@require_GET
@login_required
@domain_errors_as_http
def report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    user = request_user(request)
    report = selectors.progress_report_get_for_user(user, report_id)
    context = {"report": report, "project": report.project, **_photo_context(user, report)}
    return render_page(request, "dispatch/reports/detail.html", context)


def _photo_upload(request: HttpRequest, report: ProgressReport | SiteReport) -> HttpResponse:
    """Add a photo. HTMX gets the photo list back, with the refusal beside the form (200: htmx swaps
    only successful answers); a plain form is redirected to the report with a message."""
    user = request_user(request)
    upload = request.FILES.get("file")
    caption = request.POST.get("caption", "")
    try:
        photos.photo_add(
            actor=user, report=report, upload=upload if isinstance(upload, UploadedFile) else None, caption=caption
        )
    except (NotFound, PermissionDenied):
        raise
    except DomainError as exc:
        if not request.htmx:  # type: ignore[attr-defined]
            messages.error(request, exc.message)
            return redirect(_report_url(report))
        context = _photo_context(user, report)
        context["photo_form"], _status = failure({"caption": caption}, exc)
        return render_page(request, "dispatch/_photos.html", context)
    if not request.htmx:  # type: ignore[attr-defined]
        messages.success(request, _("照片已上传"))
        return redirect(_report_url(report))
    return render_page(request, "dispatch/_photos.html", _photo_context(user, report))


def _report_url(report: ProgressReport | SiteReport) -> str:
    if isinstance(report, ProgressReport):
        return reverse("dispatch:report", kwargs={"report_id": report.pk})
    return reverse("dispatch:site_report", kwargs={"report_id": report.pk})


@require_POST
@login_required
@domain_errors_as_http
def report_photo_add(request: HttpRequest, report_id: int) -> HttpResponse:
    report = selectors.progress_report_get_for_user(request_user(request), report_id)
    return _photo_upload(request, report)


@require_POST
@login_required
@domain_errors_as_http
def site_report_photo_add(request: HttpRequest, report_id: int) -> HttpResponse:
    report = selectors.site_report_get_for_user(request_user(request), report_id)
    return _photo_upload(request, report)


@require_GET
@login_required
@domain_errors_as_http
def photo_file(request: HttpRequest, photo_id: int) -> FileResponse:
    """A photo's file for whoever sees its project (never a public media URL)."""
    photo = selectors.photo_get_for_user(request_user(request), photo_id)
    response = FileResponse(
        photo.file.open("rb"), content_type=photo.content_type, filename=PurePath(photo.file.name).name
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@login_required
@domain_errors_as_http
def photo_delete(request: HttpRequest, photo_id: int) -> HttpResponse:
    user = request_user(request)
    photo: Photo = selectors.photo_get_for_user(user, photo_id)
    report: ProgressReport | SiteReport | None = photo.progress_report or photo.site_report
    assert report is not None
    try:
        photos.photo_remove(actor=user, photo=photo)
    except (NotFound, PermissionDenied):
        raise
    except DomainError as exc:
        messages.error(request, exc.message)
    if request.htmx:  # type: ignore[attr-defined]
        return render_page(request, "dispatch/_photos.html", _photo_context(user, report))
    return redirect(_report_url(report))


# --- site reports (现场日报) -------------------------------------------------------------------------

SITE_VALUES = ("workers", "machines", "note")


def _site_page(request: HttpRequest, project: Project, form: dict[str, Any], status: int = 200) -> HttpResponse:
    user = request_user(request)
    page = Paginator(selectors.site_reports_of(project), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "project": project,
        "page": page,
        "today": timezone.localdate(),
        "can_report": is_reporter_for(user, project),
        "form": form,
    }
    return render_page(request, "dispatch/site/list.html", context, status)


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def site_reports(request: HttpRequest, project_id: int) -> HttpResponse:
    """The project's daily site reports; its reporters enter today's on the same page."""
    user = request_user(request)
    project = project_get_for_user(user, project_id)
    if request.method == "GET":
        today = SiteReport.objects.filter(project=project, reported_on=timezone.localdate()).first()
        initial = {name: str(getattr(today, name)) for name in SITE_VALUES} if today else {}
        return _site_page(request, project, empty_form(initial))
    values = {name: request.POST.get(name, "") for name in SITE_VALUES}
    call = lambda: reports.site_report_submit(  # noqa: E731
        actor=user, project=project, workers=values["workers"], machines=values["machines"], note=values["note"]
    )

    def done(report: SiteReport) -> tuple[str, str]:
        return _("今日现场日报已填报"), reverse("dispatch:site_report", args=[report.pk])

    def page(request: HttpRequest, form: dict[str, Any], status: int) -> HttpResponse:
        return _site_page(request, project, form, status)

    return http.act(request, call, done, page, failure=refused(values))


@require_GET
@login_required
@domain_errors_as_http
def site_report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    user = request_user(request)
    report = selectors.site_report_get_for_user(user, report_id)
    context = {"report": report, "project": report.project, **_photo_context(user, report)}
    return render_page(request, "dispatch/site/detail.html", context)
