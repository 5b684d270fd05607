"""The public calendar page and its "add N working days" form (answered with htmx)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from onewindow.errors import DomainError
from onewindow.workdays import parsing, selectors
from onewindow.workdays.domain import MAX_DAYS, add_working_days


def calendar(request: HttpRequest) -> HttpResponse:
    this_year = timezone.localdate().year
    year_error = ""
    try:
        year = parsing.parse_year(request.GET["year"]) if request.GET.get("year") else this_year
    except DomainError as exc:
        year, year_error = this_year, exc.message
    context: dict[str, Any] = {
        "schedule": selectors.year_schedule(year),
        "year_error": year_error,
        "previous_year": year - 1,
        "next_year": year + 1,
        "max_days": MAX_DAYS,
        **_answer(request),
    }
    return render(request, "workdays/calendar.html", context)


def add(request: HttpRequest) -> HttpResponse:
    return render(request, "workdays/_add_result.html", _answer(request))


def _answer(request: HttpRequest) -> dict[str, Any]:
    """The add form's inputs and answer (or error); empty until the form is submitted."""
    start, days = request.GET.get("start", ""), request.GET.get("days", "")
    context: dict[str, Any] = {"start": start, "days": days or "20"}
    if not start and not days:
        return context
    try:
        start_on, n = parsing.parse_date(start, field="start"), parsing.parse_days(days)
        context["deadline"] = add_working_days(start_on, n, selectors.work_calendar())
        context["start_on"], context["n"] = start_on, n
    except DomainError as exc:
        context["error"] = exc.message
    return context
