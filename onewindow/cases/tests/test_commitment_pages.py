"""会签 and the consequences of a commitment through the pages and the API: what reviewers, heads,
clerks and applicants see and do."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from onewindow.api.auth import token_issue
from onewindow.cases.models import Case, CreditRecord, Task
from onewindow.cases.services import commitment, countersign, review
from onewindow.cases.services.intake import case_approve_on_commitment
from onewindow.cases.tests import factories as f
from onewindow.catalogue.models import MatterVersion
from onewindow.orgs.domain import Role
from onewindow.orgs.models import Membership
from onewindow.orgs.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = dt.date(2026, 3, 2)
BASIS = "《中华人民共和国行政许可法》第六十九条"


@pytest.fixture(autouse=True)
def on_monday(time_machine):
    time_machine.move_to(dt.datetime.combine(MONDAY, dt.time(10), tzinfo=SHANGHAI), tick=False)


def login(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def html(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    return str(response.content.decode())


def committed(applicant: Any = None) -> Case:
    version = f.published_matter(commitment_allowed=True)
    MatterVersion.objects.filter(pk=version.pk).update(rectification_days=5)
    case = f.submitted_case(matter_version=version, applicant=applicant)
    return case_approve_on_commitment(actor=f.clerk_for(case.region), case=case, commitment_text="本人承诺符合条件")


def post_check(case: Case) -> Task:
    return case.tasks.get(kind=Task.Kind.POST_CHECK)


def api(user: Any, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    client = login(Client(), user)
    if method == "get":
        return client.get(f"/api/cases{path}")
    return client.post(f"/api/cases{path}", data=body or {}, content_type="application/json")


# --- 会签 on the task page and in the API ---------------------------------------------------------


def test_the_task_page_shows_who_has_signed_and_who_has_not(client):
    task = f.accepted_case().tasks.get()
    signer, first = f.reviewer_for(task.department), f.reviewer_for(task.department)
    countersign.task_add_signer(actor=f.head_for(task.department), task=task, signer=signer)
    review.task_approve(actor=first, task=task, opinion="同意")
    page = html(login(client, first).get(f"/cases/tasks/{task.pk}/"))
    assert "会签（2 人）" in page
    assert f"{first}：同意" in page
    assert f'ow-not-signed">{signer} ' in page and "尚未签署" in page
    assert "还需 1 人签署" in page


def test_the_head_adds_a_signer_on_the_task_page(client):
    task = f.accepted_case().tasks.get()
    head, signer = f.head_for(task.department), f.reviewer_for(task.department)
    page = html(login(client, head).get(f"/cases/tasks/{task.pk}/"))
    assert f'action="/cases/tasks/{task.pk}/add_signer/"' in page and f'value="{signer.pk}"' in page
    response = client.post(f"/cases/tasks/{task.pk}/add_signer/", {"signer": signer.pk})
    assert response.status_code == 302
    assert Task.objects.get(pk=task.pk).signers.get().signer == signer
    assert "加签" in html(client.get(f"/cases/{task.case_id}/"))  # the timeline row


def test_a_reviewer_is_not_offered_the_signer_form(client):
    task = f.accepted_case().tasks.get()
    page = html(login(client, f.reviewer_for(task.department)).get(f"/cases/tasks/{task.pk}/"))
    assert "add_signer" not in page


def test_a_wrong_signer_is_a_message_beside_the_form(client):
    task = f.accepted_case().tasks.get()
    login(client, f.head_for(task.department))
    response = client.post(f"/cases/tasks/{task.pk}/add_signer/", {"signer": f.reviewer_for(f.department()).pk})
    assert response.status_code == 422
    assert "请选择本部门的审核人员" in response.content.decode()


def test_the_api_adds_a_signer_and_tells_who_still_has_to_sign():
    task = f.accepted_case().tasks.get()
    head, signer = f.head_for(task.department), f.reviewer_for(task.department)
    response = api(head, "post", f"/tasks/{task.pk}/signers", {"signer_id": signer.pk})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["required_signoffs"], body["remaining"]) == (2, 2)
    assert body["signers"] == [
        {
            "user_id": signer.pk,
            "name": str(signer),
            "is_named": True,
            "signed": False,
            "approve": None,
            "opinion": "",
            "signed_at": None,
        }
    ]
    review.task_approve(actor=signer, task=task, opinion="同意")
    state = api(f.reviewer_for(task.department), "get", f"/tasks/{task.pk}/signers").json()
    assert state["remaining"] == 1 and state["signers"][0]["signed"] is True


def test_a_bad_signer_id_is_a_422_with_its_field():
    task = f.accepted_case().tasks.get()
    response = api(f.head_for(task.department), "post", f"/tasks/{task.pk}/signers", {"signer_id": 999_999})
    assert response.status_code == 422
    assert response.json()["code"] == "user_not_found"


# --- the post-check in the pages ------------------------------------------------------------------


def test_a_post_check_page_offers_findings_not_opinions(client):
    check = post_check(committed())
    page = html(login(client, f.reviewer_for(check.department)).get(f"/cases/tasks/{check.pk}/"))
    assert "/check_conform/" in page and "/check_not_conform/" in page and "/false_commitment/" in page
    assert "/approve/" not in page and "/reject/" not in page and "/send_back/" not in page


def test_a_post_check_found_conforming_reads_as_such_everywhere(client):
    case = committed()
    check = post_check(case)
    reviewer = f.reviewer_for(check.department)
    response = login(client, reviewer).post(f"/cases/tasks/{check.pk}/check_conform/", {"note": "现场核查一致"})
    assert response.status_code == 302
    task_page = html(client.get(f"/cases/tasks/{check.pk}/"))
    assert 'ow-task-status">符合<' in task_page and "核查符合" in task_page
    applicant_page = html(login(client, case.applicant.user).get(f"/cases/{case.pk}/"))
    assert "<td>符合</td>" in applicant_page and "<td>同意</td>" not in applicant_page
    detail = api(case.applicant.user, "get", f"/cases/{case.pk}").json()
    assert [t["status_label"] for t in detail["tasks"]] == ["符合"]
    assert "核查符合" in [row["action_label"] for row in detail["timeline"]]


def test_the_applicant_sees_the_rectification_order_and_reports_it_done(client):
    case = committed()
    check = post_check(case)
    login(client, f.reviewer_for(check.department))
    response = client.post(f"/cases/tasks/{check.pk}/check_not_conform/", {"finding": "未配备专职安全员"})
    assert response.status_code == 302
    applicant = login(client, case.applicant.user)
    page = html(applicant.get(f"/cases/{case.pk}/"))
    assert "限期整改" in page and "未配备专职安全员" in page and "2026-03-09" in page
    assert f"/cases/{case.pk}/rectification/" in page
    form = html(applicant.get(f"/cases/{case.pk}/rectification/"))
    recheck = case.tasks.get(kind=Task.Kind.RECHECK)
    assert f'value="{recheck.pk}"' in form
    response = applicant.post(
        f"/cases/{case.pk}/rectification/",
        {"task": recheck.pk, "note": "已聘用专职安全员", "files": [f.pdf_file("劳动合同.pdf")]},
    )
    assert response.status_code == 302
    assert "已报告整改完成" in html(applicant.get(f"/cases/{case.pk}/"))
    detail = api(case.applicant.user, "get", f"/cases/{case.pk}").json()
    [order] = detail["rectifications"]
    assert (order["task_id"], order["due_on"], order["finding"]) == (recheck.pk, "2026-03-09", "未配备专职安全员")
    assert order["reported_at"] is not None


def test_a_rectification_report_without_a_note_keeps_the_form(client):
    case = committed()
    commitment.task_check_not_conform(
        actor=f.reviewer_for(post_check(case).department), task=post_check(case), finding="x"
    )
    recheck = case.tasks.get(kind=Task.Kind.RECHECK)
    response = login(client, case.applicant.user).post(f"/cases/{case.pk}/rectification/", {"task": recheck.pk})
    assert response.status_code == 422
    assert "请说明整改情况" in response.content.decode()


def test_a_revoked_case_no_longer_shows_as_approved(client):
    case = committed()
    check = post_check(case)
    login(client, f.reviewer_for(check.department)).post(
        f"/cases/tasks/{check.pk}/false_commitment/", {"finding": "承诺的场所并不存在", "legal_basis": BASIS}
    )
    page = html(login(client, case.applicant.user).get(f"/cases/{case.pk}/"))
    assert 'ow-case-status">已撤销<' in page
    matters = page[page.index("ow-case-matters") : page.index("</table>", page.index("ow-case-matters"))]
    assert "告知承诺准予" not in matters and "<td>已撤销</td>" in matters  # the matter's result (history keeps it)
    assert "撤销行政许可决定" in page and "承诺的场所并不存在" in page and BASIS in page
    assert "六十日内依法申请行政复议" in page and "六个月内依法提起行政诉讼" in page
    detail = api(case.applicant.user, "get", f"/cases/{case.pk}").json()
    assert (detail["status"], detail["status_label"]) == ("revoked", "已撤销")
    assert [m["result_label"] for m in detail["matters"]] == ["已撤销"]
    assert detail["revocation"]["is_false_commitment"] is True
    assert "行政复议" in detail["revocation"]["remedies"] and detail["revocation"]["legal_basis"] == BASIS
    assert detail["applicant_credit_records"] == []  # the applicant reads their own at /credit-records


def test_the_checks_through_the_api_with_a_bearer_token():
    case = committed()
    check = post_check(case)
    token = token_issue(f.reviewer_for(check.department)).token
    headers = {"Authorization": f"Bearer {token}"}
    response = Client().post(
        f"/api/cases/tasks/{check.pk}/check",
        data={"conforms": False, "finding": "未按承诺公示"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["status_label"]) == ("rejected", "不符合")
    recheck = case.tasks.get(kind=Task.Kind.RECHECK)
    early = Client().post(
        f"/api/cases/tasks/{recheck.pk}/check",
        data={"conforms": True},
        content_type="application/json",
        headers=headers,
    )
    assert early.status_code == 409 and early.json()["code"] == "recheck_not_due"
    applicant = {"Authorization": f"Bearer {token_issue(case.applicant.user).token}"}
    reported = Client().post(
        f"/api/cases/tasks/{recheck.pk}/rectification-report", data={"note": "已公示"}, headers=applicant
    )
    assert reported.status_code == 200, reported.content
    revoked = Client().post(
        f"/api/cases/tasks/{recheck.pk}/check",
        data={"conforms": False, "finding": "公示内容不实", "legal_basis": BASIS},
        content_type="application/json",
        headers=headers,
    )
    assert revoked.status_code == 200
    assert Case.objects.get(pk=case.pk).status == "revoked"


def test_a_false_commitment_through_the_api_needs_both_fields():
    check = post_check(committed())
    response = api(
        f.reviewer_for(check.department),
        "post",
        f"/tasks/{check.pk}/false-commitment",
        {"finding": " ", "legal_basis": ""},
    )
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"finding", "legal_basis"}


# --- the signed commitment and the credit record at intake ---------------------------------------


def test_the_intake_page_says_why_commitment_is_refused_without_the_signed_commitment(client):
    version = f.published_matter(commitment_allowed=True)
    files = {key: file for key, file in f.required_files(version).items() if key != "commitment_letter"}
    case = f.submitted_case(matter_version=version, files=files)
    login(client, f.clerk_for(case.region))
    assert "尚未提交签署的告知承诺书" in html(client.get(f"/cases/{case.pk}/intake/"))
    response = client.post(f"/cases/{case.pk}/intake/commitment/", {"commitment_text": "承诺"})
    assert response.status_code == 409
    assert "申请人尚未提交签署的告知承诺书" in response.content.decode()


def false_commitment_on_record() -> Case:
    case = committed()
    check = post_check(case)
    commitment.task_find_false_commitment(
        actor=f.reviewer_for(check.department), task=check, finding="虚报从业人员资格", legal_basis=BASIS
    )
    return case


def test_a_clerk_is_warned_when_an_applicant_with_a_false_commitment_applies_on_commitment_again(client):
    earlier = false_commitment_on_record()
    version = f.published_matter(commitment_allowed=True)
    again = f.submitted_case(matter_version=version, applicant=earlier.applicant)
    clerk = f.clerk_for(again.region)  # another district than the first case's
    page = html(login(client, clerk).get(f"/cases/{again.pk}/intake/"))
    assert "信用记录" in page and "虚假承诺" in page and earlier.number in page and "虚报从业人员资格" in page
    records = api(clerk, "get", f"/cases/{again.pk}").json()["applicant_credit_records"]
    assert [(r["case_number"], r["kind"]) for r in records] == [(earlier.number, "false_commitment")]
    assert api(again.applicant.user, "get", f"/cases/{again.pk}").json()["applicant_credit_records"] == []


def test_a_clean_applicant_brings_no_warning(client):
    case = f.submitted_case(matter_version=f.published_matter(commitment_allowed=True))
    page = html(login(client, f.clerk_for(case.region)).get(f"/cases/{case.pk}/intake/"))
    assert "ow-credit-warning" not in page


def test_the_applicant_and_region_staff_read_the_credit_record(client):
    case = false_commitment_on_record()
    mine = html(login(client, case.applicant.user).get("/cases/credit-records/"))
    assert "虚报从业人员资格" in mine and case.number in mine
    assert [r["case_number"] for r in api(case.applicant.user, "get", "/credit-records").json()["items"]] == [
        case.number
    ]
    region_staff = html(login(client, f.clerk_for(case.region)).get("/cases/credit-records/"))
    assert case.number in region_staff
    elsewhere = html(login(client, f.clerk_for(f.region())).get("/cases/credit-records/"))
    assert case.number not in elsewhere
    bad_page = api(case.applicant.user, "get", "/credit-records?limit=abc")
    assert bad_page.status_code == 422 and "每页条数" in bad_page.json()["errors"][0]["message"]


def test_the_applicants_admin_page_lists_their_credit_record(client):
    case = false_commitment_on_record()
    keeper = UserFactory.create()
    Membership.objects.create(user=keeper, organisation=case.region, role=Role.SYSTEM_ADMIN)
    page = html(login(client, keeper).get(f"/admin/orgs/applicant/{case.applicant_id}/change/"))
    assert "信用记录" in page and "虚报从业人员资格" in page
    assert CreditRecord.objects.filter(applicant=case.applicant).count() == 1
