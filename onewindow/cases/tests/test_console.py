"""The staff console's actions through the pages: what clerks, reviewers and lead departments see and do."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from onewindow.cases import selectors
from onewindow.cases.domain import CaseStatus, TaskStatus
from onewindow.cases.models import Case, CaseMatter, ClockStop, Task
from onewindow.cases.services import review
from onewindow.cases.tests.factories import (
    accepted_case,
    clerk_for,
    coordinator_for,
    head_for,
    pdf_file,
    published_matter,
    region,
    reviewer_for,
    submitted_case,
)
from onewindow.orgs.models import Applicant
from onewindow.orgs.tests.factories import valid_credit_code

pytestmark = pytest.mark.django_db


def login(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def text(response: Any) -> str:
    return str(response.content.decode())


def follow_message(response: Any) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def review_task(case: Case) -> Task:
    return Task.objects.filter(case=case).order_by("pk").first()  # type: ignore[return-value]


# --- intake -----------------------------------------------------------------------------------------


def test_clerk_sees_materials_with_download_links_and_the_form_data(client: Client) -> None:
    case = submitted_case()
    html = text(login(client, clerk_for(case.region)).get(f"/cases/{case.pk}/intake/"))
    material = case.materials.exclude(file="").first()
    assert material is not None
    assert f"/cases/{case.pk}/materials/{material.pk}/" in html
    assert "滨江科创园一期" in html and "项目名称" in html
    download = client.get(f"/cases/{case.pk}/materials/{material.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF-")  # type: ignore[attr-defined]


def test_a_clerk_of_another_region_gets_404_on_the_intake_page_and_the_download(client: Client) -> None:
    case = submitted_case()
    material = case.materials.exclude(file="").first()
    assert material is not None
    login(client, clerk_for(region()))
    assert client.get(f"/cases/{case.pk}/intake/").status_code == 404
    assert client.post(f"/cases/{case.pk}/intake/accept/").status_code == 404
    assert client.get(f"/cases/{case.pk}/materials/{material.pk}/").status_code == 404


def test_accept_opens_the_review_and_says_so(client: Client) -> None:
    case = submitted_case()
    response = login(client, clerk_for(case.region)).post(f"/cases/{case.pk}/intake/accept/", follow=True)
    assert "已受理" in follow_message(response)
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_REVIEW


def test_accept_without_required_materials_shows_the_reason_on_the_same_page(client: Client) -> None:
    case = submitted_case(files={})
    response = login(client, clerk_for(case.region)).post(f"/cases/{case.pk}/intake/accept/")
    assert response.status_code == 409
    assert "以下必要材料尚未提交" in text(response) and "操作未完成" in text(response)
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED


def test_one_correction_notice_lists_every_ticked_problem(client: Client) -> None:
    case = submitted_case()
    data = {
        "target": ["material:site_plan", "field:floor_area"],
        "problem:material:site_plan": "图纸未盖章",
        "problem:field:floor_area": "面积与图纸不符",
    }
    response = login(client, clerk_for(case.region)).post(f"/cases/{case.pk}/intake/correction/", data, follow=True)
    assert "一次性补正告知" in follow_message(response)
    notice = case.correction_notices.get()
    assert [item["problem"] for item in notice.items] == ["图纸未盖章", "面积与图纸不符"]


def test_a_correction_without_a_note_keeps_what_was_typed_and_marks_the_line(client: Client) -> None:
    case = submitted_case()
    data = {"target": ["material:site_plan", "field:floor_area"], "problem:material:site_plan": "图纸未盖章"}
    response = login(client, clerk_for(case.region)).post(f"/cases/{case.pk}/intake/correction/", data)
    html = text(response)
    assert response.status_code == 422
    assert "请写明“建筑面积”需要补正的问题" in html and 'value="图纸未盖章"' in html
    assert not case.correction_notices.exists()


def test_deferral_accepts_with_the_due_date(client: Client) -> None:
    case = submitted_case(files={"business_licence": pdf_file()})
    due_on = timezone.localdate() + dt.timedelta(days=10)
    data = {"defer": ["site_plan"], "due_on:site_plan": due_on.isoformat()}
    response = login(client, clerk_for(case.region)).post(f"/cases/{case.pk}/intake/deferral/", data, follow=True)
    assert "容缺受理" in follow_message(response)
    assert case.materials.get(key="site_plan").deferred_due_on == due_on


def test_deferral_without_a_date_is_reported_beside_the_material(client: Client) -> None:
    case = submitted_case(files={"business_licence": pdf_file()})
    response = login(client, clerk_for(case.region)).post(
        f"/cases/{case.pk}/intake/deferral/", {"defer": ["site_plan"]}
    )
    assert response.status_code == 422 and "请填写补交期限" in text(response)


def test_refusal_needs_reason_and_legal_basis_and_keeps_the_reason(client: Client) -> None:
    case = submitted_case()
    login(client, clerk_for(case.region))
    response = client.post(f"/cases/{case.pk}/intake/refusal/", {"reason": "不属于本机关职权"})
    assert response.status_code == 422
    assert "请填写不予受理的法律依据" in text(response) and "不属于本机关职权" in text(response)
    data = {"reason": "不属于本机关职权", "legal_basis": "《行政许可法》第三十二条"}
    client.post(f"/cases/{case.pk}/intake/refusal/", data)
    case.refresh_from_db()
    assert case.status == CaseStatus.REFUSED


def test_commitment_is_offered_and_approves_where_allowed(client: Client) -> None:
    case = submitted_case(matter_version=published_matter(commitment_allowed=True))
    login(client, clerk_for(case.region))
    assert "告知承诺，当场准予" in text(client.get(f"/cases/{case.pk}/intake/"))
    client.post(f"/cases/{case.pk}/intake/commitment/", {"commitment_text": "本人承诺所报材料真实"})
    case.refresh_from_db()
    assert case.status == CaseStatus.COMPLETED


def test_commitment_is_not_offered_where_not_allowed(client: Client) -> None:
    case = submitted_case()
    html = text(login(client, clerk_for(case.region)).get(f"/cases/{case.pk}/intake/"))
    assert "告知承诺，当场准予" not in html


def test_a_second_clerk_who_was_slower_is_told_so(client: Client) -> None:
    case = submitted_case()
    clerk = clerk_for(case.region)
    login(client, clerk).post(f"/cases/{case.pk}/intake/accept/")
    response = client.post(f"/cases/{case.pk}/intake/accept/")
    assert response.status_code == 409 and "可能已有其他工作人员办理" in text(response)


def test_a_reviewer_may_not_open_the_intake_page(client: Client) -> None:
    case = accepted_case()
    assert login(client, reviewer_for(review_task(case).department)).get(f"/cases/{case.pk}/intake/").status_code == 403


# --- window submission ------------------------------------------------------------------------------


def test_window_submission_registers_the_applicant_and_files_the_case(client: Client) -> None:
    version = published_matter()
    clerk = clerk_for(version.matter.department.parent)
    login(client, clerk)
    assert "项目名称" in text(client.get(f"/cases/window/new/?matter={version.pk}"))
    data = {
        "matter": str(version.pk),
        "applicant_kind": "enterprise",
        "applicant_name": "滨江建设有限公司",
        "id_number": valid_credit_code(),
        "field:project_name": "滨江科创园一期",
        "field:floor_area": "12000",
        "material:business_licence": pdf_file("licence.pdf"),
        "material:site_plan": pdf_file("plan.pdf"),
    }
    response = client.post("/cases/window/new/", data, follow=True)
    assert "已代申请人提交" in follow_message(response)
    case = Case.objects.get(applicant__name="滨江建设有限公司")
    assert case.channel == "window" and case.status == CaseStatus.SUBMITTED
    assert case.form_data == {"project_name": "滨江科创园一期", "floor_area": 12000}


def test_a_window_submission_with_errors_keeps_the_input_and_registers_nobody(client: Client) -> None:
    version = published_matter()
    login(client, clerk_for(version.matter.department.parent))
    data = {
        "matter": str(version.pk),
        "applicant_kind": "enterprise",
        "applicant_name": "滨江建设有限公司",
        "id_number": valid_credit_code(),
        "field:project_name": "滨江科创园一期",
        "field:floor_area": "很大",
    }
    response = client.post("/cases/window/new/", data)
    assert response.status_code == 422
    assert "建筑面积应为数字" in text(response) and 'value="滨江科创园一期"' in text(response)
    assert not Applicant.objects.filter(name="滨江建设有限公司").exists()


# --- review -----------------------------------------------------------------------------------------


def test_reviewer_claims_and_approves_from_the_task_page(client: Client) -> None:
    task = review_task(accepted_case())
    login(client, reviewer_for(task.department))
    assert "领办" in text(client.get(f"/cases/tasks/{task.pk}/"))
    assert "已领办" in follow_message(client.post(f"/cases/tasks/{task.pk}/claim/", follow=True))
    response = client.post(f"/cases/tasks/{task.pk}/approve/", {"opinion": "符合要求"}, follow=True)
    assert "同意" in follow_message(response)
    task.refresh_from_db()
    assert task.status == TaskStatus.APPROVED and task.opinion == "符合要求"


def test_a_reviewer_of_another_department_gets_404_on_the_task_page(client: Client) -> None:
    case = accepted_case(bundle=True)
    first, second = Task.objects.filter(case=case).order_by("pk")[:2]
    login(client, reviewer_for(second.department))
    assert client.get(f"/cases/tasks/{first.pk}/").status_code == 404
    assert client.post(f"/cases/tasks/{first.pk}/approve/").status_code == 404


def test_reject_without_a_reason_is_refused_on_the_page(client: Client) -> None:
    task = review_task(accepted_case())
    response = login(client, reviewer_for(task.department)).post(f"/cases/tasks/{task.pk}/reject/", {"reason": " "})
    assert response.status_code == 422 and "请填写不同意的理由" in text(response)


def test_a_task_held_by_a_colleague_says_who_holds_it(client: Client) -> None:
    task = review_task(accepted_case())
    colleague = reviewer_for(task.department)
    review.task_claim(actor=colleague, task=task)
    response = login(client, reviewer_for(task.department)).post(f"/cases/tasks/{task.pk}/approve/")
    assert response.status_code == 409 and str(colleague) in text(response)


def test_supplement_and_special_procedure_stop_the_clock(client: Client) -> None:
    case = accepted_case(bundle=True)
    first, second = Task.objects.filter(case=case).order_by("pk")[:2]
    login(client, reviewer_for(first.department))
    client.post(f"/cases/tasks/{first.pk}/supplement/", {"items": "消防设计说明\n结构计算书"})
    login(client, reviewer_for(second.department))
    end = (timezone.localdate() + dt.timedelta(days=14)).isoformat()
    data = {"kind": "expert_review", "reason": "需专家论证", "expected_end_on": end}
    response = client.post(f"/cases/tasks/{second.pk}/procedure_start/", data, follow=True)
    assert "计时中止" in text(response)
    assert ClockStop.objects.filter(task=first, reason="supplement", last_on__isnull=True).exists()
    response = client.post(f"/cases/tasks/{second.pk}/procedure_end/", {"note": "评审通过"}, follow=True)
    assert "恢复计时" in follow_message(response)
    second.refresh_from_db()
    assert second.status == TaskStatus.OPEN


def test_send_back_returns_the_case_to_intake(client: Client) -> None:
    task = review_task(accepted_case())
    login(client, reviewer_for(task.department)).post(f"/cases/tasks/{task.pk}/send_back/", {"reason": "材料有误"})
    task.case.refresh_from_db()
    assert task.case.status == CaseStatus.SUBMITTED


def test_transfer_to_a_colleague_and_extension_approved_by_the_head(client: Client) -> None:
    task = review_task(accepted_case())
    me, colleague, head = reviewer_for(task.department), reviewer_for(task.department), head_for(task.department)
    login(client, me)
    client.post(f"/cases/tasks/{task.pk}/claim/")
    client.post(f"/cases/tasks/{task.pk}/transfer/", {"to_user": str(colleague.pk), "reason": "休假"})
    task.refresh_from_db()
    assert task.assignee == colleague
    login(client, colleague).post(f"/cases/tasks/{task.pk}/extension_request/", {"days": "5", "reason": "情况复杂"})
    assert "批准延期" not in text(client.get(f"/cases/tasks/{task.pk}/"))
    login(client, head)
    assert "批准延期" in text(client.get(f"/cases/tasks/{task.pk}/"))
    assert "已批准延期" in follow_message(client.post(f"/cases/tasks/{task.pk}/extension_approve/", follow=True))
    task.refresh_from_db()
    assert task.extension_days == 5


def test_the_signoff_shows_who_signed(client: Client) -> None:
    task = review_task(accepted_case())
    Task.objects.filter(pk=task.pk).update(required_signoffs=2)
    first = reviewer_for(task.department)
    login(client, first).post(f"/cases/tasks/{task.pk}/approve/", {"opinion": "同意"})
    html = text(login(client, reviewer_for(task.department)).get(f"/cases/tasks/{task.pk}/"))
    assert "会签（2 人）" in html and f"{first}：同意" in html


def test_the_task_list_links_each_task_to_its_page(client: Client) -> None:
    task = review_task(accepted_case())
    html = text(login(client, reviewer_for(task.department)).get("/cases/tasks/"))
    assert f'href="/cases/tasks/{task.pk}/"' in html


# --- the joint decision -----------------------------------------------------------------------------


def _awaiting_decision() -> Case:
    """A bundle case whose departments all approved, stage by stage."""
    case = accepted_case(bundle=True)
    while case.status == CaseStatus.IN_REVIEW:
        for task in Task.objects.filter(case=case, status=TaskStatus.OPEN):
            review.task_approve(actor=reviewer_for(task.department), task=task)
        case.refresh_from_db()
    return case


def test_the_lead_department_decides_every_matter(client: Client) -> None:
    case = _awaiting_decision()
    lead = selectors.lead_department(case)
    assert lead is not None
    login(client, coordinator_for(lead))
    html = text(client.get(f"/cases/{case.pk}/decision/"))
    assert "部门审查结果" in html and "同意" in html
    matters = CaseMatter.objects.filter(case=case)
    data = {f"result:{m.pk}": "approved" for m in matters} | {"note": "准予许可"}
    response = client.post(f"/cases/{case.pk}/decision/", data, follow=True)
    assert "已作出联合决定" in follow_message(response)
    case.refresh_from_db()
    assert case.status == CaseStatus.COMPLETED
    assert set(matters.values_list("result", flat=True)) == {"approved"}


def test_a_missing_decision_is_marked_and_the_others_kept(client: Client) -> None:
    case = _awaiting_decision()
    lead = selectors.lead_department(case)
    assert lead is not None
    first = CaseMatter.objects.filter(case=case).order_by("pk")[0]
    data = {f"result:{first.pk}": "approved", "note": "部分决定"}
    response = login(client, coordinator_for(lead)).post(f"/cases/{case.pk}/decision/", data)
    assert response.status_code == 422
    assert "请对该事项作出决定" in text(response) and "部分决定" in text(response)


def test_someone_outside_the_lead_department_may_not_decide(client: Client) -> None:
    case = _awaiting_decision()
    assert login(client, coordinator_for(region())).get(f"/cases/{case.pk}/decision/").status_code == 404


def test_the_staff_case_page_offers_the_decision_to_the_lead_department(client: Client) -> None:
    case = _awaiting_decision()
    lead = selectors.lead_department(case)
    assert lead is not None
    html = text(login(client, coordinator_for(lead)).get(f"/cases/{case.pk}/"))
    assert f'href="/cases/{case.pk}/decision/"' in html


# --- 分办, case extension, supplements handed in at the window -------------------------------------


def test_the_head_assigns_an_unclaimed_task_to_a_reviewer_and_a_reviewer_cannot(client: Client) -> None:
    task = review_task(accepted_case())
    reviewer, head = reviewer_for(task.department), head_for(task.department)
    assert "分办" not in text(login(client, reviewer).get(f"/cases/tasks/{task.pk}/"))
    assert client.post(f"/cases/tasks/{task.pk}/assign/", {"to_user": str(reviewer.pk)}).status_code == 403

    login(client, head)
    assert "分办" in text(client.get(f"/cases/tasks/{task.pk}/"))
    response = client.post(f"/cases/tasks/{task.pk}/assign/", {"to_user": str(reviewer.pk)}, follow=True)

    assert "已分办" in follow_message(response)
    task.refresh_from_db()
    assert task.assignee == reviewer
    refused = client.post(f"/cases/tasks/{task.pk}/assign/", {"to_user": ""})
    assert refused.status_code == 422 and "请选择本部门的接办人" in text(refused)


def test_the_lead_head_extends_the_case_once_with_a_reason(client: Client) -> None:
    case = accepted_case(bundle=True)
    lead = selectors.lead_department(case)
    assert lead is not None and case.due_on is not None
    head = head_for(lead)
    login(client, head)
    assert "办件延期" in text(client.get(f"/cases/{case.pk}/decision/"))

    missing = client.post(f"/cases/{case.pk}/extension/", {"reason": ""})
    assert missing.status_code == 422 and "请填写延期理由" in text(missing)
    response = client.post(f"/cases/{case.pk}/extension/", {"reason": "需现场踏勘"}, follow=True)

    assert "办件办理期限已延长" in follow_message(response)
    extended = Case.objects.get(pk=case.pk)
    assert extended.extension_days == 15 and extended.due_on is not None and extended.due_on > case.due_on
    again = client.post(f"/cases/{case.pk}/extension/", {"reason": "再次延期"})
    assert again.status_code == 409 and "只能延期一次" in text(again)


def test_a_reviewer_may_not_extend_the_case(client: Client) -> None:
    case = accepted_case(bundle=True)
    lead = selectors.lead_department(case)
    assert lead is not None
    response = login(client, reviewer_for(lead)).post(f"/cases/{case.pk}/extension/", {"reason": "理由"})
    assert response.status_code == 403
    assert Case.objects.get(pk=case.pk).extension_days == 0


def test_the_clerk_registers_supplements_handed_in_at_the_window(client: Client) -> None:
    case = accepted_case()
    task = review_task(case)
    login(client, reviewer_for(task.department)).post(f"/cases/tasks/{task.pk}/supplement/", {"items": "消防设计说明"})
    clerk = clerk_for(case.region)
    login(client, clerk)
    assert f'href="/cases/{case.pk}/window-supplement/"' in text(client.get(f"/cases/{case.pk}/"))
    page = text(client.get(f"/cases/{case.pk}/window-supplement/"))
    assert "登记窗口收取的补充材料" in page and "消防设计说明" in page

    data = {"task": str(task.pk), "note": "纸质材料一份", "files": pdf_file()}
    response = client.post(f"/cases/{case.pk}/window-supplement/", data, follow=True)

    assert "补充材料已提交" in follow_message(response)
    assert not ClockStop.objects.filter(task=task, last_on__isnull=True).exists()
    assert login(client, clerk_for(region())).get(f"/cases/{case.pk}/window-supplement/").status_code == 404
    assert login(client, reviewer_for(task.department)).get(f"/cases/{case.pk}/window-supplement/").status_code == 403
