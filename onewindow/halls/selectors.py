"""Reads of halls and bookings, always scoped: staff see their organisations' subtree's halls,
applicants their own bookings; anything else is 404."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from onewindow.errors import NotFound, PermissionDenied
from onewindow.halls.domain import ACTIVE_STATUSES, BookingStatus, HallHours, WindowKind, hours_on, paused_until
from onewindow.halls.models import Booking, Closure, Duty, HallProfile, OpeningHours, ServiceCategory, WindowProfile
from onewindow.orgs.domain import Role
from onewindow.orgs.models import Hall, User, Window
from onewindow.orgs.selectors import membership_paths
from onewindow.workdays.domain import WorkCalendar

STAFF_ROLES = {Role.CLERK, Role.DEPARTMENT_HEAD, Role.SUPERVISOR, Role.LEADER, Role.SYSTEM_ADMIN}
DESK_ROLES = {Role.CLERK, Role.SYSTEM_ADMIN}  # may book for a caller and mark arrivals
# May change a hall's settings, windows, closures and roster: the system admin, and the department head
# (the centre's director) of the hall's organisation or above. The supervisor (效能监察) watches the halls
# and does not run them; clerks and leaders see the halls, not their settings.
SETTINGS_ROLES = {Role.DEPARTMENT_HEAD, Role.SYSTEM_ADMIN}
ACTIVE = [s.value for s in ACTIVE_STATUSES]


@dataclass(frozen=True)
class Slot:
    starts: dt.time
    capacity: int
    taken: int

    @property
    def free(self) -> int:
        return max(self.capacity - self.taken, 0)


def halls_open_for_booking() -> QuerySet[Hall]:
    """Every hall with appointment settings: the public list applicants pick from."""
    return Hall.objects.filter(profile__isnull=False).select_related("profile", "region").order_by("pk")


def hall_for_booking(hall_id: int) -> Hall:
    hall = halls_open_for_booking().filter(pk=hall_id).first()
    if hall is None:
        raise NotFound("未找到该大厅。", code="halls_hall_not_found")
    return hall


def halls_for_staff(user: User, roles: set[Role] | None = None) -> QuerySet[Hall]:
    paths = membership_paths(user, roles or STAFF_ROLES)
    if not paths:
        return Hall.objects.none()
    condition = Q()
    for path in paths:
        condition |= Q(region__path__startswith=path)
    return Hall.objects.filter(condition).select_related("region").order_by("pk")


def hall_get_for_staff(user: User, hall_id: int, roles: set[Role] | None = None) -> Hall:
    hall = halls_for_staff(user, roles).filter(pk=hall_id).first()
    if hall is None:
        raise NotFound("未找到该大厅。", code="halls_hall_not_found")
    return hall


def hall_get_for_settings(user: User, hall_id: int) -> Hall:
    """The hall whose settings `user` may change: 404 out of their scope, 403 in it without the role."""
    hall = hall_get_for_staff(user, hall_id)
    if not halls_for_staff(user, SETTINGS_ROLES).filter(pk=hall.pk).exists():
        raise PermissionDenied(
            "只有系统管理员和大厅所属单位的部门负责人可以修改大厅设置。", code="halls_settings_forbidden"
        )
    return hall


def may_change_settings(user: User, hall: Hall) -> bool:
    return halls_for_staff(user, SETTINGS_ROLES).filter(pk=hall.pk).exists()


def categories_of(hall: Hall) -> QuerySet[ServiceCategory]:
    return ServiceCategory.objects.filter(hall=hall).order_by("pk")


def hall_hours(hall: Hall) -> HallHours:
    profile = HallProfile.objects.filter(hall=hall).first()
    return HallHours(
        hours={h.weekday: (h.opens, h.closes) for h in OpeningHours.objects.filter(hall=hall)},
        weekend_service=bool(profile and profile.weekend_service),
        closures=frozenset(Closure.objects.filter(hall=hall).values_list("on", flat=True)),
    )


def capacity_on(hall: Hall, category: ServiceCategory, day: dt.date, calendar: WorkCalendar, hours: HallHours) -> int:
    """How many windows serve `category` on `day`: comprehensive and specialised windows of the category
    that are open that day; when the hall has a roster for the day, only windows with a clerk on duty."""
    windows = WindowProfile.objects.filter(
        window__hall=hall,
        categories=category,
        kind__in=[WindowKind.COMPREHENSIVE.value, WindowKind.SPECIALISED.value],
    )
    rostered = set(Duty.objects.filter(window__hall=hall, on=day).values_list("window_id", flat=True))
    count = 0
    for profile in windows:
        if hours_on(day, hours, calendar, window_weekend=profile.weekend_service) is None:
            continue
        if rostered and profile.window_id not in rostered:
            continue
        count += 1
    return count


def slots_of_day(hall: Hall, category: ServiceCategory, day: dt.date, calendar: WorkCalendar) -> list[Slot]:
    from onewindow.halls.domain import day_slots

    profile = HallProfile.objects.get(hall=hall)
    hours = hall_hours(hall)
    window_weekend = WindowProfile.objects.filter(window__hall=hall, categories=category, weekend_service=True).exists()
    starts = day_slots(day, hours, calendar, profile.slot_minutes, window_weekend=window_weekend)
    if not starts:
        return []
    capacity = capacity_on(hall, category, day, calendar, hours)
    taken: dict[dt.time, int] = {}
    for t in Booking.objects.filter(hall=hall, category=category, on=day, status__in=ACTIVE).values_list(
        "starts", flat=True
    ):
        taken[t] = taken.get(t, 0) + 1
    return [Slot(s, capacity, taken.get(s, 0)) for s in starts]


def booking_pause(person: User, profile: HallProfile, now: dt.datetime) -> dt.datetime | None:
    """Until when online booking at `profile`'s hall is paused for `person`, or None.

    Each hall's rules count that hall's no-shows only: the limit, the period and the pause are the
    hall's, so are the lapses they count (a no-show at another hall pauses nothing here)."""
    lapsed = Booking.objects.filter(person=person, hall_id=profile.hall_id, status=BookingStatus.LAPSED.value)
    times = list(lapsed.values_list("changed_at", flat=True))
    return paused_until(
        times,
        now,
        limit=profile.no_show_limit,
        period_days=profile.no_show_period_days,
        pause_days=profile.pause_days,
    )


