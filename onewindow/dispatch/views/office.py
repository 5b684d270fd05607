"""The office's pages: the dispatch home, dispatch cycles, late reporters, no site report today."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from onewindow.dispatch.selectors import reports as report_selectors
from onewindow.dispatch.selectors.cycles import cycle_regions_for, cycle_rows_for
from onewindow.dispatch.services import cycles
from onewindow.dispatch.views.common import date_param, refused, render_page, require_office
from onewindow.errors import InvalidFields, NotFound
from onewindow.orgs.models import Organisation, User
from onewindow.projects.selectors import projects_visible_to
from onewindow.web import http
from onewindow.web.http import domain_errors_as_http, request_user

HOME_PROJECTS = 50


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Where dispatch starts: the projects the user sees (first 50) and the office's lists."""
    user = request_user(request)
    projects = projects_visible_to(user).select_related("district").order_by("district__path", "code")
    context = {"projects": projects[:HOME_PROJECTS], "project_count": projects.count()}
    return render_page(request, "dispatch/home.html", context)


def _region(user: User, region_id: int) -> Organisation:
    region = cycle_regions_for(user).filter(pk=region_id).first()
    if region is None:
        raise NotFound("未找到该行政区划", code="region_not_found")
    return region


def _cycles_page(
    request: HttpRequest, forms: dict[int, dict[str, Any]] | None = None, status: int = 200
) -> HttpResponse:
    forms = forms or {}
    rows = [(row, forms.get(row.region.pk, {})) for row in cycle_rows_for(request_user(request))]
    context = {"rows": rows}
    return render_page(request, "dispatch/office/cycles.html", context, status)


@require_GET
@login_required
@domain_errors_as_http
def cycle_list(request: HttpRequest) -> HttpResponse:
    require_office(request_user(request))
    return _cycles_page(request)


def _number(value: str, field: str) -> int:
    text = value.strip()
    if not text.isdigit() or len(text) > 3:
        raise InvalidFields("请填写整数", errors={field: "请填写整数"}, code="cycle_invalid")
    return int(text)


@require_POST
@login_required
@domain_errors_as_http
def cycle_save(request: HttpRequest, region_id: int) -> HttpResponse:
    user = request_user(request)
    require_office(user)
    region = _region(user, region_id)
    values = {name: request.POST.get(name, "") for name in ("kind", "cutoff_day", "remind_days_before")}

    def call() -> None:
        if request.POST.get("clear"):
            cycles.cycle_clear(actor=user, region=region)
        else:
            cycles.cycle_save(
                actor=user,
                region=region,
                kind=values["kind"],
                cutoff_day=_number(values["cutoff_day"] or "30", "cutoff_day"),
                remind_days_before=_number(values["remind_days_before"] or "0", "remind_days_before"),
            )

    def page(request: HttpRequest, form: dict[str, Any], status: int) -> HttpResponse:
        return _cycles_page(request, {region.pk: form}, status)

    done = http.done_with(_("%(region)s 的调度周期已保存") % {"region": region.name}, reverse("dispatch:cycles"))
    return http.act(request, call, done, page, failure=refused(values))


@require_GET
@login_required
@domain_errors_as_http
def late_reporters(request: HttpRequest) -> HttpResponse:
    """Projects under construction that missed a cut-off: the latest passed one, or a chosen one."""
    user = request_user(request)
    require_office(user)
    today = timezone.localdate()
    chosen = request.GET.get("cutoff", "")[:10]
    error = ""
    try:
        cutoff_on = date_param(chosen, "cutoff")
    except InvalidFields as exc:
        cutoff_on, error = None, exc.errors["cutoff"]
    rows = report_selectors.late_reporters(user, today=today, cutoff_on=cutoff_on)
    context = {
        "groups": sorted(report_selectors.late_reporters_by_cutoff(rows).items()),
        "count": len(rows),
        "chosen": chosen,
        "error": error,
        "today": today,
    }
    return render_page(request, "dispatch/office/late.html", context)


@require_GET
@login_required
@domain_errors_as_http
def site_reports_missing(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    require_office(user)
    today = timezone.localdate()
    rows = report_selectors.site_reports_missing(user, today=today)
    return render_page(request, "dispatch/office/missing.html", {"rows": rows, "today": today})
