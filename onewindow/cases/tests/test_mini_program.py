"""A mini-program client, through HTTP only, with bearer tokens only: no session, no CSRF cookie.

The applicant finds the matter's guide, submits with a file, receives a one-time correction notice,
corrects and resubmits, is accepted, is asked for supplementary material and hands it in, and
withdraws another application. The clerk and the reviewer act through the API with their own
tokens. After each step the applicant reads what they see through GET /api/cases/cases/{id}.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from onewindow.cases.tests import factories as f

pytestmark = pytest.mark.django_db

API = "/api/cases"
PASSWORD = "pass-for-tests"  # the orgs UserFactory's password


class App:
    """One person's mini-program: logs in with a token and sends it with every request."""

    def __init__(self, username: str) -> None:
        self.http = Client(enforce_csrf_checks=True)
        login = self.http.post(
            f"{API}/auth/token", {"username": username, "password": PASSWORD}, content_type="application/json"
        )
        assert login.status_code == 200, login.content
        self.auth = {"HTTP_AUTHORIZATION": f"Bearer {login.json()['token']}"}

    def get(self, path: str, expected: int = 200) -> Any:
        response = self.http.get(path, **self.auth)
        assert response.status_code == expected, response.content
        return response.json()

    def post(self, path: str, expected: int = 200, **kwargs: Any) -> Any:
        kwargs.setdefault("content_type", "application/json")
        response = self.http.post(path, **kwargs, **self.auth)
        assert response.status_code == expected, response.content
        return response.json()

    def upload(self, path: str, data: dict[str, Any], expected: int = 200) -> Any:
        response = self.http.post(path, data, **self.auth)  # multipart/form-data
        assert response.status_code == expected, response.content
        return response.json()

    def case(self, case_id: int) -> Any:
        return self.get(f"{API}/cases/{case_id}")


def submit(applicant: App, code: str) -> Any:
    guide = applicant.get(f"/api/catalogue/matters/{code}")
    files = {m["key"]: f.pdf_file(f"{m['name']}.pdf") for m in guide["materials"] if m["required"]}
    form = {"channel": "online", "matter_version_id": guide["version_id"], "form_data": json.dumps(f.form_values())}
    return applicant.upload(f"{API}/submissions", form | files, expected=201)


def test_a_mini_program_submits_corrects_supplements_and_withdraws_with_tokens_only() -> None:
    department = f.department()
    matter = f.published_matter(department=department)
    applicant_user = f.applicant_with_user().user
    assert applicant_user is not None
    applicant = App(applicant_user.username)
    clerk = App(f.clerk_for(department.parent).username)
    reviewer = App(f.reviewer_for(department).username)

    # submit with files
    submitted = submit(applicant, matter.matter.code)
    case_id = submitted["id"]
    seen = applicant.case(case_id)
    assert (seen["status"], seen["status_label"]) == ("submitted", "待受理")
    assert sorted(m["key"] for m in seen["materials"] if m["uploaded_at"]) == ["business_licence", "site_plan"]
    assert seen["correction_notices"] == [] and seen["supplement_requests"] == []

    # the clerk sends a one-time correction notice
    assert case_id in [case["id"] for case in clerk.get(f"{API}/intake/queue")["items"]]
    problem = {"target": "material:site_plan", "problem": "总平面图不清晰，请重新扫描。"}
    notice = clerk.post(f"{API}/cases/{case_id}/correction", data={"items": [problem]})
    seen = applicant.case(case_id)
    assert seen["status"] == "correction"
    [shown] = seen["correction_notices"]
    assert shown["number"] == notice["notice_number"] and shown["resolved_at"] is None
    assert shown["items"] == [{"target": "material:site_plan", "label": "总平面图", "problem": problem["problem"]}]

    # the applicant corrects and resubmits
    before = {m["key"]: m["sha256"] for m in seen["materials"]}
    applicant.upload(f"{API}/cases/{case_id}/resubmit", {"site_plan": f.pdf_file("总平面图.pdf", b"%PDF-1.4 new")})
    seen = applicant.case(case_id)
    assert seen["status"] == "submitted"
    assert seen["correction_notices"][0]["resolved_at"] is not None
    after = {m["key"]: m["sha256"] for m in seen["materials"]}
    assert after["site_plan"] != before["site_plan"] and after["business_licence"] == before["business_licence"]

    # accepted: review begins
    clerk.post(f"{API}/cases/{case_id}/accept")
    seen = applicant.case(case_id)
    assert seen["status"] == "in_review" and seen["acceptance_notice_number"] and seen["due_on"]
    [task] = seen["tasks"]

    # the reviewer asks for supplementary material: the clock stops, the applicant sees what is wanted
    assert task["id"] in [t["id"] for t in reviewer.get(f"{API}/tasks/todo")["items"]]
    reviewer.post(f"{API}/tasks/{task['id']}/supplement", data={"items": ["消防设计说明"], "note": ""})
    seen = applicant.case(case_id)
    assert seen["tasks"][0]["status"] == "suspended" and seen["tasks"][0]["is_suspended"]
    [wanted] = seen["supplement_requests"]
    assert wanted["task_id"] == task["id"] and "消防设计说明" in wanted["note"]
    assert wanted["department"]["id"] == department.pk

    # the applicant hands it in: the clock runs again and the file is kept with the case
    received = {"note": "已补充", "files": f.pdf_file("消防设计说明.pdf")}
    applicant.upload(f"{API}/tasks/{wanted['task_id']}/supplement/received", received)
    seen = applicant.case(case_id)
    assert seen["supplement_requests"] == []
    assert seen["tasks"][0]["status"] == "open" and not seen["tasks"][0]["is_suspended"]
    assert any(m["name"].startswith("补充材料1") for m in seen["materials"])

    # another application, withdrawn
    other_id = submit(applicant, matter.matter.code)["id"]
    applicant.post(f"{API}/cases/{other_id}/withdraw", data={"reason": "项目调整，暂不申请。"})
    seen = applicant.case(other_id)
    assert (seen["status"], seen["status_label"]) == ("withdrawn", "已撤回")
    assert "项目调整" in seen["timeline"][-1]["note"]
    assert sorted(case["id"] for case in applicant.get(f"{API}/cases")["items"]) == sorted([case_id, other_id])

    # tokens only, all the way: no session and no CSRF cookie was ever set
    for app in (applicant, clerk, reviewer):
        assert not app.http.cookies
