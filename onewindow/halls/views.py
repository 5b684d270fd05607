"""The pages: 预约办事 for applicants (cards, works at 390 px), 大厅管理/预约 for the halls' staff."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from onewindow.errors import PermissionDenied
from onewindow.halls import selectors, services
from onewindow.halls.models import ServiceCategory
from onewindow.orgs.domain import mask_name, mask_phone
from onewindow.orgs.selectors import membership_paths
from onewindow.web.http import act, domain_errors_as_http, done_with, render_page, request_user
from onewindow.workdays.selectors import work_calendar_for


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _day(value: str | None) -> dt.date:
    try:
        return dt.date.fromisoformat(value or "")
    except ValueError:
        return timezone.localdate() + dt.timedelta(days=1)


def _book_context(request: HttpRequest, source: Any) -> dict[str, Any]:
    user = request_user(request)
    hall_id, category_id, day = _int(source.get("hall")), _int(source.get("category")), _day(source.get("on"))
    context: dict[str, Any] = {"halls": selectors.halls_open_for_booking(), "on": day, "bookings": []}
    if hall_id is not None:
        hall = selectors.hall_for_booking(hall_id)
        context |= {"hall": hall, "categories": selectors.categories_of(hall)}
        category = ServiceCategory.objects.filter(hall=hall, pk=category_id or 0).first()
        if category is not None:
            context |= {"category": category}
            context["slots"] = selectors.slots_of_day(hall, category, day, work_calendar_for(request))
    profile = context.get("hall")
    if profile is not None:
        until = selectors.booking_pause(user, profile.profile, timezone.now())
        context["paused_until"] = until
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
    hall_id, category_id = _int(request.POST.get("hall")), _int(request.POST.get("category"))
    starts = request.POST.get("starts", "")
    try:
        at = dt.time.fromisoformat(starts)
    except ValueError:
        at = dt.time(0)
    return act(
        request,
        lambda: services.booking_create(
            actor=user,
            person=user,
            hall_id=hall_id or 0,
            category_id=category_id or 0,
            on=_day(request.POST.get("on")),
            starts=at,
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
def desk(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    if not membership_paths(user, selectors.STAFF_ROLES):
        raise PermissionDenied(_("只有大厅工作人员可以查看。"))
    halls = selectors.halls_for_staff(user)
    return render_page(request, "halls/desk.html", {"halls": halls})


@login_required
@domain_errors_as_http
def desk_day(request: HttpRequest, hall_id: int) -> HttpResponse:
    user = request_user(request)
    day = _day(request.GET.get("on")) if request.GET.get("on") else timezone.localdate()
    rows = [
        {
            "booking": b,
            "person": mask_name(b.person.name),
            "phone": mask_phone(b.person.phone) if b.person.phone else "",
        }
        for b in selectors.bookings_for_staff(user, hall_id, day)
    ]
    hall = selectors.hall_get_for_staff(user, hall_id)
    return render_page(request, "halls/desk_day.html", {"hall": hall, "on": day, "rows": rows})


@login_required
@domain_errors_as_http
@require_POST
def arrive(request: HttpRequest, booking_id: int) -> HttpResponse:
    user = request_user(request)
    booking = selectors.booking_get_for_staff(user, booking_id)
    then = reverse("halls:desk_day", args=[booking.hall_id]) + f"?on={booking.on.isoformat()}"

    def page(req: HttpRequest, extra: dict[str, Any], status: int = 200) -> HttpResponse:
        from django.contrib import messages

        messages.error(req, extra.get("error", ""))
        return redirect(then)

    return act(
        request,
        lambda: services.booking_arrive(actor=user, booking_id=booking_id),
        done_with(_("已签到。"), then),
        page,
    )
