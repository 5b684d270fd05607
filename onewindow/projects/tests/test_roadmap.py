"""The roadmap services and reads: reverse scheduling over the seeded calendar, replacing the list
while keeping what a kept milestone carries, actual dates and slippage, publishing, and approval
cases linked with the green channel and the project's agent."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from onewindow.cases.models import TimelineEntry
from onewindow.cases.tests.factories import accepted_case, published_matter, region, submitted_case
from onewindow.cases.tests.factories import department as new_department
from onewindow.errors import Conflict, InvalidFields, NotFound, PermissionDenied
from onewindow.orgs.tests.factories import UserFactory
from onewindow.projects.domain import SlipState, TeamRole
from onewindow.projects.models import Milestone, Roadmap
from onewindow.projects.selectors.roadmap import roadmap_public, roadmap_view
from onewindow.projects.services.roadmap import (
    MilestoneInput,
    milestone_link_case,
    milestone_record_actual,
    milestone_unlink_case,
    roadmap_publish,
    roadmap_set,
)
from onewindow.projects.tests.conftest import World, events
from onewindow.projects.tests.factories import ProjectFactory, office_for, team_member

pytestmark = pytest.mark.django_db
D = dt.date

PLAN = [
    MilestoneInput(kind="land", name="土地摘牌", duration_days=30),
    MilestoneInput(kind="approval", name="施工许可", duration_days=5),
    MilestoneInput(kind="start", name="开工", duration_days=0),
]


def test_latest_dates_are_scheduled_back_from_the_target_over_the_holiday_and_the_make_up_saturday(
    world: World,
) -> None:
    office = world.user("district_office")
    roadmap_set(actor=office, project=world.project, target_on=D(2026, 10, 13), milestones=PLAN)

    land, approval, start = Milestone.objects.filter(project=world.project).order_by("position")
    assert (start.latest_on, approval.latest_on, land.latest_on) == (D(2026, 10, 13), D(2026, 10, 13), D(2026, 9, 30))
    assert approval.counts_working_days  # approvals always count working days
    rows = roadmap_view(world.project, today=D(2026, 9, 1)).rows
    assert [row.latest_start_on for row in rows] == [D(2026, 8, 31), D(2026, 9, 30), D(2026, 10, 13)]
    (event,) = events(world.project, "projects.roadmap_set")
    assert event.changes["target_on"] == [None, "2026-10-13"]


def test_replacing_the_list_keeps_a_kept_milestone_s_actual_date_and_drops_the_others(world: World) -> None:
    office = world.user("district_office")
    roadmap_set(actor=office, project=world.project, target_on=D(2026, 10, 13), milestones=PLAN)
    land = Milestone.objects.get(project=world.project, position=1)
    with time_machine.travel(dt.datetime(2026, 9, 20, 12)):
        milestone_record_actual(actor=office, project=world.project, milestone_id=land.pk, actual_on=D(2026, 9, 15))

    reordered = [
        MilestoneInput(kind="approval", name="施工许可", duration_days=10),
        MilestoneInput(kind="land", name="土地摘牌(已完成)", duration_days=30, id=land.pk),
    ]
    roadmap_set(actor=office, project=world.project, target_on=D(2026, 12, 31), milestones=reordered)

    milestones = list(Milestone.objects.filter(project=world.project).order_by("position"))
    assert [(m.position, m.name) for m in milestones] == [(1, "施工许可"), (2, "土地摘牌(已完成)")]
    assert milestones[1].pk == land.pk
    assert milestones[1].actual_on == D(2026, 9, 15)
    assert milestones[1].latest_on == D(2026, 12, 31)


def test_a_milestone_of_another_project_cannot_be_kept(world: World) -> None:
    other = ProjectFactory(district=world.east)
    roadmap_set(actor=world.user("district_office"), project=other, target_on=D(2026, 10, 13), milestones=PLAN)
    foreign = Milestone.objects.filter(project=other).first()
    with pytest.raises(InvalidFields) as invalid:
        roadmap_set(
            actor=world.user("district_office"),
            project=world.project,
            target_on=D(2026, 10, 13),
            milestones=[MilestoneInput(kind="land", name="x", duration_days=1, id=foreign.pk)],
        )
    assert "milestones.0.id" in invalid.value.errors
    assert not Roadmap.objects.filter(project=world.project).exists()


def test_bad_milestones_are_reported_per_row_and_nothing_changes(world: World) -> None:
    with pytest.raises(InvalidFields) as invalid:
        roadmap_set(
            actor=world.user("district_office"),
            project=world.project,
            target_on=D(2026, 10, 13),
            milestones=[MilestoneInput(kind="rocket", name="", duration_days=1)],
        )
    assert set(invalid.value.errors) == {"milestones.0.kind", "milestones.0.name"}
    assert not Milestone.objects.exists()


def test_only_the_office_writes_the_roadmap(world: World) -> None:
    for who in ("leader_holding", "team_member", "other_office"):
        with pytest.raises(PermissionDenied):
            roadmap_set(actor=world.user(who), project=world.project, target_on=D(2026, 10, 13), milestones=PLAN)
    assert not Roadmap.objects.exists()


def test_slippage_follows_the_planned_date_then_the_actual_date(world: World) -> None:
    office = world.user("district_office")
    plan = [*PLAN[:2], MilestoneInput(kind="start", name="开工", duration_days=0, planned_on=D(2026, 10, 1))]
    roadmap_set(actor=office, project=world.project, target_on=D(2026, 10, 13), milestones=plan)
    land = Milestone.objects.get(project=world.project, position=1)
    with time_machine.travel(dt.datetime(2026, 10, 10, 12)):
        milestone_record_actual(actor=office, project=world.project, milestone_id=land.pk, actual_on=D(2026, 10, 5))

    rows = roadmap_view(world.project, today=D(2026, 10, 10)).rows
    assert [(row.slippage.state, row.slippage.days) for row in rows] == [
        (SlipState.DONE_LATE, 5),  # due 30 September, reached 5 October
        (SlipState.PENDING, 0),
        (SlipState.OVERDUE, 9),  # planned for 1 October, not reached by the 10th
    ]
    assert roadmap_view(world.project, today=D(2026, 10, 10)).slippage_days == 9


def test_an_actual_date_in_the_future_is_refused(world: World) -> None:
    office = world.user("district_office")
    roadmap_set(actor=office, project=world.project, target_on=D(2026, 10, 13), milestones=PLAN)
    land = Milestone.objects.get(project=world.project, position=1)
    with time_machine.travel(dt.datetime(2026, 9, 1, 12)), pytest.raises(InvalidFields) as invalid:
        milestone_record_actual(actor=office, project=world.project, milestone_id=land.pk, actual_on=D(2026, 9, 2))
    assert invalid.value.code == "milestone_actual_in_future"


def test_publishing_opens_the_public_page_and_withdrawing_closes_it(world: World) -> None:
    office = world.user("district_office")
    with pytest.raises(Conflict):
        roadmap_publish(actor=office, project=world.project)
    roadmap_set(actor=office, project=world.project, target_on=D(2026, 10, 13), milestones=PLAN)
    with pytest.raises(NotFound):
        roadmap_public(world.project.code)

    roadmap_publish(actor=office, project=world.project)
    assert roadmap_public(world.project.code).project == world.project
    roadmap_publish(actor=office, project=world.project, publish=False)
    with pytest.raises(NotFound):
        roadmap_public(world.project.code)
    actions = [e.action for e in events(world.project)]
    assert actions[-2:] == ["projects.roadmap_published", "projects.roadmap_unpublished"]


# --- approval cases and the green channel ------------------------------------------------------------------


@pytest.fixture
def approval_world(world: World):
    """The project's roadmap with its approval milestone, its chief service person, and an accepted case
    filed in the project's district (which the district office sees)."""
    office = world.user("district_office")
    roadmap_set(actor=office, project=world.project, target_on=D(2026, 10, 13), milestones=PLAN)
    chief = team_member(world.project, TeamRole.CHIEF_SERVICE, UserFactory(name="赵首席"))
    version = published_matter(department=new_department(world.east))
    case = accepted_case(matter_version=version)
    approval = Milestone.objects.get(project=world.project, kind="approval")
    return world, office, chief, case, approval


