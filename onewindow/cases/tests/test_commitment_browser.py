"""告知承诺's consequences on an applicant's phone (390 px wide), in a real browser: the rectification order
on the case page, the report through its form, then the revocation with its remedies. No page is wider
than the screen and the Content-Security-Policy refuses nothing."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from onewindow.cases.models import Task
from onewindow.cases.services import commitment
from onewindow.cases.services.intake import case_approve_on_commitment
from onewindow.cases.tests import factories as f
from onewindow.web.tests.browser import Session

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("browser_test_settings"),
]

PHONE = {"width": 390, "height": 844}


def _fits_the_screen(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_applicant_follows_a_rectification_and_a_revocation_on_a_phone(live_server: Any, browser: Any) -> None:
    case = f.submitted_case(matter_version=f.published_matter(commitment_allowed=True))
    case = case_approve_on_commitment(actor=f.clerk_for(case.region), case=case, commitment_text="本人承诺符合条件")
    check = case.tasks.get()
    reviewer = f.reviewer_for(check.department)
    commitment.task_check_not_conform(actor=reviewer, task=check, finding="未配备专职安全员")

    session = Session(browser, live_server.url, case.applicant.user)
    page = session.page
    page.set_viewport_size(PHONE)
    page.goto(f"/cases/{case.pk}/")
    expect(page.locator(".ow-rectification")).to_contain_text("未配备专职安全员")
    _fits_the_screen(page)
    page.get_by_role("link", name="报告整改完成").click()
    page.get_by_label("整改情况").fill("已聘用专职安全员并完成培训")
    _fits_the_screen(page)
    page.get_by_role("button", name="提交整改报告").click()
    expect(page.locator(".ow-rectification")).to_contain_text("报告整改完成，等待部门复查")

    recheck = Task.objects.get(case=case, kind=Task.Kind.RECHECK)
    basis = "《中华人民共和国行政许可法》第六十九条"
    commitment.task_check_not_conform(actor=reviewer, task=recheck, finding="安全员无从业资格", legal_basis=basis)
    page.reload()
    expect(page.locator(".ow-case-status")).to_have_text("已撤销")
    expect(page.locator(".ow-revocation")).to_contain_text("六个月内依法提起行政诉讼")
    _fits_the_screen(page)
    refused = session.refused
    session.context.close()
    assert not refused, refused
