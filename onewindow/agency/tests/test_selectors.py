"""What an agent sees: exactly the cases they represent today, the applicant's ID and phone masked."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from onewindow.agency.selectors import applicants_agent_files_for, case_agency, represented_cases
from onewindow.agency.tests.factories import authorisation, linked_project
from onewindow.cases import selectors as case_selectors
from onewindow.cases.domain import CaseStatus
from onewindow.cases.services import intake
from onewindow.cases.tests import factories as f
from onewindow.orgs.domain import Role
from onewindow.orgs.selectors import display_id_number, display_phone
from onewindow.orgs.tests.factories import staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def city() -> dict[str, Any]:
    """An agent of the city, whose region holds cases of three applicants; only the first authorised them."""
    city = f.region()
    version = f.published_matter(department=f.department(city))
    represented, other = f.applicant_with_user(), f.applicant_with_user()
    agent = staff(Role.AGENT, city)
    return {
        "agent": agent,
        "represented": represented,
        "version": version,
        "theirs": f.submitted_case(applicant=represented, matter_version=version),
        "others": f.submitted_case(applicant=other, matter_version=version),
        "authorisation": authorisation(agent=agent, applicant=represented),
    }


def test_an_agent_sees_exactly_the_cases_they_represent_not_their_regions(city: dict[str, Any]) -> None:
    assert list(case_selectors.visible_cases(city["agent"])) == [city["theirs"]]
    assert list(represented_cases(city["agent"])) == [city["theirs"]]
    # Not staff: no case list of the region, no trail, the public timeline rows only.
    assert not case_selectors.is_staff(city["agent"])
    assert not case_selectors.cases_for_staff(city["agent"]).exists()


def test_the_applicants_own_draft_stays_hidden_from_the_agent(city: dict[str, Any]) -> None:
    draft = intake.case_save_draft(
        actor=city["represented"].user,
        applicant=city["represented"],
        matter_version=city["version"],
        form_data={},
        channel="online",
    )
    assert draft.status == CaseStatus.DRAFT
    assert draft not in case_selectors.visible_cases(city["agent"])


@pytest.mark.parametrize("ended", ["expired", "revoked"])
def test_an_ended_authorisation_shows_no_case(city: dict[str, Any], ended: str) -> None:
    city["authorisation"].delete()
    authorisation(agent=city["agent"], applicant=city["represented"], **{ended: True})
    assert not case_selectors.visible_cases(city["agent"]).exists()
    assert not represented_cases(city["agent"]).exists()
    assert applicants_agent_files_for(city["agent"]) == []


def test_a_staff_member_with_an_authorisation_but_no_agent_role_represents_nobody(city: dict[str, Any]) -> None:
    clerk = f.clerk_for(f.region())
    authorisation(agent=clerk, applicant=city["represented"])
    assert not represented_cases(clerk).exists()
    assert city["theirs"] not in case_selectors.visible_cases(clerk)


def test_a_key_projects_agent_represents_its_linked_cases_and_says_so_free(city: dict[str, Any]) -> None:
    project = linked_project(city["others"], district=city["version"].matter.department.parent)
    owner = f.applicant_with_user()
    authorisation(agent=city["agent"], applicant=owner, project=project)

    assert set(case_selectors.visible_cases(city["agent"])) == {city["theirs"], city["others"]}
    agency = case_agency(city["others"])
    assert (agency.agents, agency.is_free) == ([city["agent"]], True)
    assert case_agency(city["theirs"]).is_free is False


def test_the_agent_files_only_for_applicants_whose_scope_holds_submit(city: dict[str, Any]) -> None:
    withdraw_only = f.applicant_with_user()
    authorisation(agent=city["agent"], applicant=withdraw_only, scope=["withdraw"])
    assert applicants_agent_files_for(city["agent"]) == [city["represented"]]
    assert case_selectors.applicants_for_user(city["agent"]) == [city["represented"]]


def test_the_agent_sees_the_applicants_id_and_phone_masked(city: dict[str, Any]) -> None:
    applicant = city["represented"]
    shown_id = display_id_number(city["agent"], applicant.id_number)
    shown_phone = display_phone(city["agent"], applicant.phone)
    assert shown_id != applicant.id_number and "*" in shown_id and shown_id[-4:] == applicant.id_number[-4:]
    assert shown_phone != applicant.phone and "*" in shown_phone
    clerk = f.clerk_for(f.region())
    assert display_id_number(clerk, applicant.id_number) == applicant.id_number


def test_an_agents_visible_cases_are_one_query(city: dict[str, Any]) -> None:
    agent = type(city["agent"]).objects.get(pk=city["agent"].pk)
    case_selectors.visible_cases(agent)  # reads the memberships once, as every page does first
    with CaptureQueriesContext(connection) as queries:
        assert list(case_selectors.visible_cases(agent)) == [city["theirs"]]
    assert len(queries) == 1
