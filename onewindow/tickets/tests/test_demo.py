"""The demo's queue today: tickets taken, one served at window 1, one called to window 2; once a day.
On a working day (a weekend opens window 1 only, a legal holiday has no queue)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from onewindow.demo.halls import halls_demo_load
from onewindow.demo.tickets import tickets_demo_load
from onewindow.orgs.domain import Role
from onewindow.orgs.models import Hall, Window
from onewindow.orgs.tests.factories import RegionFactory, staff
from onewindow.tickets.models import Ticket

pytestmark = pytest.mark.django_db


@time_machine.travel(dt.datetime(2026, 12, 9, 10, 30, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
def test_the_demo_fills_todays_queue_once():
    region = RegionFactory()
    hall = Hall.objects.create(region=region, name="云川市政务服务中心")
    for n in ("1", "2"):
        Window.objects.create(hall=hall, number=n, name="综合窗口")
    staff(Role.CLERK, region)
    halls_demo_load(today=timezone.localdate())

    assert tickets_demo_load() == 6
    statuses = sorted(Ticket.objects.values_list("status", flat=True))
    assert statuses == ["called", "serving", "waiting", "waiting", "waiting", "waiting"]
    assert Ticket.objects.get(status="serving").priority == "priority"  # the priority group went first
    assert tickets_demo_load() == 0 and Ticket.objects.count() == 6


@time_machine.travel(dt.datetime(2026, 12, 12, 7, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
def test_on_a_saturday_before_the_doors_open_the_queue_is_at_the_weekend_window_in_its_hours():
    region = RegionFactory()
    hall = Hall.objects.create(region=region, name="云川市政务服务中心")
    for n in ("1", "2"):
        Window.objects.create(hall=hall, number=n, name="综合窗口")
    staff(Role.CLERK, region)
    halls_demo_load(today=timezone.localdate())

    assert tickets_demo_load() == 6
    assert set(Ticket.objects.exclude(window=None).values_list("window__number", flat=True)) == {"1"}
    taken = [timezone.localtime(t).time() for t in Ticket.objects.values_list("issued_at", flat=True)]
    assert all(dt.time(9) <= t < dt.time(12) for t in taken)
