"""代办 in a real browser (Debian's Chromium through Playwright): the applicant names an agent online, the
agent applies for the applicant from the matter's apply page and finds the case in 代办工作台, and the
applicant sees the case in 我的办件, its timeline naming the agent who filed it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from onewindow.cases.models import Case
from onewindow.cases.tests.factories import PDF_BYTES, applicant_with_user, department, published_matter, region
from onewindow.orgs.domain import Role
from onewindow.orgs.tests.factories import staff
from onewindow.web.tests.browser import Sessions

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("browser_test_settings"),
]


def _pdf(name: str) -> dict[str, Any]:
    return {"name": name, "mimeType": "application/pdf", "buffer": PDF_BYTES}


def test_an_agent_submits_for_the_applicant_who_sees_the_case(live_server: Any, browser: Any) -> None:
    home = region()
    version = published_matter(department=department(home), name="建设工程规划许可")
    applicant = applicant_with_user()
    assert applicant.user is not None
    agent = staff(Role.AGENT, home, name="冯帮办")
    sessions = Sessions(browser, live_server.url)

    # The applicant names the agent online: submitting and withdrawing, for a month.
    page = sessions.page(applicant.user)
    page.goto("/agency/authorisations/grant/")
    page.select_option("#id_agent", str(agent.pk))
    page.check('input[name="scope"][value="submit"]')
    page.check('input[name="scope"][value="withdraw"]')
    page.fill("#id_valid_until", (timezone.localdate() + dt.timedelta(days=30)).isoformat())
    page.get_by_role("button", name="确认委托").click()
    expect(page.locator(".ow-authorisation-state")).to_have_text("有效")

    # The agent applies for the applicant from the matter's page.
    page = sessions.page(agent)
    page.goto(f"/cases/apply/matter/{version.matter.code}/")
    expect(page.locator("#id_applicant")).to_contain_text(applicant.name)
    page.fill("#id_f-project_name", "滨江科创园一期")
    page.fill("#id_f-floor_area", "12000")
    page.set_input_files("#id_m-business_licence", _pdf("营业执照.pdf"))
    page.set_input_files("#id_m-site_plan", _pdf("总平面图.pdf"))
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_url("**/receipt/")
    case = Case.objects.get(applicant=applicant)
    assert (case.submitted_by, case.agent) == (agent, agent)
    page.goto("/agency/")
    expect(page.locator(".ow-agency-cases")).to_contain_text(case.number)
    expect(page.locator(".ow-agency-cases")).to_contain_text("待受理")

    # The applicant sees the case, filed by the agent for them.
    page = sessions.page(applicant.user)
    page.goto("/cases/mine/")
    page.get_by_role("link", name=case.number).click()
    expect(page.locator(".ow-case-status")).to_have_text("待受理")
    expect(page.locator(".ow-case-agency")).to_contain_text("冯帮办")
    expect(page.locator(".ow-timeline")).to_contain_text("代办员冯帮办受申请人委托代为提交申请")
    sessions.close()
