"""Errors a client can cause get the API's error body (stable code, Chinese message), never a 500 or a page."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from onewindow.api.auth import token_issue
from onewindow.cases.tests.test_permissions import World, build_world

pytestmark = pytest.mark.django_db

CSRF_SECRET = "a" * 32


@pytest.fixture
def world(db: Any) -> World:
    return build_world()


def test_a_session_multipart_post_without_a_boundary_is_a_client_error(world: World) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.users["applicant"])
    browser.cookies[settings.CSRF_COOKIE_NAME] = CSRF_SECRET
    response = browser.generic(
        "POST",
        "/api/cases/submissions",
        b"channel=online",
        content_type="multipart/form-data",
        HTTP_X_CSRFTOKEN=CSRF_SECRET,
    )
    assert response.status_code == 400
    assert response.json()["code"] == "unreadable_body"
    assert "格式有误" in response.json()["message"]


def test_a_token_multipart_post_without_a_boundary_is_a_client_error(client: Client, world: World) -> None:
    token = token_issue(world.users["applicant"]).token
    path = f"/api/cases/tasks/{world.task.pk}/supplement/received"
    response = client.generic(
        "POST", path, b"note=x", content_type="multipart/form-data", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "unreadable_body"


def test_a_json_body_that_cannot_be_parsed_is_a_chinese_client_error(client: Client, world: World) -> None:
    token = token_issue(world.users["applicant"]).token
    path = f"/api/cases/cases/{world.case.pk}/withdraw"
    response = client.post(path, b"{not json", content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 400
    assert response.json() == {
        "code": "unreadable_body",
        "message": "请求内容格式有误，无法读取，请检查后重新提交。",
        "errors": [],
    }


@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_a_path_no_endpoint_matches_is_a_json_404(client: Client, method: str) -> None:
    response = getattr(client, method)("/api/cases/cases/-1")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "not_found"


LISTS = [
    "/api/catalogue/matters",
    "/api/cases/cases",
    "/api/cases/intake/queue",
    "/api/briefings/reports",
    "/api/audit/events",
]


@pytest.mark.parametrize("path", LISTS)
def test_an_offset_beyond_any_page_is_a_client_error_not_a_crash(client: Client, world: World, path: str) -> None:
    token = token_issue(world.users["clerk"]).token
    response = client.get(path, {"offset": str(2**70)}, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"
