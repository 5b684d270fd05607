"""Reads of halls and bookings, always scoped: staff see their organisations' subtree's halls,
applicants their own bookings; anything else is 404."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from onewindow.errors import NotFound
from onewindow.halls.domain import ACTIVE_STATUSES, BookingStatus, HallHours, WindowKind, hours_on, paused_until
from onewindow.halls.models import Booking, Closure, Duty, HallProfile, OpeningHours, ServiceCategory, WindowProfile
from onewindow.orgs.domain import Role
from onewindow.orgs.models import Hall, User
from onewindow.orgs.selectors import membership_paths
from onewindow.workdays.domain import WorkCalendar

STAFF_ROLES = {Role.CLERK, Role.DEPARTMENT_HEAD, Role.SUPERVISOR, Role.LEADER, Role.SYSTEM_ADMIN}
DESK_ROLES = {Role.CLERK, Role.SYSTEM_ADMIN}  # may book for a caller and mark arrivals
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
    """Until when online booking is paused for `person` (after too many no-shows), or None."""
    times = list(
        Booking.objects.filter(person=person, status=BookingStatus.LAPSED.value).values_list("changed_at", flat=True)
    )
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
