"""The phase form in a real browser: the actual start date (实际开工) shows only while the move to
新开工 is chosen, and the day typed is recorded as the project's actual start."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from onewindow.projects.domain import Phase
from onewindow.projects.tests.factories import ProjectFactory, city, district, office_for
from onewindow.web.tests.browser import Sessions

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("browser_test_settings"),
]


def test_the_start_day_shows_for_the_move_to_new_start_and_is_recorded(live_server: Any, browser: Any) -> None:
    east = district(city())
    project = ProjectFactory(district=east, phase=Phase.PREPARATION, name="滨江物流园")
    started_on = timezone.localdate() - dt.timedelta(days=3)
    sessions = Sessions(browser, live_server.url)
    page = sessions.page(office_for(east))
    page.goto(f"/projects/{project.pk}/")
    day = page.locator("#id_started_on")

    assert day.is_visible()  # 新开工 is the move offered first
    page.select_option("#id_to_phase", "reserve")
    assert day.is_hidden()
    page.select_option("#id_to_phase", "new_start")
    day.fill(started_on.isoformat())
    page.fill("#id_reason", "主体工程开工")
    page.get_by_role("button", name="变更建设阶段").click()
    page.wait_for_selector(".alert-success")

    assert started_on.isoformat() in page.locator(".ow-project-facts").inner_text()
    project.refresh_from_db()
    assert (project.phase, project.actual_start) == (Phase.NEW_START, started_on)
    sessions.close()
