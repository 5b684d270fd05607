"""The permission matrix of every agency page and endpoint, for every kind of user.

Anonymous: pages redirect to the login, the API answers 401. An authorisation or a project the user
may not see is a 404 like a missing one; a page the user's roles do not open is a 403. The world is
built once per test (rows directly, as in cases/tests/test_permissions.py) and each user kind is
checked in a savepoint that is rolled back (onewindow.web.tests.matrix).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.base import ContentFile

from onewindow.agency.models import Authorisation
from onewindow.agency.tests.factories import authorisation
from onewindow.api.auth import token_issue
from onewindow.cases.models import Case
from onewindow.cases.tests.factories import PDF_BYTES, applicant_with_user, clerk_for, department, pdf_file, region
from onewindow.cases.tests.test_permissions import make_case
from onewindow.orgs.domain import Role
from onewindow.orgs.models import Applicant, User
from onewindow.orgs.tests.factories import staff
from onewindow.projects.models import Project
from onewindow.projects.tests.factories import ProjectFactory, office_for
from onewindow.web.tests.matrix import Matrix

LOGIN = 302
USERS = [
    "anonymous",
    "applicant",
    "other_applicant",
    "agent",
    "other_agent",
    "expired_agent",
    "clerk",
    "other_clerk",
    "office",
]


@dataclass
class World:
    case: Case
    applicant: Applicant
    authorisation: Authorisation  # the agent's, from the applicant, with its signed 委托书
    project: Project
    users: dict[str, User | None]


def build_world() -> World:
    """A district with a case of the applicant; `agent` holds the applicant's authorisation, `other_agent`
    another applicant's, `expired_agent` the applicant's expired one; a key project in the district."""
    district = region()
    applicant, other = applicant_with_user(), applicant_with_user()
    case, _task = make_case(applicant=applicant, department=department(district))
    agent, other_agent, expired_agent = (staff(Role.AGENT, district, name=f"代办员{n}") for n in range(3))
    clerk = clerk_for(district)
    granted = authorisation(agent=agent, applicant=applicant, region=district, recorded_by=clerk)
    granted.document.save("委托书.pdf", ContentFile(PDF_BYTES))
    authorisation(agent=other_agent, applicant=other, region=district)
    authorisation(agent=expired_agent, applicant=applicant, region=district, expired=True)
    users: dict[str, User | None] = {
        "anonymous": None,
        "applicant": applicant.user,
        "other_applicant": other.user,
        "agent": agent,
        "other_agent": other_agent,
        "expired_agent": expired_agent,
        "clerk": clerk,
        "other_clerk": clerk_for(region()),
        "office": office_for(district),
    }
    return World(case, applicant, granted, ProjectFactory(district=district), users)


@pytest.fixture
def world(db: Any) -> World:
    return build_world()


def matrix(**expected: int) -> dict[str, int]:
    return {user: expected[user] for user in USERS}


def everyone(status: int, anonymous: int = LOGIN) -> dict[str, int]:
    return {user: anonymous if user == "anonymous" else status for user in USERS}


SEES_THE_AUTHORISATION = {"applicant", "agent", "clerk"}  # and the applicant's agent's own list


# --- pages ------------------------------------------------------------------------------------------

WORK_LIST = matrix(
    anonymous=LOGIN,
    applicant=403,
    other_applicant=403,
    agent=200,
    other_agent=200,
    expired_agent=200,
    clerk=403,
    other_clerk=403,
    office=403,
)


@pytest.mark.parametrize("url", ["/agency/", "/api/agency/cases"])
def test_the_work_list_lists_the_case_for_its_agent_only(client: Any, world: World, url: str) -> None:
    api = url.startswith("/api/")
    checks = Matrix(client, world.users, f"GET {url}")
    for who, status in WORK_LIST.items():
        with checks.as_user(who):
            response = client.get(url)
            assert response.status_code == (401 if api and status == LOGIN else status)
            if status == 200:
                text = response.content.decode()
                assert (world.case.number in text) == (who == "agent")
    checks.verify()


@pytest.mark.parametrize("url", ["/agency/authorisations/", "/api/agency/authorisations"])
def test_the_authorisation_list_shows_each_user_what_they_may_see(client: Any, world: World, url: str) -> None:
    api = url.startswith("/api/")
    checks = Matrix(client, world.users, f"GET {url}")
    for who, status in everyone(200, anonymous=401 if api else LOGIN).items():
        with checks.as_user(who):
            response = client.get(url)
            assert response.status_code == status
            if status == 200 and api:
                ids = [item["id"] for item in response.json()["items"]]
                assert (world.authorisation.pk in ids) == (who in SEES_THE_AUTHORISATION)
            elif status == 200:
                assert (f"/agency/authorisations/{world.authorisation.pk}/" in response.content.decode()) == (
                    who in SEES_THE_AUTHORISATION
                )
    checks.verify()


ONE_AUTHORISATION = matrix(
    anonymous=LOGIN,
    applicant=200,
    other_applicant=404,
    agent=200,
    other_agent=404,
    expired_agent=404,
    clerk=200,
    other_clerk=404,
    office=404,
)


@pytest.mark.parametrize(
    "path",
    [
        "/agency/authorisations/{id}/",
        "/agency/authorisations/{id}/document/",
        "/audit/trail/agency.authorisation/{id}/",
        "/api/agency/authorisations/{id}",
    ],
)
def test_one_authorisation_its_file_and_its_trail_are_404_to_whoever_may_not_see_it(
    client: Any, world: World, path: str
) -> None:
    url = path.format(id=world.authorisation.pk)
    missing = path.format(id=999_999)
    api = url.startswith("/api/")
    checks = Matrix(client, world.users, f"GET {path}")
    for who, status in ONE_AUTHORISATION.items():
        with checks.as_user(who):
            response = client.get(url)
            assert response.status_code == (401 if api and status == LOGIN else status)
            if status == 404:
                assert client.get(missing).status_code == 404
            if status == 404 and api:
                assert response.json()["code"] == "authorisation_not_found"
            if status == 200 and "document" in url:
                assert b"".join(response.streaming_content) == PDF_BYTES  # type: ignore[attr-defined]
    checks.verify()


REVOKE = matrix(
    anonymous=LOGIN,
    applicant=302,
    other_applicant=404,
    agent=302,
    other_agent=404,
    expired_agent=404,
    clerk=302,
    other_clerk=404,
    office=404,
)


@pytest.mark.parametrize("api", [False, True])
def test_revoking_is_for_the_applicant_the_agent_and_the_regions_clerk(client: Any, world: World, api: bool) -> None:
    url = (
        f"/api/agency/authorisations/{world.authorisation.pk}/revoke"
        if api
        else f"/agency/authorisations/{world.authorisation.pk}/revoke/"
    )
    checks = Matrix(client, world.users, f"POST {url}")
    for who, status in REVOKE.items():
        with checks.as_user(who):
            if api:
                response = client.post(url, {"reason": "不再委托"}, content_type="application/json")
                expected = 401 if who == "anonymous" else {302: 200}.get(status, status)
            else:
                response = client.post(url, {"reason": "不再委托"})
                expected = status
            assert response.status_code == expected
            world.authorisation.refresh_from_db()
            assert (world.authorisation.revoked_at is not None) == (expected in {200, 302} and who != "anonymous")
    checks.verify()


WINDOW_FORM = matrix(
    anonymous=LOGIN,
    applicant=403,
    other_applicant=403,
    agent=403,
    other_agent=403,
    expired_agent=403,
    clerk=200,
    other_clerk=200,
    office=403,
)
ONLINE_FORM = matrix(
    anonymous=LOGIN,
    applicant=200,
    other_applicant=200,
    agent=403,
    other_agent=403,
    expired_agent=403,
    clerk=403,
    other_clerk=403,
    office=403,
)


@pytest.mark.parametrize(
    ("url", "expected"),
    [("/agency/authorisations/window/", WINDOW_FORM), ("/agency/authorisations/grant/", ONLINE_FORM)],
)
def test_the_window_form_is_the_clerks_and_the_online_form_the_applicants(
    client: Any, world: World, url: str, expected: dict[str, int]
) -> None:
    checks = Matrix(client, world.users, f"GET and POST {url}")
    for who, status in expected.items():
        with checks.as_user(who):
            assert client.get(url).status_code == status
            # An empty form: told what is missing (422) where the page is open, refused where it is not.
            assert client.post(url, {}).status_code == (422 if status == 200 else status)
            assert Authorisation.objects.count() == 3
    checks.verify()


def _grant_body(world: World, agent: User | None) -> dict[str, Any]:
    assert agent is not None
    return {"agent_id": agent.pk, "scope": "submit,withdraw", "valid_from": "2026-01-01", "valid_until": "2099-12-31"}


def test_recording_at_the_window_through_the_api_is_for_clerks(client: Any, world: World) -> None:
    expected = {**WINDOW_FORM, "anonymous": 401, "clerk": 201, "other_clerk": 201}
    checks = Matrix(client, world.users, "POST /api/agency/authorisations/window")
    for who, status in expected.items():
        with checks.as_user(who):
            body = {
                **_grant_body(world, world.users["agent"]),
                "applicant_kind": "person",
                "applicant_name": world.applicant.name,
                "applicant_id_number": world.applicant.id_number,
                "document": pdf_file("委托书.pdf"),
            }
            response = client.post("/api/agency/authorisations/window", body)
            assert response.status_code == status, response.content
            if status == 201:
                assert response.json()["applicant"]["id"] == world.applicant.pk
    checks.verify()


def test_granting_online_through_the_api_is_for_the_applicants_own_account(client: Any, world: World) -> None:
    expected = everyone(404, anonymous=401) | {"applicant": 201}
    checks = Matrix(client, world.users, "POST /api/agency/authorisations/grant")
    for who, status in expected.items():
        with checks.as_user(who):
            body = {**_grant_body(world, world.users["other_agent"]), "applicant_id": world.applicant.pk}
            response = client.post("/api/agency/authorisations/grant", body)
            assert response.status_code == status, response.content
            if status == 404:
                assert response.json()["code"] == "applicant_not_found"
    checks.verify()


def test_the_agents_one_may_name_are_listed_for_any_signed_in_user(client: Any, world: World) -> None:
    checks = Matrix(client, world.users, "GET /api/agency/agents")
    for who, status in everyone(200, anonymous=401).items():
        with checks.as_user(who):
            response = client.get("/api/agency/agents")
            assert response.status_code == status
            if status == 200:
                assert {row["id"] for row in response.json()} >= {world.users["agent"].pk}  # type: ignore[union-attr]
    checks.verify()


PROJECT_AGENT = everyone(404) | {"office": 302}


@pytest.mark.parametrize("api", [False, True])
def test_only_the_projects_office_assigns_its_agent(client: Any, world: World, api: bool) -> None:
    url = f"/api/agency/projects/{world.project.pk}/agent" if api else f"/agency/projects/{world.project.pk}/agent/"
    agent = world.users["agent"]
    assert agent is not None
    checks = Matrix(client, world.users, f"POST {url}")
    for who, status in PROJECT_AGENT.items():
        with checks.as_user(who):
            if api:
                response = client.post(url, {"agent_id": agent.pk}, content_type="application/json")
                expected = 401 if who == "anonymous" else {302: 200}.get(status, status)
            else:
                response = client.post(url, {"agent": agent.pk})
                expected = status
            assert response.status_code == expected
            assert Authorisation.objects.filter(project=world.project).exists() == (who == "office")
    checks.verify()


# --- a bearer token, as an app uses the API ---------------------------------------------------------


def test_an_agent_reads_the_work_list_and_withdraws_for_the_applicant_with_a_bearer_token(
    client: Any, world: World
) -> None:
    agent = world.users["agent"]
    assert agent is not None
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_issue(agent).token}"}
    listed = client.get("/api/agency/cases", **auth)
    assert [item["number"] for item in listed.json()["items"]] == [world.case.number]
    withdrawn = client.post(
        f"/api/cases/cases/{world.case.pk}/withdraw",
        {"reason": "申请人决定暂缓"},
        content_type="application/json",
        **auth,
    )
    assert withdrawn.status_code == 200, withdrawn.content
    assert withdrawn.json()["status"] == "withdrawn"
