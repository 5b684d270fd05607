"""What the office and the leaders see and do on the registry pages: filters, pagination, forms that
keep what was typed with the message beside the field, the team by name, the roadmap editor."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from onewindow.orgs.tests.factories import DepartmentFactory, UserFactory
from onewindow.projects.domain import TeamRole
from onewindow.projects.models import Campaign, Milestone, Project, TeamMember
from onewindow.projects.selectors import ProjectFilters, project_filters, project_list
from onewindow.projects.tests.conftest import World, events
from onewindow.projects.tests.factories import ProjectFactory, credit_code, team_member

pytestmark = pytest.mark.django_db


def signed_in(client: Any, world: World, who: str = "city_office") -> Any:
    client.force_login(world.user(who))
    return client


def codes(user: Any, **params: str) -> list[str]:
    filters, errors = project_filters(params)
    assert errors == {}
    return list(project_list(user, filters).values_list("code", flat=True))


def test_every_filter_narrows_the_list(world: World) -> None:
    office = world.user("city_office")
    west = ProjectFactory(
        district=world.west,
        code="W-1",
        industry="生物医药",
        chain_tags=["创新药", "医疗器械"],
        level="district",
        phase="reserve",
        name="西区生物港",
        owner_name="西港医药",
    )
    campaign = Campaign.objects.create(name="百日攻坚", starts_on=dt.date(2026, 3, 1), ends_on=dt.date(2026, 6, 8))
    campaign.projects.add(west)
    everything = sorted([world.project.code, "W-1"])

    assert codes(office) == everything
    assert codes(office, district=world.west.code) == ["W-1"]
    assert codes(office, district=world.city.code) == everything  # a region takes its subtree
    assert codes(office, phase="reserve") == ["W-1"]
    assert codes(office, level="city") == [world.project.code]
    assert codes(office, industry="生物医药") == ["W-1"]
    assert codes(office, chain_tag="医疗器械") == ["W-1"]
    assert codes(office, chain_tag="医疗") == []  # a tag is matched whole
    assert codes(office, campaign=str(campaign.pk)) == ["W-1"]
    assert codes(office, q="生物港") == ["W-1"]
    assert codes(office, q="西港医药") == ["W-1"]
    assert codes(office, q="w-1") == ["W-1"]


def test_bad_filters_are_reported_and_dropped() -> None:
    filters, errors = project_filters({"district": "nowhere", "phase": "building", "campaign": "abc", "q": " x "})
    assert set(errors) == {"district", "phase", "campaign"}
    assert filters == ProjectFilters(text="x")


def test_the_list_page_paginates_and_keeps_the_filters_in_its_links(client: Any, world: World) -> None:
    for n in range(25):
        ProjectFactory(district=world.east, code=f"E-{n:02d}", industry="新材料")
    page = signed_in(client, world).get("/projects/", {"industry": "新材料"}).content.decode()
    assert "共 25 个项目" in page
    assert "E-19" in page and "E-20" not in page
    assert "?industry=%E6%96%B0%E6%9D%90%E6%96%99&page=2" in page
    assert "/projects/export.xlsx?industry=" in page
    second = client.get("/projects/", {"industry": "新材料", "page": 2}).content.decode()
    assert "E-24" in second and world.project.code not in second


def test_a_wrong_filter_shows_a_warning_not_an_error_page(client: Any, world: World) -> None:
    response = signed_in(client, world).get("/projects/", {"phase": "building"})
    assert response.status_code == 200
    assert "筛选条件有误" in response.content.decode()


def test_the_office_registers_a_project_through_the_form_and_sees_its_page(client: Any, world: World) -> None:
    form = {
        "code": "FORM-1",
        "name": "表单登记项目",
        "owner_name": "表单建设有限公司",
        "owner_credit_code": credit_code(777),
        "district": world.east.pk,
        "industry": "数字经济",
        "chain_tags": "算力、数据中心",
        "total_investment": "3200",
        "level": "district",
        "planned_start": "2026-05-01",
        "planned_finish": "2027-05-01",
        "phase": "reserve",
    }
    response = signed_in(client, world, "district_office").post("/projects/new/", form)
    project = Project.objects.get(code="FORM-1")
    assert response.status_code == 302
    assert response["Location"] == f"/projects/{project.pk}/"
    assert project.chain_tags == ["算力", "数据中心"]
    page = client.get(response["Location"]).content.decode()
    assert "表单登记项目" in page and "登记项目" in page  # the audit trail names the event


def test_a_refused_form_keeps_what_was_typed_and_names_each_bad_field(client: Any, world: World) -> None:
    form = {
        "code": world.project.code,
        "name": "重复编码的项目",
        "owner_name": "某公司",
        "owner_credit_code": "91330100MA00007770",
        "district": world.east.pk,
        "industry": "数字经济",
        "total_investment": "1",
        "level": "district",
        "planned_start": "2026-05-01",
        "planned_finish": "2026-04-01",
        "phase": "reserve",
    }
    response = signed_in(client, world, "district_office").post("/projects/new/", form)
    assert response.status_code == 422
    page = response.content.decode()
    assert "重复编码的项目" in page
    assert "已被其他项目使用" in page
    assert "统一社会信用代码有误" in page
    assert "计划竣工日期不能早于计划开工日期" in page
    assert Project.objects.count() == 1


def test_the_phase_form_refuses_a_skip_with_the_reason_kept(client: Any, world: World) -> None:
    response = signed_in(client, world).post(
        f"/projects/{world.project.pk}/phase/", {"to_phase": "reserve", "reason": "退回储备"}
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "建设阶段须逐级变更" in page and "退回储备" in page


def test_the_team_page_takes_names_and_user_names_and_reports_unknown_ones(client: Any, world: World) -> None:
    chief = UserFactory(name="钱首席")
    unit = DepartmentFactory(parent=world.east, name="发展和改革局")
    client = signed_in(client, world, "district_office")
    url = f"/projects/{world.project.pk}/team/"
    bad = client.post(url, {"leader": "查无此人", "chief_service": "钱首席"})
    assert bad.status_code == 422
    assert "未找到用户“查无此人”" in bad.content.decode()

    good = client.post(
        url,
        {
            "leader": world.user("leader_holding").username,
            "chief_service": "钱首席",
            "responsible_unit": f"{world.east.name}发展和改革局",
        },
    )
    assert good.status_code == 302
    team = dict(TeamMember.objects.filter(project=world.project).values_list("role", "user_id"))
    assert team == {TeamRole.LEADER: world.user("leader_holding").pk, TeamRole.CHIEF_SERVICE: chief.pk}
    world.project.refresh_from_db()
    assert world.project.responsible_unit == unit


def test_my_projects_lists_each_role_a_leader_holding_many(client: Any, world: World) -> None:
    person = world.user("leader_holding")
    second = ProjectFactory(district=world.west, code="W-LEAD")
    team_member(second, TeamRole.LEADER, person)
    third = ProjectFactory(district=world.west, code="W-COMM")
    team_member(third, TeamRole.COMMISSIONER, person)
    page = signed_in(client, world, "leader_holding").get("/projects/mine/").content.decode()
    leader_part = page[page.index('data-role="leader"') : page.index('data-role="commissioner"')]
    assert world.project.code in leader_part and "W-LEAD" in leader_part and "W-COMM" not in leader_part
    assert "W-COMM" in page[page.index('data-role="commissioner"') :]


def test_the_roadmap_editor_schedules_back_and_keeps_rows_in_order(client: Any, world: World) -> None:
    client = signed_in(client, world, "district_office")
    url = f"/projects/{world.project.pk}/roadmap/edit/"
    assert client.get(url).status_code == 200
    form = {
        "target_on": "2026-10-13",
        "m-TOTAL_FORMS": "3",
        "m-INITIAL_FORMS": "0",
        "m-0-ORDER": "2",
        "m-0-kind": "approval",
        "m-0-name": "施工许可",
        "m-0-duration_days": "5",
        "m-1-ORDER": "1",
        "m-1-kind": "land",
        "m-1-name": "土地摘牌",
        "m-1-duration_days": "30",
        "m-2-ORDER": "",
        "m-2-kind": "",
        "m-2-name": "",
        "m-2-duration_days": "",
    }
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    milestones = list(Milestone.objects.filter(project=world.project).order_by("position"))
    assert [(m.name, m.latest_on) for m in milestones] == [
        ("土地摘牌", dt.date(2026, 9, 30)),
        ("施工许可", dt.date(2026, 10, 13)),
    ]
    page = client.get(f"/projects/{world.project.pk}/roadmap/").content.decode()
    assert "2026-09-30" in page and "审批节点关联的办件纳入绿色通道" in page

    kept = {
        "target_on": "2026-10-13",
        "m-TOTAL_FORMS": "2",
        "m-INITIAL_FORMS": "2",
        "m-0-id": str(milestones[0].pk),
        "m-0-ORDER": "1",
        "m-0-kind": "land",
        "m-0-name": "土地摘牌",
        "m-0-duration_days": "30",
        "m-0-DELETE": "on",
        "m-1-id": str(milestones[1].pk),
        "m-1-ORDER": "2",
        "m-1-kind": "approval",
        "m-1-name": "施工许可",
        "m-1-duration_days": "5",
    }
    assert client.post(url, kept).status_code == 302
    assert list(Milestone.objects.filter(project=world.project).values_list("pk", flat=True)) == [milestones[1].pk]
    assert len(events(world.project, "projects.roadmap_set")) == 2


def test_the_roadmap_editor_reports_a_bad_row(client: Any, world: World) -> None:
    form = {
        "target_on": "2026-10-13",
        "m-TOTAL_FORMS": "1",
        "m-INITIAL_FORMS": "0",
        "m-0-kind": "approval",
        "m-0-name": "",
        "m-0-duration_days": "-4",
    }
    response = signed_in(client, world, "district_office").post(f"/projects/{world.project.pk}/roadmap/edit/", form)
    assert response.status_code == 422
    assert not Milestone.objects.exists()


def test_the_system_admin_reads_projects_in_the_admin_but_cannot_change_them(client: Any, world: World) -> None:
    from onewindow.orgs.domain import Role
    from onewindow.orgs.tests.factories import RegionFactory, staff

    client.force_login(staff(Role.SYSTEM_ADMIN, RegionFactory()))
    listing = client.get("/admin/projects/project/")
    assert listing.status_code == 200
    assert world.project.code in listing.content.decode()
    assert client.get("/admin/projects/project/add/").status_code == 403
    page = client.get(f"/admin/projects/project/{world.project.pk}/change/")
    assert page.status_code == 200
    assert 'name="name"' not in page.content.decode()  # read-only: no input for the fields


def test_list_and_roadmap_reads_cost_the_same_queries_for_more_rows(client: Any, world: World) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from onewindow.projects.selectors.roadmap import roadmap_view
    from onewindow.projects.services.roadmap import MilestoneInput, roadmap_set

    client = signed_in(client, world)

    def cost(url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = cost("/api/projects/projects")
    for n in range(10):
        ProjectFactory(district=world.east, code=f"Q-{n}")
    assert cost("/api/projects/projects") == few

    plan = [MilestoneInput(kind="approval", name=f"审批{n}", duration_days=5) for n in range(8)]
    roadmap_set(
        actor=world.user("city_office"), project=world.project, target_on=dt.date(2026, 12, 31), milestones=plan
    )
    with CaptureQueriesContext(connection) as queries:
        roadmap_view(world.project)
    assert len(queries) <= 8
