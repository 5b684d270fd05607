"""容缺受理 in a real browser (Debian's Chromium through Playwright), every step a page: the clerk accepts
with the site plan deferred → the reviewer's task page shows it owed → the applicant hands it in online
→ the reviewer's task page shows nothing owed any more."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from onewindow.cases.models import CaseMaterial
from onewindow.cases.tests import factories as f
from onewindow.web.tests.browser import Sessions

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("browser_test_settings"),
]


def _pdf(name: str) -> dict[str, Any]:
    return {"name": name, "mimeType": "application/pdf", "buffer": f.PDF_BYTES}


def _success(page: Any, text: str) -> None:
    assert text in page.locator(".alert-success").inner_text()


def test_a_deferred_material_handed_in_online_after_acceptance(live_server: Any, browser: Any) -> None:
    case = f.submitted_case(files={"business_licence": f.pdf_file()})  # the site plan (总平面图) is missing
    applicant, clerk = case.applicant.user, f.clerk_for(case.region)
    task_department = case.matters.get().department
    reviewer = f.reviewer_for(task_department)
    due_on = timezone.localdate() + dt.timedelta(days=10)
    sessions = Sessions(browser, live_server.url)

    page = sessions.page(clerk)
    page.goto(f"/cases/{case.pk}/")
    page.get_by_role("link", name="受理办理").click()
    page.check("#defer-site_plan")
    page.fill('input[name="due_on:site_plan"]', due_on.isoformat())
    page.get_by_role("button", name="容缺受理").click()
    _success(page, "已容缺受理")
    expect(page.locator(".ow-owed-materials")).to_contain_text(f"容缺材料“总平面图”须于 {due_on:%Y-%m-%d} 前补交")

    page = sessions.page(reviewer)
    page.goto("/cases/tasks/")
    page.get_by_role("link", name="办理").first.click()
    expect(page.locator(".ow-owed-materials")).to_contain_text("总平面图")

    page = sessions.page(applicant)
    page.goto(f"/cases/{case.pk}/")
    page.get_by_role("link", name="补交容缺材料").click()
    page.set_input_files("input[type=file]", _pdf("总平面图.pdf"))
    page.get_by_role("button", name="提交容缺材料").click()
    _success(page, "容缺材料已补交")
    expect(page.locator(".ow-owed-materials")).to_have_count(0)
    assert CaseMaterial.objects.get(case=case, key="site_plan").file

    page = sessions.page(reviewer)
    page.reload()
    expect(page.locator(".ow-task-facts")).to_be_visible()
    expect(page.locator(".ow-owed-materials")).to_have_count(0)
    sessions.close()
