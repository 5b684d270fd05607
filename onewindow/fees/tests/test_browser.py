"""An applicant estimates the 施工许可 stage's fees on a phone (390 px), without logging in."""

from __future__ import annotations

from typing import Any

import pytest

from onewindow.fees.tests.factories import fee_world
from onewindow.web.tests.browser import ARTIFACTS, PHONE

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("browser_test_settings"),
]


def test_an_applicant_estimates_a_stage_on_a_phone(live_server: Any, browser: Any) -> None:
    world = fee_world()
    context = browser.new_context(viewport=PHONE, base_url=live_server.url)
    page = context.new_page()
    page.goto("/fees/estimate/")
    page.get_by_label("办理阶段").select_option(str(world.weihai_stage.pk))
    page.get_by_label("总建筑面积（平方米）").fill("12345.67")
    page.get_by_label("应建未建防空地下室面积（平方米）").fill("800")
    page.get_by_label("施工合同价款（元）").fill("36000000")
    page.get_by_label("项目类别").select_option("industrial")
    page.get_by_role("button", name="测算").click()
    page.wait_for_selector(".ow-fees-line")
    assert page.locator(".ow-fees-line").count() == 7
    assert page.locator(".ow-fees-due-total").inner_text() == "1463000.00"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "fees-estimate-phone.png"), full_page=True)
    context.close()
