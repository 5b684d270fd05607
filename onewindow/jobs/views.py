"""The job panel: a page that started long work shows it, and htmx asks here for it again every
two seconds until the job is over (no inline script: the CSP forbids it)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from onewindow.jobs.selectors import job_for
from onewindow.web.http import request_user


@require_GET
@login_required
def panel(request: HttpRequest, job_id: str) -> HttpResponse:
    job = job_for(request_user(request), job_id)
    if job is None:
        raise Http404
    return render(request, "jobs/_panel.html", {"job": job, "polled": True})
