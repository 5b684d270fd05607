"""The permission matrix of 加签, the checks of a commitment, the rectification report and credit
records: every new page and endpoint, for every kind of user.

Anonymous: pages redirect to the login, the API answers 401. An action on a task the user may not see
answers exactly as the same action on a task that does not exist; 403 is kept for a user who sees
the case but may not act. Task pages belong to their department's reviewers: anyone else finds no
task there. The world is built once per test through the services; each user's check runs in a
savepoint that is rolled back (onewindow.web.tests.matrix).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from onewindow.cases.models import Case, Task
from onewindow.cases.services import commitment
from onewindow.cases.services.intake import case_approve_on_commitment
from onewindow.cases.tests import factories as f
from onewindow.orgs.domain import Role
from onewindow.orgs.models import Organisation, User
from onewindow.orgs.tests.factories import staff
from onewindow.web.tests.matrix import Matrix

LOGIN = 302
LIKE_MISSING = "like a missing one"
MISSING_ID = 999_999
BASIS = "《中华人民共和国行政许可法》第六十九条"


@dataclass
class World:
    review_task: Task  # an open review task of the home department
    post_check: Task  # an open post-check of the home department
    recheck: Task  # an open re-check after a failed post-check, of the home department
    revoked: Case  # revoked for a false commitment: a credit record of the applicant
    second_reviewer: User
    users: dict[str, User | None]


def _committed(department: Organisation, applicant: Any) -> Case:
    case = f.submitted_case(
        matter_version=f.published_matter(department=department, commitment_allowed=True), applicant=applicant
    )
    return case_approve_on_commitment(actor=f.clerk_for(case.region), case=case, commitment_text="承诺")


def build_world() -> World:
    district, other_district = f.region(), f.region()
    home, other = f.department(district), f.department(district)
    applicant = f.applicant_with_user()
    reviewer = f.reviewer_for(home)
    review_task = f.accepted_case(matter_version=f.published_matter(department=home), applicant=applicant).tasks.get()
    post_check = _committed(home, applicant).tasks.get()
    failed = _committed(home, applicant).tasks.get()
    commitment.task_check_not_conform(actor=reviewer, task=failed, finding="未按承诺配备设施")
    recheck = Task.objects.get(case=failed.case, kind=Task.Kind.RECHECK)
    revoked = _committed(home, applicant)
    commitment.task_find_false_commitment(
        actor=reviewer, task=revoked.tasks.get(), finding="承诺不实", legal_basis=BASIS
    )
    users: dict[str, User | None] = {
        "anonymous": None,
        "applicant": applicant.user,
        "other_applicant": f.applicant_with_user().user,
        "clerk": f.clerk_for(district),
        "other_clerk": f.clerk_for(other_district),
        "reviewer": reviewer,
        "head": f.head_for(home),
        "other_head": f.head_for(other),
        "supervisor": staff(Role.SUPERVISOR, district),
    }
    return World(review_task, post_check, recheck, revoked, f.reviewer_for(home), users)


@pytest.fixture
def world(db: Any) -> World:
    return build_world()


USERS = [
    "anonymous",
    "applicant",
    "other_applicant",
    "clerk",
    "other_clerk",
    "reviewer",
    "head",
    "other_head",
    "supervisor",
]


def matrix(**expected: int | str) -> dict[str, int | str]:
    return {user: expected[user] for user in USERS}


OUTSIDERS = {"other_applicant": LIKE_MISSING, "other_clerk": LIKE_MISSING, "other_head": LIKE_MISSING}


@dataclass(frozen=True)
class Action:
    path: str  # "{task}" stands for the task the action is on (`on`: a World attribute)
    on: str
    body: dict[str, Any]
    multipart: bool = False

    def url(self, world: World, *, missing: bool = False) -> str:
        return self.path.format(task=MISSING_ID if missing else getattr(world, self.on).pk)

    def answer(self, client: Any, url: str, world: World) -> tuple[int, str | None]:
        body = {key: (value(world) if callable(value) else value) for key, value in self.body.items()}
        if not url.startswith("/api/"):
            return client.post(url, body).status_code, None
        as_json = {} if self.multipart else {"content_type": "application/json"}
        response = client.post(url, body, **as_json)
        return response.status_code, response.json().get("code") if response.status_code >= 400 else None


def signer(world: World) -> int:
    return world.second_reviewer.pk


# The API: 403 for whoever sees the case and may not act, like a missing task for anyone else.
API_REVIEWERS_ONLY = matrix(
    anonymous=401, applicant=403, clerk=403, reviewer=200, head=200, supervisor=403, **OUTSIDERS
)
# The task pages: their department's reviewers find the task; anyone else finds none (404).
PAGE_REVIEWERS_ONLY = matrix(
    anonymous=LOGIN, applicant=404, clerk=404, reviewer=302, head=302, supervisor=404, **OUTSIDERS
)
ACTIONS = [
    # 加签: the head of the department; a reviewer of it sees the task but may not (403)
    (
        Action("/api/cases/tasks/{task}/signers", "review_task", {"signer_id": signer}),
        matrix(anonymous=401, applicant=403, clerk=403, reviewer=403, head=200, supervisor=403, **OUTSIDERS),
    ),
    (
        Action("/cases/tasks/{task}/add_signer/", "review_task", {"signer": signer}),
        matrix(anonymous=LOGIN, applicant=404, clerk=404, reviewer=403, head=302, supervisor=404, **OUTSIDERS),
    ),
    # the findings of a post-check and a re-check: the department's reviewers and head
    (Action("/api/cases/tasks/{task}/check", "post_check", {"conforms": True}), API_REVIEWERS_ONLY),
    (
        Action("/api/cases/tasks/{task}/false-commitment", "post_check", {"finding": "不实", "legal_basis": BASIS}),
        API_REVIEWERS_ONLY,
    ),
    (Action("/cases/tasks/{task}/check_conform/", "post_check", {}), PAGE_REVIEWERS_ONLY),
    (Action("/cases/tasks/{task}/check_not_conform/", "post_check", {"finding": "不符合"}), PAGE_REVIEWERS_ONLY),
    (
        Action("/cases/tasks/{task}/false_commitment/", "post_check", {"finding": "不实", "legal_basis": BASIS}),
        PAGE_REVIEWERS_ONLY,
    ),
    # the rectification report: the applicant, or a clerk of the region for them
    (
        Action("/api/cases/tasks/{task}/rectification-report", "recheck", {"note": "已整改"}, multipart=True),
        matrix(anonymous=401, applicant=200, clerk=200, reviewer=403, head=403, supervisor=403, **OUTSIDERS),
    ),
]


@pytest.mark.parametrize(("action", "expected"), ACTIONS, ids=[action.path for action, _ in ACTIONS])
def test_acting_on_a_task_one_may_not_see_answers_like_a_missing_task(
    client: Any, world: World, action: Action, expected: dict[str, int | str]
) -> None:
    checks = Matrix(client, world.users, f"POST {action.path}")
    for who, status in expected.items():
        with checks.as_user(who):
            on_missing = action.answer(client, action.url(world, missing=True), world)
            answer = action.answer(client, action.url(world), world)
            if status == LIKE_MISSING:
                assert answer == on_missing
                assert answer[0] in {403, 404}
            else:
                assert answer[0] == status, answer
    checks.verify()


SIGNERS_ENDPOINT = matrix(
    anonymous=401,
    applicant=404,
    other_applicant=404,
    clerk=404,
    other_clerk=404,
    reviewer=200,
    head=200,
    other_head=404,
    supervisor=404,
)


def test_the_countersign_state_endpoint(client: Any, world: World) -> None:
    url = f"/api/cases/tasks/{world.review_task.pk}/signers"
    checks = Matrix(client, world.users, f"GET {url}")
    for who, status in SIGNERS_ENDPOINT.items():
        with checks.as_user(who):
            response = client.get(url)
            assert response.status_code == status
            if status == 200:
                assert response.json()["task_id"] == world.review_task.pk
            elif status == 404:
                assert response.json()["code"] == "task_not_found"
    checks.verify()


RECTIFICATION_PAGE = matrix(
    anonymous=LOGIN,
    applicant=200,
    other_applicant=404,
    clerk=404,
    other_clerk=404,
    reviewer=404,
    head=404,
    other_head=404,
    supervisor=404,
)


@pytest.mark.parametrize("method", ["get", "post"])
def test_the_rectification_page_belongs_to_the_applicant(client: Any, world: World, method: str) -> None:
    url = f"/cases/{world.recheck.case_id}/rectification/"
    checks = Matrix(client, world.users, f"{method.upper()} {url}")
    for who, status in RECTIFICATION_PAGE.items():
        with checks.as_user(who):
            if method == "get":
                response = client.get(url)
            else:
                response = client.post(url, {"task": world.recheck.pk, "note": "已整改"})
            expected = 302 if method == "post" and status == 200 else status
            assert response.status_code == expected
            if status == LOGIN:
                assert response["Location"].startswith("/accounts/login/")
    checks.verify()


CREDIT_RECORDS_SEEN_BY = {
    "applicant": True,
    "other_applicant": False,
    "clerk": True,
    "other_clerk": False,
    "reviewer": False,
    "head": False,
    "other_head": False,
    "supervisor": True,
}


@pytest.mark.parametrize("where", ["page", "api"])
def test_credit_records_are_seen_by_the_applicant_and_region_staff(client: Any, world: World, where: str) -> None:
    url = "/cases/credit-records/" if where == "page" else "/api/cases/credit-records"
    checks = Matrix(client, world.users, f"GET {url}")
    for who in USERS:
        with checks.as_user(who):
            response = client.get(url)
            if who == "anonymous":
                assert response.status_code == (LOGIN if where == "page" else 401)
                continue
            assert response.status_code == 200
            if where == "page":
                seen = world.revoked.number in response.content.decode()
            else:
                seen = world.revoked.number in [item["case_number"] for item in response.json()["items"]]
            assert seen == CREDIT_RECORDS_SEEN_BY[who]
    checks.verify()
