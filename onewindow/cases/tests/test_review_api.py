"""The review endpoints of /api/cases/: thin over the services, errors as {code, message, errors}."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from onewindow.api.auth import token_issue
from onewindow.cases.models import CaseMaterial, Task
from onewindow.cases.tests.factories import (
    accepted_case,
    applicant_with_user,
    clerk_for,
    coordinator_for,
    head_for,
    pdf_file,
    published_matter,
    region,
    reviewer_for,
)
from onewindow.orgs.domain import Role
from onewindow.orgs.tests.factories import staff

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = dt.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def on_monday(time_machine):
    time_machine.move_to(dt.datetime.combine(MONDAY, dt.time(10), tzinfo=SHANGHAI), tick=False)


@pytest.fixture
def bundle_case():
    return accepted_case(bundle=True)


def tasks_of(case, stage: int = 1) -> list[Task]:
    return list(Task.objects.filter(case=case, stage=stage).order_by("pk"))


def post(user, path: str, body: dict | None = None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client.post(f"/api/cases{path}", data=body or {}, content_type="application/json")


def test_a_reviewer_approves_a_task(bundle_case):
    task = tasks_of(bundle_case)[0]
    reviewer = reviewer_for(task.department)
    response = post(reviewer, f"/tasks/{task.pk}/approve", {"opinion": "符合规定"})
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["status_label"], body["assignee_id"]) == ("approved", "同意", reviewer.pk)
    assert body["opinion"] == "符合规定"


def test_a_bearer_token_works_like_the_session(bundle_case):
    task = tasks_of(bundle_case)[0]
    token = token_issue(reviewer_for(task.department)).token
    response = Client().post(
        f"/api/cases/tasks/{task.pk}/claim",
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200


def test_a_second_decision_is_a_409_with_a_chinese_message(bundle_case):
    task = tasks_of(bundle_case)[0]
    assert post(reviewer_for(task.department), f"/tasks/{task.pk}/approve").status_code == 200
    response = post(reviewer_for(task.department), f"/tasks/{task.pk}/reject", {"reason": "不同意"})
    assert response.status_code == 409
    assert response.json() == {
        "code": "transition_not_allowed",
        "message": "该审查任务当前状态为“同意”，不能执行该操作，可能已被他人处理",
        "errors": [],
    }


def test_a_rejection_without_a_reason_is_a_422_naming_the_field(bundle_case):
    task = tasks_of(bundle_case)[0]
    response = post(reviewer_for(task.department), f"/tasks/{task.pk}/reject", {"reason": " "})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "reason_required"
    assert body["errors"] == [{"field": "reason", "message": "请填写不同意的理由"}]


def test_unknown_fields_are_refused(bundle_case):
    task = tasks_of(bundle_case)[0]
    response = post(reviewer_for(task.department), f"/tasks/{task.pk}/approve", {"opinion": "", "status": "approved"})
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"


def test_a_missing_task_is_a_404(bundle_case):
    task = tasks_of(bundle_case)[0]
    response = post(reviewer_for(task.department), "/tasks/999999/approve")
    assert response.status_code == 404
    assert response.json()["code"] == "task_not_found"


@pytest.mark.parametrize(
    ("path", "code"), [("/tasks/{}/approve", "task_not_found"), ("/cases/{}/decision", "case_not_found")]
)
def test_an_id_too_large_for_any_row_is_a_404(bundle_case, path, code):
    reviewer = reviewer_for(tasks_of(bundle_case)[0].department)
    response = post(reviewer, path.format(10**25), {"results": {}} if "decision" in path else {})
    assert (response.status_code, response.json()["code"]) == (404, code)


def _actor(who: str, case, task):
    other_region = region()
    return {
        "anonymous": lambda: None,
        "applicant": lambda: case.applicant.user,
        "other_applicant": lambda: applicant_with_user().user,
        "clerk": lambda: clerk_for(case.region),
        "reviewer_of_another_department": lambda: reviewer_for(published_matter().matter.department),
        "reviewer_of_a_sibling_department": lambda: reviewer_for(tasks_of(case)[1].department),
        "assigned_reviewer": lambda: reviewer_for(task.department),
        "supervisor_of_another_district": lambda: staff(Role.SUPERVISOR, other_region),
    }[who]()


@pytest.mark.parametrize(
    ("who", "status", "code"),
    [
        ("anonymous", 401, "not_authenticated"),
        ("applicant", 403, "task_not_reviewer"),
        ("other_applicant", 404, "task_not_found"),
        ("clerk", 403, "task_not_reviewer"),
        ("reviewer_of_another_department", 404, "task_not_found"),
        ("reviewer_of_a_sibling_department", 403, "task_not_reviewer"),
        ("assigned_reviewer", 200, None),
        ("supervisor_of_another_district", 404, "task_not_found"),
    ],
)
def test_who_may_decide_a_task(bundle_case, who, status, code):
    task = tasks_of(bundle_case)[0]
    actor = _actor(who, bundle_case, task)
    response = post(actor, f"/tasks/{task.pk}/approve", {"opinion": "同意"})
    assert response.status_code == status
    if code:
        assert response.json()["code"] == code
    if status == 404:  # exactly what a missing task answers
        assert response.json() == post(actor, "/tasks/999999/approve", {"opinion": "同意"}).json()
        task.refresh_from_db()
        assert task.status == "open"


def test_assign_and_transfer(bundle_case):
    task = tasks_of(bundle_case)[0]
    first, second = reviewer_for(task.department), reviewer_for(task.department)
    response = post(head_for(task.department), f"/tasks/{task.pk}/assign", {"assignee_id": first.pk})
    assert response.json()["assignee_id"] == first.pk
    response = post(first, f"/tasks/{task.pk}/transfer", {"to_user_id": second.pk, "reason": "休假"})
    assert response.json()["assignee_id"] == second.pk
    response = post(second, f"/tasks/{task.pk}/transfer", {"to_user_id": 987654, "reason": "休假"})
    assert response.status_code == 422 and response.json()["code"] == "user_not_found"


def test_claiming_a_held_task_is_a_409(bundle_case):
    task = tasks_of(bundle_case)[0]
    holder = reviewer_for(task.department)
    post(holder, f"/tasks/{task.pk}/claim")
    response = post(reviewer_for(task.department), f"/tasks/{task.pk}/claim")
    assert response.status_code == 409
    assert response.json()["message"] == f"该审查任务已由{holder}办理"


def test_supplement_requested_by_the_reviewer_and_received_from_the_applicant(bundle_case, time_machine):
    task = tasks_of(bundle_case)[0]
    reviewer = reviewer_for(task.department)
    response = post(reviewer, f"/tasks/{task.pk}/supplement", {"items": ["消防设计说明"], "note": "请于十日内提交"})
    assert response.json()["status"] == "suspended"
    time_machine.move_to(dt.datetime(2026, 3, 5, 10, tzinfo=SHANGHAI), tick=False)
    client = Client()
    client.force_login(bundle_case.applicant.user)
    response = client.post(
        f"/api/cases/tasks/{task.pk}/supplement/received", {"note": "已上传", "files": [pdf_file("消防设计说明.pdf")]}
    )
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["due_on"]) == ("open", "2026-03-11")
    assert CaseMaterial.objects.filter(case=bundle_case, name__contains="消防设计说明.pdf").exists()


def test_a_supplement_file_of_the_wrong_type_is_a_422_and_the_clock_stays_stopped(bundle_case):
    task = tasks_of(bundle_case)[0]
    post(reviewer_for(task.department), f"/tasks/{task.pk}/supplement", {"items": ["消防设计说明"]})
    client = Client()
    client.force_login(clerk_for(bundle_case.region))
    fake = SimpleUploadedFile("说明.pdf", b"not a pdf", content_type="application/pdf")
    response = client.post(f"/api/cases/tasks/{task.pk}/supplement/received", {"files": [fake]})
    assert response.status_code == 422
    assert response.json()["code"] == "supplement_files_invalid"
    task.refresh_from_db()
    assert task.status == "suspended"


def test_special_procedure_start_and_end(bundle_case, time_machine):
    task = tasks_of(bundle_case)[0]
    reviewer = reviewer_for(task.department)
    body = {"kind": "expert_review", "reason": "需专家论证", "expected_end_on": "2026-03-10"}
    assert post(reviewer, f"/tasks/{task.pk}/special-procedure", body).json()["status"] == "suspended"
    time_machine.move_to(dt.datetime(2026, 3, 4, 10, tzinfo=SHANGHAI), tick=False)
    response = post(reviewer, f"/tasks/{task.pk}/special-procedure/end", {"note": "论证通过"})
    assert (response.json()["status"], response.json()["due_on"]) == ("open", "2026-03-10")  # Tuesday did not count


def test_a_special_procedure_of_an_unknown_kind_is_a_422(bundle_case):
    task = tasks_of(bundle_case)[0]
    body = {"kind": "lottery", "reason": "x", "expected_end_on": "2026-03-10"}
    response = post(reviewer_for(task.department), f"/tasks/{task.pk}/special-procedure", body)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["kind"]


def test_send_back(bundle_case):
    task = tasks_of(bundle_case)[0]
    response = post(reviewer_for(task.department), f"/tasks/{task.pk}/send-back", {"reason": "事项选择错误"})
    assert response.json()["status"] == "sent_back"
    bundle_case.refresh_from_db()
    assert bundle_case.status == "submitted"


def test_task_extension_requested_and_approved(bundle_case):
    task = tasks_of(bundle_case)[0]
    response = post(reviewer_for(task.department), f"/tasks/{task.pk}/extension", {"days": 10, "reason": "现场核查"})
    assert response.json()["extension_requested_days"] == 10
    response = post(head_for(task.department), f"/tasks/{task.pk}/extension/approve")
    assert (response.json()["extension_days"], response.json()["due_on"]) == (10, "2026-03-23")


def test_case_extension_and_joint_decision(bundle_case):
    lead = bundle_case.bundle_version.stages.get(position=2).lead_department
    response = post(head_for(lead), f"/cases/{bundle_case.pk}/extension", {"reason": "联合踏勘"})
    assert response.status_code == 200 and response.json()["extension_days"] == 15
    for stage in (1, 2):
        for task in tasks_of(bundle_case, stage):
            assert post(reviewer_for(task.department), f"/tasks/{task.pk}/approve").status_code == 200
    results = {str(m.pk): "approved" for m in bundle_case.matters.all()}
    response = post(coordinator_for(lead), f"/cases/{bundle_case.pk}/decision", {"results": results, "note": "准予"})
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["status_label"]) == ("completed", "已办结")
    assert {r["result_label"] for r in body["results"]} == {"准予许可"}


def test_a_joint_decision_with_a_bad_result_names_the_matter(bundle_case):
    for stage in (1, 2):
        for task in tasks_of(bundle_case, stage):
            post(reviewer_for(task.department), f"/tasks/{task.pk}/approve")
    lead = bundle_case.bundle_version.stages.get(position=2).lead_department
    matters = list(bundle_case.matters.order_by("pk"))
    results = {str(m.pk): "approved" for m in matters} | {str(matters[0].pk): "maybe"}
    response = post(coordinator_for(lead), f"/cases/{bundle_case.pk}/decision", {"results": results})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": f"results.{matters[0].pk}", "message": "决定只能是准予许可(approved)或不予许可(rejected)"}
    ]


@pytest.mark.parametrize("action", ["decision", "extension"])
def test_a_case_the_caller_cannot_see_answers_like_a_missing_one(bundle_case, action):
    outsider = coordinator_for(published_matter().matter.department)
    body = {"results": {}} if action == "decision" else {"reason": "需要补充论证"}
    response = post(outsider, f"/cases/{bundle_case.pk}/{action}", body)
    assert response.status_code == 404
    assert response.json() == post(outsider, f"/cases/999999/{action}", body).json()
