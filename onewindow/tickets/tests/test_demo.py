"""The demo's queue today: tickets taken, one served at window 1, one called to window 2; once a day.
On a weekend at the weekend window only."""

import datetime as dt

import pytest

from onewindow.demo.halls import halls_demo_load
from onewindow.demo.tickets import tickets_demo_load
from onewindow.orgs.domain import Role
from onewindow.orgs.models import Hall, Window
from onewindow.orgs.tests.factories import RegionFactory, staff
from onewindow.tickets.models import Ticket
from onewindow.tickets.tests.factories import AT_TEN, DAY

pytestmark = pytest.mark.django_db


def _demo_hall(day: dt.date = DAY) -> None:
    region = RegionFactory()
    hall = Hall.objects.create(region=region, name="云川市政务服务中心")
    for n in ("1", "2"):
        Window.objects.create(hall=hall, number=n, name="综合窗口")
    staff(Role.CLERK, region)
    halls_demo_load(today=day)


def test_the_demo_fills_todays_queue_once():
    _demo_hall()

    assert tickets_demo_load(now=AT_TEN) == 6
    statuses = sorted(Ticket.objects.values_list("status", flat=True))
    assert statuses == ["called", "serving", "waiting", "waiting", "waiting", "waiting"]
    assert Ticket.objects.get(status="serving").priority == "priority"  # the priority group went first
    assert tickets_demo_load(now=AT_TEN) == 0 and Ticket.objects.count() == 6


def test_the_demo_takes_no_ticket_while_the_hall_is_closed():
    _demo_hall()

    assert tickets_demo_load(now=AT_TEN.replace(hour=7)) == 0
    assert not Ticket.objects.exists()


def test_on_a_saturday_the_queue_is_at_the_weekend_window_only():
    saturday = AT_TEN + dt.timedelta(days=5)
    _demo_hall(saturday.date())

    assert tickets_demo_load(now=saturday) == 6
    assert set(Ticket.objects.exclude(window=None).values_list("window__number", flat=True)) == {"1"}
    assert sorted(Ticket.objects.values_list("status", flat=True)) == ["serving", *["waiting"] * 5]
