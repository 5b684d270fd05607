"""The applicant's pages on a phone (390 px wide): the navigation folds behind its button, lists read as
cards, nothing is wider than the screen, and the Content-Security-Policy refuses nothing."""

from __future__ import annotations

from typing import Any

import pytest

from onewindow.cases.tests import factories as f
from onewindow.web.tests.browser import PHONE, Sessions

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("browser_test_settings"),
]


def _fits_the_screen(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url


def test_an_applicant_follows_their_case_on_a_phone(live_server: Any, browser: Any) -> None:
    case = f.submitted_case()
    matter = case.matter_version
    sessions = Sessions(browser, live_server.url, viewport=PHONE)
    page = sessions.page(case.applicant.user)

    page.goto("/")
    guide_link = page.locator("#ow-nav").get_by_role("link", name="办事指南")
    assert not guide_link.is_visible()
    page.get_by_role("button", name="菜单").click()
    guide_link.click()
    page.wait_for_url("**/catalogue/")
    _fits_the_screen(page)

    page.goto(f"/catalogue/matters/{matter.matter.code}/")
    _fits_the_screen(page)
    material = page.locator("#materials tbody tr").first
    assert material.evaluate("row => getComputedStyle(row).display") == "block"
    assert "材料名称" in material.locator("td").nth(1).get_attribute("data-label")

    page.goto("/cases/mine/")
    _fits_the_screen(page)
    card = page.locator(".ow-case-table tbody tr").first
    assert card.evaluate("row => getComputedStyle(row).display") == "block"
    assert card.locator("td").first.get_attribute("data-label") == "办件编号"
    card.get_by_role("link", name=case.number).click()
    page.wait_for_url(f"**/cases/{case.pk}/")
    _fits_the_screen(page)
    assert "待受理" in page.locator(".ow-case-status").inner_text()

    page.goto(f"/cases/{case.pk}/receipt/")
    _fits_the_screen(page)
    sessions.close()
