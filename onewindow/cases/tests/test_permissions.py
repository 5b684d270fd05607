"""The permission matrix of the read side: every case page and read endpoint, for every kind of user.

Anonymous: pages redirect to the login, the API answers 401. A case the user may not see is a
404 exactly like a missing one. Console pages the user's roles do not open answer 403.

The world is built from rows directly (the read side must not depend on the write side's state
of progress); the organisations, people and matters come from the shared factories. Each test
builds the world once and checks every kind of user against it, each in a savepoint that is rolled
back (onewindow.web.tests.matrix), so one user's change never shows in the next one's check.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from onewindow.cases.domain import CaseStatus, TaskStatus, case_number
from onewindow.cases.models import Case, CaseMaterial, CaseMatter, Channel, Task, TimelineEntry
from onewindow.cases.tests.factories import (
    applicant_with_user,
    clerk_for,
    department,
    published_matter,
    region,
    reviewer_for,
)
from onewindow.orgs.domain import Role
from onewindow.orgs.models import Applicant, Organisation, User
from onewindow.orgs.tests.factories import staff
from onewindow.web.tests.matrix import Matrix

_sequence = itertools.count(1)


@dataclass
class World:
    district: Organisation
    other_district: Organisation
    department: Organisation
    other_department: Organisation
    case: Case
    task: Task
    applicant: Applicant
    users: dict[str, User | None]


def make_case(
    *,
    applicant: Applicant,
    department: Organisation,
    status: str = CaseStatus.IN_REVIEW,
    assignee: User | None = None,
    task_status: str | None = TaskStatus.OPEN,
    due_in_days: int = 10,
    warning: str = "normal",
    green: bool = False,
    title: str = "滨江科创园一期 建设工程规划许可",
    intake_due_on: dt.date | None = None,
) -> tuple[Case, Task | None]:
    """A case of one matter in `department`'s region with its task (rows written directly)."""
    today = timezone.localdate()
    version = published_matter(department=department)
    case = Case.objects.create(
        number=case_number(department.parent.code, today, next(_sequence)),
        status=status,
        channel=Channel.ONLINE,
        applicant=applicant,
        region=department.parent,
        matter_version=version,
        title=title,
        submitted_by=applicant.user,
        submitted_at=timezone.now(),
        received_on=today,
        intake_due_on=intake_due_on or today + dt.timedelta(days=7),
        accepted_on=today if status != CaseStatus.SUBMITTED else None,
        limit_days=20,
        due_on=today + dt.timedelta(days=28),
        is_green_channel=green,
        warning_level=warning,
    )
    matter = CaseMatter.objects.create(case=case, matter_version=version, department=department)
    CaseMaterial.objects.create(
        case=case,
        key="business_licence",
        name="营业执照",
        file="cases/2026/11/secret-path.pdf",
        sha256="a" * 64,
        size=1234,
    )
    TimelineEntry.objects.create(case=case, at=timezone.now(), action="case_submit", to_status="submitted")
    task = None
    if task_status is not None:
        task = Task.objects.create(
            case=case,
            case_matter=matter,
            department=department,
            status=task_status,
            assignee=assignee,
            started_on=today,
            limit_days=5,
            due_on=today + dt.timedelta(days=due_in_days),
            warning_level=warning,
            is_green_channel=green,
        )
        TimelineEntry.objects.create(
            case=case, task=task, at=timezone.now(), action="task_note", note="内部意见", is_public=False
        )
    return case, task


def build_world() -> World:
    district, other_district = region(), region()
    home_department, other_department = department(district), department(district)
    applicant = applicant_with_user()
    assigned = reviewer_for(home_department)
    case, task = make_case(applicant=applicant, department=home_department, assignee=assigned)
    assert task is not None
    users: dict[str, User | None] = {
        "anonymous": None,
        "applicant": applicant.user,
        "other_applicant": applicant_with_user().user,
        "clerk": clerk_for(district),
        "other_clerk": clerk_for(other_district),
        "other_reviewer": reviewer_for(other_department),
        "assigned_reviewer": assigned,
        "other_supervisor": staff(Role.SUPERVISOR, other_district),
        "supervisor": staff(Role.SUPERVISOR, district),
    }
    return World(district, other_district, home_department, other_department, case, task, applicant, users)


@pytest.fixture
def world(db: Any) -> World:
    return build_world()


def checks_for(client: Any, world: World, endpoint: str) -> Matrix:
    return Matrix(client, world.users, endpoint)


USERS = [
    "anonymous",
    "applicant",
    "other_applicant",
    "clerk",
    "other_clerk",
    "other_reviewer",
    "assigned_reviewer",
    "other_supervisor",
    "supervisor",
]


