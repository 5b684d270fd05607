"""The permission matrix of every halls page and endpoint, for every kind of user.

Anonymous: pages redirect to the login, the API answers 401. A hall or a booking the user may not
see is a 404 like a missing one; the desk is 403 for users with no hall role. A hall's settings,
windows, closures and roster: its organisation's system admin and department head; the hall's other
staff 403; anyone else 404. Each user kind is
checked in a savepoint that is rolled back (onewindow.web.tests.matrix).
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from onewindow.halls import selectors
from onewindow.halls.domain import RULE_BOUNDS
from onewindow.halls.models import Booking, Closure, Duty, HallProfile
from onewindow.halls.tests.factories import hall_world
from onewindow.orgs.domain import Role
from onewindow.orgs.tests.factories import RegionFactory, UserFactory, staff, valid_resident_id
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
        "head": staff(Role.DEPARTMENT_HEAD, district),
        "supervisor": staff(Role.SUPERVISOR, district),
        "admin": staff(Role.SYSTEM_ADMIN, district),
        "other_admin": staff(Role.SYSTEM_ADMIN, RegionFactory()),
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


def test_reschedule_page(client, world):
    w, users, booking = world
    day = _open_day(w)
    check(
        client,
        users,
        "reschedule page",
        {"anonymous": LOGIN, "applicant": 200, "other_applicant": 404, "clerk": 404, "admin": 404},
        lambda c: c.get(f"/halls/book/{booking.pk}/reschedule/?on={day.isoformat()}"),
    )
    check(
        client,
        users,
        "reschedule",
        {"anonymous": LOGIN, "applicant": 302, "other_applicant": 404, "clerk": 404},
        lambda c: c.post(f"/halls/book/{booking.pk}/reschedule/", {"on": day.isoformat(), "starts": "10:00"}),
    )


def test_booking_for_a_caller(client, world):
    w, users, _booking = world
    day = _open_day(w)
    form = {"id_number": valid_resident_id(), "name": "王小明", "phone": "13912345678", "category": w.business.pk}
    form |= {"on": day.isoformat(), "starts": "10:00"}
    check(
        client,
        users,
        "book for a caller",
        {"anonymous": LOGIN, "applicant": 404, "clerk": 302, "admin": 302, "head": 404, "other_clerk": 404},
        lambda c: c.post(f"/halls/desk/{w.hall.pk}/book/", form),
    )


# Who changes a hall: its organisation's system admin and department head. The hall's other staff see it
# and get 403; everyone else gets 404.
SETTINGS_GET = {
    "anonymous": LOGIN,
    "applicant": 404,
    "clerk": 403,
    "supervisor": 403,
    "head": 200,
    "admin": 200,
    "other_admin": 404,
    "other_clerk": 404,
}
SETTINGS_POST = SETTINGS_GET | {"head": 302, "admin": 302}


def _settings_form(hall):
    profile = HallProfile.objects.get(hall=hall)
    form = {name: getattr(profile, name) for name in RULE_BOUNDS} | {"kind": profile.kind}
    for day in range(7):
        form |= {f"open_{day}": "on", f"opens_{day}": "09:00", f"closes_{day}": "12:00"}
    return form


def test_settings_pages(client, world):
    w, users, _booking = world
    hall = w.hall.pk
    later = (timezone.localdate() + dt.timedelta(days=5)).isoformat()
    closure = Closure.objects.create(hall=w.hall, on=timezone.localdate() + dt.timedelta(days=6), reason="检修")
    rows = [
        ("settings page", SETTINGS_GET, lambda c: c.get(f"/halls/desk/{hall}/settings/")),
        ("save settings", SETTINGS_POST, lambda c: c.post(f"/halls/desk/{hall}/settings/", _settings_form(w.hall))),
        (
            "add closure",
            SETTINGS_POST,
            lambda c: c.post(f"/halls/desk/{hall}/closures/", {"closure_on": later, "reason": "停电"}),
        ),
        ("remove closure", SETTINGS_POST, lambda c: c.post(f"/halls/desk/{hall}/closures/{closure.pk}/remove/")),
        ("windows page", SETTINGS_GET, lambda c: c.get(f"/halls/desk/{hall}/windows/")),
        (
            "save window",
            SETTINGS_POST,
            lambda c: c.post(
                f"/halls/desk/windows/{w.windows[0].pk}/", {"kind": "comprehensive", "categories": [w.business.pk]}
            ),
        ),
    ]
    for label, expected, call in rows:
        check(client, users, label, expected, call)


def test_roster_pages(client, world):
    w, users, _booking = world
    hall, later = w.hall.pk, timezone.localdate() + dt.timedelta(days=5)
    duty = Duty.objects.create(window=w.windows[0], on=later, clerk=users["clerk"])
    add = {"window": w.windows[1].pk, "on": later.isoformat(), "clerk": users["clerk"].pk}
    check(client, users, "roster page", SETTINGS_GET, lambda c: c.get(f"/halls/desk/{hall}/roster/"))
    check(client, users, "add duty", SETTINGS_POST, lambda c: c.post(f"/halls/desk/{hall}/roster/add/", add))
    check(client, users, "remove duty", SETTINGS_POST, lambda c: c.post(f"/halls/desk/roster/{duty.pk}/remove/"))


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
    caller = {"category_id": w.business.pk, "on": day.isoformat(), "starts": "10:30", "name": "王小明"}
    caller |= {"id_number": valid_resident_id(), "phone": "13912345678"}
    check(
        client,
        users,
        "POST caller bookings",
        {"anonymous": 401, "applicant": 404, "clerk": 201, "admin": 201, "head": 404, "other_clerk": 404},
        lambda c: c.post(f"/api/halls/halls/{w.hall.pk}/caller-bookings", json.dumps(caller), "application/json"),
    )
    check(
        client,
        users,
        "POST reschedule",
        {"anonymous": 401, "applicant": 200, "other_applicant": 404, "clerk": 404},
        lambda c: c.post(
            f"/api/halls/bookings/{booking.pk}/reschedule",
            json.dumps({"on": day.isoformat(), "starts": "11:30"}),
            content_type="application/json",
        ),
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
