"""The demo's halls get appointment settings and a few bookings, once."""

import pytest
from django.utils import timezone

from onewindow.demo.halls import halls_demo_load
from onewindow.halls.models import Booking, HallProfile, WindowProfile
from onewindow.orgs.models import Applicant, Hall, Window
from onewindow.orgs.tests.factories import RegionFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_demo_sets_up_halls_and_books_idempotently():
    hall = Hall.objects.create(region=RegionFactory(), name="云川市政务服务中心")
    for n in ("1", "2"):
        Window.objects.create(hall=hall, number=n, name="综合窗口")
    user = UserFactory()
    Applicant.objects.create(kind="person", name="李四", id_number="110105198001011234", user=user)

    created = halls_demo_load(today=timezone.localdate())

    assert created == 1 and Booking.objects.filter(person=user).count() == 1
    assert HallProfile.objects.filter(hall=hall).exists()
    assert WindowProfile.objects.filter(window__hall=hall, weekend_service=True).count() == 1
    assert halls_demo_load(today=timezone.localdate()) == 0
    assert Booking.objects.count() == 1