def bookings_of(person: User) -> QuerySet[Booking]:
    return Booking.objects.filter(person=person).select_related("hall", "category").order_by("-on", "-starts")


def booking_get_for_person(person: User, booking_id: int) -> Booking:
    booking = bookings_of(person).filter(pk=booking_id).first()
    if booking is None:
        raise NotFound("未找到该预约。", code="halls_booking_not_found")
    return booking


def bookings_for_staff(user: User, hall_id: int, day: dt.date) -> QuerySet[Booking]:
    hall = hall_get_for_staff(user, hall_id)
    return (
        Booking.objects.filter(hall=hall, on=day).select_related("hall", "category", "person").order_by("starts", "pk")
    )


def booking_get_for_staff(user: User, booking_id: int, roles: set[Role] | None = None) -> Booking:
    booking = Booking.objects.filter(pk=booking_id).select_related("hall").first()
    if booking is None or not halls_for_staff(user, roles).filter(pk=booking.hall_id).exists():
        raise NotFound("未找到该预约。", code="halls_booking_not_found")
    return booking


def windows_of(hall: Hall) -> QuerySet[Window]:
    return Window.objects.filter(hall=hall).select_related("profile", "department").order_by("number", "pk")


def window_get_for_settings(user: User, window_id: int) -> Window:
    window = Window.objects.filter(pk=window_id).first()
    if window is None or not halls_for_staff(user).filter(pk=window.hall_id).exists():
        raise NotFound("未找到该窗口。", code="halls_window_not_found")
    hall_get_for_settings(user, window.hall_id)
    return window


def closures_of(hall: Hall, since: dt.date) -> QuerySet[Closure]:
    return Closure.objects.filter(hall=hall, on__gte=since).order_by("on")


def duties_of_week(hall: Hall, monday: dt.date) -> QuerySet[Duty]:
    week = (monday, monday + dt.timedelta(days=6))
    return Duty.objects.filter(window__hall=hall, on__range=week).select_related("clerk", "window").order_by("on")


def clerks_for_roster(hall: Hall) -> QuerySet[User]:
    """The clerks who may be on duty at `hall`: a clerk membership in the hall's organisation or below."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__role=Role.CLERK.value,
            memberships__organisation__path__startswith=hall.region.path,
        )
        .distinct()
        .order_by("name", "pk")
    )
