"""A clerk books for a caller: found by ID number, else registered with an account that cannot sign in;
a refused booking registers nobody."""

import json

import pytest

from onewindow.audit.models import Event
from onewindow.errors import Conflict, InvalidFields, NotFound
from onewindow.halls import services
from onewindow.halls.models import Booking
from onewindow.halls.tests.factories import MONDAY, NOW, T, hall_world
from onewindow.notify.models import Delivery
from onewindow.orgs.domain import Role
from onewindow.orgs.models import Applicant, Hall, User
from onewindow.orgs.tests.factories import RegionFactory, UserFactory, staff, valid_resident_id

pytestmark = pytest.mark.django_db
ID = valid_resident_id()
NINE = T(9)


@pytest.fixture
def world():
    return hall_world(RegionFactory())


def book(world, clerk, *, id_number=ID, name="王小明", phone="13912345678", starts=NINE):
    return services.booking_create_for_caller(
        actor=clerk,
        hall_id=world.hall.pk,
        category_id=world.business.pk,
        on=MONDAY,
        starts=starts,
        id_number=id_number,
        name=name,
        phone=phone,
        now=NOW,
    )


def test_a_new_caller_is_registered_and_gets_the_sms(world):
    clerk = staff(Role.CLERK, world.hall.region)
    booking = book(world, clerk)
    applicant = Applicant.objects.get(id_number=ID)
    assert booking.channel == "clerk" and booking.person == applicant.user and booking.booked_by == clerk
    assert not applicant.user.has_usable_password()
    assert Delivery.objects.get(recipient=applicant.user, dedupe_key__endswith=":confirm").address == "13912345678"
    assert Event.objects.filter(action="halls.caller_account_created").count() == 1


def test_a_known_caller_books_on_their_own_account(world):
    clerk = staff(Role.CLERK, world.hall.region)
    user = UserFactory()
    Applicant.objects.create(kind="person", name="王小明", id_number=ID, user=user)
    assert book(world, clerk, phone="").person == user
    assert not Event.objects.filter(action="halls.caller_account_created").exists()


def test_bad_caller_details_are_named_at_once_and_nobody_is_registered(world):
    clerk = staff(Role.CLERK, world.hall.region)
    with pytest.raises(InvalidFields) as refused:
        book(world, clerk, id_number="110105198001011230", name=" ", phone="12345")
    assert set(refused.value.errors) == {"id_number", "name", "phone"}
    assert not Applicant.objects.exists()


def test_a_refused_booking_registers_nobody(world):
    clerk = staff(Role.CLERK, world.hall.region)
    for other in (UserFactory(), UserFactory()):
        services.booking_create(
            actor=other,
            person=other,
            hall_id=world.hall.pk,
            category_id=world.business.pk,
            on=MONDAY,
            starts=T(9),
            now=NOW,
        )
    users = User.objects.count()
    with pytest.raises(Conflict):
        book(world, clerk)
    assert not Applicant.objects.filter(id_number=ID).exists() and User.objects.count() == users


def test_only_the_halls_desk_books_for_callers(world):
    for outsider in (staff(Role.CLERK, RegionFactory()), staff(Role.SUPERVISOR, world.hall.region)):
        with pytest.raises(NotFound):
            book(world, outsider)
    assert not Booking.objects.exists() and not Applicant.objects.exists()


def test_the_api_names_each_bad_caller_field(client, world):
    client.force_login(staff(Role.CLERK, world.hall.region))
    body = {"category_id": world.business.pk, "on": MONDAY.isoformat(), "starts": "09:00"}
    body |= {"id_number": "123", "name": "", "phone": "555"}
    response = client.post(
        f"/api/halls/halls/{world.hall.pk}/caller-bookings", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 422 and response.json()["code"] == "halls_caller_invalid"
    assert {e["field"] for e in response.json()["errors"]} == {"id_number", "name", "phone"}


def test_a_hall_without_appointment_settings_takes_no_caller(world):
    bare = Hall.objects.create(region=world.hall.region, name="新建便民服务中心")
    clerk = staff(Role.CLERK, world.hall.region)
    with pytest.raises(NotFound) as refused:
        services.booking_create_for_caller(
            actor=clerk,
            hall_id=bare.pk,
            category_id=world.business.pk,
            on=MONDAY,
            starts=NINE,
            id_number=ID,
            name="王小明",
            now=NOW,
        )
    assert refused.value.code == "halls_hall_not_found" and not Applicant.objects.exists()
