"""The audit admin's pages (log, checkpoints, verify now) and the trail fragment for staff."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from onewindow.audit import selectors, verification
from onewindow.audit.forms import EventFilterForm
from onewindow.errors import NotFound

PAGE_SIZE = 50


def _audit_admin(request: HttpRequest) -> Any:
    user: Any = request.user
    if not selectors.is_audit_admin(user):
        raise PermissionDenied(_("只有审计管理员可以查看留痕日志"))
    return user


@require_GET
@login_required
def log(request: HttpRequest) -> HttpResponse:
    user = _audit_admin(request)
    form = EventFilterForm(request.GET or None)
    events = selectors.event_list_for_admin(user=user, filters=form.filters())
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "entries": selectors.trail_entries(page, viewer=user),
        "query": query.urlencode(),
    }
    return render(request, "audit/log.html", context)


@require_GET
@login_required
def checkpoints(request: HttpRequest) -> HttpResponse:
    user = _audit_admin(request)
    page = Paginator(selectors.checkpoint_list_for_admin(user=user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "audit/checkpoints.html", {"page": page})


@require_http_methods(["GET", "POST"])
@login_required
def verify(request: HttpRequest) -> HttpResponse:
    _audit_admin(request)
    context: dict[str, Any] = {"report": None, "problems": []}
    if request.method == "POST":
        try:
            report = verification.verify_log()
        except ImproperlyConfigured as exc:  # the keys checkpoints are checked against (audit.E002–E004)
            context["error"] = str(exc)
        else:
            context.update(report=report, problems=verification.describe(report.breaks))
    return render(request, "audit/verify.html", context)


@require_GET
@login_required
def trail(request: HttpRequest, target_type: str, target_id: str) -> HttpResponse:
    """An object's trail as an htmx fragment (the same table other pages include); 404 unless the
    user may see the object, as for an unknown one."""
    user: Any = request.user
    try:
        events = selectors.events_for_target(user=user, target_type=target_type, target_id=target_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    return render(request, "audit/trail.html", {"events": events})
