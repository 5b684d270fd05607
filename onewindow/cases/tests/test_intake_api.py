"""The intake endpoints at /api/cases/: multipart submission, JSON decisions, errors {code, message, errors}."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from onewindow.cases.models import Case
from onewindow.cases.tests import factories as f
from onewindow.orgs.tests.factories import valid_credit_code

pytestmark = pytest.mark.django_db

API = "/api/cases"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def submit_online(client: Client, **fields: Any) -> Any:
    return client.post(f"{API}/submissions", data={"channel": "online", **fields})


def test_an_applicant_submits_online_with_files_and_gets_the_case_summary():
    version = f.published_matter()
    applicant = f.applicant_with_user()

    response = submit_online(
        client_for(applicant.user),
        matter_version_id=version.pk,
        form_data=json.dumps(f.form_values(), ensure_ascii=False),
        business_licence=f.pdf_file(),
        site_plan=f.pdf_file("plan.pdf"),
    )

    assert response.status_code == 201, response.content
    body = response.json()
    case = Case.objects.get()
    assert body["number"] == case.number and body["number"].endswith("-00001")
    assert (body["status"], body["status_label"]) == ("submitted", "待受理")
    assert body["intake_due_on"] == case.intake_due_on.isoformat()
    assert case.applicant == applicant
    assert set(case.materials.exclude(file="").values_list("key", flat=True)) == {"business_licence", "site_plan"}


def test_every_form_and_file_problem_comes_back_at_once_with_stable_codes():
    version = f.published_matter()
    applicant = f.applicant_with_user()

    response = submit_online(
        client_for(applicant.user),
        matter_version_id=version.pk,
        form_data=json.dumps({"floor_area": -3}),
        business_licence=f.pdf_file("licence.exe"),
    )

    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_application"
    assert {e["field"]: e["message"] for e in body["errors"]} == {
        "project_name": "请填写项目名称",
        "floor_area": "建筑面积不能小于 1",
        "material:business_licence": "营业执照的文件类型不支持，请上传 PDF、JPG、PNG 或 OFD 文件",
    }
    assert not Case.objects.exists()


def test_form_data_must_be_a_json_object():
    applicant = f.applicant_with_user()
    response = submit_online(client_for(applicant.user), matter_version_id=f.published_matter().pk, form_data="[1, 2")
    assert response.status_code == 400
    assert response.json()["code"] == "form_data_malformed"


def test_anonymous_callers_are_asked_to_log_in():
    response = submit_online(Client(), matter_version_id=f.published_matter().pk)
    assert response.status_code == 401
    assert not Case.objects.exists()


def test_a_clerk_registers_the_applicant_by_id_number_at_the_window():
    version = f.published_matter()
    clerk = f.clerk_for(version.matter.department.parent)

    response = client_for(clerk).post(
        f"{API}/submissions",
        data={
            "channel": "window",
            "matter_version_id": version.pk,
            "applicant_kind": "enterprise",
            "applicant_name": "杭州示例科技有限公司",
            "applicant_id_number": valid_credit_code(),
            "form_data": json.dumps(f.form_values()),
        },
    )

    assert response.status_code == 201, response.content
    case = Case.objects.get()
    assert (case.applicant.name, case.channel, case.submitted_by) == ("杭州示例科技有限公司", "window", clerk)


def test_draft_then_submit_through_the_api():
    version = f.published_matter()
    applicant = f.applicant_with_user()
    client = client_for(applicant.user)

    draft = client.post(
        f"{API}/drafts",
        data={"channel": "online", "matter_version_id": version.pk, "form_data": json.dumps({"project_name": "草稿"})},
    )
    assert draft.status_code == 201, draft.content
    assert draft.json()["status_label"] == "草稿"

    submitted = submit_online(client, draft_id=draft.json()["id"], form_data=json.dumps({"floor_area": 10}))
    assert submitted.status_code == 201, submitted.content
    assert submitted.json()["id"] == draft.json()["id"]
    assert submitted.json()["status"] == "submitted"


def test_correction_resubmission_and_acceptance_through_the_api():
    case = f.submitted_case(files={"business_licence": f.pdf_file()})
    clerk = client_for(f.clerk_for(case.region))
    applicant = client_for(case.applicant.user)

    notice = clerk.post(
        f"{API}/cases/{case.pk}/correction",
        data={"items": [{"target": "material:site_plan", "problem": "未提交总平面图"}]},
        content_type="application/json",
    )
    assert notice.status_code == 200, notice.content
    assert notice.json()["status"] == "correction"
    assert notice.json()["notice_number"] == f"{case.number}-BZ1"

    again = applicant.post(f"{API}/cases/{case.pk}/resubmit", data={"site_plan": f.pdf_file()})
    assert again.status_code == 200, again.content
    assert again.json()["status"] == "submitted"

    accepted = clerk.post(f"{API}/cases/{case.pk}/accept")
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["status_label"] == "审查中"
    assert accepted.json()["acceptance_notice_number"] == f"{case.number}-SL"
    assert accepted.json()["due_on"]


def test_a_clerk_of_another_region_is_told_the_case_is_not_found_and_nothing_changes():
    case = f.submitted_case()
    response = client_for(f.clerk_for(f.region())).post(f"{API}/cases/{case.pk}/accept")

    assert response.status_code == 404
    assert response.json()["code"] == "case_not_found"
    case.refresh_from_db()
    assert case.status == "submitted"


def test_refusal_without_reason_and_basis_is_422_per_field():
    case = f.submitted_case()
    response = client_for(f.clerk_for(case.region)).post(
        f"{API}/cases/{case.pk}/refuse", data={"reason": ""}, content_type="application/json"
    )
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"reason", "legal_basis"}


def test_deferral_commitment_and_withdrawal_endpoints():
    deferrable = f.submitted_case(files={"business_licence": f.pdf_file()})
    response = client_for(f.clerk_for(deferrable.region)).post(
        f"{API}/cases/{deferrable.pk}/accept-with-deferral",
        data={"deferred": {"site_plan": "2099-01-31"}},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "in_review"

    committed = f.submitted_case(matter_version=f.published_matter(commitment_allowed=True))
    response = client_for(f.clerk_for(committed.region)).post(
        f"{API}/cases/{committed.pk}/approve-on-commitment",
        data={"commitment_text": "本人承诺"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["status_label"] == "已办结"

    response = client_for(deferrable.applicant.user).post(
        f"{API}/cases/{deferrable.pk}/withdraw", data={"reason": "项目取消"}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "withdrawn"


def test_a_decision_on_a_decided_case_is_a_409_conflict():
    case = f.accepted_case()
    response = client_for(f.clerk_for(case.region)).post(f"{API}/cases/{case.pk}/accept")
    assert response.status_code == 409
    assert response.json()["code"] == "transition_not_allowed"


def test_a_missing_case_is_404():
    response = client_for(f.clerk_for(f.region())).post(f"{API}/cases/999999/accept")
    assert response.status_code == 404
    assert response.json()["code"] == "case_not_found"


INTAKE_ACTIONS = [
    ("correction", {"items": [{"target": "field:project_name", "problem": "名称不全"}]}),
    ("resubmit", None),  # multipart
    ("accept", {}),
    ("accept-with-deferral", {"deferred": {"site_plan": "2099-01-31"}}),
    ("refuse", {"reason": "不属于本机关职权", "legal_basis": "第三十二条"}),
    ("approve-on-commitment", {"commitment_text": "本人承诺"}),
    ("withdraw", {"reason": "项目取消"}),
]


def _act(client: Client, case_id: int, action: str, body: dict[str, Any] | None) -> tuple[int, str]:
    url = f"{API}/cases/{case_id}/{action}"
    response = client.post(url) if body is None else client.post(url, data=body, content_type="application/json")
    return response.status_code, response.json()["code"]


@pytest.mark.parametrize(("action", "body"), INTAKE_ACTIONS, ids=[action for action, _ in INTAKE_ACTIONS])
def test_an_outsiders_intake_action_answers_exactly_like_a_missing_case(action: str, body: dict[str, Any] | None):
    case = f.submitted_case()
    before = Case.objects.filter(pk=case.pk).values().get()
    for outsider in (f.clerk_for(f.region()), f.applicant_with_user().user):
        client = client_for(outsider)
        assert _act(client, case.pk, action, body) == _act(client, 999_999, action, body) == (404, "case_not_found")
    assert Case.objects.filter(pk=case.pk).values().get() == before


def test_someone_elses_draft_is_submitted_as_a_missing_one():
    applicant = f.applicant_with_user()
    draft = client_for(applicant.user).post(
        f"{API}/drafts", data={"channel": "online", "matter_version_id": f.published_matter().pk}
    )
    other = client_for(f.applicant_with_user().user)
    for draft_id in (draft.json()["id"], 999_999, f.submitted_case().pk):
        response = submit_online(other, draft_id=draft_id)
        assert (response.status_code, response.json()["code"]) == (404, "case_not_found"), draft_id
    assert Case.objects.get(pk=draft.json()["id"]).status == "draft"
