"""The permission matrix of every registry page and endpoint, for every kind of user.

Anonymous: pages redirect to the login, the API answers 401. A project the user may not see is a 404
exactly like a missing one; a write only the key-project office may make is a 403 for anyone else
who sees the project. The public roadmap page opens to everyone, and only once published.

Each test builds the world once and checks every kind of user against it, each in a savepoint that
is rolled back (onewindow.web.tests.matrix), so one user's write never shows in the next one's check.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from onewindow.cases.tests.factories import accepted_case, published_matter
from onewindow.cases.tests.factories import department as new_department
from onewindow.orgs.tests.factories import UserFactory
from onewindow.projects.domain import TeamRole
from onewindow.projects.models import Milestone, Project
from onewindow.projects.services.roadmap import MilestoneInput, roadmap_publish, roadmap_set
from onewindow.projects.tests.conftest import World
from onewindow.projects.tests.factories import credit_code, team_member
from onewindow.web.tests.matrix import Matrix

USERS = [
    "anonymous",
    "stranger",
    "other_office",
    "district_office",
    "city_office",
    "leader_holding",
    "leader_not_holding",
    "team_member",
]
LOGIN = 302
SEES = {"district_office", "city_office", "leader_holding", "team_member"}
OFFICE = {"district_office", "city_office"}


def matrix(**expected: int) -> dict[str, int]:
    return {user: expected[user] for user in USERS}


def checks_for(client: Any, world: World, endpoint: str) -> Matrix:
    return Matrix(client, world.users, endpoint)


def with_roadmap(world: World, *, published: bool = False) -> Milestone:
    office = world.user("district_office")
    plan = [
        MilestoneInput(kind="approval", name="施工许可", duration_days=5),
        MilestoneInput(kind="start", name="开工", duration_days=0),
    ]
    roadmap_set(actor=office, project=world.project, target_on=dt.date(2026, 10, 13), milestones=plan)
    if published:
        roadmap_publish(actor=office, project=world.project)
    return Milestone.objects.get(project=world.project, kind="approval")


READ = matrix(
    anonymous=LOGIN,
    stranger=404,
    other_office=404,
    district_office=200,
    city_office=200,
    leader_holding=200,
    leader_not_holding=404,
    team_member=200,
)


def write(ok: int, anonymous: int = LOGIN) -> dict[str, int]:
    return matrix(
        anonymous=anonymous,
        stranger=404,
        other_office=404,
        district_office=ok,
        city_office=ok,
        leader_holding=403,
        leader_not_holding=404,
        team_member=403,
    )


# --- pages ------------------------------------------------------------------------------------------


def test_project_page(client: Any, world: World) -> None:
    url = f"/projects/{world.project.pk}/"
    checks = checks_for(client, world, f"GET {url}")
    for who, status in READ.items():
        with checks.as_user(who):
            response = client.get(url)
            assert response.status_code == status
            if status == LOGIN:
                assert response["Location"].startswith("/accounts/login/")
            if status == 200:
                page = response.content.decode()
                assert world.project.name in page
                assert (f"/projects/{world.project.pk}/edit/" in page) == (who in OFFICE)
    checks.verify()


def test_roadmap_page(client: Any, world: World) -> None:
    with_roadmap(world)
    url = f"/projects/{world.project.pk}/roadmap/"
    checks = checks_for(client, world, f"GET {url} (draft)")
    for who, status in READ.items():
        with checks.as_user(who):
            response = client.get(url)
            assert response.status_code == status
            if status == 200:
                page = response.content.decode()
                assert ("施工许可" in page) == (who in OFFICE)  # a draft is the office's until published
                assert ("尚未发布" in page) == (who not in OFFICE)
    checks.verify()


def test_published_roadmap_page(client: Any, world: World) -> None:
    with_roadmap(world, published=True)
    url = f"/projects/{world.project.pk}/roadmap/"
    checks = checks_for(client, world, f"GET {url} (published)")
    for who, status in READ.items():
        with checks.as_user(who):
            response = client.get(url)
            assert response.status_code == status
            if status == 200:
                assert "施工许可" in response.content.decode()
    checks.verify()


def test_a_missing_project_looks_like_a_forbidden_one(client: Any, world: World) -> None:
    checks = checks_for(client, world, "GET /projects/999999/ (page, roadmap, edit)")
    for who in USERS[1:]:
        with checks.as_user(who):
            for url in ("/projects/999999/", "/projects/999999/roadmap/", "/projects/999999/edit/"):
                assert client.get(url).status_code == 404
    checks.verify()


@pytest.mark.parametrize("url", ["edit/", "team/", "roadmap/edit/"])
def test_office_forms(client: Any, world: World, url: str) -> None:
    checks = checks_for(client, world, f"GET /projects/{world.project.pk}/{url}")
    for who, status in write(200).items():
        with checks.as_user(who):
            response = client.get(f"/projects/{world.project.pk}/{url}")
            assert response.status_code == status
    checks.verify()


def test_phase_change_form(client: Any, world: World) -> None:
    checks = checks_for(client, world, f"POST /projects/{world.project.pk}/phase/")
    for who, status in write(302).items():
        with checks.as_user(who):
            response = client.post(
                f"/projects/{world.project.pk}/phase/", {"to_phase": "completed", "reason": "竣工验收"}
            )
            assert response.status_code == status
            world.project.refresh_from_db()
            assert (world.project.phase == "completed") == (who in OFFICE)
    checks.verify()


def test_phase_change_form_starting_a_project(client: Any, world: World) -> None:
    Project.objects.filter(pk=world.project.pk).update(phase="preparation")
    url = f"/projects/{world.project.pk}/phase/"
    checks = checks_for(client, world, f"POST {url} (前期 → 新开工 with started_on)")
    for who, status in write(302).items():
        with checks.as_user(who):
            form = {"to_phase": "new_start", "reason": "主体开工", "started_on": "2026-01-05"}
            assert client.post(url, form).status_code == status
            world.project.refresh_from_db()
            assert (world.project.actual_start == dt.date(2026, 1, 5)) == (who in OFFICE)
    checks.verify()


def test_publish_and_link_forms(client: Any, world: World) -> None:
    approval = with_roadmap(world)
    case = accepted_case(matter_version=published_matter(department=new_department(world.east)))
    base = f"/projects/{world.project.pk}/roadmap/"
    checks = checks_for(client, world, f"POST {base}publish/, milestones/<id>/cases/ and milestones/<id>/actual/")
    for who, status in write(302).items():
        with checks.as_user(who):
            assert client.post(f"{base}publish/").status_code == status
            linked = client.post(f"{base}milestones/{approval.pk}/cases/", {"case_number": case.number})
            assert linked.status_code == status
            actual = client.post(f"{base}milestones/{approval.pk}/actual/", {"actual_on": "2026-01-05"})
            assert actual.status_code == status
            case.refresh_from_db()
            assert case.is_green_channel == (who in OFFICE)
    checks.verify()


CREATE_AND_IMPORT_PAGES = matrix(
    anonymous=LOGIN,
    stranger=403,
    other_office=200,
    district_office=200,
    city_office=200,
    leader_holding=403,
    leader_not_holding=403,
    team_member=403,
)


def test_create_and_import_pages_open_to_offices(client: Any, world: World) -> None:
    checks = checks_for(client, world, "GET /projects/new/ and /projects/import/")
    for who, status in CREATE_AND_IMPORT_PAGES.items():
        with checks.as_user(who):
            assert client.get("/projects/new/").status_code == status
            assert client.get("/projects/import/").status_code == status
    checks.verify()


def test_list_my_projects_and_export_show_only_what_the_user_sees(client: Any, world: World) -> None:
    checks = checks_for(client, world, "GET /projects/, /projects/export.xlsx and /projects/mine/")
    for who in USERS:
        with checks.as_user(who):
            pages = [client.get("/projects/"), client.get("/projects/export.xlsx")]
            mine = client.get("/projects/mine/")
            if who == "anonymous":
                assert all(r.status_code == LOGIN for r in [*pages, mine])
                continue
            assert all(r.status_code == 200 for r in [*pages, mine])
            assert (world.project.code in pages[0].content.decode()) == (who in SEES)
            assert (world.project.code in mine.content.decode()) == (who in {"leader_holding", "team_member"})
    checks.verify()


def test_the_public_roadmap_opens_to_everyone_once_published_and_names_nobody(client: Any, world: World) -> None:
    approval = with_roadmap(world)
    chief = team_member(world.project, TeamRole.CHIEF_SERVICE, UserFactory(name="赵首席"))
    case = accepted_case(matter_version=published_matter(department=new_department(world.east)))
    approval.cases.add(case)
    url = f"/projects/roadmaps/{world.project.code}/"
    checks = checks_for(client, world, f"GET {url}")
    for who in USERS:
        with checks.as_user(who):
            assert client.get(url).status_code == 404
            roadmap_publish(actor=world.user("district_office"), project=world.project)
            response = client.get(url)
            assert response.status_code == 200
            content = response.content.decode()
            page = content[content.index("<main") : content.index("</main>")]  # the navbar names the signed-in user
            assert "施工许可" in page and "审查中" in page
            assert chief.name not in page and case.number not in page and world.user("leader_holding").name not in page
    checks.verify()


# --- API --------------------------------------------------------------------------------------------------

API_READ = READ | {"anonymous": 401}


def api_write(ok: int) -> dict[str, int]:
    return write(ok, anonymous=401)


def test_project_detail_endpoint(client: Any, world: World) -> None:
    url = f"/api/projects/projects/{world.project.pk}"
    checks = checks_for(client, world, f"GET {url}")
    for who, status in API_READ.items():
        with checks.as_user(who):
            response = client.get(url)
            assert response.status_code == status
            body = response.json()
            if status == 200:
                assert body["code"] == world.project.code
                assert body["can_edit"] == (who in OFFICE)
            elif status == 404:
                assert body["code"] == "project_not_found"
    checks.verify()


def test_project_list_endpoint(client: Any, world: World) -> None:
    checks = checks_for(client, world, "GET /api/projects/projects")
    for who in USERS:
        with checks.as_user(who):
            response = client.get("/api/projects/projects")
            if who == "anonymous":
                assert response.status_code == 401
                continue
            assert response.status_code == 200
            codes = [item["code"] for item in response.json()["items"]]
            assert codes == ([world.project.code] if who in SEES else [])
    checks.verify()


def project_body(world: World, **overrides: Any) -> dict[str, Any]:
    body = {
        "code": world.project.code,
        "name": "改过的名称",
        "owner_name": world.project.owner_name,
        "owner_credit_code": world.project.owner_credit_code,
        "district": world.east.code,
        "industry": "先进制造",
        "chain_tags": ["新能源汽车"],
        "total_investment": "50000",
        "level": "city",
    }
    return body | overrides


def test_update_endpoint(client: Any, world: World) -> None:
    url = f"/api/projects/projects/{world.project.pk}"
    checks = checks_for(client, world, f"PUT {url}")
    for who, status in api_write(200).items():
        with checks.as_user(who):
            world.project.refresh_from_db()  # the previous user's change was rolled back
            response = client.put(url, json.dumps(project_body(world)), content_type="application/json")
            assert response.status_code == status
            if status == 403:
                assert response.json()["code"] == "project_office_required"
            world.project.refresh_from_db()
            assert (world.project.name == "改过的名称") == (status == 200)
    checks.verify()


def test_phase_and_team_endpoints(client: Any, world: World) -> None:
    base = f"/api/projects/projects/{world.project.pk}"
    checks = checks_for(client, world, f"POST {base}/phase and PUT {base}/team")
    for who, status in api_write(200).items():
        with checks.as_user(who):
            phase = client.post(
                f"{base}/phase", {"to_phase": "completed", "reason": "验收"}, content_type="application/json"
            )
            team = client.put(f"{base}/team", {"secretary": None}, content_type="application/json")
            assert (phase.status_code, team.status_code) == (status, status)
    checks.verify()


def test_phase_endpoint_starting_a_project_and_update_endpoint_correcting_the_start(client: Any, world: World) -> None:
    Project.objects.filter(pk=world.project.pk).update(phase="preparation")
    base = f"/api/projects/projects/{world.project.pk}"
    checks = checks_for(client, world, f"POST {base}/phase (started_on) and PUT {base} (actual_start)")
    for who, status in api_write(200).items():
        with checks.as_user(who):
            world.project.refresh_from_db()
            body = {"to_phase": "new_start", "reason": "主体开工", "started_on": "2026-01-05"}
            assert client.post(f"{base}/phase", body, content_type="application/json").status_code == status
            correction = project_body(world, name=world.project.name, actual_start="2026-01-04")
            assert client.put(base, correction, content_type="application/json").status_code == status
            world.project.refresh_from_db()
            assert (world.project.actual_start == dt.date(2026, 1, 4)) == (who in OFFICE)
    checks.verify()


CREATE_ENDPOINT = matrix(
    anonymous=401,
    stranger=403,
    other_office=422,
    district_office=201,
    city_office=201,
    leader_holding=403,
    leader_not_holding=403,
    team_member=403,
)


def test_create_endpoint(client: Any, world: World) -> None:
    body = project_body(world, code="API-001", owner_credit_code=credit_code(4242))
    checks = checks_for(client, world, "POST /api/projects/projects")
    for who, status in CREATE_ENDPOINT.items():
        with checks.as_user(who):
            response = client.post("/api/projects/projects", body, content_type="application/json")
            assert response.status_code == status
            if status == 422:
                assert response.json()["code"] == "project_district_out_of_scope"
    checks.verify()


def test_roadmap_endpoint_once_published(client: Any, world: World) -> None:
    with_roadmap(world, published=True)
    url = f"/api/projects/projects/{world.project.pk}/roadmap"
    checks = checks_for(client, world, f"GET {url}")
    for who, status in API_READ.items():
        with checks.as_user(who):
            response = client.get(url)
            assert response.status_code == status
    checks.verify()


def test_roadmap_write_endpoints(client: Any, world: World) -> None:
    approval = with_roadmap(world)
    case = accepted_case(matter_version=published_matter(department=new_department(world.east)))
    base = f"/api/projects/projects/{world.project.pk}"
    body = {
        "target_on": "2026-12-31",
        "milestones": [{"id": approval.pk, "kind": "approval", "name": "施工许可", "duration_days": 10}],
    }
    checks = checks_for(client, world, f"PUT {base}/roadmap, POST …/milestones/<id>/cases and …/roadmap/publish")
    for who, status in api_write(200).items():
        with checks.as_user(who):
            assert client.put(f"{base}/roadmap", body, content_type="application/json").status_code == status
            link = client.post(
                f"{base}/milestones/{approval.pk}/cases", {"case_number": case.number}, content_type="application/json"
            )
            assert link.status_code == (201 if status == 200 else status)
            publish = client.post(f"{base}/roadmap/publish", {"published": True}, content_type="application/json")
            assert publish.status_code == status
    checks.verify()
