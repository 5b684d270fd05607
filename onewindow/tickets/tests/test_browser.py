"""End to end in Chromium: a person books online on a phone, takes a ticket at the hall's kiosk with the
booking code, sees the call on the hall's wall screen (htmx, no reload) and on their phone (the
ticket's QR link); the clerk serves them and the window intake opens with the applicant filled in.

The day is fixed (Monday 2026-12-07, 10:05 in Shanghai, the clock ticking) so that a slot of the day is
within its arrival window whenever the test runs.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from onewindow.cases.tests.factories import published_matter
from onewindow.halls.models import Booking
from onewindow.orgs.models import Applicant
from onewindow.orgs.tests.factories import UserFactory, valid_resident_id
from onewindow.tickets.models import Ticket
from onewindow.tickets.tests.factories import SHANGHAI, ticket_world
from onewindow.web.tests.browser import ARTIFACTS, PHONE, Sessions

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("browser_test_settings"),
]
MONDAY_MORNING = dt.datetime(2026, 12, 7, 10, 5, tzinfo=SHANGHAI)


def _fits_the_screen(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url


def test_booked_online_ticket_at_the_kiosk_called_on_the_screen_served_at_the_window(
    live_server: Any, browser: Any
) -> None:
    with time_machine.travel(MONDAY_MORNING, tick=True):
        _run(live_server, browser)


def _run(live_server: Any, browser: Any) -> None:
    world = ticket_world()
    matter = published_matter(name="个体工商户登记")
    person = UserFactory(name="林小雨")
    id_number = valid_resident_id(sequence="321")
    Applicant.objects.create(kind="person", name="林小雨", id_number=id_number, user=person)
    phone, office = Sessions(browser, live_server.url, viewport=PHONE), Sessions(browser, live_server.url)
    ARTIFACTS.mkdir(exist_ok=True)

    # 1. The person books 10:30 online.
    mine = phone.page(person)
    mine.goto(f"/halls/book/?hall={world.hall.pk}&category={world.halls.business.pk}&on=2026-12-07")
    mine.locator(".ow-halls-slots .card", has_text="10:30").get_by_role("button", name="预约").click()
    assert "预约成功" in mine.content()
    code = Booking.objects.get(person=person).code

    # 2. At the hall's kiosk they type the booking code and get a ticket with a QR code.
    kiosk = office.page(world.clerk)
    kiosk.goto(f"/tickets/kiosk/{world.hall.pk}/")
    kiosk.screenshot(path=str(ARTIFACTS / "tickets-kiosk.png"), full_page=True)
    kiosk.get_by_label("预约码").fill(code)
    kiosk.get_by_role("button", name="凭预约码取号").click()
    kiosk.wait_for_url("**/tickets/kiosk/tickets/**")
    assert "A001" in kiosk.content() and "前面还有 0 人" in kiosk.content()
    follow_url = kiosk.locator(".ow-ticket-qr").get_attribute("src")
    assert follow_url and follow_url.startswith("data:image/svg+xml")
    kiosk.screenshot(path=str(ARTIFACTS / "tickets-printed.png"), full_page=True)
    ticket = Ticket.objects.get()
    assert Booking.objects.get(person=person).status == "arrived"

    # 3. The wall screen (no login) and the person's phone follow the queue.
    wall_context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    wall = wall_context.new_page()
    wall.goto(f"/tickets/screen/{world.hall.pk}/")
    assert "A001" in wall.locator("#ow-screen-board").inner_text()
    from onewindow.tickets.selectors import follow_token

    mine.goto(f"/tickets/t/{follow_token(ticket.pk)}/")
    assert "等候中" in mine.content()
    _fits_the_screen(mine)

    # 4. The clerk calls: the screen shows it without a reload, ready to say it aloud.
    console = office.page(world.clerk)
    console.goto(f"/tickets/console/{world.window(0).pk}/")
    console.get_by_role("button", name="叫下一个号").click()
    assert "请A001号到1号窗口办理" in console.content()
    console.screenshot(path=str(ARTIFACTS / "tickets-console.png"), full_page=True)
    call = wall.locator("[data-ow-call]", has_text="A001")
    call.wait_for()
    assert call.get_attribute("data-ow-say") == "请A001号到1号窗口办理"
    wall.screenshot(path=str(ARTIFACTS / "tickets-screen.png"), full_page=True)
    mine.locator(".ow-follow-window").wait_for()
    assert "请到1号窗口办理" in mine.content()
    _fits_the_screen(mine)
    mine.screenshot(path=str(ARTIFACTS / "tickets-follow-phone.png"), full_page=True)

    # 5. Service starts: the window intake opens with the applicant filled in.
    console.get_by_role("button", name="开始办理").click()
    console.wait_for_url("**/cases/window/new/**")
    console.get_by_label("单一事项").select_option(str(matter.pk))
    console.get_by_role("button", name="选择").click()
    assert console.get_by_label("名称/姓名").input_value() == "林小雨"
    assert console.get_by_label("身份证号/统一社会信用代码").input_value() == id_number
    console.screenshot(path=str(ARTIFACTS / "tickets-intake-prefilled.png"), full_page=True)

    # 6. Finished: the rating tablet opens for that window.
    console.goto(f"/tickets/console/{world.window(0).pk}/")
    console.get_by_role("button", name="办结").click()
    console.wait_for_url("**/evaluation/window/**")
    assert Ticket.objects.get().status == "done"
    wall_context.close()
    phone.close()
    office.close()
