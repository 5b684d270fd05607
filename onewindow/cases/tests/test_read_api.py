"""The read API: tokens for app clients, what a case's detail shows (and hides), paging and bad input."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import override_settings
from django.utils import timezone

from onewindow.api.auth import token_issue
from onewindow.cases.domain import CaseStatus
from onewindow.cases.services.intake import case_request_correction
from onewindow.cases.tests.test_permissions import World, build_world, make_case

pytestmark = pytest.mark.django_db

PASSWORD = "pass-for-tests"  # the orgs UserFactory's password


@pytest.fixture
def world(db: Any) -> World:
    return build_world()


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def get_token(client: Any, username: str, password: str = PASSWORD) -> Any:
    return client.post(
        "/api/cases/auth/token", {"username": username, "password": password}, content_type="application/json"
    )


# --- tokens ---------------------------------------------------------------------------------------


def test_a_token_opens_the_read_endpoints_without_a_session(client: Any, world: World) -> None:
    response = get_token(client, world.users["applicant"].username)
    assert response.status_code == 200
    body = response.json()
    assert dt.datetime.fromisoformat(body["expires_at"]) > timezone.now()
    mine = client.get("/api/cases/cases", **bearer(body["token"]))
    assert mine.status_code == 200
    assert [item["number"] for item in mine.json()["items"]] == [world.case.number]
    detail = client.get(f"/api/cases/cases/{world.case.pk}", **bearer(body["token"]))
    assert detail.status_code == 200


def test_a_wrong_password_gets_no_token(client: Any, world: World) -> None:
    response = get_token(client, world.users["applicant"].username, "wrong")
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_credentials"
    assert response.json()["message"] == "用户名或密码错误"


def test_a_token_request_with_missing_or_extra_fields_is_a_422(client: Any, world: World) -> None:
    response = client.post(
        "/api/cases/auth/token",
        {"username": "x", "password": "y", "admin": True},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"


def test_an_expired_token_is_refused_with_its_own_code(client: Any, world: World) -> None:
    with time_machine.travel(timezone.now() - dt.timedelta(hours=13), tick=False):
        token = token_issue(world.users["applicant"]).token
    response = client.get("/api/cases/cases", **bearer(token))
    assert response.status_code == 401
    assert response.json()["code"] == "token_expired"
    assert "过期" in response.json()["message"]


@override_settings(CASES_API_TOKEN_MAX_AGE_SECONDS=60)
def test_the_token_lifetime_is_a_setting(client: Any, world: World) -> None:
    token = token_issue(world.users["applicant"]).token
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=2), tick=False):
        assert client.get("/api/cases/cases", **bearer(token)).json()["code"] == "token_expired"


@pytest.mark.parametrize("token", ["", "garbage", "eyJ1Ijo1fQ:1abc:forged"])
def test_a_forged_token_is_invalid(client: Any, world: World, token: str) -> None:
    response = client.get("/api/cases/cases", **bearer(token))
    assert response.status_code == 401
    assert response.json()["code"] == "token_invalid"


def test_a_password_change_revokes_the_token(client: Any, world: World) -> None:
    user = world.users["applicant"]
    token = token_issue(user).token
    user.set_password("a-new-password-2026")
    user.save()
    response = client.get("/api/cases/cases", **bearer(token))
    assert response.status_code == 401
    assert response.json()["code"] == "token_invalid"


def test_a_deactivated_user_loses_the_token(client: Any, world: World) -> None:
    user = world.users["clerk"]
    token = token_issue(user).token
    user.is_active = False
    user.save()
    assert client.get("/api/cases/cases", **bearer(token)).status_code == 401


def test_no_credentials_at_all_is_not_authenticated(client: Any, world: World) -> None:
    response = client.get("/api/cases/tasks/todo")
    assert response.status_code == 401
    assert response.json() == {"code": "not_authenticated", "message": "请先登录", "errors": []}


# --- the case detail ------------------------------------------------------------------------------


def test_detail_shows_status_matters_materials_tasks_and_timeline(client: Any, world: World) -> None:
    client.force_login(world.users["clerk"])
    body = client.get(f"/api/cases/cases/{world.case.pk}").json()
    assert (body["status"], body["status_label"]) == ("in_review", "审查中")
    assert [m["result_label"] for m in body["matters"]] == ["办理中"]
    assert body["materials"] == [
        {
            "key": "business_licence",
            "name": "营业执照",
            "size": 1234,
            "sha256": "a" * 64,
            "content_type": "",
            "uploaded_at": None,
            "deferred_due_on": None,
            "reused_certificate": "",
        }
    ]
    [task] = body["tasks"]
    assert task["department"]["code"] == world.department.code
    assert task["status_label"] == "待办"
    assert isinstance(task["remaining_days"], int) and task["warning_level"] in {"normal", "yellow", "red"}
    assert [row["action_label"] for row in body["timeline"]] == ["提交申请", "办理"]


def test_an_applicant_reads_what_to_correct_from_the_detail(client: Any, world: World) -> None:
    case, _ = make_case(
        applicant=world.applicant, department=world.department, status=CaseStatus.SUBMITTED, task_status=None
    )
    items = [{"target": "material:business_licence", "problem": "已过有效期"}]
    notice = case_request_correction(actor=world.users["clerk"], case=case, items=items)
    client.force_login(world.users["applicant"])
    [read] = client.get(f"/api/cases/cases/{case.pk}").json()["correction_notices"]
    assert (read["number"], read["resolved_at"]) == (notice.number, None)
    assert read["items"] == [{"target": "material:business_licence", "label": "营业执照", "problem": "已过有效期"}]


def test_detail_never_shows_the_storage_path(client: Any, world: World) -> None:
    client.force_login(world.users["applicant"])
    assert "secret-path" not in client.get(f"/api/cases/cases/{world.case.pk}").content.decode()


def test_applicants_see_public_rows_and_departments_not_staff_names(client: Any, world: World) -> None:
    client.force_login(world.users["applicant"])
    body = client.get(f"/api/cases/cases/{world.case.pk}").json()
    assert [row["action"] for row in body["timeline"]] == ["case_submit"]
    assert "内部意见" not in str(body)


@pytest.mark.parametrize(("who", "masked"), [("clerk", False), ("assigned_reviewer", False), ("supervisor", True)])
def test_id_number_and_phone_are_masked_for_roles_that_do_not_need_them(
    client: Any, world: World, who: str, masked: bool
) -> None:
    client.force_login(world.users[who])
    applicant = client.get(f"/api/cases/cases/{world.case.pk}").json()["applicant"]
    assert (applicant["id_number"] != world.applicant.id_number) == masked
    assert ("*" in applicant["id_number"]) == masked
    assert (applicant["phone"] == world.applicant.phone) == (not masked)


def test_the_applicant_sees_their_own_number_masked(client: Any, world: World) -> None:
    client.force_login(world.users["applicant"])
    applicant = client.get(f"/api/cases/cases/{world.case.pk}").json()["applicant"]
    assert applicant["id_number"].startswith(world.applicant.id_number[:6]) and "*" in applicant["id_number"]


# --- lists, paging and bad input ------------------------------------------------------------------


def test_case_list_pages_and_filters_by_status(client: Any, world: World) -> None:
    for _ in range(3):
        make_case(applicant=world.applicant, department=world.department, status=CaseStatus.SUBMITTED)
    client.force_login(world.users["clerk"])
    page = client.get("/api/cases/cases", {"limit": 2, "offset": 0}).json()
    assert (page["count"], len(page["items"]), page["limit"]) == (4, 2, 2)
    submitted = client.get("/api/cases/cases", {"status": "submitted"}).json()
    assert submitted["count"] == 3 and {item["status_label"] for item in submitted["items"]} == {"待受理"}
    client.force_login(world.users["applicant"])
    assert client.get("/api/cases/cases", {"status": "in_review"}).json()["count"] == 1


@pytest.mark.parametrize(
    ("query", "field", "fragment"),
    [
        ({"limit": 101}, "limit", "1 至 100"),
        ({"limit": 0}, "limit", "1 至 100"),
        ({"limit": "many"}, "limit", "必须是整数"),
        ({"offset": -1}, "offset", "0 至 1000000"),
        ({"status": "lost"}, "status", "取值无效"),
    ],
)
def test_bad_list_parameters_are_422_in_chinese(
    client: Any, world: World, query: dict[str, Any], field: str, fragment: str
) -> None:
    client.force_login(world.users["clerk"])
    response = client.get("/api/cases/cases", query)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_input"
    [error] = body["errors"]
    assert error["field"].endswith(field) and fragment in error["message"]


def test_board_filters_by_code_and_reports_unknown_codes(client: Any, world: World) -> None:
    make_case(applicant=world.applicant, department=world.other_department)
    client.force_login(world.users["supervisor"])
    body = client.get("/api/cases/supervision/board", {"department": world.other_department.code}).json()
    assert body["task_counts"]["total"] == 1 and len(body["tasks"]) == 1
    response = client.get("/api/cases/supervision/board", {"department": "NOPE", "matter": "NOPE"})
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_filters"
    assert {error["field"] for error in response.json()["errors"]} == {"department", "matter"}
    outside = client.get("/api/cases/supervision/board", {"organisation": world.other_district.code})
    assert outside.status_code == 404 and outside.json()["code"] == "organisation_not_in_scope"


def test_on_time_rate_rejects_a_bad_date_in_chinese(client: Any, world: World) -> None:
    client.force_login(world.users["supervisor"])
    response = client.get("/api/cases/supervision/on-time-rate", {"since": "yesterday"})
    assert response.status_code == 422
    assert "YYYY-MM-DD" in response.json()["errors"][0]["message"]
    assert client.get("/api/cases/supervision/on-time-rate", {"since": "2026-01-01"}).status_code == 200


def test_role_refusals_carry_a_stable_code(client: Any, world: World) -> None:
    client.force_login(world.users["applicant"])
    assert client.get("/api/cases/intake/queue").json()["code"] == "not_a_clerk"
    assert client.get("/api/cases/tasks/todo").json()["code"] == "not_a_reviewer"
    assert client.get("/api/cases/supervision/board").json()["code"] == "not_a_supervisor"


def test_the_read_endpoints_are_in_the_openapi_schema_with_bearer_auth(client: Any) -> None:
    schema = client.get("/api/openapi.json").json()
    for path in ["/api/cases/cases", "/api/cases/cases/{case_id}", "/api/cases/tasks/todo", "/api/cases/auth/token"]:
        assert path in schema["paths"], path
    assert any(s.get("scheme") == "bearer" for s in schema["components"]["securitySchemes"].values())
