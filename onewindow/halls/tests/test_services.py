"""Booking, its limits, cancel and reschedule, arrival, lapse and the no-show pause."""

import datetime as dt

import pytest

from onewindow.audit.models import Event
from onewindow.errors import Conflict, InvalidFields, NotFound
from onewindow.halls import selectors, services
from onewindow.halls.models import Booking, Closure, Duty, HallProfile
from onewindow.halls.tests.factories import MONDAY, NOW, SATURDAY, T, hall_world
from onewindow.notify.models import Delivery
from onewindow.orgs.domain import Role
from onewindow.orgs.tests.factories import RegionFactory, UserFactory, staff
from onewindow.workdays.selectors import work_calendar

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return hall_world(RegionFactory())


NINE = T(9)


def book(world, person, starts=NINE, on=MONDAY, category=None, now=NOW, **kw):
    return services.booking_create(
        actor=kw.pop("actor", person),
        person=person,
        hall_id=world.hall.pk,
        category_id=(category or world.business).pk,
        on=on,
        starts=starts,
        now=now,
        **kw,
    )


def test_capacity_is_the_windows_serving_the_category_that_day(world):
    cal = work_calendar()
    slots = selectors.slots_of_day(world.hall, world.business, MONDAY, cal)
    assert [s.starts for s in slots][:2] == [T(9), T(9, 30)] and len(slots) == 6
    assert {s.capacity for s in slots} == {2}
    # Saturday: only the weekend window (社会事务) opens; 企业开办 has no slot.
    assert selectors.slots_of_day(world.hall, world.business, SATURDAY, cal) == []
    assert {s.capacity for s in selectors.slots_of_day(world.hall, world.social, SATURDAY, cal)} == {1}
    # With a roster for the day, only the windows with a clerk on duty count.
    Duty.objects.create(window=world.windows[0], on=MONDAY, clerk=UserFactory())
    assert selectors.slots_of_day(world.hall, world.business, MONDAY, cal)[0].capacity == 1


def test_a_booking_is_confirmed_by_sms_and_audited(world):
    person = UserFactory()
    booking = book(world, person)
    assert booking.status == "booked" and len(booking.code) == 8
    assert Delivery.objects.filter(recipient=person, dedupe_key=f"halls:booking:{booking.pk}:confirm").count() == 1
    assert Event.objects.filter(action="halls.booking_created", target_id=str(booking.pk)).count() == 1


def test_a_full_slot_and_a_second_booking_of_the_same_slot_are_refused(world):
    person = UserFactory()
    book(world, person)
    with pytest.raises(Conflict) as same:
        book(world, person, category=world.social)
    assert same.value.code in {"halls_already_booked", "halls_slot_closed"}
    with pytest.raises(Conflict) as again:
        book(world, person)
    assert again.value.code == "halls_already_booked"
    book(world, UserFactory())
    with pytest.raises(Conflict) as full:
        book(world, UserFactory())
    assert full.value.code == "halls_slot_full"


def test_the_daily_limit_per_person(world):
    HallProfile.objects.filter(hall=world.hall).update(daily_limit=1)
    person = UserFactory()
    book(world, person)
    with pytest.raises(Conflict) as refused:
        book(world, person, starts=T(10))
    assert refused.value.code == "halls_daily_limit"


def test_closed_days_have_no_slots(world):
    Closure.objects.create(hall=world.hall, on=MONDAY, reason="停电检修")
    with pytest.raises(InvalidFields) as refused:
        book(world, UserFactory())
    assert refused.value.code == "halls_slot_closed"


def test_cancel_frees_the_slot_until_the_cut_off(world):
    person = UserFactory()
    booking = book(world, person)
    late = dt.datetime(2026, 12, 7, 8, 30, tzinfo=NOW.tzinfo)
    with pytest.raises(Conflict) as refused:
        services.booking_cancel(actor=person, booking_id=booking.pk, now=late)
    assert refused.value.code == "halls_cutoff_passed"
    services.booking_cancel(actor=person, booking_id=booking.pk, now=NOW)
    assert Booking.objects.get(pk=booking.pk).status == "cancelled"
    with pytest.raises(NotFound):
        services.booking_cancel(actor=UserFactory(), booking_id=booking.pk, now=NOW)


