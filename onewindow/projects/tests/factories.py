"""Shared test data for the key-project half (projects, dispatch, ranking, briefings).

city() / district(city)                  a city and a district under it
ProjectFactory(district=...)             a project with a valid credit code, phase continuing
plan(project, year, amount)              its annual planned investment
team_member(project, role, user=None)    a service-team member (a new user unless given)
office_for(region) / leader()            a key-project office member / a leader (role 领导)
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import factory
from stdnum.cn import uscc

from onewindow.orgs.domain import Role
from onewindow.orgs.models import Organisation, User
from onewindow.orgs.services import organisation_create
from onewindow.orgs.tests.factories import UserFactory, staff
from onewindow.projects.domain import Phase, TeamRole
from onewindow.projects.models import AnnualPlan, Project, TeamMember

_numbers = itertools.count(1)


def credit_code(n: int) -> str:
    body = f"91330100MA{n:07d}"
    return body + uscc.calc_check_digit(body)


def city() -> Organisation:
    n = next(_numbers)
    return organisation_create(code=f"5{n:03d}", name=f"测试市{n}", level=Organisation.Level.CITY, parent=None)


def district(parent: Organisation | None = None) -> Organisation:
    n = next(_numbers)
    return organisation_create(
        code=f"6{n:05d}", name=f"测试区{n}", level=Organisation.Level.DISTRICT, parent=parent or city()
    )


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    code = factory.Sequence(lambda n: f"XM2026-{n:05d}")
    name = factory.Sequence(lambda n: f"测试重点项目{n}")
    owner_name = factory.Sequence(lambda n: f"测试建设有限公司{n}")
    owner_credit_code = factory.Sequence(lambda n: credit_code(n))
    district = factory.LazyFunction(district)
    industry = "先进制造"
    chain_tags = factory.LazyFunction(lambda: ["新能源汽车"])
    total_investment = Decimal("50000.00")
    phase = Phase.CONTINUING
    level = "city"
    planned_start = dt.date(2025, 3, 1)
    planned_finish = dt.date(2027, 12, 31)


def plan(project: Project, year: int, amount: str | Decimal) -> AnnualPlan:
    return AnnualPlan.objects.create(project=project, year=year, planned_investment=Decimal(amount))


def team_member(project: Project, role: TeamRole, user: User | None = None) -> User:
    person: User = user or UserFactory()
    TeamMember.objects.create(project=project, role=role, user=person)
    return person


def office_for(region: Organisation) -> User:
    return staff(Role.PROJECT_OFFICE, region)


def leader(region: Organisation) -> User:
    return staff(Role.LEADER, region)
