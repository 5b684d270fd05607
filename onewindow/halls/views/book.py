"""预约办事 for applicants (cards, work at 390 px): book a slot, cancel, and reschedule (改约)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from onewindow.halls import selectors, services
from onewindow.halls.models import ServiceCategory
from onewindow.halls.views.common import day_or_tomorrow, time_or_none
from onewindow.web.http import act, domain_errors_as_http, done_with, int_or_none, render_page, request_user
from onewindow.workdays.selectors import work_calendar_for


def _book_context(request: HttpRequest, source: Any) -> dict[str, Any]:
    user = request_user(request)
    hall_id, category_id = int_or_none(source.get("hall")), int_or_none(source.get("category"))
    day = day_or_tomorrow(source.get("on"))
    context: dict[str, Any] = {"halls": selectors.halls_open_for_booking(), "on": day, "bookings": []}
    if hall_id is not None:
        hall = selectors.hall_for_booking(hall_id)
        context |= {"hall": hall, "categories": selectors.categories_of(hall)}
        category = ServiceCategory.objects.filter(hall=hall, pk=category_id or 0).first()
        if category is not None:
            context |= {"category": category}
            context["slots"] = selectors.slots_of_day(hall, category, day, work_calendar_for(request))
        context["paused_until"] = selectors.booking_pause(user, hall.profile, timezone.now())
    context["bookings"] = selectors.bookings_of(user)[:20]
    return context


@login_required
@domain_errors_as_http
@require_http_methods(["GET", "POST"])
def book(request: HttpRequest) -> HttpResponse:
    user = request_user(request)

    def page(req: HttpRequest, extra: dict[str, Any], status: int = 200) -> HttpResponse:
        return render_page(req, "halls/book.html", _book_context(req, req.POST or req.GET) | extra, status)

    if request.method != "POST":
        return page(request, {})
    hall_id, category_id = int_or_none(request.POST.get("hall")), int_or_none(request.POST.get("category"))
    return act(
        request,
        lambda: services.booking_create(
            actor=user,
            person=user,
            hall_id=hall_id or 0,
            category_id=category_id or 0,
            on=day_or_tomorrow(request.POST.get("on")),
            starts=time_or_none(request.POST.get("starts")) or dt.time(0),
        ),
        lambda b: (_("预约成功，预约码 %(code)s。") % {"code": b.code}, reverse("halls:book")),
        page,
    )


@login_required
@domain_errors_as_http
@require_POST
def cancel(request: HttpRequest, booking_id: int) -> HttpResponse:
    user = request_user(request)
    selectors.booking_get_for_person(user, booking_id)

    def page(req: HttpRequest, extra: dict[str, Any], status: int = 200) -> HttpResponse:
        return render_page(req, "halls/book.html", _book_context(req, req.GET) | extra, status)

    return act(
        request,
        lambda: services.booking_cancel(actor=user, booking_id=booking_id),
        done_with(_("预约已取消。"), reverse("halls:book")),
        page,
    )


@login_required
@domain_errors_as_http
@require_http_methods(["GET", "POST"])
def reschedule(request: HttpRequest, booking_id: int) -> HttpResponse:
    """改约: the booking's card, the free slots of a chosen day (its hall and category), and 取消预约."""
    user = request_user(request)
    booking = selectors.booking_get_for_person(user, booking_id)
    source = request.POST or request.GET

    def page(req: HttpRequest, extra: dict[str, Any], status: int = 200) -> HttpResponse:
        day = day_or_tomorrow(source.get("on")) if source.get("on") else booking.on
        slots = selectors.slots_of_day(booking.hall, booking.category, day, work_calendar_for(req))
        context = {"booking": booking, "on": day, "slots": slots, "is_open": booking.status == "booked"}
        return render_page(req, "halls/reschedule.html", context | extra, status)

    if request.method != "POST":
        return page(request, {})
    return act(
        request,
        lambda: services.booking_reschedule(
            actor=user,
            booking_id=booking.pk,
            on=day_or_tomorrow(request.POST.get("on")),
            starts=time_or_none(request.POST.get("starts")) or dt.time(0),
            channel="online",
        ),
        lambda b: (_("已改约，新的预约码 %(code)s。") % {"code": b.code}, reverse("halls:book")),
        page,
    )