def test_reschedule_moves_the_booking(world):
    person = UserFactory()
    booking = book(world, person)
    moved = services.booking_reschedule(actor=person, booking_id=booking.pk, on=MONDAY, starts=T(10), now=NOW)
    assert moved.starts == T(10) and Booking.objects.get(pk=booking.pk).status == "cancelled"


def test_a_clerk_books_for_a_caller_and_checks_them_in(world):
    clerk = staff(Role.CLERK, world.hall.region)
    person = UserFactory()
    booking = book(world, person, actor=clerk, channel="clerk")
    on_time = dt.datetime(2026, 12, 7, 8, 50, tzinfo=NOW.tzinfo)
    assert services.booking_arrive(actor=clerk, booking_id=booking.pk, now=on_time).status == "arrived"
    other = staff(Role.CLERK, RegionFactory())
    with pytest.raises(NotFound):
        book(world, person, starts=T(10), actor=other, channel="clerk")


def test_no_shows_lapse_and_pause_online_booking(world):
    HallProfile.objects.filter(hall=world.hall).update(no_show_limit=2)
    person = UserFactory()
    for starts in (T(9), T(9, 30)):
        book(world, person, starts=starts)
    after = dt.datetime(2026, 12, 7, 10, tzinfo=NOW.tzinfo)
    assert services.bookings_lapse(now=after) == 2
    assert Booking.objects.filter(person=person, status="lapsed").count() == 2
    with pytest.raises(Conflict) as paused:
        book(world, person, starts=T(11), now=after)
    assert paused.value.code == "halls_booking_paused" and "暂停" in paused.value.message


def test_the_reminder_is_sent_once(world):
    person = UserFactory()
    book(world, person)
    assert services.bookings_remind(now=NOW) == 1
    services.bookings_remind(now=NOW)
    assert Delivery.objects.filter(recipient=person, dedupe_key__endswith=":remind").count() == 1


def test_a_clerk_reschedules_for_the_caller(world):
    clerk = staff(Role.CLERK, world.hall.region)
    person = UserFactory()
    booking = book(world, person, actor=clerk, channel="clerk")
    moved = services.booking_reschedule(actor=clerk, booking_id=booking.pk, on=MONDAY, starts=T(11), now=NOW)
    assert moved.channel == "clerk" and moved.person == person and moved.starts == T(11)


def test_the_pause_counts_the_no_shows_of_the_hall_whose_rules_apply(world):
    """Each hall's limit counts that hall's lapses: two no-shows here do not pause booking elsewhere."""
    other = hall_world(RegionFactory())
    for hall in (world.hall, other.hall):
        HallProfile.objects.filter(hall=hall).update(no_show_limit=2)
    person = UserFactory()
    for starts in (T(9), T(9, 30)):
        book(world, person, starts=starts)
    after = dt.datetime(2026, 12, 7, 10, tzinfo=NOW.tzinfo)
    services.bookings_lapse(now=after)
    elsewhere = book(other, person, starts=T(11), now=after)
    assert elsewhere.status == "booked"
    with pytest.raises(Conflict) as paused:
        book(world, person, starts=T(11), now=after)
    assert paused.value.code == "halls_booking_paused"


def test_a_reschedule_keeps_the_channel_it_came_through(world):
    clerk = staff(Role.CLERK, world.hall.region)
    person = UserFactory()
    by_clerk = book(world, person, actor=clerk, channel="clerk")
    online = services.booking_reschedule(actor=person, booking_id=by_clerk.pk, on=MONDAY, starts=T(10), now=NOW)
    assert online.channel == "online"
    from_app = services.booking_reschedule(
        actor=person, booking_id=online.pk, on=MONDAY, starts=T(11), channel="api", now=NOW
    )
    assert from_app.channel == "api"
    moved_by_clerk = services.booking_reschedule(
        actor=clerk, booking_id=from_app.pk, on=MONDAY, starts=T(10), channel="api", now=NOW
    )
    assert moved_by_clerk.channel == "clerk"
