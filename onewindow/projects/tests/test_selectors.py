"""Who sees which project: the office of the district or above, the service team, nobody else."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from onewindow.errors import NotFound
from onewindow.orgs.tests.factories import UserFactory
from onewindow.projects.domain import TeamRole
from onewindow.projects.selectors import is_project_office_for, project_get_for_user, projects_visible_to
from onewindow.projects.tests.factories import ProjectFactory, city, district, leader, office_for, team_member

pytestmark = pytest.mark.django_db


def test_city_office_sees_every_district_and_a_district_office_only_its_own() -> None:
    town = city()
    east, west = district(town), district(town)
    east_project, west_project = ProjectFactory(district=east), ProjectFactory(district=west)

    assert set(projects_visible_to(office_for(town))) == {east_project, west_project}
    assert list(projects_visible_to(office_for(east))) == [east_project]
    assert is_project_office_for(office_for(town), west_project)
    assert not is_project_office_for(office_for(east), west_project)


def test_a_leader_sees_only_the_projects_they_hold() -> None:
    town = city()
    held, other = ProjectFactory(district=district(town)), ProjectFactory(district=district(town))
    person = leader(town)
    team_member(held, TeamRole.LEADER, person)

    assert list(projects_visible_to(person)) == [held]
    with pytest.raises(NotFound):
        project_get_for_user(person, other.pk)


def test_the_secretary_sees_the_project_once_and_strangers_and_anonymous_see_nothing() -> None:
    project = ProjectFactory()
    secretary = team_member(project, TeamRole.SECRETARY)
    team_member(project, TeamRole.COMMISSIONER, secretary)

    assert list(projects_visible_to(secretary)) == [project]
    assert not projects_visible_to(UserFactory()).exists()
    assert not projects_visible_to(AnonymousUser()).exists()  # type: ignore[arg-type]
