"""Recording ratings, the invitation and its SMS link, the 评价器, skips and disputes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import transaction

from onewindow.audit.models import Event
from onewindow.cases.domain import CaseStatus
from onewindow.cases.services.endings import CaseEnding, case_ended
from onewindow.cases.tests.factories import pdf_file
from onewindow.errors import Conflict, InvalidFields, NotFound, PermissionDenied
from onewindow.evaluation import selectors, services
from onewindow.evaluation.domain import Channel, Subject
from onewindow.evaluation.models import AppendOnly, Dispute, Invitation, Rating, Skip
from onewindow.evaluation.services import Given, LinkExpired
from onewindow.evaluation.tests.factories import World, bad_rating, build_world, ended_case, follow_up_of
from onewindow.notify.backends import MemorySmsBackend
from onewindow.notify.models import Delivery as NotifyDelivery
from onewindow.orgs.models import Window

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return build_world()


def events(stream: str) -> list[str]:
    return list(Event.objects.filter(stream=stream).order_by("seq").values_list("action", flat=True))


# --- rating a case -------------------------------------------------------------------------------------


def test_an_ended_case_is_rated_as_a_whole_and_per_department(world: World) -> None:
    ratings = services.case_rate(
        case=world.case,
        rater=world.applicant.user,
        channel=Channel.PORTAL,
        given=Given(level=5),
        by_department={world.department.pk: Given(level=4)},
    )
    assert [(r.subject, r.level, r.department_id) for r in ratings] == [
        (Subject.CASE, 5, world.department.pk),
        (Subject.CASE_DEPARTMENT, 4, world.department.pk),
    ]
    assert events(f"evaluation_rating:{ratings[0].pk}") == ["evaluation.rated"]
    assert not selectors.rating_prompt_due(case=world.case, user=world.user("applicant"))


def test_a_case_in_review_cannot_be_rated(world: World) -> None:
    open_case = ended_case(world.applicant, world.department, status=CaseStatus.IN_REVIEW)
    with pytest.raises(Conflict) as refused:
        services.case_rate(case=open_case, rater=world.applicant.user, channel=Channel.PORTAL, given=Given(level=5))
    assert refused.value.code == "case_not_ended"
    assert not Rating.objects.exists()


def test_a_department_that_did_not_handle_the_case_cannot_be_rated(world: World) -> None:
    with pytest.raises(InvalidFields) as refused:
        services.case_rate(
            case=world.case,
            rater=world.applicant.user,
            channel=Channel.API,
            given=Given(level=5),
            by_department={world.other_department.pk: Given(level=1)},
        )
    assert f"department_{world.other_department.pk}" in refused.value.errors
    assert not Rating.objects.exists()


def test_one_rating_per_service_whatever_the_channel(world: World) -> None:
    services.case_rate(case=world.case, rater=world.applicant.user, channel=Channel.PORTAL, given=Given(level=5))
    with pytest.raises(Conflict) as refused:
        services.case_rate(case=world.case, rater=world.applicant.user, channel=Channel.API, given=Given(level=1))
    assert refused.value.code == "rating_exists"
    assert list(Rating.objects.values_list("level", flat=True)) == [5]


def test_a_rating_is_never_edited_or_deleted(world: World) -> None:
    rating = bad_rating(world)
    rating.level = 5
    with pytest.raises(AppendOnly):
        rating.save()
    with pytest.raises(AppendOnly):
        rating.delete()
    with pytest.raises(AppendOnly):
        Rating.objects.filter(pk=rating.pk).update(level=5)
    with pytest.raises(AppendOnly):
        Rating.objects.filter(pk=rating.pk).delete()
    assert Rating.objects.get(pk=rating.pk).level == 1


# --- 先评价后取证: the prompt and the skip -----------------------------------------------------------


def test_the_prompt_is_for_the_applicant_of_an_ended_unrated_unskipped_case(world: World) -> None:
    assert selectors.rating_prompt_due(case=world.case, user=world.user("applicant"))
    for who in ("other_applicant", "clerk", "reviewer", "supervisor"):
        assert not selectors.rating_prompt_due(case=world.case, user=world.user(who)), who
    open_case = ended_case(world.applicant, world.department, status=CaseStatus.IN_REVIEW)
    assert not selectors.rating_prompt_due(case=open_case, user=world.user("applicant"))


def test_a_skip_is_recorded_and_rating_stays_possible(world: World) -> None:
    user = world.user("applicant")
    services.rating_skip(case=world.case, user=user, channel=Channel.PORTAL, context="certificate")
    assert Skip.objects.get(case=world.case).context == "certificate"
    assert events(f"evaluation_case:{world.case.pk}") == ["evaluation.skipped"]
    assert not selectors.rating_prompt_due(case=world.case, user=user)
    services.case_rate(case=world.case, rater=user, channel=Channel.PORTAL, given=Given(level=4))


def test_someone_else_cannot_skip_for_the_applicant(world: World) -> None:
    with pytest.raises(NotFound):
        services.rating_skip(case=world.case, user=world.user("other_applicant"), channel=Channel.API)
    assert not Skip.objects.exists()


# --- the case's end: the invitation and the SMS link -------------------------------------------------


def _end(case: Any, django_capture_on_commit_callbacks: Any) -> Invitation:
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        case_ended(CaseEnding(case=case, status=CaseStatus(case.status), actor=None))
    return Invitation.objects.get(case=case)


def test_the_end_of_a_case_invites_its_applicant_once_by_sms(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    _end(world.case, django_capture_on_commit_callbacks)
    _end(world.case, django_capture_on_commit_callbacks)  # a second ending (e.g. revoked later) asks no more
    assert len(MemorySmsBackend.outbox) == 1
    phone, text = MemorySmsBackend.outbox[0]
    assert phone == "13912345678"
    assert world.case.number in text and "/evaluation/r/" in text
    assert events(f"evaluation_case:{world.case.pk}") == ["evaluation.invited"]
    [kept] = NotifyDelivery.objects.filter(topic="evaluation.invitation").values_list("body", flat=True)
    assert world.case.number in kept and "/evaluation/r/" not in kept  # staff reading deliveries cannot rate


def _token(invitation: Invitation) -> str:
    return services.sms_token(invitation.pk, invitation.sms_nonce)


def test_the_sms_link_rates_once(world: World, django_capture_on_commit_callbacks: Any) -> None:
    token = _token(_end(world.case, django_capture_on_commit_callbacks))
    [rating] = services.sms_link_rate(token=token, given=Given(level=5))
    assert (rating.channel, rating.rater) == (Channel.SMS, world.applicant.user)
    with pytest.raises(Conflict) as refused:
        services.sms_link_rate(token=token, given=Given(level=1))
    assert refused.value.code == "link_used"


def test_a_tampered_sms_link_is_refused(world: World, django_capture_on_commit_callbacks: Any) -> None:
    invitation = _end(world.case, django_capture_on_commit_callbacks)
    token = _token(invitation)
    with pytest.raises(NotFound):
        services.sms_link_rate(token=token[:-2] + ("AA" if not token.endswith("AA") else "BB"), given=Given(level=5))
    with pytest.raises(NotFound):  # a well-signed link with another nonce
        services.sms_link_rate(token=services.sms_token(invitation.pk, "0" * 32), given=Given(level=5))
    assert not Rating.objects.exists()


def test_an_expired_sms_link_is_refused(
    world: World, django_capture_on_commit_callbacks: Any, time_machine: Any
) -> None:
    time_machine.move_to(dt.datetime(2026, 11, 2, 10, tzinfo=dt.UTC), tick=False)
    token = _token(_end(world.case, django_capture_on_commit_callbacks))
    time_machine.shift(dt.timedelta(days=16))
    with pytest.raises(LinkExpired):
        services.sms_link_rate(token=token, given=Given(level=5))
    assert not Rating.objects.exists()


# --- the window's 评价器 --------------------------------------------------------------------------------


def test_the_tablet_rates_the_window_service_once(world: World) -> None:
    service = services.window_service_start(actor=world.user("clerk"), window=world.window)
    token = services.kiosk_token(service.pk)
    rating = services.window_rate(token=token, given=Given(level=2, tags=("attitude",)))
    assert (rating.window, rating.clerk, rating.department) == (world.window, world.user("clerk"), world.department)
    assert follow_up_of(rating).department == world.department
    with pytest.raises(Conflict) as refused:
        services.window_rate(token=token, given=Given(level=5))
    assert refused.value.code == "rating_exists"


def test_only_a_clerk_of_the_hall_opens_the_tablet(world: World) -> None:
    with pytest.raises(PermissionDenied):
        services.window_service_start(actor=world.user("reviewer"), window=world.window)


def test_an_expired_tablet_link_is_refused(world: World, time_machine: Any) -> None:
    time_machine.move_to(dt.datetime(2026, 11, 2, 10, tzinfo=dt.UTC), tick=False)
    service = services.window_service_start(actor=world.user("clerk"), window=world.window)
    token = services.kiosk_token(service.pk)
    time_machine.shift(dt.timedelta(minutes=31))
    with pytest.raises(LinkExpired):
        services.window_rate(token=token, given=Given(level=5))


# --- masking -------------------------------------------------------------------------------------------


def test_staff_see_the_rater_only_when_they_agreed_to_be_called(world: World) -> None:
    anonymous = bad_rating(world)
    assert selectors.rater_shown(anonymous) == "匿名（未同意回访）"
    other_case = ended_case(world.applicant, world.department)
    [agreed] = services.case_rate(
        case=other_case, rater=world.applicant.user, channel=Channel.PORTAL, given=Given(level=1, may_contact=True)
    )
    assert selectors.rater_shown(agreed) == "张三丰 13912345678"
    assert selectors.rater_masked(agreed) == "张** 139****5678"


# --- disputes ------------------------------------------------------------------------------------------


def test_an_upheld_dispute_leaves_the_rating_out_of_the_statistics_and_on_record(world: World) -> None:
    rating = bad_rating(world)
    ratings = Rating.objects.filter(department=world.department)
    assert selectors.tally_of(ratings).total == 1
    dispute = services.dispute_request(
        actor=world.user("reviewer"),
        rating=rating,
        reason="malicious",
        explanation="监控显示当天未到窗口",
        evidence=pdf_file("监控截图.pdf"),
    )
    with pytest.raises(Conflict):
        services.dispute_request(
            actor=world.user("reviewer"), rating=rating, reason="other", explanation="再次申诉", evidence=pdf_file()
        )
    with pytest.raises(NotFound):
        services.dispute_decide(actor=world.user("reviewer"), dispute=dispute, uphold=True, note="自己审核")
    services.dispute_decide(actor=world.user("supervisor"), dispute=dispute, uphold=True, note="经核实为恶意差评")
    assert Dispute.objects.get().decision == Dispute.Decision.UPHELD
    assert selectors.tally_of(ratings).total == 0
    assert Rating.objects.filter(pk=rating.pk).exists()
    assert events(f"evaluation_rating:{rating.pk}")[-2:] == [
        "evaluation.dispute_requested",
        "evaluation.dispute_decided",
    ]


def test_a_dispute_needs_checked_evidence(world: World) -> None:
    rating = bad_rating(world)
    with pytest.raises(InvalidFields) as refused:
        services.dispute_request(
            actor=world.user("reviewer"),
            rating=rating,
            reason="malicious",
            explanation="无",
            evidence=pdf_file("假的.pdf", content=b"not a pdf"),
        )
    assert "evidence" in refused.value.errors
    assert not Dispute.objects.exists()


def test_a_comprehensive_windows_bad_rating_is_answered_for_by_the_regions_supervisors(world: World) -> None:
    comprehensive = Window.objects.create(hall=world.window.hall, number="1", name="综合受理窗口")
    service = services.window_service_start(actor=world.user("clerk"), window=comprehensive)
    rating = services.window_rate(token=services.kiosk_token(service.pk), given=Given(level=1))
    follow_up = follow_up_of(rating)
    assert follow_up.department == world.district
    with pytest.raises(PermissionDenied):
        services.follow_up_verify(actor=world.user("reviewer"), follow_up=follow_up, verification="核实")
    services.follow_up_verify(actor=world.user("supervisor"), follow_up=follow_up, verification="核实")
