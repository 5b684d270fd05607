"""One rating per service under concurrency: two submissions at once, one wins, the other gets a clear
409 `rating_exists`. The thread tests need PostgreSQL; the constraint test runs on both databases."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from onewindow.cases.tests.test_concurrency import at_once, postgres_threads
from onewindow.errors import Conflict
from onewindow.evaluation import services
from onewindow.evaluation.domain import Channel
from onewindow.evaluation.models import Rating
from onewindow.evaluation.services import Given
from onewindow.evaluation.tests.factories import build_world


@pytest.mark.django_db
def test_the_database_holds_one_rating_per_service() -> None:
    world = build_world()
    [rating] = services.case_rate(
        case=world.case, rater=world.applicant.user, channel=Channel.API, given=Given(level=5)
    )
    twin = Rating(
        subject=rating.subject,
        subject_key=rating.subject_key,
        case=world.case,
        department=rating.department,
        region=rating.region,
        channel=Channel.SMS,
        level=1,
        rated_at=rating.rated_at,
        rated_on=rating.rated_on,
        month=rating.month,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


def _outcomes(results: list[object]) -> list[str]:
    return sorted(
        "conflict" if isinstance(r, Conflict) and r.code == "rating_exists" else type(r).__name__ for r in results
    )


@postgres_threads
def test_two_tablet_submissions_at_once_one_wins() -> None:
    world = build_world()
    service = services.window_service_start(actor=world.user("clerk"), window=world.window)
    token = services.kiosk_token(service.pk)
    results = at_once(
        lambda: services.window_rate(token=token, given=Given(level=5)),
        lambda: services.window_rate(token=token, given=Given(level=1)),
    )
    assert _outcomes(results) == ["Rating", "conflict"]
    assert Rating.objects.count() == 1


@postgres_threads
def test_the_portal_and_the_sms_link_at_once_one_wins() -> None:
    world = build_world()
    results = at_once(
        lambda: services.case_rate(
            case=world.case, rater=world.applicant.user, channel=Channel.PORTAL, given=Given(level=5)
        ),
        lambda: services.case_rate(
            case=world.case, rater=world.applicant.user, channel=Channel.API, given=Given(level=4)
        ),
    )
    assert _outcomes(results) == ["conflict", "list"]
    assert Rating.objects.count() == 1
