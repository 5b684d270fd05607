"""The JSON API as a client sees it: stable error codes with Chinese messages per field, the roadmap
with its linked cases, pagination limits."""

from __future__ import annotations

from typing import Any

import pytest

from onewindow.cases.tests.factories import accepted_case, published_matter
from onewindow.cases.tests.factories import department as new_department
from onewindow.projects.models import AnnualPlan, Project
from onewindow.projects.tests.conftest import World
from onewindow.projects.tests.factories import ProjectFactory, credit_code

pytestmark = pytest.mark.django_db


def api(client: Any, world: World, who: str = "district_office") -> Any:
    client.force_login(world.user(who))
    return client


def body(world: World, **overrides: Any) -> dict[str, Any]:
    values = {
        "code": "API-9",
        "name": "接口登记项目",
        "owner_name": "接口建设有限公司",
        "owner_credit_code": credit_code(9090),
        "district": world.east.code,
        "industry": "数字经济",
        "chain_tags": ["算力"],
        "total_investment": "12000.5",
        "level": "district",
        "planned_start": "2026-03-01",
        "planned_finish": "2027-03-01",
        "annual_plans": [{"year": 2026, "planned_investment": "6000"}],
    }
    return values | overrides


def test_create_registers_the_project_and_its_plans_in_one_call(client: Any, world: World) -> None:
    response = api(client, world).post("/api/projects/projects", body(world), content_type="application/json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["code"], data["phase"], data["total_investment"]) == ("API-9", "reserve", "12000.50")
    assert data["annual_plans"] == [{"year": 2026, "planned_investment": "6000.00"}]
    assert data["can_edit"] is True


def test_every_bad_field_comes_back_at_once_with_a_stable_code(client: Any, world: World) -> None:
    bad = body(world, code=world.project.code, owner_credit_code="123", planned_finish="2026-01-01")
    response = api(client, world).post("/api/projects/projects", bad, content_type="application/json")
    assert response.status_code == 422
    data = response.json()
    assert data["code"] == "project_invalid"
    assert {e["field"] for e in data["errors"]} == {"code", "owner_credit_code", "planned_finish"}
    assert not Project.objects.filter(name="接口登记项目").exists()
    assert not AnnualPlan.objects.exists()


def test_a_negative_amount_or_an_unknown_field_is_refused_in_chinese(client: Any, world: World) -> None:
    client = api(client, world)
    negative = client.post("/api/projects/projects", body(world, total_investment=-1), content_type="application/json")
    assert negative.status_code == 422
    assert negative.json()["errors"][0]["message"] == "总投资不能为负数"
    extra = client.post("/api/projects/projects", body(world, colour="red"), content_type="application/json")
    assert extra.status_code == 422
    assert extra.json()["code"] == "invalid_input"


def test_the_list_filters_paginates_and_refuses_bad_filters(client: Any, world: World) -> None:
    for n in range(3):
        ProjectFactory(district=world.west, code=f"W-{n}", industry="生物医药")
    client = api(client, world, "city_office")
    page = client.get("/api/projects/projects", {"industry": "生物医药", "limit": 2, "offset": 1}).json()
    assert (page["count"], [item["code"] for item in page["items"]]) == (3, ["W-1", "W-2"])
    bad = client.get("/api/projects/projects", {"phase": "building"})
    assert (bad.status_code, bad.json()["code"]) == (422, "invalid_filters")
    too_many = client.get("/api/projects/projects", {"limit": 1000})
    assert too_many.status_code == 422
    assert "limit" in too_many.json()["errors"][0]["message"]


def test_a_skipped_phase_is_refused_with_its_code(client: Any, world: World) -> None:
    response = api(client, world).post(
        f"/api/projects/projects/{world.project.pk}/phase",
        {"to_phase": "reserve", "reason": "回到储备"},
        content_type="application/json",
    )
    assert (response.status_code, response.json()["code"]) == (422, "project_phase_change_refused")


def test_the_team_changes_only_the_roles_given(client: Any, world: World) -> None:
    chief = world.user("leader_not_holding")
    response = api(client, world).put(
        f"/api/projects/projects/{world.project.pk}/team",
        {"chief_service": f"{chief.name}({chief.username})"},
        content_type="application/json",
    )
    assert response.status_code == 200
    team = {m["role"]: (m["user"] or {}).get("username") for m in response.json()["team"]}
    assert team["chief_service"] == chief.username
    assert team["leader"] == world.user("leader_holding").username
    unknown = api(client, world).put(
        f"/api/projects/projects/{world.project.pk}/team", {"leader": "nobody"}, content_type="application/json"
    )
    assert (unknown.status_code, unknown.json()["code"]) == (422, "team_invalid")


def test_the_roadmap_round_trip_with_a_linked_case(client: Any, world: World) -> None:
    client = api(client, world)
    base = f"/api/projects/projects/{world.project.pk}"
    put = client.put(
        f"{base}/roadmap",
        {
            "target_on": "2026-10-13",
            "milestones": [
                {"kind": "land", "name": "土地摘牌", "duration_days": 30},
                {"kind": "approval", "name": "施工许可", "duration_days": 5},
            ],
        },
        content_type="application/json",
    )
    assert put.status_code == 200, put.json()
    milestones = put.json()["milestones"]
    assert [(m["latest_start_on"], m["latest_on"]) for m in milestones] == [
        ("2026-08-31", "2026-09-30"),
        ("2026-09-30", "2026-10-13"),
    ]
    assert milestones[1]["counts_working_days"] is True

    case = accepted_case(matter_version=published_matter(department=new_department(world.east)))
    linked = client.post(
        f"{base}/milestones/{milestones[1]['id']}/cases", {"case_number": case.number}, content_type="application/json"
    )
    assert linked.status_code == 201
    (shown,) = linked.json()["milestones"][1]["cases"]
    assert (shown["number"], shown["status_label"], shown["is_green_channel"]) == (case.number, "审查中", True)
    assert shown["due_on"] == case.due_on.isoformat()

    not_approval = client.post(
        f"{base}/milestones/{milestones[0]['id']}/cases", {"case_number": case.number}, content_type="application/json"
    )
    assert (not_approval.status_code, not_approval.json()["code"]) == (409, "milestone_not_approval")
    gone = client.delete(f"{base}/milestones/{milestones[1]['id']}/cases/{case.pk}")
    assert gone.status_code == 204


def test_an_unpublished_roadmap_is_the_office_s_alone(client: Any, world: World) -> None:
    api(client, world).put(
        f"/api/projects/projects/{world.project.pk}/roadmap",
        {"target_on": "2026-10-13", "milestones": [{"kind": "start", "name": "开工", "duration_days": 0}]},
        content_type="application/json",
    )
    response = api(client, world, "team_member").get(f"/api/projects/projects/{world.project.pk}/roadmap")
    assert (response.status_code, response.json()["code"]) == (404, "roadmap_not_published")


def test_bad_roadmap_input_is_reported_per_row(client: Any, world: World) -> None:
    response = api(client, world).put(
        f"/api/projects/projects/{world.project.pk}/roadmap",
        {"target_on": "2026-10-13", "milestones": [{"kind": "rocket", "name": "", "duration_days": 3}]},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["code"] == "roadmap_invalid"
    assert {e["field"] for e in response.json()["errors"]} == {"milestones.0.kind", "milestones.0.name"}
    days = api(client, world).put(
        f"/api/projects/projects/{world.project.pk}/roadmap",
        {"target_on": "2026-10-13", "milestones": [{"kind": "land", "name": "x", "duration_days": -1}]},
        content_type="application/json",
    )
    assert days.status_code == 422
    assert "所需天数" in days.json()["errors"][0]["message"]


def test_my_projects_endpoint_groups_by_role(client: Any, world: World) -> None:
    data = api(client, world, "leader_holding").get("/api/projects/projects/mine").json()
    assert [(group["role"], [p["code"] for p in group["projects"]]) for group in data] == [
        ("leader", [world.project.code])
    ]


def test_the_navigation_offers_the_registry_to_offices_and_leaders(client: Any, world: World) -> None:
    for who, shown in (("district_office", True), ("leader_not_holding", True), ("stranger", False)):
        page = api(client, world, who).get("/cases/mine/").content.decode()
        assert ('href="/projects/"' in page) == shown, who


def test_the_openapi_document_describes_the_endpoints(client: Any) -> None:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/projects/projects",
        "/api/projects/projects/{project_id}",
        "/api/projects/projects/{project_id}/roadmap",
        "/api/projects/projects/{project_id}/milestones/{milestone_id}/cases",
    ):
        assert path in paths, sorted(p for p in paths if p.startswith("/api/projects"))


def test_nul_characters_are_refused_before_they_reach_the_database(client: Any, world: World) -> None:
    # PostgreSQL refuses NUL in text: a client's NUL is a 400 with a stable code, never a server error.
    client = api(client, world, "city_office")
    base = f"/api/projects/projects/{world.project.pk}"
    responses = [
        client.post(f"{base}/phase", {"to_phase": "completed", "reason": "验收\x00"}, content_type="application/json"),
        client.get("/api/projects/projects", {"q": "a\x00", "district": "\x00", "chain_tag": "\x00"}),
        client.put(f"{base}/team", {"leader": "\x00", "responsible_unit": "\x00x"}, content_type="application/json"),
        client.post("/api/projects/projects", body(world, code="N\x001"), content_type="application/json"),
    ]
    assert [(r.status_code, r.json()["code"]) for r in responses] == [(400, "nul_character")] * 4
    world.project.refresh_from_db()
    assert world.project.phase != "completed"
