"""排班 (the roster): the clerks on duty per window and day, a week at a time; add and remove. Only the
clerks of the hall's organisation (or below) can be put on duty. Who may change it: as `settings.py`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from onewindow.errors import InvalidFields
from onewindow.halls import selectors, services
from onewindow.halls.models import Duty
from onewindow.halls.views.common import day_or_none
from onewindow.halls.views.settings import WEEKDAYS
from onewindow.orgs.domain import mask_phone
from onewindow.web.http import Page, act, domain_errors_as_http, done_with, int_or_none, render_page, request_user


def _monday(value: str | None) -> dt.date:
    day = day_or_none(value) or timezone.localdate()
    return day - dt.timedelta(days=day.weekday())


def _roster_url(hall_id: int, monday: dt.date) -> str:
    return reverse("halls:roster", args=[hall_id]) + f"?week={monday.isoformat()}"


def _roster_page(hall_id: int, monday: dt.date) -> Page:
    def page(request: HttpRequest, extra: dict[str, Any], status: int = 200) -> HttpResponse:
        hall = selectors.hall_get_for_settings(request_user(request), hall_id)
        days = [monday + dt.timedelta(days=i) for i in range(7)]
        on_duty: dict[tuple[int, dt.date], list[Duty]] = {}
        for duty in selectors.duties_of_week(hall, monday):
            on_duty.setdefault((duty.window_id, duty.on), []).append(duty)
        windows = list(selectors.windows_of(hall))
        grid = [(w, [on_duty.get((w.pk, d), []) for d in days]) for w in windows]
        clerks = [
            (c.pk, c.name or c.username, mask_phone(c.phone) if c.phone else "")
            for c in selectors.clerks_for_roster(hall)
        ]
        context = {
            "hall": hall,
            "monday": monday,
            "days": [(d, WEEKDAYS[d.weekday()]) for d in days],
            "open_days": [(d, WEEKDAYS[d.weekday()]) for d in days if d >= timezone.localdate()],
            "grid": grid,
            "windows": windows,
            "clerks": clerks,
            "previous": monday - dt.timedelta(days=7),
            "next": monday + dt.timedelta(days=7),
            "values": request.POST,
        }
        return render_page(request, "halls/roster.html", context | extra, status)

    return page


@login_required
@domain_errors_as_http
def roster(request: HttpRequest, hall_id: int) -> HttpResponse:
    return _roster_page(hall_id, _monday(request.GET.get("week")))(request, {}, 200)


@login_required
@domain_errors_as_http
@require_POST
def duty_add(request: HttpRequest, hall_id: int) -> HttpResponse:
    user = request_user(request)
    selectors.hall_get_for_settings(user, hall_id)
    post = request.POST
    on = day_or_none(post.get("on"))
    monday = _monday(post.get("week"))

    def add() -> Duty:
        window = selectors.windows_of(selectors.hall_get_for_settings(user, hall_id)).filter(
            pk=int_or_none(post.get("window")) or 0
        )
        errors = {} if window.exists() else {"window": _("请选择本大厅的窗口。")}
        if on is None:
            errors["on"] = _("请选择日期。")
        if errors or on is None:
            raise InvalidFields(_("请按提示修改排班。"), errors=errors, code="halls_duty_invalid")
        clerk_id = int_or_none(post.get("clerk")) or 0
        return services.duty_add(actor=user, window_id=window.get().pk, on=on, clerk_id=clerk_id)

    return act(request, add, done_with(_("已排班。"), _roster_url(hall_id, monday)), _roster_page(hall_id, monday))


@login_required
@domain_errors_as_http
@require_POST
def duty_remove(request: HttpRequest, duty_id: int) -> HttpResponse:
    user = request_user(request)
    duty = Duty.objects.filter(pk=duty_id).select_related("window").first()
    hall_id = duty.window.hall_id if duty else 0
    selectors.hall_get_for_settings(user, hall_id)
    monday = _monday(request.POST.get("week"))
    return act(
        request,
        lambda: services.duty_remove(actor=user, duty_id=duty_id),
        done_with(_("已取消排班。"), _roster_url(hall_id, monday)),
        _roster_page(hall_id, monday),
    )
