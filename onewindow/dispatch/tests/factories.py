"""Test data for dispatch: a city with two districts, their offices, a project with its team.

world()                       the whole cast (see World), with a project in `east`
progress_report(project, …)   a report row written directly (for reads)
problem(project, unit, …)     a problem with its raise step written directly
jpeg() / png()                tiny uploads with the right leading bytes
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from onewindow.dispatch.domain import ProblemAction, ProblemLevel, ProblemStatus
from onewindow.dispatch.models import Problem, ProblemStep, ProgressReport
from onewindow.orgs.domain import Role
from onewindow.orgs.models import Organisation, User
from onewindow.orgs.services import organisation_create
from onewindow.orgs.tests.factories import UserFactory, staff
from onewindow.projects.domain import TeamRole
from onewindow.projects.models import Project
from onewindow.projects.tests.factories import ProjectFactory, city, district, leader, office_for, team_member


def department(parent: Organisation, name: str = "测试局") -> Organisation:
    code = f"{parent.code}D{Organisation.objects.filter(parent=parent).count() + 1:02d}"
    return organisation_create(code=code, name=name, level=Organisation.Level.DEPARTMENT, parent=parent)


@dataclass
class World:
    city: Organisation
    east: Organisation
    west: Organisation
    east_bureau: Organisation  # a department of the east district
    city_bureau: Organisation  # a department of the city (the project's responsible unit)
    project: Project
    users: dict[str, User | None]

    def user(self, who: str) -> User:
        person = self.users[who]
        assert person is not None
        return person


def world() -> World:
    town = city()
    east, west = district(town), district(town)
    east_bureau, city_bureau = department(east, "东区住建局"), department(town, "市发改委")
    project = ProjectFactory(district=east, responsible_unit=city_bureau)
    holding_leader = leader(town)
    team_member(project, TeamRole.LEADER, holding_leader)
    users: dict[str, User | None] = {
        "anonymous": None,
        "stranger": UserFactory(),
        "other_office": office_for(west),
        "district_office": office_for(east),
        "city_office": office_for(town),
        "leader": holding_leader,
        "other_leader": leader(town),
        "secretary": team_member(project, TeamRole.SECRETARY, UserFactory(phone="13900000001")),
        "commissioner": team_member(project, TeamRole.COMMISSIONER),
        "unit_staff": staff(Role.REVIEWER, east_bureau),
    }
    return World(town, east, west, east_bureau, city_bureau, project, users)


def progress_report(
    project: Project,
    submitted_by: User,
    *,
    period_start: dt.date,
    period_end: dt.date,
    amount: str = "100",
    ytd: str | None = None,
    is_late: bool = False,
) -> ProgressReport:
    return ProgressReport.objects.create(
        project=project,
        period_start=period_start,
        period_end=period_end,
        invested_in_period=Decimal(amount),
        invested_year_to_date=Decimal(ytd or amount),
        progress_note="主体结构施工",
        workers=50,
        submitted_by=submitted_by,
        is_late=is_late,
    )


def problem(
    project: Project,
    unit: Organisation,
    raised_by: User,
    *,
    raised_on: dt.date,
    due_on: dt.date,
    level: ProblemLevel = ProblemLevel.DISTRICT,
    status: ProblemStatus = ProblemStatus.OPEN,
    title: str = "施工用电未接入",
) -> Problem:
    row = Problem.objects.create(
        project=project,
        category="utilities",
        title=title,
        raised_by=raised_by,
        raised_on=raised_on,
        level=level,
        assigned_unit=unit,
        due_on=due_on,
        status=status,
    )
    ProblemStep.objects.create(
        problem=row, action=ProblemAction.RAISE, level=level, unit=unit, due_on=due_on, actor=raised_by
    )
    return row


JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def jpeg(name: str = "site.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, JPEG_BYTES, content_type="image/jpeg")


def png(name: str = "site.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG_BYTES, content_type="image/png")
