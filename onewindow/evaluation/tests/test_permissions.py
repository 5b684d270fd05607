"""The permission matrix of every evaluation page and endpoint, for every kind of user.

Anonymous: pages redirect to the login, the API answers 401 (the public page, the SMS link and the
tablet need no login). A case, follow-up or dispute one may not see is a 404 like a missing one; a page
one's roles do not open is a 403. The world is built once per test and each user kind is checked in a
savepoint that is rolled back (onewindow.web.tests.matrix).
"""

from __future__ import annotations

from typing import Any

import pytest

from onewindow.cases.tests.factories import pdf_file
from onewindow.evaluation import services
from onewindow.evaluation.models import Dispute, FollowUp, Invitation
from onewindow.evaluation.tests.factories import USERS, World, bad_rating, build_world
from onewindow.web.tests.matrix import Matrix

LOGIN = 302
pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return build_world()


def matrix(**expected: int) -> dict[str, int]:
    return {user: expected[user] for user in USERS}


def everyone(status: int, anonymous: int = LOGIN) -> dict[str, int]:
    return {user: anonymous if user == "anonymous" else status for user in USERS}


def _status(api: bool, status: int) -> int:
    return 401 if api and status == LOGIN else status


def check(client: Any, world: World, endpoint: str, expected: dict[str, int], call: Any, *, api: bool) -> None:
    checks = Matrix(client, world.users, endpoint)
    for who, status in expected.items():
        with checks.as_user(who):
            response = call()
            assert response.status_code == _status(api, status), response.content[:300]
    checks.verify()


ONLY_THE_APPLICANT = matrix(
    anonymous=LOGIN,
    applicant=200,
    other_applicant=404,
    clerk=404,
    reviewer=404,
    other_reviewer=404,
    supervisor=404,
    other_district=404,
)
EVALUATION_STAFF = matrix(
    anonymous=LOGIN,
    applicant=403,
    other_applicant=403,
    clerk=403,
    reviewer=200,
    other_reviewer=200,
    supervisor=200,
    other_district=200,
)
SEES_THE_FOLLOW_UP = matrix(
    anonymous=LOGIN,
    applicant=404,
    other_applicant=404,
    clerk=404,
    reviewer=200,
    other_reviewer=404,
    supervisor=200,
    other_district=404,
)


# --- the applicant's pages -----------------------------------------------------------------------------


def test_the_rating_page_is_the_applicants(client: Any, world: World) -> None:
    url = f"/evaluation/cases/{world.case.pk}/rate/"
    check(client, world, f"GET {url}", ONLY_THE_APPLICANT, lambda: client.get(url), api=False)


@pytest.mark.parametrize("api", [False, True])
def test_only_the_applicant_rates_the_case(client: Any, world: World, api: bool) -> None:
    if api:
        url = f"/api/evaluation/cases/{world.case.pk}/rating"
        expected = {**ONLY_THE_APPLICANT, "applicant": 201}
        call = lambda: client.post(url, {"level": 5}, content_type="application/json")  # noqa: E731
    else:
        url = f"/evaluation/cases/{world.case.pk}/rate/"
        expected = {**ONLY_THE_APPLICANT, "applicant": 302}
        call = lambda: client.post(url, {"level": "5"})  # noqa: E731
    check(client, world, f"POST {url}", expected, call, api=api)


@pytest.mark.parametrize("api", [False, True])
def test_only_the_applicant_skips(client: Any, world: World, api: bool) -> None:
    if api:
        url = f"/api/evaluation/cases/{world.case.pk}/skip"
        expected = {**ONLY_THE_APPLICANT, "applicant": 201}
        call = lambda: client.post(url, {}, content_type="application/json")  # noqa: E731
    else:
        url = f"/evaluation/cases/{world.case.pk}/rate/"
        expected = {**ONLY_THE_APPLICANT, "applicant": 302}
        call = lambda: client.post(url, {"skip": "1"})  # noqa: E731
    check(client, world, f"POST {url} skip", expected, call, api=api)


def test_the_prompt_endpoint_is_the_applicants(client: Any, world: World) -> None:
    url = f"/api/evaluation/cases/{world.case.pk}/prompt"
    check(client, world, f"GET {url}", ONLY_THE_APPLICANT, lambda: client.get(url), api=True)


@pytest.mark.parametrize("url", ["/evaluation/mine/", "/api/evaluation/ratings/mine"])
def test_my_ratings_show_each_their_own(client: Any, world: World, url: str) -> None:
    rating = bad_rating(world, comment="私密的评价内容")
    api = url.startswith("/api/")
    checks = Matrix(client, world.users, f"GET {url}")
    for who, status in everyone(200).items():
        with checks.as_user(who):
            response = client.get(url)
            assert response.status_code == _status(api, status)
            if status == 200:
                shown = (
                    ("私密的评价内容" in response.content.decode())
                    if not api
                    else (rating.pk in [item["id"] for item in response.json()["items"]])
                )
                assert shown == (who == "applicant")
    checks.verify()


