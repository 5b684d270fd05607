"""End to end in Chromium: the applicant rates an ended case on a phone (390 px) from the case page and
comes back to it; the department answers on an office screen; the applicant says the answer settled it."""

from __future__ import annotations

from typing import Any

import pytest

from onewindow.evaluation.models import FollowUp
from onewindow.evaluation.tests.factories import build_world
from onewindow.web.tests.browser import ARTIFACTS, PHONE, Sessions

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("browser_test_settings"),
]


def _fits_the_screen(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url


def test_a_bad_rating_on_a_phone_is_answered_and_settled(live_server: Any, browser: Any) -> None:
    world = build_world()
    phone, office = Sessions(browser, live_server.url, viewport=PHONE), Sessions(browser, live_server.url)
    page = phone.page(world.user("applicant"))
    page.goto(f"/cases/{world.case.pk}/")
    page.get_by_role("link", name="去评价").click()
    page.wait_for_url("**/evaluation/cases/**")
    _fits_the_screen(page)
    page.get_by_label("非常不满意").check()
    page.get_by_label("多次跑").check()
    page.get_by_label("评价内容（选填）").fill("材料清单不清楚，跑了三次。")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "evaluation-rate-phone.png"), full_page=True)
    page.get_by_role("button", name="提交评价").click()
    page.wait_for_url(f"**/cases/{world.case.pk}/")
    assert "感谢您的评价" in page.content()
    _fits_the_screen(page)

    follow_up = FollowUp.objects.get()
    staff = office.page(world.user("reviewer"))
    staff.goto(f"/evaluation/follow-ups/{follow_up.pk}/")
    assert "匿名（未同意回访）" in staff.content()
    staff.get_by_label("核实情况").fill("属实。")
    staff.get_by_role("button", name="提交核实").click()
    staff.get_by_label("整改措施").fill("更新一次性告知单。")
    staff.get_by_label("答复申请人").fill("已整改，材料清单已更新。")
    staff.get_by_role("button", name="整改并答复").click()
    assert "已整改并答复申请人" in staff.content()
    staff.screenshot(path=str(ARTIFACTS / "evaluation-follow-up.png"), full_page=True)

    page.goto("/evaluation/mine/")
    assert "已整改，材料清单已更新。" in page.content()
    page.get_by_role("button", name="对答复满意").click()
    assert "您对答复满意" in page.content()
    _fits_the_screen(page)
    page.goto("/evaluation/public/")
    _fits_the_screen(page)
    page.screenshot(path=str(ARTIFACTS / "evaluation-public-phone.png"), full_page=True)
    phone.close()
    office.close()
