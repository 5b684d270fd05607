"""The issue's end-to-end path in a real browser (Debian's Chromium through Playwright), every step a page.

An applicant applies online for a bundle of three departments → the clerk sends one correction notice →
the applicant corrects → the clerk accepts → two departments approve, the third starts an expert review
(its clock stops), ends it and approves → the lead department decides → the applicant sees 办结 with each
matter's result. Each user logs in through /accounts/login/ in a browser context of their own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from onewindow.cases.domain import CaseStatus
from onewindow.cases.models import Case, ClockStop
from onewindow.cases.tests.factories import (
    PDF_BYTES,
    applicant_with_user,
    clerk_for,
    coordinator_for,
    department,
    published_matter,
    region,
    reviewer_for,
)
from onewindow.catalogue.domain import merge_form_schemas
from onewindow.catalogue.models import BundleVersion
from onewindow.catalogue.tests.factories import BundleVersionFactory, StageFactory, StageMatterFactory
from onewindow.orgs.domain import Role
from onewindow.orgs.models import Organisation, User
from onewindow.orgs.tests.factories import staff
from onewindow.web.tests.browser import ARTIFACTS, Sessions

MATTER_NAMES = ("建设项目用地预审", "建设工程规划许可", "施工图审查备案")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("browser_test_settings"),
]


@dataclass
class City:
    bundle: BundleVersion
    departments: list[Organisation]
    applicant: User
    clerk: User
    reviewers: list[User]
    lead: User
    supervisor: User


def _bundle(departments: list[Organisation]) -> BundleVersion:
    """Three departments in one stage; each matter asks for the shared licence and its own drawing."""
    versions = []
    for n, (organisation, name) in enumerate(zip(departments, MATTER_NAMES, strict=True), start=1):
        version = published_matter(department=organisation, name=name)
        version.materials.filter(key="site_plan").update(key=f"drawing_{n}", name=f"设计图纸{n}")
        version.materials.filter(key="site_photo").delete()
        versions.append(version)
    bundle: BundleVersion = BundleVersionFactory.create(published=True, name="工业项目施工许可联审联批")
    stage = StageFactory.create(bundle_version=bundle, position=1, name="联合审查", lead_department=departments[0])
    for version in versions:
        StageMatterFactory.create(stage=stage, matter=version.matter, matter_version=version)
    bundle.unified_form_schema = merge_form_schemas([(v.name, v.form_schema) for v in versions])
    bundle.save(update_fields=["unified_form_schema"])
    return bundle


def _city() -> City:
    home = region()
    departments = [department(home) for _ in MATTER_NAMES]
    applicant = applicant_with_user()
    assert applicant.user is not None
    return City(
        bundle=_bundle(departments),
        departments=departments,
        applicant=applicant.user,
        clerk=clerk_for(home),
        reviewers=[reviewer_for(d) for d in departments],
        lead=coordinator_for(departments[0]),
        supervisor=staff(Role.SUPERVISOR, home),
    )


def _pdf(name: str) -> dict[str, Any]:
    return {"name": name, "mimeType": "application/pdf", "buffer": PDF_BYTES}


def _success(page: Any, text: str) -> None:
    assert text in page.locator(".alert-success").inner_text()


def _apply(sessions: Sessions, city: City) -> Case:
    """Online, with the shared licence and two of the three drawings: the third is missing."""
    page = sessions.page(city.applicant)
    page.goto(f"/cases/apply/bundle/{city.bundle.bundle.code}/")
    page.fill("#id_f-project_name", "滨江科创园一期")
    page.fill("#id_f-floor_area", "12000")
    page.set_input_files("#id_m-business_licence", _pdf("营业执照.pdf"))
    page.set_input_files("#id_m-drawing_1", _pdf("图纸1.pdf"))
    page.set_input_files("#id_m-drawing_2", _pdf("图纸2.pdf"))
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_url("**/receipt/")
    page.emulate_media(media="print")  # the receipt prints without the site's navigation and buttons
    assert page.locator(".ow-case-number").is_visible() and not page.locator("nav.ow-navbar").is_visible()
    assert not page.get_by_role("button", name="打印回执").is_visible()
    page.emulate_media(media="screen")
    assert page.get_by_role("button", name="打印回执").is_visible()
    return Case.objects.get(applicant__user=city.applicant)


def _correction_notice(sessions: Sessions, city: City, case: Case) -> None:
    page = sessions.page(city.clerk)
    page.goto(f"/cases/{case.pk}/")
    page.get_by_role("link", name="受理办理").click()
    form = page.locator(".ow-correction-form")
    form.locator('input[value="material:drawing_3"]').check()
    form.locator('input[name="problem:material:drawing_3"]').fill("未提交设计图纸3")
    form.locator('input[value="field:start_on"]').check()
    form.locator('input[name="problem:field:start_on"]').fill("请填写计划开工日期")
    page.get_by_role("button", name="发出一次性补正告知").click()
    _success(page, "一次性补正告知")


def _correct(sessions: Sessions, city: City, case: Case) -> None:
    page = sessions.page(city.applicant)
    page.goto(f"/cases/{case.pk}/correct/")
    assert "未提交设计图纸3" in page.content()
    page.set_input_files("#id_m-drawing_3", _pdf("图纸3.pdf"))
    page.fill("#id_f-start_on", (timezone.localdate() + dt.timedelta(days=30)).isoformat())
    page.get_by_role("button", name="提交补正").click()
    _success(page, "补正材料已提交")


def _accept(sessions: Sessions, city: City, case: Case) -> None:
    page = sessions.page(city.clerk)
    page.goto("/cases/intake/")
    page.get_by_role("link", name=case.number).first.click()
    page.get_by_role("link", name="受理办理").click()
    page.get_by_role("button", name="受理", exact=True).click()
    _success(page, "已受理")
    assert "审查中" in page.locator(".ow-case-status").inner_text()


def _open_my_task(sessions: Sessions, reviewer: User) -> Any:
    page = sessions.page(reviewer)
    page.goto("/cases/tasks/")
    page.get_by_role("link", name="办理").first.click()
    return page


def _approve(page: Any, opinion: str) -> None:
    page.fill("#approve-opinion", opinion)
    page.get_by_role("button", name="同意", exact=True).click()
    _success(page, "已提交同意意见")
    assert page.locator(".ow-task-status").inner_text() == "同意"


def _done_tab_swaps_in_place(page: Any, case: Case) -> None:
    """已办 replaces the list in place (htmx): the address changes, the page is not reloaded."""
    page.goto("/cases/tasks/")
    page.evaluate("window.owSamePage = true")
    page.get_by_role("link", name="已办").click()
    page.wait_for_url("**/cases/tasks/?tab=done")
    expect(page.locator("#ow-task-list .nav-link.active")).to_have_text("已办")
    expect(page.locator("#ow-task-list")).to_contain_text(case.number)
    assert page.evaluate("window.owSamePage === true")


def _board_filters_in_place(sessions: Sessions, city: City) -> None:
    """The supervisor narrows the board to one department: counts and tables change, the page stays."""
    page = sessions.page(city.supervisor)
    page.goto("/cases/supervision/")
    tasks_card = page.locator("#ow-board .ow-board-counts .card").nth(1)
    expect(tasks_card).to_contain_text("合计 3")
    page.evaluate("window.owSamePage = true")
    page.select_option("#f-department", city.departments[1].code)
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url(f"**/cases/supervision/?*department={city.departments[1].code}*")
    expect(tasks_card).to_contain_text("合计 1")
    assert page.evaluate("window.owSamePage === true")


def _review(sessions: Sessions, city: City, case: Case) -> None:
    _board_filters_in_place(sessions, city)
    for reviewer in city.reviewers[:2]:
        _approve(_open_my_task(sessions, reviewer), "符合要求，同意")
    _done_tab_swaps_in_place(sessions.page(city.reviewers[0]), case)
    page = _open_my_task(sessions, city.reviewers[2])
    page.select_option("#procedure-kind", "expert_review")
    page.fill("#procedure-reason", "施工图涉及超限高层，需专家论证")
    page.fill("#procedure-end", (timezone.localdate() + dt.timedelta(days=14)).isoformat())
    page.get_by_role("button", name="启动特别程序，中止计时").click()
    _success(page, "计时中止")
    assert "专家评审" in page.locator(".ow-clock-stopped").inner_text()
    assert ClockStop.objects.filter(case=case, reason="expert_review", last_on__isnull=True).exists()
    page.fill("#procedure-end-note", "专家论证通过")
    page.get_by_role("button", name="结束特别程序，恢复计时").click()
    _success(page, "恢复计时")
    _approve(page, "专家论证通过，同意")


def _decide(sessions: Sessions, city: City, case: Case) -> None:
    page = sessions.page(city.lead)
    page.goto(f"/cases/{case.pk}/")
    page.get_by_role("link", name="联合决定").click()
    for select in page.locator(".ow-decision-form select").all():
        select.select_option("approved")
    page.fill("#decision-note", "各部门审查同意，准予许可")
    page.get_by_role("button", name="作出联合决定").click()
    _success(page, "已作出联合决定")


def test_bundle_from_online_application_to_joint_decision(live_server: Any, browser: Any) -> None:
    city = _city()
    sessions = Sessions(browser, live_server.url)
    case = _apply(sessions, city)
    _correction_notice(sessions, city, case)
    _correct(sessions, city, case)
    _accept(sessions, city, case)
    _review(sessions, city, case)
    _decide(sessions, city, case)

    page = sessions.page(city.applicant)
    page.goto(f"/cases/{case.pk}/")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "case_engine_e2e_completed.png"), full_page=True)
    assert "办结" in page.locator(".ow-case-status").inner_text()
    matters = page.locator(".ow-case-matters tbody tr")
    assert matters.count() == 3
    for n, name in enumerate(MATTER_NAMES):
        row = matters.nth(n).inner_text()
        assert name in row and "准予许可" in row
    case.refresh_from_db()
    assert case.status == CaseStatus.COMPLETED
    sessions.close()