def test_settling_is_the_applicants(client: Any, world: World) -> None:
    rating = bad_rating(world)
    url = f"/evaluation/ratings/{rating.pk}/settle/"
    expected = {**ONLY_THE_APPLICANT, "applicant": 302}
    check(client, world, f"POST {url}", expected, lambda: client.post(url, {"settled": "yes"}), api=False)


@pytest.mark.parametrize("url", ["/evaluation/public/", "/api/evaluation/public/monthly"])
def test_the_public_page_needs_no_login(client: Any, world: World, url: str) -> None:
    bad_rating(world)
    check(client, world, f"GET {url}", everyone(200, anonymous=200), lambda: client.get(url), api=True)


def test_the_links_need_no_login(client: Any, world: World) -> None:
    service = services.window_service_start(actor=world.user("clerk"), window=world.window)
    kiosk = f"/evaluation/kiosk/{services.kiosk_token(service.pk)}/"
    check(client, world, "GET kiosk", everyone(200, anonymous=200), lambda: client.get(kiosk), api=False)


# --- staff ---------------------------------------------------------------------------------------------


def test_the_tablet_is_opened_by_a_clerk(client: Any, world: World) -> None:
    url = "/evaluation/window/"
    expected = matrix(
        anonymous=LOGIN,
        applicant=403,
        other_applicant=403,
        clerk=200,
        reviewer=403,
        other_reviewer=403,
        supervisor=403,
        other_district=403,
    )
    check(client, world, f"GET {url}", expected, lambda: client.get(url), api=False)
    started = {**expected, "clerk": 201}
    check(client, world, f"POST {url}", started, lambda: client.post(url, {"window": world.window.pk}), api=False)


@pytest.mark.parametrize("url", ["/evaluation/follow-ups/", "/api/evaluation/follow-ups"])
def test_the_follow_up_list_shows_each_department_its_own(client: Any, world: World, url: str) -> None:
    follow_up = FollowUp.objects.get(rating=bad_rating(world))
    api = url.startswith("/api/")
    checks = Matrix(client, world.users, f"GET {url}")
    for who, status in EVALUATION_STAFF.items():
        with checks.as_user(who):
            response = client.get(url)
            assert response.status_code == _status(api, status)
            if status == 200:
                listed = (
                    (f"/evaluation/follow-ups/{follow_up.pk}/" in response.content.decode())
                    if not api
                    else (follow_up.pk in [item["id"] for item in response.json()["items"]])
                )
                assert listed == (who in {"reviewer", "supervisor"})
    checks.verify()


@pytest.mark.parametrize(
    "path",
    [
        "/evaluation/follow-ups/{id}/",
        "/api/evaluation/follow-ups/{id}",
        "/audit/trail/evaluation.follow_up/{id}/",
    ],
)
def test_one_follow_up_is_404_to_whoever_may_not_see_it(client: Any, world: World, path: str) -> None:
    follow_up = FollowUp.objects.get(rating=bad_rating(world))
    url = path.format(id=follow_up.pk)
    check(client, world, f"GET {path}", SEES_THE_FOLLOW_UP, lambda: client.get(url), api=url.startswith("/api/"))


@pytest.mark.parametrize("api", [False, True])
def test_only_the_department_concerned_verifies(client: Any, world: World, api: bool) -> None:
    follow_up = FollowUp.objects.get(rating=bad_rating(world))
    ok = 200 if api else 302
    expected = {**SEES_THE_FOLLOW_UP, "reviewer": ok, "supervisor": 403}
    if api:
        url = f"/api/evaluation/follow-ups/{follow_up.pk}/verify"
        call = lambda: client.post(url, {"verification": "属实"}, content_type="application/json")  # noqa: E731
    else:
        url = f"/evaluation/follow-ups/{follow_up.pk}/verify/"
        call = lambda: client.post(url, {"verification": "属实"})  # noqa: E731
    check(client, world, f"POST {url}", expected, call, api=api)


@pytest.mark.parametrize("api", [False, True])
def test_a_dispute_is_asked_by_the_department_or_a_supervisor(client: Any, world: World, api: bool) -> None:
    rating = bad_rating(world)
    follow_up = FollowUp.objects.get(rating=rating)
    data = {"reason": "malicious", "explanation": "恶意差评"}
    if api:
        url = f"/api/evaluation/ratings/{rating.pk}/disputes"
        expected = {
            **EVALUATION_STAFF,
            "reviewer": 201,
            "supervisor": 201,
            "other_reviewer": 404,
            "other_district": 404,
        }
    else:
        url = f"/evaluation/follow-ups/{follow_up.pk}/dispute/"
        expected = {**SEES_THE_FOLLOW_UP, "reviewer": 302, "supervisor": 302}
    check(client, world, f"POST {url}", expected, lambda: client.post(url, {**data, "evidence": pdf_file()}), api=api)


