"""What the API's contract tests share: the WSGI app as clients reach it, and rows to ask about."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone

from onewindow.cases.models import Task
from onewindow.cases.tests.factories import accepted_case
from onewindow.dispatch.tests import factories as dispatch
from onewindow.orgs.domain import Role
from onewindow.orgs.models import Membership, User

STAFF_ROLES = (Role.REVIEWER, Role.DEPARTMENT_HEAD, Role.LEAD_COORDINATOR, Role.SUPERVISOR)


@pytest.fixture
def wsgi_app() -> Iterator[Any]:
    """The project's WSGI app, keeping the test's connection open across requests (as Django's test client does)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@dataclass
class Rows:
    staff: User  # clerk, reviewer, head, coordinator and supervisor of the case; project office of the city
    applicant: User  # the case's applicant
    matter_code: str  # a matter of the case
    ids: dict[str, Any]  # path parameter -> a real row's id (or code)


@pytest.fixture
def rows(db: Any) -> Rows:
    """An accepted bundle case with open review tasks, and a project with a progress report and a problem."""
    case = accepted_case(bundle=True)
    task = Task.objects.filter(case=case).select_related("department", "case_matter__matter_version__matter").first()
    assert task is not None and case.bundle_version is not None and case.applicant.user is not None
    staff = Membership.objects.get(organisation=case.region, role=Role.CLERK).user
    for role in STAFF_ROLES:
        Membership.objects.create(user=staff, organisation=case.region, role=role)
    for role in (Role.REVIEWER, Role.DEPARTMENT_HEAD):
        Membership.objects.create(user=staff, organisation=task.department, role=role)
    projects = dispatch.world()
    Membership.objects.create(user=staff, organisation=projects.city, role=Role.PROJECT_OFFICE)
    today = timezone.localdate()
    report = dispatch.progress_report(
        projects.project, staff, period_start=today - dt.timedelta(days=6), period_end=today
    )
    problem = dispatch.problem(
        projects.project, projects.city_bureau, staff, raised_on=today, due_on=today + dt.timedelta(days=10)
    )
    ids = {
        "case_id": case.pk,
        "task_id": task.pk,
        "code": case.bundle_version.bundle.code,
        "year": str(today.year),
        "project_id": projects.project.pk,
        "report_id": report.pk,
        "problem_id": problem.pk,
        "region_id": projects.east.pk,
    }
    matter_code = task.case_matter.matter_version.matter.code
    return Rows(staff=staff, applicant=case.applicant.user, matter_code=matter_code, ids=ids)