def test_linking_a_case_gives_it_the_green_channel_and_the_chief_service_person_as_agent(approval_world) -> None:
    world, office, chief, case, approval = approval_world
    linked = milestone_link_case(actor=office, project=world.project, milestone_id=approval.pk, case_number=case.number)

    case.refresh_from_db()
    assert linked.pk == case.pk
    assert (case.is_green_channel, case.agent) == (True, chief)
    assert list(approval.cases.all()) == [case]
    row = TimelineEntry.objects.filter(case=case, action="case_green_channel").get()
    assert (row.actor, row.is_public) == (office, False)
    (event,) = events(world.project, "projects.case_linked")
    assert event.changes == {"milestone_id": approval.pk, "case_id": case.pk, "case_number": case.number}
    from onewindow.audit.models import Event

    assert Event.objects.filter(stream=f"case:{case.pk}", action="cases.case_green_channel").count() == 1


def test_the_roadmap_shows_the_linked_case_s_live_status_and_due_date(approval_world) -> None:
    world, office, _chief, case, approval = approval_world
    milestone_link_case(actor=office, project=world.project, milestone_id=approval.pk, case_number=case.number)
    (linked,) = roadmap_view(world.project).rows[1].cases
    assert (linked.case.pk, linked.status_label, linked.due_on) == (case.pk, "审查中", case.due_on)
    assert linked.remaining_days is not None
    assert linked.warning in {"normal", "yellow", "red"}


