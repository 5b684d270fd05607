"""The demo's halls get appointments: week hours, service categories, window kinds, a weekend window
in every city, district and county hall (townships' 便民服务中心 and communities' 便民服务站 keep
working days), and a few bookings of the demo's applicants (idempotent, through the halls' services)."""

from __future__ import annotations

import datetime as dt

from onewindow.halls import selectors as hall_selectors
from onewindow.halls import services as hall_services
from onewindow.halls.domain import HallKind, WindowKind
from onewindow.halls.models import Booking, ServiceCategory
from onewindow.orgs.models import Applicant, Hall, User
from onewindow.workdays.selectors import work_calendar

CATEGORIES = ["企业开办", "工程建设", "社会事务", "不动产登记", "公安户政"]
# A township's or street's 便民服务中心 (and a community's 便民服务站) serves what residents do there.
LOCAL_CATEGORIES = ["社会事务", "社会保障", "户籍与居住证"]
KINDS = {"city": HallKind.CENTRE, "district": HallKind.CENTRE, "county": HallKind.CENTRE, "community": HallKind.STATION}
T = dt.time
WEEK = {d: (T(9), T(12)) for d in range(7)} | {d: (T(9), T(17)) for d in range(5)}


def halls_demo_load(*, today: dt.date) -> int:
    """Set up every demo hall once; book a few slots in the city's first hall. Returns bookings created."""
    for hall in Hall.objects.order_by("pk"):
        if hasattr(hall, "profile"):
            continue
        kind = KINDS.get(hall.region.level, HallKind.TOWNSHIP)
        categories_of = CATEGORIES if kind is HallKind.CENTRE else LOCAL_CATEGORIES
        hall_services.hall_setup(
            actor=None, hall=hall, kind=kind, weekend_service=False, hours=WEEK, categories=categories_of
        )
        _windows_setup(hall, kind)
    return _bookings(today)


def _windows_setup(hall: Hall, kind: HallKind) -> None:
    """Each window's kind and categories through `window_setup` (audited): a window of no department is
    comprehensive (every category), a department's is specialised (one category, its name as matters);
    a centre's first window opens on weekends too (not on legal holidays)."""
    categories = list(ServiceCategory.objects.filter(hall=hall).order_by("pk"))
    for i, window in enumerate(hall.windows.order_by("number")):
        weekend = i == 0 and kind is HallKind.CENTRE
        if window.department_id is None:
            hall_services.window_setup(
                actor=None,
                window=window,
                kind=WindowKind.COMPREHENSIVE.value,
                categories=categories,
                weekend_service=weekend,
            )
        else:
            hall_services.window_setup(
                actor=None,
                window=window,
                kind=WindowKind.SPECIALISED.value,
                categories=[categories[i % len(categories)]],
                matters=window.name,
                weekend_service=weekend,
            )


def _bookings(today: dt.date) -> int:
    hall = Hall.objects.filter(profile__isnull=False).order_by("pk").first()
    people = [a.user for a in Applicant.objects.filter(user__isnull=False, kind="person").order_by("pk")[:3]]
    if hall is None or not people or Booking.objects.filter(hall=hall).exists():
        return 0
    category = ServiceCategory.objects.filter(hall=hall).order_by("pk").first()
    assert category is not None
    calendar = work_calendar()
    created = 0
    day = today + dt.timedelta(days=1)
    for _ in range(14):
        slots = [s for s in hall_selectors.slots_of_day(hall, category, day, calendar) if s.free]
        if slots:
            for person, slot in zip(people, slots, strict=False):
                user: User = person  # type: ignore[assignment]
                hall_services.booking_create(
                    actor=user, person=user, hall_id=hall.pk, category_id=category.pk, on=day, starts=slot.starts
                )
                created += 1
            break
        day += dt.timedelta(days=1)
    return created
