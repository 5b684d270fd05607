"""In Chromium: the supervisor's figures page draws its ECharts charts (the vendored file, no CDN) under
the Content-Security-Policy, with the tables below them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from onewindow.orgs.domain import Role
from onewindow.orgs.tests.factories import staff
from onewindow.tickets import services
from onewindow.tickets.tests.factories import SHANGHAI, ticket_world
from onewindow.web.tests.browser import ARTIFACTS, Sessions

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("browser_test_settings"),
]
MONDAY = dt.date(2026, 12, 7)


def at(hour: int, minute: int) -> dt.datetime:
    return dt.datetime.combine(MONDAY, dt.time(hour, minute), tzinfo=SHANGHAI)


def test_the_figures_page_draws_its_charts(live_server: Any, browser: Any) -> None:
    with time_machine.travel(at(11, 0), tick=True):
        world = ticket_world()
        supervisor = staff(Role.SUPERVISOR, world.region)
        window = world.window(0).pk
        for minute in (0, 10):
            world.walk_in(at=at(9, minute))
        for called, finished in [(at(9, 15), at(9, 30)), (at(9, 35), at(9, 50))]:
            ticket = services.ticket_call_next(actor=world.clerk, window_id=window, now=called)
            services.service_start(actor=world.clerk, window_id=window, ticket_id=ticket.pk, now=called)
            services.service_finish(actor=world.clerk, window_id=window, ticket_id=ticket.pk, now=finished)
        office = Sessions(browser, live_server.url)
        page = office.page(supervisor)
        page.goto(f"/tickets/figures/?hall={world.hall.pk}")
        page.get_by_role("link", name="今日").click()
        page.wait_for_selector("#chart-times-hour canvas")
        page.wait_for_selector("#chart-utilisation canvas")
        assert page.locator("#table-times_by_hall td", has_text="测试政务服务大厅").count() == 1
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "tickets-figures.png"), full_page=True)
        office.close()