def matrix(**expected: int) -> dict[str, int]:
    return {user: expected[user] for user in USERS}


LOGIN = 302

# --- pages ----------------------------------------------------------------------------------------

CASE_PAGE = matrix(
    anonymous=LOGIN,
    applicant=200,
    other_applicant=404,
    clerk=200,
    other_clerk=404,
    other_reviewer=404,
    assigned_reviewer=200,
    other_supervisor=404,
    supervisor=200,
)


@pytest.mark.parametrize("page", ["", "notice/"])  # the case, and its intake decision to print
def test_case_page(client: Any, world: World, page: str) -> None:
    url = f"/cases/{world.case.pk}/{page}"
    checks = checks_for(client, world, f"GET {url}")
    for who, status in CASE_PAGE.items():
        with checks.as_user(who):
            response = client.get(url)
            assert response.status_code == status
            if status == LOGIN:
                assert response["Location"].startswith("/accounts/login/")
            if status == 200:
                assert world.case.number in response.content.decode()
    checks.verify()


def test_a_missing_case_looks_like_a_forbidden_one(client: Any, world: World) -> None:
    checks = checks_for(client, world, "GET /cases/999999/")
    for who in USERS[1:]:
        with checks.as_user(who):
            response = client.get("/cases/999999/")
            assert response.status_code == 404
    checks.verify()


MY_CASES_PAGE = matrix(
    anonymous=LOGIN,
    applicant=200,
    other_applicant=200,
    clerk=200,
    other_clerk=200,
    other_reviewer=200,
    assigned_reviewer=200,
    other_supervisor=200,
    supervisor=200,
)


def test_my_cases_page(client: Any, world: World) -> None:
    checks = checks_for(client, world, "GET /cases/mine/")
    for who, status in MY_CASES_PAGE.items():
        with checks.as_user(who):
            response = client.get("/cases/mine/")
            assert response.status_code == status
            if status == 200:
                assert (world.case.number in response.content.decode()) == (who == "applicant")
    checks.verify()


STAFF_ONLY = {"anonymous": LOGIN, "applicant": 403, "other_applicant": 403}

INTAKE_QUEUE_PAGE = matrix(
    **STAFF_ONLY,
    clerk=200,
    other_clerk=200,
    other_reviewer=403,
    assigned_reviewer=403,
    other_supervisor=403,
    supervisor=403,
)


def test_intake_queue_page(client: Any, world: World) -> None:
    world.case.status = CaseStatus.SUBMITTED
    world.case.save(update_fields=["status"])
    checks = checks_for(client, world, "GET /cases/intake/")
    for who, status in INTAKE_QUEUE_PAGE.items():
        with checks.as_user(who):
            response = client.get("/cases/intake/")
            assert response.status_code == status
            if status == 200:
                assert (world.case.number in response.content.decode()) == (who == "clerk")
    checks.verify()


MY_TASKS_PAGE = matrix(
    **STAFF_ONLY,
    clerk=403,
    other_clerk=403,
    other_reviewer=200,
    assigned_reviewer=200,
    other_supervisor=403,
    supervisor=403,
)


def test_my_tasks_page(client: Any, world: World) -> None:
    checks = checks_for(client, world, "GET /cases/tasks/")
    for who, status in MY_TASKS_PAGE.items():
        with checks.as_user(who):
            response = client.get("/cases/tasks/")
            assert response.status_code == status
            if status == 200:
                assert (world.case.number in response.content.decode()) == (who == "assigned_reviewer")
    checks.verify()


SUPERVISION_PAGE = matrix(
    **STAFF_ONLY,
    clerk=403,
    other_clerk=403,
    other_reviewer=403,
    assigned_reviewer=403,
    other_supervisor=200,
    supervisor=200,
)


def test_supervision_page(client: Any, world: World) -> None:
    checks = checks_for(client, world, "GET /cases/supervision/")
    for who, status in SUPERVISION_PAGE.items():
        with checks.as_user(who):
            response = client.get("/cases/supervision/")
            assert response.status_code == status
            if status == 200:
                assert (world.case.number in response.content.decode()) == (who == "supervisor")
    checks.verify()


# --- API ------------------------------------------------------------------------------------------

API_STAFF_ONLY = {"anonymous": 401, "applicant": 403, "other_applicant": 403}

CASE_DETAIL_ENDPOINT = matrix(
    anonymous=401,
    applicant=200,
    other_applicant=404,
    clerk=200,
    other_clerk=404,
    other_reviewer=404,
    assigned_reviewer=200,
    other_supervisor=404,
    supervisor=200,
)


