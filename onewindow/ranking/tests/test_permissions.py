"""The permission matrix of every ranking page and endpoint, for every kind of user.

The world: a city with two districts; the east district's project (with its leader and secretary)
invests nothing, so after January and February the east district is last with its target unmet and
has a yellow warning for February. Anonymous users are sent to the login (pages) or get a 401
(API), except on the public progress board. A warning or score the user may not see is a 404 like a
missing one; a write on a visible warning by anyone but the east district's office is a 403.

Each test builds the world once and checks every kind of user against it, each in a savepoint that
is rolled back (onewindow.web.tests.matrix), so one user's write never shows in the next one's check.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import Any

import pytest

from onewindow.orgs.models import Organisation, User
from onewindow.orgs.tests.factories import UserFactory
from onewindow.projects.domain import TeamRole
from onewindow.projects.models import Project
from onewindow.projects.tests.factories import city, district, leader, office_for, team_member
from onewindow.ranking.models import AssessmentScore, Warning
from onewindow.ranking.services.run import ranking_replay
from onewindow.ranking.tests.factories import building, month, problem, report
from onewindow.web.tests.matrix import Matrix

LOGIN = 302
SECRETARY_PHONE = "13900000001"


@dataclass
class World:
    east: Organisation
    west: Organisation
    project: Project
    warning: Warning
    score: AssessmentScore
    users: dict[str, User | None]


@pytest.fixture
def world(db: Any) -> World:
    town = city()
    east, west = district(town), district(town)
    project = building(east, name="滨江科创园一期")
    other = building(west, name="西城物流园")
    holding_leader = leader(town)
    team_member(project, TeamRole.LEADER, holding_leader)
    secretary = team_member(project, TeamRole.SECRETARY, UserFactory(name="王秘书", phone=SECRETARY_PHONE))
    for number in (1, 2):
        report(other, 2026, number, amount="100")
    problem(project, east, dt.date(2026, 2, 10))
    ranking_replay(first=month(2026, 1), last=month(2026, 2), today=dt.date(2026, 3, 5))
    users: dict[str, User | None] = {
        "anonymous": None,
        "stranger": UserFactory(),
        "other_office": office_for(west),
        "district_office": office_for(east),
        "city_office": office_for(town),
        "leader": holding_leader,
        "other_leader": leader(town),
        "secretary": secretary,
    }
    warning = Warning.objects.get(district=east)
    score = AssessmentScore.objects.get(window="month", period=month(2026, 2), organisation=east)
    return World(east, west, project, warning, score, users)


USERS = [
    "anonymous",
    "stranger",
    "other_office",
    "district_office",
    "city_office",
    "leader",
    "other_leader",
    "secretary",
]
SEES_PROJECT = {"district_office", "city_office", "leader", "secretary"}
SEES_WARNING = {"district_office", "city_office", "leader"}


def matrix(**expected: int) -> dict[str, int]:
    return {user: expected[user] for user in USERS}


def checks_for(client: Any, world: World, endpoint: str) -> Matrix:
    return Matrix(client, world.users, endpoint)


READERS = matrix(
    anonymous=LOGIN,
    stranger=403,
    other_office=200,
    district_office=200,
    city_office=200,
    leader=200,
    other_leader=200,
    secretary=200,
)
EVERYONE = matrix(**{user: 200 for user in USERS})

# --- pages ----------------------------------------------------------------------------------------


def test_ranking_page(client: Any, world: World) -> None:
    checks = checks_for(client, world, "GET /ranking/?period=2026-02")
    for who, status in READERS.items():
        with checks.as_user(who):
            response = client.get("/ranking/", {"period": "2026-02"})
            assert response.status_code == status
            if status == LOGIN:
                assert response["Location"].startswith("/accounts/login/")
            if status == 200:
                page = response.content.decode()
                assert ("滨江科创园一期" in page) == (who in SEES_PROJECT)
                assert world.east.name in page  # the district ranking is an aggregate everyone here sees
                assert "v1" in page
    checks.verify()


def test_the_public_board_shows_names_and_classes_to_anyone(client: Any, world: World) -> None:
    checks = checks_for(client, world, "GET /ranking/board/?period=2026-02")
    for who, status in EVERYONE.items():
        with checks.as_user(who):
            response = client.get("/ranking/board/", {"period": "2026-02"})
            assert response.status_code == status
            board = response.content.decode().split("<main", 1)[1]  # the page shell greets a signed-in user by name
            assert "滨江科创园一期" in board and "ow-class-no_progress" in board
            assert "王秘书" not in board and SECRETARY_PHONE not in board
    checks.verify()


def test_dashboard_page(client: Any, world: World) -> None:
    checks = checks_for(client, world, "GET /ranking/dashboard/?period=2026-02")
    for who, status in READERS.items():
        with checks.as_user(who):
            response = client.get("/ranking/dashboard/", {"period": "2026-02"})
            assert response.status_code == status
            if status == 200:
                page = response.content.decode()
                assert "vendor/echarts.min.js" in page
                assert not re.search(r'<script[^>]+src="(?:https?:)?//', page)  # no script from another site
                found = re.search(r'id="ranking-dashboard"[^>]*>(.*?)</script>', page, re.S)
                assert found is not None
                embedded = json.loads(found.group(1))
                districts = [row["district"] for row in embedded["completion"]]
                assert (world.east.name in districts) == (who in SEES_PROJECT)
    checks.verify()


WARNINGS_PAGE = matrix(
    anonymous=LOGIN,
    stranger=403,
    other_office=200,
    district_office=200,
    city_office=200,
    leader=200,
    other_leader=200,
    secretary=403,
)


def test_warnings_page(client: Any, world: World) -> None:
    checks = checks_for(client, world, "GET /ranking/warnings/")
    for who, status in WARNINGS_PAGE.items():
        with checks.as_user(who):
            response = client.get("/ranking/warnings/")
            assert response.status_code == status
            if status == 200:
                page = response.content.decode()
                assert (f'id="warning-{world.warning.pk}"' in page) == (who in SEES_WARNING)
                assert ("签收预警" in page) == (who == "district_office")
    checks.verify()


WARNING_WRITES = matrix(
    anonymous=LOGIN,
    stranger=403,
    other_office=404,
    district_office=200,
    city_office=403,
    leader=403,
    other_leader=404,
    secretary=403,
)


def test_acknowledging_a_warning(client: Any, world: World) -> None:
    url = f"/ranking/warnings/{world.warning.pk}/acknowledge/"
    checks = checks_for(client, world, f"POST {url}")
    for who, status in WARNING_WRITES.items():
        with checks.as_user(who):
            response = client.post(url, HTTP_HX_REQUEST="true")
            assert response.status_code == status
            world.warning.refresh_from_db()
            assert (world.warning.acknowledged_at is not None) == (status == 200)
    checks.verify()


def test_rectifying_a_warning(client: Any, world: World) -> None:
    world.warning.acknowledged_at, world.warning.acknowledged_by = world.warning.issued_at, world.users["city_office"]
    world.warning.save()
    url = f"/ranking/warnings/{world.warning.pk}/rectify/"
    checks = checks_for(client, world, f"POST {url}")
    for who, status in WARNING_WRITES.items():
        with checks.as_user(who):
            response = client.post(url, {"note": "已复工"}, HTTP_HX_REQUEST="true")
            assert response.status_code == status
            assert world.warning.rectification_notes.exists() == (status == 200)
            if status == 200:
                assert "已复工" in response.content.decode()
    checks.verify()


def test_a_missing_warning_looks_like_a_forbidden_one(client: Any, world: World) -> None:
    checks = checks_for(client, world, "POST /ranking/warnings/999999/acknowledge/")
    for who in ["other_office", "district_office", "city_office", "leader"]:
        with checks.as_user(who):
            response = client.post("/ranking/warnings/999999/acknowledge/")
            assert response.status_code == 404
    checks.verify()


def test_assessment_page(client: Any, world: World) -> None:
    checks = checks_for(client, world, "GET /ranking/assessment/?period=2026-02")
    for who, status in READERS.items():
        with checks.as_user(who):
            response = client.get("/ranking/assessment/", {"period": "2026-02"})
            assert response.status_code == status
            if status == 200:
                page = response.content.decode()
                assert (f"/ranking/assessment/{world.score.pk}/" in page) == (who in SEES_PROJECT)
    checks.verify()


ASSESSMENT_DRILL_DOWN = matrix(
    anonymous=LOGIN,
    stranger=403,
    other_office=404,
    district_office=200,
    city_office=200,
    leader=200,
    other_leader=404,
    secretary=200,
)


def test_assessment_drill_down(client: Any, world: World) -> None:
    url = f"/ranking/assessment/{world.score.pk}/"
    checks = checks_for(client, world, f"GET {url}")
    for who, status in ASSESSMENT_DRILL_DOWN.items():
        with checks.as_user(who):
            response = client.get(url)
            assert response.status_code == status
            if status == 200:
                assert "滨江科创园一期" in response.content.decode()
    checks.verify()


CITY_OFFICE_WRITES = matrix(
    anonymous=LOGIN,
    stranger=403,
    other_office=403,
    district_office=403,
    city_office=302,
    leader=403,
    other_leader=403,
    secretary=403,
)


def test_recomputing_a_month_from_the_page(client: Any, world: World) -> None:
    checks = checks_for(client, world, "POST /ranking/run/")
    for who, status in CITY_OFFICE_WRITES.items():
        with checks.as_user(who):
            response = client.post("/ranking/run/", {"period": "2026-02"})
            assert response.status_code == status
            if status == 302 and who == "city_office":
                assert response["Location"].startswith("/ranking/?period=2026-02&job=")  # the job's panel
    checks.verify()


def test_adding_a_rule_version_from_the_page(client: Any, world: World) -> None:
    body = {"effective_from": "2026-03", "rules": '{"warnings": {"yellow_after": 1}}', "note": "收紧"}
    checks = checks_for(client, world, "POST /ranking/rules/")
    for who, status in CITY_OFFICE_WRITES.items():
        with checks.as_user(who):
            response = client.post("/ranking/rules/", body)
            assert response.status_code == status
    checks.verify()


def test_a_wrong_rule_version_is_explained_beside_the_form(client: Any, world: World) -> None:
    client.force_login(world.users["city_office"])
    response = client.post("/ranking/rules/", {"effective_from": "2026-3x", "rules": "{", "note": ""})
    assert response.status_code == 422
    assert "规则不是有效的 JSON" in response.content.decode()


# --- API ------------------------------------------------------------------------------------------

API_READERS = matrix(
    anonymous=401,
    stranger=403,
    other_office=200,
    district_office=200,
    city_office=200,
    leader=200,
    other_leader=200,
    secretary=200,
)


def test_project_classes_endpoint(client: Any, world: World) -> None:
    checks = checks_for(client, world, "GET /api/ranking/periods/2026-02/projects")
    for who, status in API_READERS.items():
        with checks.as_user(who):
            response = client.get("/api/ranking/periods/2026-02/projects")
            assert response.status_code == status
            body = response.json()
            if status == 200:
                ids = [item["project_id"] for item in body["items"]]
                assert (world.project.pk in ids) == (who in SEES_PROJECT)
                if world.project.pk in ids:
                    item = body["items"][ids.index(world.project.pk)]
                    assert (item["rank_class"], item["elapsed_pct"], item["rule_version"]) == (
                        "no_progress",
                        "16.67",
                        1,
                    )
            else:
                assert body["code"] == {401: "not_authenticated", 403: "ranking_forbidden"}[status]
    checks.verify()


def test_district_ranks_endpoint(client: Any, world: World) -> None:
    checks = checks_for(client, world, "GET /api/ranking/periods/2026-02/districts")
    for who, status in API_READERS.items():
        with checks.as_user(who):
            response = client.get("/api/ranking/periods/2026-02/districts")
            assert response.status_code == status
            if status == 200:
                assert [row["district_id"] for row in response.json()] == [world.west.pk, world.east.pk]
    checks.verify()


def test_public_board_endpoint(client: Any, world: World) -> None:
    checks = checks_for(client, world, "GET /api/ranking/board/2026-02")
    for who, status in EVERYONE.items():
        with checks.as_user(who):
            response = client.get("/api/ranking/board/2026-02")
            assert response.status_code == status
            assert {row["name"] for row in response.json()} == {"滨江科创园一期", "西城物流园"}
    checks.verify()


WARNINGS_ENDPOINT = matrix(
    anonymous=401,
    stranger=403,
    other_office=200,
    district_office=200,
    city_office=200,
    leader=200,
    other_leader=200,
    secretary=403,
)


def test_warnings_endpoint(client: Any, world: World) -> None:
    checks = checks_for(client, world, "GET /api/ranking/warnings")
    for who, status in WARNINGS_ENDPOINT.items():
        with checks.as_user(who):
            response = client.get("/api/ranking/warnings")
            assert response.status_code == status
            if status == 200:
                rows = {row["id"]: row for row in response.json()}
                assert (world.warning.pk in rows) == (who in SEES_WARNING)
                if world.warning.pk in rows:
                    assert rows[world.warning.pk]["level"] == "yellow"
                    assert rows[world.warning.pk]["can_handle"] == (who == "district_office")
    checks.verify()


ACKNOWLEDGE_ENDPOINT = matrix(
    anonymous=401,
    stranger=403,
    other_office=404,
    district_office=200,
    city_office=403,
    leader=403,
    other_leader=404,
    secretary=403,
)


def test_acknowledge_endpoint(client: Any, world: World) -> None:
    url = f"/api/ranking/warnings/{world.warning.pk}/acknowledge"
    checks = checks_for(client, world, f"POST {url}")
    for who, status in ACKNOWLEDGE_ENDPOINT.items():
        with checks.as_user(who):
            response = client.post(url)
            assert response.status_code == status
            if status == 404:
                assert response.json()["code"] == "warning_not_found"
            if status == 200:
                assert response.json()["acknowledged_at"] is not None
    checks.verify()


RECTIFICATION_ENDPOINT = matrix(
    anonymous=401,
    stranger=403,
    other_office=404,
    district_office=201,
    city_office=403,
    leader=403,
    other_leader=404,
    secretary=403,
)


def test_rectification_endpoint(client: Any, world: World) -> None:
    Warning.objects.filter(pk=world.warning.pk).update(
        acknowledged_at=world.warning.issued_at, acknowledged_by=world.users["district_office"]
    )
    url = f"/api/ranking/warnings/{world.warning.pk}/rectifications"
    checks = checks_for(client, world, f"POST {url}")
    for who, status in RECTIFICATION_ENDPOINT.items():
        with checks.as_user(who):
            response = client.post(url, {"note": "已约谈"}, content_type="application/json")
            assert response.status_code == status
            if status == 201:
                assert [n["note"] for n in response.json()["rectification_notes"]] == ["已约谈"]
    checks.verify()


def test_assessment_endpoint(client: Any, world: World) -> None:
    checks = checks_for(client, world, "GET /api/ranking/assessment?period=2026-02&window=year&subject=district")
    for who, status in API_READERS.items():
        with checks.as_user(who):
            response = client.get(
                "/api/ranking/assessment", {"period": "2026-02", "window": "year", "subject": "district"}
            )
            assert response.status_code == status
            if status == 200:
                ids = [row["organisation_id"] for row in response.json()]
                assert (world.east.pk in ids) == (who in SEES_PROJECT)
    checks.verify()


def test_dashboard_endpoint(client: Any, world: World) -> None:
    checks = checks_for(client, world, "GET /api/ranking/dashboard?period=2026-02")
    for who, status in API_READERS.items():
        with checks.as_user(who):
            response = client.get("/api/ranking/dashboard", {"period": "2026-02"})
            assert response.status_code == status
            if status == 200:
                body = response.json()
                assert body["months"] == (["2026-01", "2026-02"] if body["completion"] else [])
                counts = {row["rank_class"]: row["count"] for row in body["classes"]}
                assert counts["no_progress"] == (1 if who in SEES_PROJECT else 0)
    checks.verify()


RUN_ENDPOINT = matrix(
    anonymous=401,
    stranger=403,
    other_office=403,
    district_office=403,
    city_office=202,
    leader=403,
    other_leader=403,
    secretary=403,
)


def test_run_endpoint(client: Any, world: World) -> None:
    checks = checks_for(client, world, "POST /api/ranking/runs")
    for who, status in RUN_ENDPOINT.items():
        with checks.as_user(who):
            response = client.post("/api/ranking/runs", {"period": "2026-02"}, content_type="application/json")
            assert response.status_code == status
            if status == 202:  # a job, finished at once by the tests' immediate backend
                job = client.get(f"/api/jobs/{response.json()['id']}").json()
                assert job["status"] == "succeeded"
                assert job["result"]["warning_count"] == 1
                assert job["result"]["later_periods"] == []  # nothing ranked after February
    checks.verify()


def test_a_wrong_period_is_a_client_error_with_a_chinese_message(client: Any, world: World) -> None:
    client.force_login(world.users["city_office"])
    response = client.get("/api/ranking/periods/2026-13/projects")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_period"
    page = client.get("/ranking/", {"period": "May"})
    assert page.status_code == 200
    assert "月份应为 YYYY-MM 格式" in page.content.decode()