def test_linking_twice_or_to_a_building_milestone_or_an_unseen_case_is_refused(approval_world) -> None:
    world, office, _chief, case, approval = approval_world
    milestone_link_case(actor=office, project=world.project, milestone_id=approval.pk, case_number=case.number)
    with pytest.raises(Conflict) as twice:
        milestone_link_case(actor=office, project=world.project, milestone_id=approval.pk, case_number=case.number)
    assert twice.value.code == "case_already_linked"
    land = Milestone.objects.get(project=world.project, kind="land")
    with pytest.raises(Conflict) as not_approval:
        milestone_link_case(actor=office, project=world.project, milestone_id=land.pk, case_number=case.number)
    assert not_approval.value.code == "milestone_not_approval"
    elsewhere = submitted_case(matter_version=published_matter(department=new_department(region())))
    with pytest.raises(NotFound) as unseen:
        milestone_link_case(actor=office, project=world.project, milestone_id=approval.pk, case_number=elsewhere.number)
    assert unseen.value.code == "case_not_found"
    elsewhere.refresh_from_db()
    assert not elsewhere.is_green_channel


def test_a_closed_case_is_linked_for_the_record_without_the_green_channel(approval_world) -> None:
    world, office, _chief, case, approval = approval_world
    type(case).objects.filter(pk=case.pk).update(status="completed")
    milestone_link_case(actor=office, project=world.project, milestone_id=approval.pk, case_number=case.number)
    case.refresh_from_db()
    assert not case.is_green_channel
    assert not TimelineEntry.objects.filter(case=case, action="case_green_channel").exists()


def test_unlinking_keeps_the_green_channel_and_is_audited(approval_world) -> None:
    world, office, _chief, case, approval = approval_world
    milestone_link_case(actor=office, project=world.project, milestone_id=approval.pk, case_number=case.number)
    milestone_unlink_case(actor=office, project=world.project, milestone_id=approval.pk, case_id=case.pk)
    case.refresh_from_db()
    assert case.is_green_channel
    assert not approval.cases.exists()
    assert events(world.project)[-1].action == "projects.case_unlinked"


def test_the_city_office_links_a_case_filed_anywhere_in_the_city(approval_world) -> None:
    world, _office, chief, _case, approval = approval_world
    city_case = accepted_case(matter_version=published_matter(department=new_department(world.city)))
    milestone_link_case(
        actor=office_for(world.city), project=world.project, milestone_id=approval.pk, case_number=city_case.number
    )
    city_case.refresh_from_db()
    assert (city_case.is_green_channel, city_case.agent) == (True, chief)
