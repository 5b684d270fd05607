"""What a person sees: the case page asks once the case ends and shows the rating given; the rating page
goes back to `next` (a local path only); the public page names no person; the SMS link and the tablet
work without logging in; staff see a bad rating's rater only when they agreed; the board's panel."""

from __future__ import annotations

from typing import Any

import pytest

from onewindow.cases.tests.factories import department
from onewindow.evaluation import services
from onewindow.evaluation.domain import Channel
from onewindow.evaluation.models import FollowUp, Invitation, Rating
from onewindow.evaluation.services import Given
from onewindow.evaluation.tests.factories import World, bad_rating, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return build_world()


def test_the_case_page_asks_for_the_rating_then_shows_it(client: Any, world: World) -> None:
    client.force_login(world.user("applicant"))
    page = client.get(f"/cases/{world.case.pk}/").content.decode()
    assert "请评价本次服务" in page and f"/evaluation/cases/{world.case.pk}/rate/?next=" in page
    response = client.post(
        f"/evaluation/cases/{world.case.pk}/rate/?next=/cases/{world.case.pk}/",
        {"level": "2", "tags": ["attitude"], "comment": "态度冷淡"},
    )
    assert response.status_code == 302 and response["Location"] == f"/cases/{world.case.pk}/"
    page = client.get(f"/cases/{world.case.pk}/").content.decode()
    assert "请评价本次服务" not in page and "不满意" in page and "责任单位正在核实整改" in page


def test_the_rating_page_says_rating_is_voluntary_and_skip_goes_back(client: Any, world: World) -> None:
    client.force_login(world.user("applicant"))
    url = f"/evaluation/cases/{world.case.pk}/rate/?next=/certificates/1/"
    assert "评价完全自愿" in client.get(url).content.decode()
    response = client.post(url, {"skip": "1"})
    assert response["Location"] == "/certificates/1/"


def test_next_must_be_a_local_path(client: Any, world: World) -> None:
    client.force_login(world.user("applicant"))
    response = client.post(f"/evaluation/cases/{world.case.pk}/rate/?next=https://evil.example/", {"level": "5"})
    assert response["Location"] == f"/cases/{world.case.pk}/"


def test_a_refused_rating_keeps_what_was_typed(client: Any, world: World) -> None:
    client.force_login(world.user("applicant"))
    response = client.post(f"/evaluation/cases/{world.case.pk}/rate/", {"level": "5", "tags": ["attitude"]})
    assert response.status_code == 422
    assert "满意及以上的评价无需选择原因" in response.content.decode()
    assert not Rating.objects.exists()


def test_a_second_rating_from_the_api_is_409_rating_exists(client: Any, world: World) -> None:
    client.force_login(world.user("applicant"))
    client.post(f"/evaluation/cases/{world.case.pk}/rate/", {"level": "5"})
    response = client.post(
        f"/api/evaluation/cases/{world.case.pk}/rating", {"level": 1}, content_type="application/json"
    )
    assert response.status_code == 409 and response.json()["code"] == "rating_exists"


def test_the_public_page_names_no_person(client: Any, world: World) -> None:
    bad_rating(world, may_contact=True, comment="窗口人员李四态度很差")
    service = services.window_service_start(actor=world.user("clerk"), window=world.window)
    services.window_rate(token=services.kiosk_token(service.pk), given=Given(level=5, may_contact=True))
    for url in ("/evaluation/public/", "/api/evaluation/public/monthly"):
        text = client.get(url).content.decode()
        assert world.department.name in text
        for personal in (
            "张三丰",
            "13912345678",
            "李四",
            world.applicant.name,
            world.applicant.id_number,
            world.user("clerk").name,
            world.case.number,
        ):
            assert personal not in text, (url, personal)


def test_staff_see_the_rater_only_when_they_agreed(client: Any, world: World) -> None:
    anonymous = FollowUp.objects.get(rating=bad_rating(world))
    other = department(world.district)
    client.force_login(world.user("reviewer"))
    page = client.get(f"/evaluation/follow-ups/{anonymous.pk}/").content.decode()
    assert "匿名（未同意回访）" in page and "张三丰" not in page and "13912345678" not in page
    api = client.get(f"/api/evaluation/follow-ups/{anonymous.pk}").json()
    assert api["rater"] == "匿名（未同意回访）"
    assert other is not None


def test_the_sms_link_page_rates_once_without_login(client: Any, world: World) -> None:
    invitation = Invitation.objects.create(case=world.case, created_at=world.case.created_at, sms_nonce="n" * 32)
    url = f"/evaluation/r/{services.sms_token(invitation.pk, invitation.sms_nonce)}/"
    assert "请评价本次政务服务" in client.get(url).content.decode()
    assert "感谢您的评价" in client.post(url, {"level": "4"}).content.decode()
    again = client.get(url)
    assert again.status_code == 409 and "已使用过" in again.content.decode()
    assert client.get("/evaluation/r/forged-token/").status_code == 404
    assert Rating.objects.get().channel == Channel.SMS


def test_the_clerk_opens_the_tablet_and_the_applicant_rates(client: Any, world: World) -> None:
    client.force_login(world.user("clerk"))
    response = client.post("/evaluation/window/", {"window": world.window.pk, "case": world.case.pk})
    kiosk_url = response.context["kiosk_url"]
    client.logout()
    assert "请您对本次窗口服务作出评价" in client.get(kiosk_url).content.decode()
    assert client.post(kiosk_url, {"level": "5"}).status_code == 200
    assert client.post(kiosk_url, {"level": "1"}).status_code == 409
    rating = Rating.objects.get()
    assert (rating.window, rating.case, rating.rater) == (world.window, world.case, None)


def test_the_supervision_board_shows_the_follow_up_panel(client: Any, world: World) -> None:
    bad_rating(world)
    client.force_login(world.user("supervisor"))
    page = client.get("/cases/supervision/").content.decode()
    assert "ow-evaluation-panel" in page and "/evaluation/follow-ups/" in page


def test_the_statistics_export_is_a_workbook(client: Any, world: World) -> None:
    bad_rating(world)
    client.force_login(world.user("supervisor"))
    response = client.get("/evaluation/statistics.xlsx")
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:2] == b"PK"


def test_the_clerks_case_page_opens_the_tablet_for_the_case(client: Any, world: World) -> None:
    client.force_login(world.user("clerk"))
    page = client.get(f"/cases/{world.case.pk}/").content.decode()
    assert f"/evaluation/window/?case={world.case.pk}" in page
    assert f'value="{world.case.pk}"' in client.get(f"/evaluation/window/?case={world.case.pk}").content.decode()
    client.force_login(world.user("reviewer"))
    assert "/evaluation/window/" not in client.get(f"/cases/{world.case.pk}/").content.decode()
