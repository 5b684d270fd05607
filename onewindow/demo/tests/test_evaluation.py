"""The demo's 好差评: months of window ratings for the public page, bad ones in every follow-up state."""

from __future__ import annotations

import pytest
from django.utils import timezone

from onewindow.demo.evaluation import evaluation_load
from onewindow.evaluation.domain import FollowUpStatus
from onewindow.evaluation.models import Dispute, FollowUp, Rating
from onewindow.evaluation.selectors import public_monthly

pytestmark = pytest.mark.django_db


def test_the_demo_rates_seven_months_of_window_services(loaded, client) -> None:
    today = timezone.localdate()
    months = public_monthly(last_month=today.replace(day=1), months=12)
    assert len(months) >= 6
    assert all(month.tally.total > 0 for month in months)
    assert "政务服务好差评结果公开" in client.get("/evaluation/public/").content.decode()
    assert evaluation_load(today=today) == 0  # a second run changes nothing


def test_the_demo_has_a_bad_rating_in_every_follow_up_state(loaded) -> None:
    statuses = set(FollowUp.objects.values_list("status", flat=True))
    assert {
        FollowUpStatus.AWAITING_VERIFICATION,
        FollowUpStatus.VERIFIED,
        FollowUpStatus.ANSWERED,
    } <= statuses
    assert FollowUp.objects.filter(escalated_at__isnull=False, verified_at__isnull=True).exists()
    assert Dispute.objects.filter(decision=Dispute.Decision.PENDING).count() == 1
    assert Rating.objects.filter(rated_on__gt=timezone.localdate()).count() == 0
