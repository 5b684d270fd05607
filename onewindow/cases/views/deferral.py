"""Handing in a material deferred at acceptance (容缺材料补交): online by the applicant, or at the
window by a clerk of the case's region. Thin: read the owed materials, call the one service, and
redirect to the case; a refused file re-renders the page with the message beside its material.

The applicant's page finds only their own cases, the window page opens to clerks only (403 for any
id otherwise) and then only to cases they may see: anything else is a 404 like a missing case.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from onewindow.cases import selectors
from onewindow.cases.models import Case
from onewindow.cases.services import deferral
from onewindow.cases.views.common import render
from onewindow.errors import DomainError, NotFound, PermissionDenied
from onewindow.orgs.domain import Role
from onewindow.orgs.selectors import user_has_role
from onewindow.web.http import domain_errors_as_http, refusal_status, request_user


def _page(request: HttpRequest, case: Case, *, at_window: bool, failed: dict[str, Any], status: int) -> HttpResponse:
    context = {"case": case, "owed": selectors.deferral.case_owed_rows(case), "at_window": at_window, **failed}
    return render(request, "cases/deferred.html", context, status)


def _hand_in(request: HttpRequest, case: Case, *, at_window: bool) -> HttpResponse:
    if request.method != "POST":
        return _page(request, case, at_window=at_window, failed={}, status=200)
    key = request.POST.get("key", "")
    upload = request.FILES.get("file")
    try:
        deferral.case_deferred_material_hand_in(
            actor=request_user(request), case=case, key=key, upload=upload if isinstance(upload, UploadedFile) else None
        )
    except PermissionDenied:
        raise
    except NotFound as exc:  # handed in meanwhile, or a stale page: say so beside the list
        if exc.code == "case_not_found":
            raise
        return _page(request, case, at_window=at_window, failed={"message": exc.message}, status=409)
    except DomainError as exc:
        failed, status = {"message": exc.message, "failed_key": key}, refusal_status(exc)
        return _page(request, case, at_window=at_window, failed=failed, status=status)
    messages.success(request, _("容缺材料已补交。"))
    return redirect("cases:detail", case_id=case.pk)


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def portal_deferred(request: HttpRequest, case_id: int) -> HttpResponse:
    """The applicant hands in what they promised at 容缺受理."""
    case = selectors.case_get_for_applicant_user(user=request_user(request), case_id=case_id)
    return _hand_in(request, case, at_window=False)


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def window_deferred(request: HttpRequest, case_id: int) -> HttpResponse:
    """A clerk registers a deferred material the applicant handed in at the window."""
    user = request_user(request)
    if not user_has_role(user, Role.CLERK):
        raise PermissionDenied(_("只有窗口人员可以登记窗口收取的容缺材料"), code="console_role_required")
    return _hand_in(request, selectors.case_get_for_user(user=user, case_id=case_id), at_window=True)


urlpatterns: list[URLPattern] = [
    path("<int:case_id>/deferred/", portal_deferred, name="portal_deferred"),
    path("<int:case_id>/window-deferred/", window_deferred, name="window_deferred"),
]
