"""The permission matrix of every halls page and endpoint, for every kind of user.

Anonymous: pages redirect to the login, the API answers 401. A hall or a booking the user may not
see is a 404 like a missing one; the desk is 403 for users with no hall role. Each user kind is
checked in a savepoint that is rolled back (onewindow.web.tests.matrix).
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from onewindow.halls import selectors
from onewindow.halls.models import Booking, HallProfile
from onewindow.halls.tests.factories import hall_world
from onewindow.orgs.domain import Role
from onewindow.orgs.tests.factories import RegionFactory, UserFactory, staff
from onewindow.web.tests.matrix import Matrix
from onewindow.workdays.selectors import work_calendar

pytestmark = pytest.mark.django_db
LOGIN = 302


@pytest.fixture
def world():
    district = RegionFactory()
    w = hall_world(district)
    HallProfile.objects.filter(hall=w.hall).update(weekend_service=True)
    applicant = UserFactory(name="张三丰", phone="13912345678")
    users = {
        "anonymous": None,
        "applicant": applicant,
        "other_applicant": UserFactory(),
        "clerk": staff(Role.CLERK, district),
        "other_clerk": staff(Role.CLERK, RegionFactory()),
    }
    on = timezone.localdate() + dt.timedelta(days=3)
    booking = Booking.objects.create(
        hall=w.hall, category=w.business, person=applicant, on=on, starts=dt.time(9), code="TESTCODE"
    )
    return w, users, booking


def _open_day(w):
    day = timezone.localdate() + dt.timedelta(days=1)
    while not selectors.slots_of_day(w.hall, w.business, day, work_calendar()):
        day += dt.timedelta(days=1)
    return day


def check(client, users, label, expected, call):
    checks = Matrix(client, users, label)
    for who, status in expected.items():
        with checks.as_user(who):
            response = call(client)
            assert response.status_code == status, (response.status_code, response.content[:300])
    checks.verify()


def test_applicant_pages(client, world):
    w, users, booking = world
    check(
        client,
        users,
        "book page",
        {"anonymous": LOGIN, "applicant": 200, "clerk": 200},
        lambda c: c.get(f"/halls/book/?hall={w.hall.pk}&category={w.business.pk}"),
    )
    check(
        client,
        users,
        "cancel page",
        {"anonymous": LOGIN, "applicant": 302, "other_applicant": 404, "clerk": 404},
        lambda c: c.post(f"/halls/bookings/{booking.pk}/cancel/"),
    )


def test_staff_pages(client, world):
    w, users, booking = world
    check(
        client,
        users,
        "desk",
        {"anonymous": LOGIN, "applicant": 403, "clerk": 200, "other_clerk": 200},
        lambda c: c.get("/halls/desk/"),
    )
    check(
        client,
        users,
        "desk day",
        {"anonymous": LOGIN, "applicant": 404, "clerk": 200, "other_clerk": 404},
        lambda c: c.get(f"/halls/desk/{w.hall.pk}/?on={booking.on.isoformat()}"),
    )
    check(
        client,
        users,
        "arrive",
        {"anonymous": LOGIN, "applicant": 404, "clerk": 302, "other_clerk": 404},
        lambda c: c.post(f"/halls/desk/bookings/{booking.pk}/arrive/"),
    )


def test_the_desk_masks_personal_data(client, world):
    w, users, booking = world
    client.force_login(users["clerk"])
    page = client.get(f"/halls/desk/{w.hall.pk}/?on={booking.on.isoformat()}").content.decode()
    assert "TESTCODE" in page and "张三丰" not in page and "13912345678" not in page


def test_api(client, world):
    w, users, booking = world
    day = _open_day(w)
    check(client, users, "GET halls", {"anonymous": 401, "applicant": 200}, lambda c: c.get("/api/halls/halls"))
    check(
        client,
        users,
        "GET slots",
        {"anonymous": 401, "applicant": 200},
        lambda c: c.get(f"/api/halls/halls/{w.hall.pk}/slots?category_id={w.business.pk}&on={day.isoformat()}"),
    )
    check(client, users, "GET bookings", {"anonymous": 401, "applicant": 200}, lambda c: c.get("/api/halls/bookings"))
    body = json.dumps({"hall_id": w.hall.pk, "category_id": w.business.pk, "on": day.isoformat(), "starts": "10:00"})
    check(
        client,
        users,
        "POST bookings",
        {"anonymous": 401, "applicant": 201},
        lambda c: c.post("/api/halls/bookings", body, content_type="application/json"),
    )
    check(
        client,
        users,
        "POST cancel",
        {"anonymous": 401, "applicant": 200, "other_applicant": 404, "clerk": 404},
        lambda c: c.post(f"/api/halls/bookings/{booking.pk}/cancel"),
    )
    check(
        client,
        users,
        "GET hall bookings",
        {"anonymous": 401, "applicant": 404, "clerk": 200, "other_clerk": 404},
        lambda c: c.get(f"/api/halls/halls/{w.hall.pk}/bookings?on={booking.on.isoformat()}"),
    )
    # The clerk passes the permission check; three days early the rule refuses with a clear 409.
    check(
        client,
        users,
        "POST arrive",
        {"anonymous": 401, "applicant": 404, "other_clerk": 404, "clerk": 409},
        lambda c: c.post(f"/api/halls/bookings/{booking.pk}/arrive"),
    )


def test_a_full_slot_is_a_409_with_a_stable_code(client, world):
    w, users, _booking = world
    day = _open_day(w)
    HallProfile.objects.filter(hall=w.hall).update(daily_limit=5)
    body = json.dumps({"hall_id": w.hall.pk, "category_id": w.business.pk, "on": day.isoformat(), "starts": "11:00"})
    for who in ("applicant", "other_applicant"):
        client.force_login(users[who])
        assert client.post("/api/halls/bookings", body, content_type="application/json").status_code == 201
    client.force_login(UserFactory())
    response = client.post("/api/halls/bookings", body, content_type="application/json")
    assert response.status_code == 409 and response.json()["code"] == "halls_slot_full"