@pytest.mark.parametrize("api", [False, True])
def test_a_supervisor_of_the_region_decides_a_dispute(client: Any, world: World, api: bool) -> None:
    rating = bad_rating(world)
    dispute = services.dispute_request(
        actor=world.user("reviewer"), rating=rating, reason="malicious", explanation="恶意", evidence=pdf_file()
    )
    nobody = {who: 404 for who in USERS} | {"anonymous": LOGIN}
    if api:
        url = f"/api/evaluation/disputes/{dispute.pk}/decide"
        expected = {**nobody, "supervisor": 200}
        call = lambda: client.post(url, {"uphold": True, "note": "成立"}, content_type="application/json")  # noqa: E731
    else:
        url = f"/evaluation/disputes/{dispute.pk}/decide/"
        expected = {**nobody, "supervisor": 302}
        call = lambda: client.post(url, {"uphold": "yes", "note": "成立"})  # noqa: E731
    check(client, world, f"POST {url}", expected, call, api=api)
    assert Dispute.objects.get().decision == Dispute.Decision.PENDING  # every check was rolled back


@pytest.mark.parametrize(
    "url", ["/evaluation/statistics/", "/evaluation/statistics.xlsx", "/api/evaluation/statistics?by=month"]
)
def test_statistics_are_for_evaluation_staff(client: Any, world: World, url: str) -> None:
    bad_rating(world)
    service = services.window_service_start(actor=world.user("clerk"), window=world.window)
    services.window_rate(token=services.kiosk_token(service.pk), given=services.Given(level=5))
    check(client, world, f"GET {url}", EVALUATION_STAFF, lambda: client.get(url), api=url.startswith("/api/"))


def test_settling_through_the_api_is_the_applicants(client: Any, world: World) -> None:
    rating = bad_rating(world)
    follow_up = FollowUp.objects.get(rating=rating)
    services.follow_up_verify(actor=world.user("reviewer"), follow_up=follow_up, verification="属实")
    services.follow_up_answer(actor=world.user("reviewer"), follow_up=follow_up, rectification="培训", answer="已整改")
    url = f"/api/evaluation/ratings/{rating.pk}/settle"
    check(
        client,
        world,
        f"POST {url}",
        ONLY_THE_APPLICANT,
        lambda: client.post(url, {"settled": True}, content_type="application/json"),
        api=True,
    )


@pytest.mark.parametrize("api", [False, True])
def test_only_the_department_concerned_answers(client: Any, world: World, api: bool) -> None:
    follow_up = FollowUp.objects.get(rating=bad_rating(world))
    services.follow_up_verify(actor=world.user("reviewer"), follow_up=follow_up, verification="属实")
    data = {"rectification": "培训", "answer": "已整改"}
    expected = {**SEES_THE_FOLLOW_UP, "reviewer": 200 if api else 302, "supervisor": 403}
    if api:
        url = f"/api/evaluation/follow-ups/{follow_up.pk}/answer"
        call = lambda: client.post(url, data, content_type="application/json")  # noqa: E731
    else:
        url = f"/evaluation/follow-ups/{follow_up.pk}/answer/"
        call = lambda: client.post(url, data)  # noqa: E731
    check(client, world, f"POST {url}", expected, call, api=api)


def test_the_sms_link_needs_no_login_and_works_once_for_whoever_holds_it(client: Any, world: World) -> None:
    invitation = Invitation.objects.create(case=world.case, created_at=world.case.created_at, sms_nonce="m" * 32)
    url = f"/evaluation/r/{services.sms_token(invitation.pk, invitation.sms_nonce)}/"
    check(client, world, "GET sms link", everyone(200, anonymous=200), lambda: client.get(url), api=False)
    check(
        client,
        world,
        "POST sms link",
        everyone(200, anonymous=200),
        lambda: client.post(url, {"level": "5"}),
        api=False,
    )


def test_the_tablet_takes_one_rating_from_whoever_faces_it(client: Any, world: World) -> None:
    service = services.window_service_start(actor=world.user("clerk"), window=world.window)
    url = f"/evaluation/kiosk/{services.kiosk_token(service.pk)}/"
    check(
        client, world, "POST kiosk", everyone(200, anonymous=200), lambda: client.post(url, {"level": "4"}), api=False
    )
