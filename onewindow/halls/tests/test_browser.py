"""End to end in Chromium on a phone (390 px): the applicant opens 预约办事, taps 改约 on a booking, picks a
new slot from the cards and lands back on their bookings with the new code; the page fits the screen."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from onewindow.halls import selectors
from onewindow.halls.models import Booking
from onewindow.halls.tests.factories import hall_world
from onewindow.orgs.tests.factories import RegionFactory, UserFactory
from onewindow.web.tests.browser import ARTIFACTS, PHONE, Sessions
from onewindow.workdays.selectors import work_calendar

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("browser_test_settings"),
]


def _fits_the_screen(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url


def test_an_applicant_reschedules_on_a_phone(live_server: Any, browser: Any) -> None:
    world = hall_world(RegionFactory())
    day = timezone.localdate() + dt.timedelta(days=1)
    while not selectors.slots_of_day(world.hall, world.business, day, work_calendar()):
        day += dt.timedelta(days=1)
    person = UserFactory()
    booking = Booking.objects.create(
        hall=world.hall, category=world.business, person=person, on=day, starts=dt.time(9), code="PHONE001"
    )
    phone = Sessions(browser, live_server.url, viewport=PHONE)
    page = phone.page(person)
    page.goto("/halls/book/")
    _fits_the_screen(page)
    page.get_by_role("link", name="改约").click()
    page.wait_for_url(f"**/halls/book/{booking.pk}/reschedule/")
    _fits_the_screen(page)
    assert page.get_by_role("button", name="取消预约").is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "halls-reschedule-phone.png"), full_page=True)
    page.locator(".ow-halls-slots .card").filter(has_text="10:00").get_by_role("button", name="改约到此时段").click()
    page.wait_for_url("**/halls/book/")
    moved = Booking.objects.get(person=person, status="booked")
    assert moved.starts == dt.time(10) and moved.code in page.content()
    _fits_the_screen(page)
    phone.close()
