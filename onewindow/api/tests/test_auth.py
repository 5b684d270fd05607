"""One authentication rule for the whole API: the bearer token decides when sent, else the session with CSRF.

Every client here enforces CSRF as a browser's requests are checked (`enforce_csrf_checks=True`).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from onewindow.api.auth import token_issue
from onewindow.audit.tests.factories import staff
from onewindow.cases.domain import CaseStatus
from onewindow.cases.models import Case
from onewindow.cases.tests.test_permissions import World, build_world
from onewindow.orgs.domain import Role

pytestmark = pytest.mark.django_db

CSRF_SECRET = "a" * 32  # what the csrftoken cookie holds; a page's form sends it back


@pytest.fixture
def world(db: Any) -> World:
    return build_world()


@pytest.fixture
def browser() -> Client:
    return Client(enforce_csrf_checks=True)


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def withdraw(client: Client, case: Case, **headers: str) -> Any:
    path = f"/api/cases/cases/{case.pk}/withdraw"
    return client.post(path, {"reason": "不再需要"}, content_type="application/json", **headers)


def status_of(case: Case) -> str:
    case.refresh_from_db()
    return case.status


def test_a_token_post_needs_no_csrf_token(browser: Client, world: World) -> None:
    response = withdraw(browser, world.case, **bearer(token_issue(world.users["applicant"]).token))
    assert response.status_code == 200, response.json()
    assert status_of(world.case) == CaseStatus.WITHDRAWN


def test_a_session_post_without_the_csrf_token_is_refused(browser: Client, world: World) -> None:
    browser.force_login(world.users["applicant"])
    response = withdraw(browser, world.case)
    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"
    assert "安全校验" in response.json()["message"]
    assert status_of(world.case) == CaseStatus.IN_REVIEW


def test_a_session_post_with_the_csrf_token_is_accepted(browser: Client, world: World) -> None:
    browser.force_login(world.users["applicant"])
    browser.cookies[settings.CSRF_COOKIE_NAME] = CSRF_SECRET
    response = withdraw(browser, world.case, HTTP_X_CSRFTOKEN=CSRF_SECRET)
    assert response.status_code == 200, response.json()
    assert status_of(world.case) == CaseStatus.WITHDRAWN


def test_a_session_read_needs_no_csrf_token(browser: Client, world: World) -> None:
    browser.force_login(world.users["applicant"])
    assert browser.get(f"/api/cases/cases/{world.case.pk}").status_code == 200


def test_an_anonymous_post_is_not_authenticated_rather_than_a_csrf_failure(browser: Client, world: World) -> None:
    response = withdraw(browser, world.case)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize("token", ["garbage", "eyJ1Ijo1fQ:1abc:forged"])
def test_a_bad_token_is_refused_even_beside_a_valid_session(browser: Client, world: World, token: str) -> None:
    browser.force_login(world.users["applicant"])
    browser.cookies[settings.CSRF_COOKIE_NAME] = CSRF_SECRET
    read = browser.get(f"/api/cases/cases/{world.case.pk}", **bearer(token))
    write = withdraw(browser, world.case, HTTP_X_CSRFTOKEN=CSRF_SECRET, **bearer(token))
    assert (read.status_code, read.json()["code"]) == (401, "token_invalid")
    assert (write.status_code, write.json()["code"]) == (401, "token_invalid")
    assert status_of(world.case) == CaseStatus.IN_REVIEW


def test_a_token_reads_who_the_user_is(browser: Client, world: World) -> None:
    clerk = world.users["clerk"]
    assert clerk is not None
    response = browser.get("/api/orgs/me", **bearer(token_issue(clerk).token))
    assert response.status_code == 200
    assert response.json()["username"] == clerk.username
    assert [role["role"] for role in response.json()["roles"]] == [Role.CLERK.value]
    organisations = browser.get("/api/orgs/organisations", **bearer(token_issue(clerk).token))
    assert world.district.code in [organisation["code"] for organisation in organisations.json()]


@pytest.mark.parametrize(("role", "expected"), [(Role.AUDIT_ADMIN, 200), (Role.CLERK, 403)])
def test_the_audit_admin_reads_the_audit_api_with_a_token(browser: Client, role: Role, expected: int) -> None:
    response = browser.get("/api/audit/events", **bearer(token_issue(staff(role)).token))
    assert response.status_code == expected
    if expected == 403:
        assert response.json()["code"] == "audit_admin_only"


def test_the_public_endpoints_need_neither_token_nor_session(browser: Client) -> None:
    assert browser.get("/api/catalogue/matters").status_code == 200
    assert browser.get("/api/workdays/add", {"start": "2026-01-05", "days": 3}).status_code == 200
    assert browser.get("/api/ranking/board/2026-01").status_code == 200


def test_the_openapi_document_shows_both_ways_to_authenticate(browser: Client) -> None:
    document = browser.get("/api/openapi.json").json()
    schemes = document["components"]["securitySchemes"]
    assert (schemes["BearerToken"]["type"], schemes["BearerToken"]["scheme"]) == ("http", "bearer")
    assert (schemes["SessionCookie"]["type"], schemes["SessionCookie"]["in"]) == ("apiKey", "cookie")
    case_list = document["paths"]["/api/cases/cases"]["get"]
    assert case_list["security"] == [{"BearerToken": []}, {"SessionCookie": []}]
    assert "security" not in document["paths"]["/api/catalogue/matters"]["get"]
    assert "Authorization: Bearer" in document["info"]["description"]
