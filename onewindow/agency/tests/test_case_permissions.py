"""The case pages and endpoints for agents: the agent of the case's applicant sees and acts on it (as
the applicant does: the public timeline, the applicant's ID and phone masked, no trail); the agent of
another applicant and the agent whose authorisation expired find it missing, exactly like a case that
does not exist. The world is cases/tests/test_permissions.py's with three agents added, all members of
the case's own district (the agent role opens no organisation's cases)."""

from __future__ import annotations

from typing import Any

import pytest

from onewindow.agency.tests.factories import authorisation
from onewindow.cases.tests.factories import applicant_with_user
from onewindow.cases.tests.test_permissions import (
    API_DECISION,
    API_REFUSE,
    API_TASK_APPROVE,
    API_WITHDRAW,
    LIKE_MISSING,
    LOGIN,
    PAGE_DECISION,
    PAGE_INTAKE_REFUSE,
    PAGE_TASK_APPROVE,
    PAGE_WITHDRAW,
    Action,
    World,
    build_world,
    checks_for,
)
from onewindow.orgs.domain import Role
from onewindow.orgs.tests.factories import staff

AGENTS = ["agent", "other_agent", "expired_agent"]


@pytest.fixture
def world(db: Any) -> World:
    world = build_world()
    agent, other_agent, expired_agent = (staff(Role.AGENT, world.district, name=f"代办员{n}") for n in range(3))
    authorisation(agent=agent, applicant=world.applicant)
    authorisation(agent=other_agent, applicant=applicant_with_user())
    authorisation(agent=expired_agent, applicant=world.applicant, expired=True)
    world.users |= {
        "agent": agent,
        "other_agent": other_agent,
        "expired_agent": expired_agent,
        "clerk": world.users["clerk"],
    }
    return world


SEES = {"agent": 200, "other_agent": 404, "expired_agent": 404}


@pytest.mark.parametrize(
    "page", ["", "notice/", "receipt/", "correct/", "supplement/", "withdraw/"]
)  # the case, its intake decision, and the portal's pages of the applicant's actions
def test_the_case_pages_open_to_the_agent_of_the_case_only(client: Any, world: World, page: str) -> None:
    url = f"/cases/{world.case.pk}/{page}"
    checks = checks_for(client, world, f"GET {url}")
    for who, status in SEES.items():
        with checks.as_user(who):
            response = client.get(url)
            assert response.status_code == status
            if status == 404:
                assert client.get(f"/cases/999999/{page}").status_code == 404
    checks.verify()


def test_the_case_page_shows_the_agent_the_public_timeline_and_masked_personal_data(client: Any, world: World) -> None:
    client.force_login(world.users["agent"])
    page = client.get(f"/cases/{world.case.pk}/").content.decode()
    assert world.applicant.id_number not in page and world.applicant.id_number[-4:] in page
    assert world.applicant.phone not in page
    assert "内部意见" not in page  # the task's internal note: staff only
    assert "代办员0" in page  # who represents the case


@pytest.mark.parametrize("url", ["/api/cases/cases/{id}", "/audit/trail/cases.case/{id}/"])
def test_the_case_endpoint_answers_the_agent_of_the_case_and_no_agent_sees_its_trail(
    client: Any, world: World, url: str
) -> None:
    trail = url.startswith("/audit/")
    expected = {who: 404 for who in AGENTS} if trail else SEES
    checks = checks_for(client, world, f"GET {url}")
    for who, status in expected.items():
        with checks.as_user(who):
            response = client.get(url.format(id=world.case.pk))
            assert response.status_code == status
            if not trail and status == 200:
                applicant = response.json()["applicant"]
                assert applicant["id_number"] != world.applicant.id_number and "*" in applicant["id_number"]
                assert "*" in applicant["phone"]
                assert "内部意见" not in response.content.decode()
            if not trail and status == 404:
                assert response.json()["code"] == "case_not_found"
    checks.verify()


def test_the_case_lists_are_not_the_agents_work_list(client: Any, world: World) -> None:
    """我的办件 and the API's case list hold the agent's own applications; the represented ones are in 代办工作台."""
    for url in ("/cases/mine/", "/api/cases/cases"):
        checks = checks_for(client, world, f"GET {url}")
        for who in AGENTS:
            with checks.as_user(who):
                response = client.get(url)
                assert response.status_code == 200
                assert world.case.number not in response.content.decode()
        checks.verify()


ACTIONS = [
    (API_WITHDRAW, {"agent": 200, "other_agent": LIKE_MISSING, "expired_agent": LIKE_MISSING}),
    (PAGE_WITHDRAW, {"agent": LOGIN, "other_agent": LIKE_MISSING, "expired_agent": LIKE_MISSING}),
    # Staff's steps: the agent sees the case and is told they may not; the others find it missing.
    (API_REFUSE, {"agent": 403, "other_agent": LIKE_MISSING, "expired_agent": LIKE_MISSING}),
    (API_TASK_APPROVE, {"agent": 403, "other_agent": LIKE_MISSING, "expired_agent": LIKE_MISSING}),
    (API_DECISION, {"agent": 403, "other_agent": LIKE_MISSING, "expired_agent": LIKE_MISSING}),
    (PAGE_INTAKE_REFUSE, {"agent": 403, "other_agent": LIKE_MISSING, "expired_agent": LIKE_MISSING}),
    (PAGE_TASK_APPROVE, {"agent": 404, "other_agent": LIKE_MISSING, "expired_agent": LIKE_MISSING}),
    (PAGE_DECISION, {"agent": 403, "other_agent": LIKE_MISSING, "expired_agent": LIKE_MISSING}),
]


@pytest.mark.parametrize(("action", "expected"), ACTIONS, ids=[action.path for action, _ in ACTIONS])
def test_an_agent_acts_on_the_case_they_represent_and_any_other_looks_missing(
    client: Any, world: World, action: Action, expected: dict[str, int | str]
) -> None:
    action.check_answers(client, world, expected)
