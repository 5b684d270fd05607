"""The applicant portal (网上申报): what an applicant sees and can do on the apply, draft, receipt,
correction, supplement and withdraw pages, through the real services.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from onewindow.cases.domain import CaseStatus, TaskStatus
from onewindow.cases.models import Case, Task
from onewindow.cases.services.intake import case_request_correction
from onewindow.cases.services.review import task_approve, task_request_supplement
from onewindow.cases.tests.factories import (
    accepted_case,
    applicant_with_user,
    clerk_for,
    department,
    pdf_file,
    published_matter,
    region,
    reviewer_for,
    submitted_case,
)
from onewindow.catalogue.domain import merge_form_schemas
from onewindow.catalogue.models import BundleVersion, MatterVersion, OnlineLevel
from onewindow.catalogue.tests.factories import BundleVersionFactory, StageFactory, StageMatterFactory
from onewindow.orgs.models import Applicant, User
from onewindow.orgs.tests.factories import valid_credit_code

pytestmark = pytest.mark.django_db

CASE_NUMBER = re.compile(r"\d{6}-\d{8}-\d{5}")


def three_department_bundle() -> BundleVersion:
    """Three departments of one district in one stage, each asking for the shared business licence."""
    home = region()
    versions = []
    for n in range(1, 4):
        version = published_matter(department=department(home), name=f"联审事项{n}")
        version.materials.filter(key="site_plan").update(key=f"drawing_{n}", name=f"设计图纸{n}")
        version.materials.filter(key="site_photo").delete()
        versions.append(version)
    bundle_version: BundleVersion = BundleVersionFactory.create(published=True, name="工业项目施工许可阶段联审联批")
    stage = StageFactory.create(
        bundle_version=bundle_version, position=1, name="施工许可", lead_department=versions[0].matter.department
    )
    for version in versions:
        StageMatterFactory.create(stage=stage, matter=version.matter, matter_version=version)
    bundle_version.unified_form_schema = merge_form_schemas([(v.name, v.form_schema) for v in versions])
    bundle_version.save(update_fields=["unified_form_schema"])
    return bundle_version


def logged_in(client: Client, applicant: Applicant) -> User:
    user = applicant.user
    assert user is not None
    client.force_login(user)
    return user


def apply_url(version: MatterVersion) -> str:
    return f"/cases/apply/matter/{version.matter.code}/"


def fields(**values: Any) -> dict[str, Any]:
    return {f"f-{key}": value for key, value in values.items()}


def html_of(response: Any) -> str:
    return str(response.content.decode())


def field_row(html: str, key: str) -> str:
    """The part of the page that belongs to one form field (its label, input and message)."""
    start = html.index(f'id="id_f-{key}-row"')
    end = html.find("ow-form-field", start + 10)
    return html[start : end if end != -1 else len(html)]


# --- apply ----------------------------------------------------------------------------------------


def test_the_apply_page_shows_the_form_and_the_materials_with_required_marks(client: Client) -> None:
    version = published_matter()
    logged_in(client, applicant_with_user())
    html = html_of(client.get(apply_url(version)))
    assert "项目名称" in html and "建筑面积" in html and "计划开工日期" in html
    assert "（必填）" in field_row(html, "floor_area") and "（必填）" not in field_row(html, "start_on")
    assert 'name="m-business_licence"' in html and 'name="m-site_photo"' in html
    assert "提交申请" in html and "保存草稿" in html and "csrfmiddlewaretoken" in html


def test_an_invalid_field_is_shown_next_to_it_and_the_other_values_are_kept(client: Client) -> None:
    version = published_matter()
    applicant = applicant_with_user()
    logged_in(client, applicant)
    data = {
        "applicant": applicant.pk,
        "action": "submit",
        **fields(project_name="滨江科创园一期", floor_area="0", start_on="2026-10-09"),
        "m-business_licence": pdf_file("营业执照.pdf"),
    }
    response = client.post(apply_url(version), data)
    html = html_of(response)
    assert response.status_code == 200
    assert "建筑面积不能小于 1" in field_row(html, "floor_area")
    assert 'value="0"' in field_row(html, "floor_area")
    assert 'value="滨江科创园一期"' in field_row(html, "project_name")
    assert 'value="2026-10-09"' in field_row(html, "start_on")
    assert not Case.objects.exclude(status=CaseStatus.DRAFT).exists()
    # The licence that passed its checks is kept (in a draft): no need to upload it again.
    draft = Case.objects.get(applicant=applicant, status=CaseStatus.DRAFT)
    assert draft.materials.get(key="business_licence").file
    assert "无需重新上传" in html and f'action="/cases/drafts/{draft.pk}/"' in html


def test_a_wrong_file_is_reported_next_to_its_material(client: Client) -> None:
    version = published_matter()
    applicant = applicant_with_user()
    logged_in(client, applicant)
    data = {
        "applicant": applicant.pk,
        **fields(project_name="滨江科创园一期", floor_area="12000"),
        "m-site_plan": pdf_file("总平面图.pdf", content=b"not a pdf"),
    }
    html = html_of(client.post(apply_url(version), data))
    material = html[html.index('id="id_m-site_plan-row"') :]
    assert "总平面图的文件内容与扩展名“.pdf”不符" in material[: material.index("</li>")]
    assert not Case.objects.exists()


def test_a_three_department_bundle_submitted_online_gets_a_receipt_with_its_number(client: Client) -> None:
    bundle_version = three_department_bundle()
    applicant = applicant_with_user()
    logged_in(client, applicant)
    data = {
        "applicant": applicant.pk,
        "action": "submit",
        **fields(project_name="滨江科创园一期", floor_area="12000"),
        "m-business_licence": pdf_file("营业执照.pdf"),
        **{f"m-drawing_{n}": pdf_file(f"图纸{n}.pdf") for n in range(1, 4)},
    }
    form = html_of(client.get(f"/cases/apply/bundle/{bundle_version.bundle.code}/"))
    assert form.count('name="m-business_licence"') == 1  # the shared material once

    response = client.post(f"/cases/apply/bundle/{bundle_version.bundle.code}/", data, follow=True)

    case = Case.objects.get(applicant=applicant)
    assert case.status == CaseStatus.SUBMITTED and CASE_NUMBER.fullmatch(case.number)
    html = html_of(response)
    assert "申请回执" in html and case.number in html
    assert all(f"联审事项{n}" in html for n in (1, 2, 3))
    licence = case.materials.get(key="business_licence")
    assert html.count("营业执照") == 1 and licence.sha256[:16] in html
    assert case.intake_due_on is not None and case.intake_due_on.isoformat() in html


def test_a_user_acting_for_two_applicants_chooses_which_one_applies(client: Client) -> None:
    version = published_matter()
    person = applicant_with_user()
    company = Applicant.objects.create(
        kind=Applicant.Kind.ENTERPRISE, name="滨江科技有限公司", id_number=valid_credit_code(), user=person.user
    )
    logged_in(client, person)
    html = html_of(client.get(apply_url(version)))
    assert person.name in html and "滨江科技有限公司" in html

    unchosen = html_of(client.post(apply_url(version), fields(project_name="一期", floor_area="100")))
    assert "请选择以哪个申请人的身份申请" in unchosen and 'value="一期"' in unchosen

    data = {"applicant": company.pk, **fields(project_name="一期", floor_area="100")}
    response = client.post(apply_url(version), data)
    assert response.status_code == 302
    assert Case.objects.get().applicant == company


# --- drafts ---------------------------------------------------------------------------------------


def test_a_saved_draft_opens_with_its_values_and_can_be_submitted(client: Client) -> None:
    version = published_matter()
    applicant = applicant_with_user()
    logged_in(client, applicant)
    data = {"applicant": applicant.pk, "action": "draft", **fields(project_name="二期厂房")}
    response = client.post(apply_url(version), {**data, "m-business_licence": pdf_file()})
    draft = Case.objects.get(applicant=applicant)
    assert response.status_code == 302 and response["Location"] == f"/cases/drafts/{draft.pk}/"
    assert draft.status == CaseStatus.DRAFT

    mine = html_of(client.get("/cases/mine/"))
    assert "草稿" in mine and f'href="/cases/{draft.pk}/"' in mine
    assert f'href="/cases/drafts/{draft.pk}/"' in html_of(client.get(f"/cases/{draft.pk}/"))
    page = html_of(client.get(f"/cases/drafts/{draft.pk}/"))
    assert 'value="二期厂房"' in field_row(page, "project_name") and "已上传" in page

    response = client.post(
        f"/cases/drafts/{draft.pk}/", {"action": "submit", **fields(project_name="二期厂房", floor_area="800")}
    )
    draft.refresh_from_db()
    assert response["Location"] == f"/cases/{draft.pk}/receipt/"
    assert draft.status == CaseStatus.SUBMITTED and draft.form_data == {"project_name": "二期厂房", "floor_area": 800}


# --- who may open what ----------------------------------------------------------------------------


def test_another_applicants_user_gets_not_found(client: Client) -> None:
    version = published_matter()
    owner = applicant_with_user()
    case = submitted_case(matter_version=version, applicant=owner, files={"business_licence": pdf_file()})
    case_request_correction(
        actor=clerk_for(case.region), case=case, items=[{"target": "material:site_plan", "problem": "缺总平面图"}]
    )
    logged_in(client, applicant_with_user())
    for url in (
        f"{apply_url(version)}?applicant={owner.pk}",
        f"/cases/{case.pk}/correct/",
        f"/cases/{case.pk}/receipt/",
        f"/cases/{case.pk}/withdraw/",
        f"/cases/{case.pk}/supplement/",
        f"/cases/drafts/{case.pk}/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/cases/{case.pk}/correct/", {"m-site_plan": pdf_file()}).status_code == 404
    assert client.post(apply_url(version), {"applicant": owner.pk, **fields(project_name="x")}).status_code == 404
    case.refresh_from_db()
    assert case.status == CaseStatus.CORRECTION


@pytest.mark.parametrize(
    "url",
    [
        "/cases/apply/matter/330100-ZJ-001/",
        "/cases/apply/bundle/YJS-001/",
        "/cases/drafts/1/",
        "/cases/1/receipt/",
        "/cases/1/correct/",
        "/cases/1/supplement/",
        "/cases/1/withdraw/",
    ],
)
def test_anonymous_visitors_are_sent_to_the_login(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=")


def test_a_user_without_an_applicant_is_told_to_link_one(client: Client) -> None:
    version = published_matter()
    client.force_login(clerk_for(region()))
    html = html_of(client.get(apply_url(version)))
    assert "尚未关联申请人" in html and "提交申请" not in html


# --- correction -----------------------------------------------------------------------------------


def test_the_correction_resubmission_moves_the_case_back_to_pending_intake(client: Client) -> None:
    applicant = applicant_with_user()
    case = submitted_case(applicant=applicant, files={"business_licence": pdf_file()})
    case_request_correction(
        actor=clerk_for(case.region),
        case=case,
        items=[
            {"target": "material:site_plan", "problem": "缺少总平面图"},
            {"target": "field:floor_area", "problem": "建筑面积与规划许可不一致"},
        ],
    )
    logged_in(client, applicant)
    status_page = html_of(client.get(f"/cases/{case.pk}/"))
    assert "缺少总平面图" in status_page and "建筑面积与规划许可不一致" in status_page
    assert f'href="/cases/{case.pk}/correct/"' in status_page

    wrong = client.post(f"/cases/{case.pk}/correct/", fields(floor_area="很大"))
    assert "建筑面积应为数字" in field_row(html_of(wrong), "floor_area") and 'value="很大"' in html_of(wrong)
    case.refresh_from_db()
    assert case.status == CaseStatus.CORRECTION

    response = client.post(f"/cases/{case.pk}/correct/", {**fields(floor_area="15000"), "m-site_plan": pdf_file()})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED and case.form_data["floor_area"] == 15000
    assert case.materials.get(key="site_plan").file
    assert "待受理" in html_of(client.get(f"/cases/{case.pk}/"))


# --- supplement -----------------------------------------------------------------------------------


def test_the_applicant_uploads_the_supplement_a_department_asked_for(client: Client) -> None:
    applicant = applicant_with_user()
    case = accepted_case(applicant=applicant)
    task = Task.objects.get(case=case)
    task_request_supplement(actor=reviewer_for(task.department), task=task, items=["消防设计说明"])
    logged_in(client, applicant)
    assert "消防设计说明" in html_of(client.get(f"/cases/{case.pk}/"))
    assert "消防设计说明" in html_of(client.get(f"/cases/{case.pk}/supplement/"))

    bad = client.post(f"/cases/{case.pk}/supplement/", {"task": task.pk, "files": [pdf_file("说明.pdf", b"x")]})
    assert "补充材料文件有误" in html_of(bad)
    response = client.post(
        f"/cases/{case.pk}/supplement/", {"task": task.pk, "note": "已补", "files": [pdf_file("消防设计说明.pdf")]}
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN
    assert case.materials.filter(key__startswith="supplement-").count() == 1


# --- withdraw -------------------------------------------------------------------------------------


def test_withdraw_needs_a_reason_and_works_while_the_case_is_open(client: Client) -> None:
    applicant = applicant_with_user()
    case = accepted_case(applicant=applicant)
    logged_in(client, applicant)
    assert f'href="/cases/{case.pk}/withdraw/"' in html_of(client.get(f"/cases/{case.pk}/"))
    assert "确认撤回" in html_of(client.get(f"/cases/{case.pk}/withdraw/"))

    blank = client.post(f"/cases/{case.pk}/withdraw/", {"reason": " "})
    assert "请填写撤回原因" in html_of(blank)
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_REVIEW

    response = client.post(f"/cases/{case.pk}/withdraw/", {"reason": "项目调整"}, follow=True)
    case.refresh_from_db()
    assert case.status == CaseStatus.WITHDRAWN and "已撤回" in html_of(response)
    assert Task.objects.get(case=case).status == TaskStatus.CANCELLED


def test_a_decided_case_can_no_longer_be_withdrawn(client: Client) -> None:
    applicant = applicant_with_user()
    case = accepted_case(applicant=applicant)
    task = Task.objects.get(case=case)
    task_approve(actor=reviewer_for(task.department), task=task)
    logged_in(client, applicant)
    assert f"/cases/{case.pk}/withdraw/" not in html_of(client.get(f"/cases/{case.pk}/"))
    assert "已不能撤回" in html_of(client.get(f"/cases/{case.pk}/withdraw/"))

    html = html_of(client.post(f"/cases/{case.pk}/withdraw/", {"reason": "不想要了"}))
    assert "不能执行该操作" in html
    case.refresh_from_db()
    assert case.status == CaseStatus.COMPLETED


def test_a_bundle_that_cannot_be_applied_for_shows_why_instead_of_failing(client: Client) -> None:
    empty: BundleVersion = BundleVersionFactory.create(published=True, name="空主题")
    logged_in(client, applicant_with_user())
    response = client.get(f"/cases/apply/bundle/{empty.bundle.code}/")
    assert response.status_code == 400 and "该一件事没有可办理的事项" in html_of(response)
    assert client.get("/cases/apply/bundle/NO-SUCH/").status_code == 404


def test_a_window_only_matter_offers_no_online_form(client: Client) -> None:
    version = published_matter()
    version.online_level = OnlineLevel.WINDOW
    version.save(update_fields=["online_level"])
    logged_in(client, applicant_with_user())
    html = html_of(client.get(apply_url(version)))
    assert "须到政务服务窗口办理" in html and "提交申请" not in html
