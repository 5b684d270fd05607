"""Never a double booking: 32 clients at once on one slot (PostgreSQL: real connections, row locks).

On SQLite the IMMEDIATE transaction takes the database write lock when it begins, so bookings are
serialised by construction; the tests there share one connection and cannot race.
"""

import pytest
from django.db import connection

from onewindow.errors import Conflict
from onewindow.halls import services
from onewindow.halls.models import Booking
from onewindow.halls.tests.factories import MONDAY, NOW, T, hall_world
from onewindow.orgs.tests.factories import RegionFactory, UserFactory
from onewindow.workdays.tests.test_concurrency import in_threads

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: real concurrent transactions"),
]
CLIENTS = 32


def test_32_clients_on_a_slot_of_capacity_k_exactly_k_succeed():
    world = hall_world(RegionFactory(), windows=3)
    people = [UserFactory() for _ in range(CLIENTS)]

    def client(person):
        return lambda: services.booking_create(
            actor=person,
            person=person,
            hall_id=world.hall.pk,
            category_id=world.business.pk,
            on=MONDAY,
            starts=T(9),
            now=NOW,
        )

    results = in_threads(*[client(p) for p in people])

    booked = [r for r in results if isinstance(r, Booking)]
    refused = [r for r in results if isinstance(r, Conflict)]
    assert len(booked) == 3
    assert len(refused) == CLIENTS - 3 and {r.code for r in refused} == {"halls_slot_full"}
    assert Booking.objects.filter(hall=world.hall, on=MONDAY, starts=T(9), status="booked").count() == 3


def test_one_person_booking_the_same_slot_from_eight_devices_holds_one_booking():
    world = hall_world(RegionFactory(), windows=3)
    person = UserFactory()

    def client():
        return services.booking_create(
            actor=person,
            person=person,
            hall_id=world.hall.pk,
            category_id=world.business.pk,
            on=MONDAY,
            starts=T(9),
            now=NOW,
        )

    results = in_threads(*[client] * 8)

    assert len([r for r in results if isinstance(r, Booking)]) == 1
    assert {r.code for r in results if isinstance(r, Conflict)} == {"halls_already_booked"}
