"""One small world for the registry's tests: a city with two districts, a project in the east, and
one user of each kind the permission matrix names."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from onewindow.audit.models import Event
from onewindow.orgs.models import Organisation, User
from onewindow.orgs.tests.factories import UserFactory
from onewindow.projects.domain import TeamRole
from onewindow.projects.models import Project
from onewindow.projects.tests.factories import ProjectFactory, city, district, leader, office_for, team_member
from onewindow.workdays import selectors as workdays_selectors


@dataclass
class World:
    city: Organisation
    east: Organisation
    west: Organisation
    project: Project
    users: dict[str, User | None]

    def user(self, who: str) -> User:
        user = self.users[who]
        assert user is not None
        return user


def build_world() -> World:
    town = city()
    east, west = district(town), district(town)
    project = ProjectFactory(district=east)
    holding = leader(town)
    team_member(project, TeamRole.LEADER, holding)
    users: dict[str, User | None] = {
        "anonymous": None,
        "stranger": UserFactory(),
        "other_office": office_for(west),
        "district_office": office_for(east),
        "city_office": office_for(town),
        "leader_holding": holding,
        "leader_not_holding": leader(town),
        "team_member": team_member(project, TeamRole.SECRETARY),
    }
    return World(town, east, west, project, users)


@pytest.fixture
def world(db: Any) -> World:
    return build_world()


@pytest.fixture(autouse=True)
def _fresh_calendar_cache() -> Any:
    workdays_selectors.work_calendar_clear_cache()
    yield
    workdays_selectors.work_calendar_clear_cache()


def events(project: Project, action: str | None = None) -> list[Event]:
    rows = Event.objects.filter(stream=f"project:{project.pk}").order_by("seq")
    return list(rows.filter(action=action) if action else rows)
