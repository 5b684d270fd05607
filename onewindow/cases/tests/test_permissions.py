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


def test_received_page(client: Any, world: World) -> None:
    checks = checks_for(client, world, "GET /cases/received/")
    for who, status in INTAKE_QUEUE_PAGE.items():
        with checks.as_user(who):
            response = client.get("/cases/received/")
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


def test_supervision_levels_endpoint(client: Any, world: World) -> None:
    checks = checks_for(client, world, "GET /api/cases/supervision/levels")
    for who, status in SUPERVISORS_ONLY.items():
        with checks.as_user(who):
            response = client.get("/api/cases/supervision/levels")
            assert response.status_code == status
            if status == 200:
                own = response.json()["rows"][0]
                assert own["is_own"] and own["case_counts"]["total"] == (1 if who == "supervisor" else 0)
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


# --- acting on a case -----------------------------------------------------------------------------
# An action on a case (or task) the user may not see answers exactly as the same action on an id that
# does not exist: status and error code. 403 is kept for a user who sees the case but may not act.

LIKE_MISSING = "like a missing one"
MISSING_ID = 999_999


@dataclass(frozen=True)
class Action:
    path: str  # "{case}" / "{task}" stand for the world's case and task
    body: dict[str, Any]

    @property
    def is_api(self) -> bool:
        return self.path.startswith("/api/")

    def url(self, world: World, *, missing: bool = False) -> str:
        return self.path.format(
            case=MISSING_ID if missing else world.case.pk, task=MISSING_ID if missing else world.task.pk
        )

    def answer(self, client: Any, url: str) -> tuple[int, str | None]:
        """The status and, from the API, the error code."""
        if not self.is_api:
            return client.post(url, self.body).status_code, None
        response = client.post(url, self.body, content_type="application/json")
        return response.status_code, response.json().get("code") if response.status_code >= 400 else None

    def check_answers(self, client: Any, world: World, expected: dict[str, int | str]) -> None:
        """Each user gets the expected status, or (LIKE_MISSING) exactly the answer to a missing id."""
        checks = checks_for(client, world, f"POST {self.path}")
        for who, status in expected.items():
            with checks.as_user(who):
                on_missing = self.answer(client, self.url(world, missing=True))
                answer = self.answer(client, self.url(world))
                if status == LIKE_MISSING:
                    assert answer == on_missing
                    assert answer[0] in {403, 404}
                else:
                    assert answer[0] == status, answer
        checks.verify()


API_WITHDRAW = Action("/api/cases/cases/{case}/withdraw", {"reason": "项目取消"})
API_TASK_APPROVE = Action("/api/cases/tasks/{task}/approve", {"opinion": "同意"})
API_DECISION = Action("/api/cases/cases/{case}/decision", {"results": {}})
REFUSAL = {"reason": "不属于本机关职权", "legal_basis": "第三十二条"}
API_REFUSE = Action("/api/cases/cases/{case}/refuse", REFUSAL)
PAGE_INTAKE_REFUSE = Action("/cases/{case}/intake/refusal/", REFUSAL)
PAGE_TASK_APPROVE = Action("/cases/tasks/{task}/approve/", {"opinion": "同意"})
PAGE_WITHDRAW = Action("/cases/{case}/withdraw/", {"reason": "项目取消"})
PAGE_DECISION = Action("/cases/{case}/decision/", {})

OUTSIDERS = {
    "other_applicant": LIKE_MISSING,
    "other_clerk": LIKE_MISSING,
    "other_reviewer": LIKE_MISSING,
    "other_supervisor": LIKE_MISSING,
}
ACTIONS = [
    (API_REFUSE, matrix(anonymous=401, applicant=403, clerk=409, assigned_reviewer=403, supervisor=403, **OUTSIDERS)),
    (API_WITHDRAW, matrix(anonymous=401, applicant=200, clerk=200, assigned_reviewer=403, supervisor=403, **OUTSIDERS)),
    (
        API_TASK_APPROVE,
        matrix(anonymous=401, applicant=403, clerk=403, assigned_reviewer=200, supervisor=403, **OUTSIDERS),
    ),
    (API_DECISION, matrix(anonymous=401, applicant=403, clerk=403, assigned_reviewer=403, supervisor=403, **OUTSIDERS)),
    # The console's pages open to their roles first (403 for any id), then find the case or task.
    (
        PAGE_INTAKE_REFUSE,
        matrix(anonymous=LOGIN, applicant=403, clerk=409, assigned_reviewer=403, supervisor=403, **OUTSIDERS),
    ),
    # A task page belongs to its department's reviewers: anyone else finds no task there.
    (
        PAGE_TASK_APPROVE,
        matrix(anonymous=LOGIN, applicant=404, clerk=404, assigned_reviewer=302, supervisor=404, **OUTSIDERS),
    ),
    (
        PAGE_WITHDRAW,
        matrix(anonymous=LOGIN, applicant=302, clerk=404, assigned_reviewer=404, supervisor=404, **OUTSIDERS),
    ),
    (
        PAGE_DECISION,
        matrix(anonymous=LOGIN, applicant=403, clerk=403, assigned_reviewer=403, supervisor=403, **OUTSIDERS),
    ),
]


@pytest.mark.parametrize(("action", "expected"), ACTIONS, ids=[action.path for action, _ in ACTIONS])
def test_acting_on_a_case_one_may_not_see_answers_like_a_missing_case(
    client: Any, world: World, action: Action, expected: dict[str, int | str]
) -> None:
    action.check_answers(client, world, expected)
