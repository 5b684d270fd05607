"""Campaigns and concentrated starts: creation, members within the office's region, progress
counted from actual starts and phase changes in the window, investment share from reports."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from onewindow.audit.models import Event
from onewindow.briefings.selectors.campaigns import (
    campaign_get_for_user,
    campaign_view,
    campaigns_visible_to,
    can_manage_campaign,
)
from onewindow.briefings.selectors.starts import start_event_view, start_events_visible_to
from onewindow.briefings.services.campaigns import campaign_create, campaign_member_remove, campaign_members_add
from onewindow.briefings.services.members import split_codes
from onewindow.briefings.services.starts import start_event_create, start_event_projects_add
from onewindow.briefings.tests.helpers import World, progress, world
from onewindow.errors import InvalidFields, NotFound, PermissionDenied
from onewindow.orgs.tests.factories import UserFactory
from onewindow.projects.domain import MilestoneKind, Phase
from onewindow.projects.models import Campaign, Milestone, PhaseChange, StartEvent

pytestmark = pytest.mark.django_db

SUMMER = {"starts_on": dt.date(2026, 6, 1), "ends_on": dt.date(2026, 9, 8)}


@pytest.fixture
def w() -> World:
    return world()


def create(w: World, *codes: str, actor=None, **targets) -> Campaign:
    values = {"target_starts": 2, "target_completions": 1, "target_investment_share": Decimal("0.8")} | targets
    return campaign_create(
        actor=actor or w.users["city_office"], name="百日攻坚", project_codes=list(codes), **SUMMER, **values
    )


def test_split_codes():
    assert split_codes("A1, A2\nA3、A1；A4") == ["A1", "A2", "A3", "A4"]


def test_creating_a_campaign_with_members_is_audited(w: World):
    campaign = create(w, w.project.code, w.other_project.code)
    assert set(campaign.projects.all()) == {w.project, w.other_project}
    assert Event.objects.get(stream=f"campaign:{campaign.pk}").action == "briefings.campaign_create"


def test_a_district_office_adds_only_projects_of_its_region(w: World):
    with pytest.raises(InvalidFields) as caught:
        create(w, w.project.code, w.other_project.code, "NOPE", actor=w.office)
    assert caught.value.code == "project_codes_unknown"
    assert w.other_project.code in caught.value.errors["projects"] and "NOPE" in caught.value.errors["projects"]
    assert not Campaign.objects.exists()


def test_wrong_dates_and_targets_are_reported_together(w: World):
    with pytest.raises(InvalidFields) as caught:
        campaign_create(
            actor=w.office,
            name="",
            starts_on=dt.date(2026, 6, 2),
            ends_on=dt.date(2026, 6, 1),
            target_starts=0,
            target_completions=0,
            target_investment_share=Decimal(2),
            project_codes=[],
        )
    assert set(caught.value.errors) == {"name", "ends_on", "target_investment_share"}


def test_progress_counts_starts_and_completions_in_the_window(w: World):
    w.project.actual_start = dt.date(2026, 6, 15)
    w.project.save(update_fields=["actual_start"])
    w.other_project.actual_start = dt.date(2026, 5, 30)  # before the window: not a campaign start
    w.other_project.save(update_fields=["actual_start"])
    change = PhaseChange.objects.create(
        project=w.lagging, from_phase=Phase.PREPARATION, to_phase=Phase.NEW_START, reason="开工", changed_by=w.office
    )
    PhaseChange.objects.filter(pk=change.pk).update(changed_at=timezone.make_aware(dt.datetime(2026, 7, 1, 10)))
    Milestone.objects.create(
        project=w.other_project,
        position=9,
        kind=MilestoneKind.COMPLETION,
        name="竣工验收",
        duration_days=30,
        actual_on=dt.date(2026, 9, 1),
    )
    progress(w.project, dt.date(2026, 8, 31), "4000", "40000", w.office)
    campaign = create(w, w.project.code, w.lagging.code, w.other_project.code)
    view = campaign_view(w.users["city_office"], campaign, today=dt.date(2026, 11, 1))
    assert (view.progress.started, view.progress.completed) == (2, 1)
    starts, completions, investment = view.progress.indicators
    assert starts.is_met and completions.is_met
    # year to date at the window's end: the August report (the September one runs past the end)
    assert view.as_of == dt.date(2026, 9, 8)
    assert view.progress.invested == Decimal("40000")
    assert investment.actual == "51.9%（4亿元）"
    assert not investment.is_met


def test_each_viewer_sees_the_members_they_may_see_and_the_progress_of_all(w: World):
    campaign = create(w, w.project.code, w.other_project.code)
    view = campaign_view(w.users["member"], campaign, today=dt.date(2026, 7, 1))
    assert [m.name for m in view.members] == ["滨江新材料产业园"]
    assert view.hidden_count == 1
    assert view.progress.member_count == 2


def test_who_sees_and_who_manages_a_campaign(w: World):
    mixed = create(w, w.project.code, w.other_project.code)
    home_only = create(w, w.project.code, actor=w.office)
    empty = create(w)
    assert set(campaigns_visible_to(w.office)) == {mixed, home_only, empty}
    assert set(campaigns_visible_to(w.users["other_office"])) == {mixed, empty}
    assert set(campaigns_visible_to(w.leader)) == {mixed, home_only}
    assert set(campaigns_visible_to(UserFactory())) == set()
    assert can_manage_campaign(w.office, home_only) and not can_manage_campaign(w.office, mixed)
    assert can_manage_campaign(w.users["city_office"], mixed)
    assert not can_manage_campaign(w.leader, home_only)


def test_an_empty_campaign_is_seen_by_the_offices_of_its_region_above_and_below_it(w: World):
    district_wide = create(w, actor=w.office)
    city_wide = create(w)
    assert (district_wide.region, city_wide.region) == (w.home, w.city)
    assert set(campaigns_visible_to(w.office)) == {district_wide, city_wide}
    assert set(campaigns_visible_to(w.users["city_office"])) == {district_wide, city_wide}
    assert set(campaigns_visible_to(w.users["other_office"])) == {city_wide}
    assert set(campaigns_visible_to(w.leader)) == set()


def test_an_office_of_another_district_does_not_see_an_empty_campaign_organised_elsewhere(w: World):
    campaign = create(w, actor=w.office)
    other_office = w.users["other_office"]
    assert campaign not in campaigns_visible_to(other_office)
    with pytest.raises(NotFound):
        campaign_get_for_user(other_office, campaign.pk)
    campaign_members_add(actor=w.office, campaign=campaign, project_codes=[w.project.code])
    assert campaign not in campaigns_visible_to(other_office)  # still none of theirs


def test_a_group_recorded_before_regions_shows_to_every_office(w: World):
    legacy = Campaign.objects.create(name="旧攻坚", **SUMMER)
    assert legacy.region is None
    assert legacy in campaigns_visible_to(w.users["other_office"]) and legacy in campaigns_visible_to(w.office)
    assert legacy not in campaigns_visible_to(w.leader)


def test_creating_records_the_organising_region_in_the_trail(w: World):
    campaign = create(w, w.project.code, actor=w.office)
    event = start_event_create(actor=w.office, name="集中开工", held_on=dt.date(2026, 10, 28))
    assert Event.objects.get(stream=f"campaign:{campaign.pk}").changes["region"] == w.home.code
    assert Event.objects.get(stream=f"start_event:{event.pk}").changes["region"] == w.home.code


def test_members_are_added_and_removed_by_an_office_managing_the_campaign(w: World):
    campaign = create(w, w.project.code, actor=w.office)
    campaign_members_add(actor=w.office, campaign=campaign, project_codes=[w.lagging.code])
    assert campaign.projects.count() == 2
    campaign_member_remove(actor=w.office, campaign=campaign, project_id=w.lagging.pk)
    assert list(campaign.projects.all()) == [w.project]
    with pytest.raises(PermissionDenied):
        campaign_members_add(actor=w.leader, campaign=campaign, project_codes=[w.lagging.code])
    with pytest.raises(NotFound):
        campaign_member_remove(actor=w.office, campaign=campaign, project_id=w.lagging.pk)
    mixed = create(w, w.project.code, w.other_project.code)
    with pytest.raises(PermissionDenied) as caught:
        campaign_member_remove(actor=w.office, campaign=mixed, project_id=w.project.pk)
    assert caught.value.code == "campaign_not_managed"
    assert mixed.projects.count() == 2


def test_a_concentrated_start_lists_its_projects_and_their_total(w: World):
    event = start_event_create(actor=w.office, name="四季度集中开工", held_on=dt.date(2026, 10, 28), venue="滨江新区")
    # no projects yet: the offices of its region and above it see it; another district's does not
    assert set(start_events_visible_to(w.users["city_office"])) == {event}
    assert set(start_events_visible_to(w.users["other_office"])) == set()
    start_event_projects_add(actor=w.office, event=event, project_codes=[w.project.code, w.lagging.code])
    view = start_event_view(w.office, event)
    assert (view.project_count, view.total_investment) == (2, Decimal("158000"))
    assert [p.name for p in view.projects] == ["滨江新材料产业园", "城东污水处理厂提标改造"]
    assert set(start_events_visible_to(w.users["other_office"])) == set()
    assert set(start_events_visible_to(w.leader)) == {event}
    assert Event.objects.filter(stream=f"start_event:{event.pk}").count() == 2
    with pytest.raises(InvalidFields):
        start_event_create(actor=w.office, name=" ", held_on=None)
    assert StartEvent.objects.count() == 1


def test_a_report_within_the_window_is_the_year_to_date_at_its_end(w: World):
    progress(w.lagging, dt.date(2026, 9, 5), "300", "800", w.office)
    campaign = create(w, w.lagging.code)
    view = campaign_view(w.office, campaign, today=dt.date(2026, 11, 1))
    assert view.progress.invested == Decimal("800")
