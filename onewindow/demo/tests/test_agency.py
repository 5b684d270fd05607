"""The demo's agency service: `agent` (冯帮办) acts for linxiaowen's enterprise and serves a key project."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from onewindow.agency.models import Authorisation
from onewindow.agency.selectors import applicants_agent_files_for, project_agent
from onewindow.demo.agency import agency_load
from onewindow.orgs.models import User
from onewindow.projects.models import Milestone, Roadmap
from onewindow.projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def test_the_demo_agent_files_for_linxiaowens_enterprise_for_a_year(loaded) -> None:
    agent = User.objects.get(username="agent")
    [granted] = Authorisation.objects.filter(agent=agent)
    assert granted.applicant.name == "云川晓雯科技有限公司"
    assert (granted.basis, granted.valid_until) == ("online", timezone.localdate() + dt.timedelta(days=365))
    assert [a.name for a in applicants_agent_files_for(agent)] == ["云川晓雯科技有限公司"]
    assert agency_load(today=timezone.localdate()) == 0  # a second run changes nothing


def test_the_demo_agent_serves_the_first_key_project_with_a_roadmap_free_of_charge(loaded) -> None:
    Authorisation.objects.all().delete()
    project = ProjectFactory(district=User.objects.get(username="project_office").memberships.get().organisation)
    Roadmap.objects.create(project=project, target_on=dt.date(2027, 3, 31))
    Milestone.objects.create(project=project, position=1, kind="approval", name="施工许可", duration_days=15)

    assert agency_load(today=timezone.localdate()) == 2

    assert project_agent(project) == User.objects.get(username="agent")
