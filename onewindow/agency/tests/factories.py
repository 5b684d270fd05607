"""Shared test data for the agency service.

authorisation(agent=..., applicant=...)   a 委托 row written directly (window basis, every action,
                                          valid from ten days ago for a year; `expired`, `revoked`,
                                          `scope`, `project` as asked)
linked_project(case)                      a key project whose approval milestone links `case`
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils import timezone

from onewindow.agency.domain import AgencyAction, Basis
from onewindow.agency.models import Authorisation
from onewindow.cases.models import Case
from onewindow.orgs.models import Applicant, Organisation, User
from onewindow.projects.models import Milestone, Project
from onewindow.projects.tests.factories import ProjectFactory

EVERY_ACTION = tuple(action.value for action in AgencyAction)


def authorisation(
    *,
    agent: User,
    applicant: Applicant,
    region: Organisation | None = None,
    scope: Sequence[str] = EVERY_ACTION,
    expired: bool = False,
    revoked: bool = False,
    project: Project | None = None,
    recorded_by: User | None = None,
) -> Authorisation:
    today = timezone.localdate()
    return Authorisation.objects.create(
        agent=agent,
        applicant=applicant,
        project=project,
        basis=Basis.KEY_PROJECT if project is not None else Basis.WINDOW,
        scope=list(scope),
        valid_from=today - dt.timedelta(days=30 if expired else 10),
        valid_until=today - dt.timedelta(days=1) if expired else (None if project else today + dt.timedelta(days=365)),
        region=region or (project.district if project is not None else agent.memberships.get().organisation),
        recorded_by=recorded_by or agent,
        revoked_at=timezone.now() if revoked else None,
        revoked_on=today if revoked else None,
    )


def linked_project(case: Case, **fields: object) -> Project:
    """A key project whose roadmap's approval milestone links `case`."""
    project: Project = ProjectFactory(**fields)
    milestone = Milestone.objects.create(
        project=project,
        position=1,
        kind="approval",
        name="建设工程规划许可",
        duration_days=10,
        counts_working_days=True,
    )
    milestone.cases.add(case)
    return project
