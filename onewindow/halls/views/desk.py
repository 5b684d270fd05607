"""大厅管理/预约 for the halls' staff: their halls, a day's bookings (names and phones masked), the
clerk's 已到场, and a clerk's booking for a caller (来电/现场代约)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from onewindow.errors import InvalidFields, PermissionDenied
from onewindow.halls import selectors, services
from onewindow.halls.models import Booking, ServiceCategory
from onewindow.halls.views.common import day_or_none, day_or_tomorrow, time_or_none
from onewindow.orgs.domain import mask_name, mask_phone
from onewindow.orgs.models import Hall, User
from onewindow.orgs.selectors import membership_paths
from onewindow.web.http import Page, act, domain_errors_as_http, done_with, int_or_none, render_page, request_user
from onewindow.workdays.selectors import work_calendar_for


@login_required
@domain_errors_as_http
def desk(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    if not membership_paths(user, selectors.STAFF_ROLES):
        raise PermissionDenied(_("只有大厅工作人员可以查看。"))
    halls = selectors.halls_for_staff(user)
    editable = set(selectors.halls_for_staff(user, selectors.SETTINGS_ROLES).values_list("pk", flat=True))
    return render_page(request, "halls/desk.html", {"halls": halls, "editable": editable})


def _caller_form(request: HttpRequest, user: User, hall: Hall, day: dt.date, source: Any) -> dict[str, Any]:
    """The booking-for-a-caller form of the desk: the category's free slots of the day (desk clerks only)."""
    if not selectors.halls_for_staff(user, selectors.DESK_ROLES).filter(pk=hall.pk, profile__isnull=False).exists():
        return {}
    categories = selectors.categories_of(hall)
    category = categories.filter(pk=int_or_none(source.get("category")) or 0).first() or categories.first()
    slots = selectors.slots_of_day(hall, category, day, work_calendar_for(request)) if category else []
    return {
        "may_book": True,
        "categories": categories,
        "category": category,
        "free_slots": [s for s in slots if s.free],
    }


def _day_page(hall_id: int) -> Page:
    def page(request: HttpRequest, extra: dict[str, Any], status: int = 200) -> HttpResponse:
        user = request_user(request)
        source = request.POST or request.GET
        day = day_or_none(source.get("on")) or timezone.localdate()
        hall = selectors.hall_get_for_staff(user, hall_id)
        rows = [
            {
                "booking": b,
                "person": mask_name(b.person.name),
                "phone": mask_phone(b.person.phone) if b.person.phone else "",
            }
            for b in selectors.bookings_for_staff(user, hall_id, day)
        ]
        context = {
            "hall": hall,
            "on": day,
            "rows": rows,
            "may_change": selectors.may_change_settings(user, hall),
            "values": source,
            **_caller_form(request, user, hall, day, source),
        }
        return render_page(request, "halls/desk_day.html", context | extra, status)

    return page


@login_required
@domain_errors_as_http
def desk_day(request: HttpRequest, hall_id: int) -> HttpResponse:
    return _day_page(hall_id)(request, {}, 200)


@login_required
@domain_errors_as_http
@require_POST
def book_for_caller(request: HttpRequest, hall_id: int) -> HttpResponse:
    """窗口代约: find or register the caller by ID number, then book the chosen slot (channel clerk)."""
    user = request_user(request)
    selectors.hall_get_for_staff(user, hall_id, selectors.DESK_ROLES)
    post = request.POST
    day = day_or_tomorrow(post.get("on"))
    category = ServiceCategory.objects.filter(hall_id=hall_id, pk=int_or_none(post.get("category")) or 0).first()
    then = reverse("halls:desk_day", args=[hall_id]) + f"?on={day.isoformat()}"

    def book() -> Booking:
        if category is None:
            raise InvalidFields(_("请选择服务类别。"), errors={"category": _("请选择服务类别。")})
        return services.booking_create_for_caller(
            actor=user,
            hall_id=hall_id,
            category_id=category.pk,
            on=day,
            starts=time_or_none(post.get("starts")) or dt.time(0),
            id_number=post.get("id_number", ""),
            name=post.get("name", ""),
            phone=post.get("phone", ""),
        )

    return act(
        request,
        book,
        lambda b: (_("已为来电人预约，预约码 %(code)s。") % {"code": b.code}, then),
        _day_page(hall_id),
    )


@login_required
@domain_errors_as_http
@require_POST
def arrive(request: HttpRequest, booking_id: int) -> HttpResponse:
    user = request_user(request)
    booking = selectors.booking_get_for_staff(user, booking_id)
    then = reverse("halls:desk_day", args=[booking.hall_id]) + f"?on={booking.on.isoformat()}"

    def page(req: HttpRequest, extra: dict[str, Any], status: int = 200) -> HttpResponse:
        messages.error(req, extra.get("error", ""))
        return redirect(then)

    return act(
        request,
        lambda: services.booking_arrive(actor=user, booking_id=booking_id),
        done_with(_("已签到。"), then),
        page,
    )
