"""Registry and team services: the new state, the audit event on the project's stream, refusals that
change nothing, and writing the same values again that records nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest

from onewindow.errors import InvalidFields, PermissionDenied
from onewindow.orgs.tests.factories import DepartmentFactory, UserFactory
from onewindow.projects.domain import Phase, PhaseChangeRefused, TeamRole
from onewindow.projects.models import AnnualPlan, PhaseChange, Project, TeamMember
from onewindow.projects.services.registry import (
    ProjectData,
    project_change_phase,
    project_create,
    project_plans_set,
    project_update,
)
from onewindow.projects.services.team import project_responsible_unit_set, project_team_set
from onewindow.projects.tests.conftest import World, events
from onewindow.projects.tests.factories import credit_code

pytestmark = pytest.mark.django_db


def data(world: World, **overrides) -> ProjectData:
    values = {
        "code": "XM-NEW-1",
        "name": "江南大道智能制造基地",
        "owner_name": "江南智造有限公司",
        "owner_credit_code": credit_code(901).lower(),
        "district": world.east,
        "industry": "智能制造",
        "total_investment": Decimal("88000"),
        "level": "city",
        "chain_tags": ["机器人", " ", "机器人", "工业软件"],
        "planned_start": dt.date(2026, 4, 1),
        "planned_finish": dt.date(2028, 6, 30),
        "location": "江南大道 88 号",
    }
    return ProjectData(**(values | overrides))


def test_the_district_office_registers_a_project_with_its_audit_event(world: World) -> None:
    office = world.user("district_office")
    project = project_create(actor=office, data=data(world))

    assert project.phase == Phase.RESERVE
    assert project.owner_credit_code == credit_code(901)
    assert project.chain_tags == ["机器人", "工业软件"]
    (event,) = events(project)
    assert event.action == "projects.project_created"
    assert event.actor_id == office.pk
    assert event.organisation_id == world.east.pk
    assert event.changes["district"] == world.east.code


@pytest.mark.parametrize("who", ["leader_holding", "team_member", "stranger"])
def test_anyone_but_a_key_project_office_is_refused(world: World, who: str) -> None:
    with pytest.raises(PermissionDenied) as refused:
        project_create(actor=world.user(who), data=data(world))
    assert refused.value.code == "project_office_required"
    assert not Project.objects.filter(code="XM-NEW-1").exists()


def test_an_office_registers_only_in_the_regions_it_manages(world: World) -> None:
    with pytest.raises(InvalidFields) as refused:
        project_create(actor=world.user("other_office"), data=data(world))
    assert refused.value.code == "project_district_out_of_scope"
    assert "district" in refused.value.errors
    assert not Project.objects.filter(code="XM-NEW-1").exists()


def test_every_bad_field_is_reported_at_once_and_nothing_is_written(world: World) -> None:
    department = DepartmentFactory(parent=world.east)
    bad = data(
        world,
        code=world.project.code,
        owner_credit_code="91330100MA0000901X",
        total_investment=Decimal("-1"),
        planned_finish=dt.date(2026, 1, 1),
        district=department,
    )
    with pytest.raises(InvalidFields) as not_a_region:
        project_create(actor=world.user("district_office"), data=bad)
    assert not_a_region.value.errors == {"district": "所属区县须为行政区划，而不是部门"}
    with pytest.raises(InvalidFields) as invalid:
        project_create(actor=world.user("district_office"), data=replace(bad, district=world.east))
    assert set(invalid.value.errors) == {"code", "owner_credit_code", "total_investment", "planned_finish"}
    assert "统一社会信用代码" in invalid.value.errors["owner_credit_code"]
    assert Project.objects.count() == 1


def test_an_update_writes_only_what_changed_and_the_same_values_again_write_nothing(world: World) -> None:
    office = world.user("city_office")
    project = project_create(actor=office, data=data(world))
    changed = project_update(actor=office, project=project, data=data(world, name="江南智造基地二期", level="district"))
    again = project_update(actor=office, project=project, data=data(world, name="江南智造基地二期", level="district"))

    assert (changed, again) == (True, False)
    updates = events(project, "projects.project_updated")
    assert len(updates) == 1
    assert updates[0].changes == {"name": ["江南大道智能制造基地", "江南智造基地二期"], "level": ["city", "district"]}


def test_moving_a_project_to_another_district_needs_the_office_of_both(world: World) -> None:
    project = world.project
    with pytest.raises(InvalidFields):
        project_update(actor=world.user("district_office"), project=project, data=data(world, district=world.west))
    project_update(actor=world.user("city_office"), project=project, data=data(world, district=world.west))
    project.refresh_from_db()
    assert project.district == world.west


def test_annual_plans_are_set_per_year_and_none_removes_one(world: World) -> None:
    office = world.user("district_office")
    project = world.project
    assert project_plans_set(actor=office, project=project, plans={2026: "1200", 2027: Decimal("3400.5")})
    assert not project_plans_set(actor=office, project=project, plans={2026: Decimal("1200.00")})
    assert project_plans_set(actor=office, project=project, plans={2027: None})

    assert list(AnnualPlan.objects.filter(project=project).values_list("year", "planned_investment")) == [
        (2026, Decimal("1200.00"))
    ]
    assert [e.changes["plans"] for e in events(project, "projects.annual_plans_set")] == [
        {"2026": [None, "1200.00"], "2027": [None, "3400.50"]},
        {"2027": ["3400.50", None]},
    ]
    with pytest.raises(InvalidFields) as invalid:
        project_plans_set(actor=office, project=project, plans={2026: "-3", 1990: "1"})
    assert set(invalid.value.errors) == {"plans.2026", "plans.1990"}


def test_a_phase_change_records_who_and_why(world: World) -> None:
    office = world.user("district_office")
    project = world.project  # continuing
    change = project_change_phase(actor=office, project=project, to_phase=Phase.COMPLETED, reason=" 通过竣工验收 ")

    project.refresh_from_db()
    assert project.phase == Phase.COMPLETED
    assert (change.from_phase, change.to_phase, change.reason, change.changed_by) == (
        Phase.CONTINUING,
        Phase.COMPLETED,
        "通过竣工验收",
        office,
    )
    (event,) = events(project, "projects.phase_changed")
    assert event.changes == {"phase": ["continuing", "completed"], "reason": "通过竣工验收"}


def test_a_refused_phase_change_changes_nothing(world: World) -> None:
    project = world.project
    with pytest.raises(PhaseChangeRefused):
        project_change_phase(actor=world.user("district_office"), project=project, to_phase=Phase.RESERVE, reason="x")
    with pytest.raises(PermissionDenied):
        project_change_phase(actor=world.user("leader_holding"), project=project, to_phase="completed", reason="x")
    project.refresh_from_db()
    assert project.phase == Phase.CONTINUING
    assert not PhaseChange.objects.exists()
    assert events(project) == []


def test_the_team_is_assigned_replaced_and_removed_with_one_event_per_change(world: World) -> None:
    office = world.user("district_office")
    project = world.project
    chief, new_leader = UserFactory(), UserFactory()
    old_leader = world.user("leader_holding")
    secretary = world.user("team_member")

    assert project_team_set(
        actor=office, project=project, members={"chief_service": chief, "leader": new_leader, "secretary": None}
    )
    assert not project_team_set(actor=office, project=project, members={"chief_service": chief})

    team = dict(TeamMember.objects.filter(project=project).values_list("role", "user_id"))
    assert team == {TeamRole.LEADER: new_leader.pk, TeamRole.CHIEF_SERVICE: chief.pk}
    (event,) = events(project, "projects.team_changed")
    assert event.changes == {
        "chief_service": [None, chief.pk],
        "leader": [old_leader.pk, new_leader.pk],
        "secretary": [secretary.pk, None],
    }


def test_an_inactive_person_or_an_unknown_role_is_refused(world: World) -> None:
    inactive = UserFactory(is_active=False)
    with pytest.raises(InvalidFields) as invalid:
        project_team_set(
            actor=world.user("district_office"), project=world.project, members={"leader": inactive, "boss": None}
        )
    assert set(invalid.value.errors) == {"leader", "boss"}


def test_the_responsible_unit_is_set_and_audited(world: World) -> None:
    unit = DepartmentFactory(parent=world.east)
    office = world.user("district_office")
    assert project_responsible_unit_set(actor=office, project=world.project, unit=unit)
    assert not project_responsible_unit_set(actor=office, project=world.project, unit=unit)
    (event,) = events(world.project, "projects.responsible_unit_set")
    assert event.changes == {"responsible_unit": [None, unit.code]}
