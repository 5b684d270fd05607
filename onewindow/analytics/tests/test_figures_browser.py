"""In Chromium: the analysis pages draw their ECharts charts (the vendored file, no CDN) under the
Content-Security-Policy, beside their tables, with no error in the page."""

from __future__ import annotations

from typing import Any

import pytest

from onewindow.analytics.tests.figures_world import QUERY, build
from onewindow.web.tests.browser import ARTIFACTS, Sessions

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("browser_test_settings"),
]


def test_the_analysis_pages_draw_their_charts(live_server: Any, browser: Any, time_machine: Any) -> None:
    world = build(time_machine)
    office = Sessions(browser, live_server.url)
    page = office.page(world.leader)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"/analytics/?{QUERY}")
    page.wait_for_selector("#chart-by_month canvas")
    page.wait_for_selector("#chart-finish_last canvas")
    page.get_by_role("link", name="规范运行管理").click()
    page.wait_for_selector("#chart-times_by_matter canvas")
    assert page.locator("#table-slowest a", has_text=world.corrected.number).count() == 1
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "analytics-operations.png"), full_page=True)
    page.get_by_role("link", name="把握公众需求").click()
    page.wait_for_selector("#chart-by_hour canvas")
    page.wait_for_selector("#chart-by_channel canvas")
    page.screenshot(path=str(ARTIFACTS / "analytics-demand.png"), full_page=True)
    assert errors == []
    office.close()