def test_case_detail_endpoint(client: Any, world: World) -> None:
    url = f"/api/cases/cases/{world.case.pk}"
    checks = checks_for(client, world, f"GET {url}")
    for who, status in CASE_DETAIL_ENDPOINT.items():
        with checks.as_user(who):
            response = client.get(url)
            assert response.status_code == status
            body = response.json()
            if status == 200:
                assert body["number"] == world.case.number
            elif status == 404:
                assert body["code"] == "case_not_found"
            else:
                assert body["code"] == "not_authenticated"
    checks.verify()


CASE_LIST_SEES = {
    "applicant": True,
    "other_applicant": False,
    "clerk": True,
    "other_clerk": False,
    "other_reviewer": False,
    "assigned_reviewer": True,
    "other_supervisor": False,
    "supervisor": True,
}


def test_case_list_endpoint(client: Any, world: World) -> None:
    checks = checks_for(client, world, "GET /api/cases/cases")
    for who, sees in CASE_LIST_SEES.items():
        with checks.as_user(who):
            response = client.get("/api/cases/cases")
            assert response.status_code == 200
            assert (world.case.number in [item["number"] for item in response.json()["items"]]) == sees
    checks.verify()


def test_case_list_endpoint_needs_a_login(client: Any, world: World) -> None:
    response = client.get("/api/cases/cases")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


TASK_ENDPOINTS = matrix(
    **API_STAFF_ONLY,
    clerk=403,
    other_clerk=403,
    other_reviewer=200,
    assigned_reviewer=200,
    other_supervisor=403,
    supervisor=403,
)


@pytest.mark.parametrize("tab", ["todo", "done"])
def test_task_endpoints(client: Any, world: World, tab: str) -> None:
    TimelineEntry.objects.create(
        case=world.case, task=world.task, at=timezone.now(), actor=world.users["assigned_reviewer"], action="task_claim"
    )
    checks = checks_for(client, world, f"GET /api/cases/tasks/{tab}")
    for who, status in TASK_ENDPOINTS.items():
        with checks.as_user(who):
            response = client.get(f"/api/cases/tasks/{tab}")
            assert response.status_code == status
            if status == 200:
                numbers = [item["case_number"] for item in response.json()["items"]]
                assert (world.case.number in numbers) == (who == "assigned_reviewer")
    checks.verify()


INTAKE_QUEUE_ENDPOINT = matrix(
    **API_STAFF_ONLY,
    clerk=200,
    other_clerk=200,
    other_reviewer=403,
    assigned_reviewer=403,
    other_supervisor=403,
    supervisor=403,
)


def test_intake_queue_endpoint(client: Any, world: World) -> None:
    world.case.status = CaseStatus.CORRECTION
    world.case.save(update_fields=["status"])
    checks = checks_for(client, world, "GET /api/cases/intake/queue")
    for who, status in INTAKE_QUEUE_ENDPOINT.items():
        with checks.as_user(who):
            response = client.get("/api/cases/intake/queue")
            assert response.status_code == status
            if status == 200:
                numbers = [item["number"] for item in response.json()["items"]]
                assert (world.case.number in numbers) == (who == "clerk")
    checks.verify()


SUPERVISORS_ONLY = matrix(
    **API_STAFF_ONLY,
    clerk=403,
    other_clerk=403,
    other_reviewer=403,
    assigned_reviewer=403,
    other_supervisor=200,
    supervisor=200,
)


def test_supervision_board_endpoint(client: Any, world: World) -> None:
    checks = checks_for(client, world, "GET /api/cases/supervision/board")
    for who, status in SUPERVISORS_ONLY.items():
        with checks.as_user(who):
            response = client.get("/api/cases/supervision/board")
            assert response.status_code == status
            if status == 200:
                body = response.json()
                assert (world.case.number in [item["number"] for item in body["cases"]]) == (who == "supervisor")
                assert body["task_counts"]["total"] == (1 if who == "supervisor" else 0)
    checks.verify()


def test_on_time_rate_endpoint(client: Any, world: World) -> None:
    Task.objects.filter(pk=world.task.pk).update(status=TaskStatus.APPROVED, decided_at=timezone.now())
    checks = checks_for(client, world, "GET /api/cases/supervision/on-time-rate")
    for who, status in SUPERVISORS_ONLY.items():
        with checks.as_user(who):
            response = client.get("/api/cases/supervision/on-time-rate")
            assert response.status_code == status
            if status == 200:
                codes = [row["department"]["code"] for row in response.json()]
                assert (world.department.code in codes) == (who == "supervisor")
    checks.verify()
