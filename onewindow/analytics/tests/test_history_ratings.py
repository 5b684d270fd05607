"""好差评 in the history: the ratings' plan (pure) and what the writer leaves for the evaluation pages — the
invitation of every ended case, the decided cases' ratings through the applicant's channel, the follow-ups of
the bad ones — with every chain verified."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from dataclasses import dataclass

import pytest
from django.core.management import call_command
from django.test import Client

from onewindow.analytics.history.plan import PlannedCase, plan_history
from onewindow.analytics.history.plan_ratings import DECIDING_STEPS, SMS_LINK_DAYS, PlannedRating, plan_ratings
from onewindow.analytics.history.write import history_write
from onewindow.analytics.tests.history_district import staff_district
from onewindow.analytics.tests.test_history_plan import CALENDAR, NOW, PRODUCTS
from onewindow.audit.models import Event, StreamHead
from onewindow.cases.models import Case
from onewindow.cases.tests.factories import (
    department,
    published_bundle,
    published_matter,
    region,
)
from onewindow.evaluation.domain import follow_up_deadlines
from onewindow.evaluation.models import FollowUp, Invitation, Rating
from onewindow.orgs.domain import Role
from onewindow.orgs.models import Organisation, User
from onewindow.orgs.tests.factories import staff
from onewindow.xlsx import read_sheets

TAGS = ("attitude", "efficiency", "repeated_visits", "unclear_materials")


# --- the plan (no database) -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cases() -> list[PlannedCase]:
    return plan_history(products=PRODUCTS, calendar=CALENDAR, seed=3, n=6000, now=NOW)


@pytest.fixture(scope="module")
def ratings(cases: list[PlannedCase]) -> list[PlannedRating | None]:
    return plan_ratings(cases, seed=3, now=NOW, calendar=CALENDAR, tags=TAGS)


def test_about_sixty_percent_of_the_decided_cases_are_rated_mostly_satisfied(cases, ratings) -> None:
    decided = [r for c, r in zip(cases, ratings, strict=True) if c.steps[-1].action in DECIDING_STEPS]
    rated = [r for r in decided if r is not None]
    assert 0.5 < len(rated) / len(decided) < 0.62  # the newest decisions are not rated yet
    levels = Counter(r.level for r in rated)
    assert (levels[5] + levels[4]) / len(rated) > 0.85
    assert 0 < levels[2] + levels[1] < 0.06 * len(rated)
    undecided = [r for c, r in zip(cases, ratings, strict=True) if c.steps[-1].action not in DECIDING_STEPS]
    assert set(undecided) == {None}


def test_ratings_come_after_the_decision_by_the_cases_channel_and_never_after_now(cases, ratings) -> None:
    pairs = [(c, r) for c, r in zip(cases, ratings, strict=True) if r is not None]
    assert all(c.steps[-1].at < r.at <= NOW for c, r in pairs)
    assert all(r.at - c.steps[-1].at < dt.timedelta(days=SMS_LINK_DAYS) for c, r in pairs if r.channel == "sms")
    by_channel = Counter((c.channel, r.channel) for c, r in pairs)
    assert by_channel[("app", "api")] and by_channel[("window", "sms")] and by_channel[("online", "portal")]
    assert not by_channel[("window", "api")] and not by_channel[("window", "portal")] > by_channel[("window", "sms")]


def test_only_the_lower_levels_give_reasons_and_only_the_bad_ones_are_followed_up(ratings) -> None:
    rated = [r for r in ratings if r is not None]
    assert all(not r.tags for r in rated if r.level >= 4)
    assert all(r.tags and set(r.tags) <= set(TAGS) for r in rated if r.level <= 3)
    assert all(r.verified_at is None for r in rated if r.level >= 3)


def test_bad_ratings_are_verified_and_answered_on_time_in_order_up_to_now(ratings) -> None:
    bad = [r for r in ratings if r is not None and r.level <= 2]
    assert any(r.settled_at for r in bad) and any(r.answered_at and not r.settled_at for r in bad)
    for r in bad:
        steps = [at for at in (r.at, r.verified_at, r.answered_at, r.settled_at) if at is not None]
        assert steps == sorted(steps) and steps[-1] <= NOW
        due = follow_up_deadlines(r.at.date(), CALENDAR)
        assert r.verified_at is None or r.verified_at.date() <= due.verify_due_on
        assert r.answered_at is None or (r.verified_at and r.answered_at.date() <= due.answer_due_on)
        assert r.settled_at is None or r.answered_at is not None


def test_the_same_seed_gives_the_same_ratings(cases) -> None:
    first = plan_ratings(cases[:500], seed=8, now=NOW, calendar=CALENDAR, tags=TAGS)
    assert first == plan_ratings(cases[:500], seed=8, now=NOW, calendar=CALENDAR, tags=TAGS)
    assert first != plan_ratings(cases[:500], seed=9, now=NOW, calendar=CALENDAR, tags=TAGS)


# --- written ----------------------------------------------------------------------------------------


@dataclass
class World:
    home: Organisation
    supervisor: User


@pytest.fixture(scope="module")
def world(module_db) -> World:
    home = region()
    bundle = published_bundle(in_region=home)
    matters = [published_matter(department=department(home), promised_limit_days=days) for days in (0, 5, 15)]
    staff_district(home, bundle, matters)
    history_write(600, seed=11)
    return World(home, staff(Role.SUPERVISOR, home))


def test_every_ended_case_is_invited_and_only_decided_ones_are_rated_once(world: World) -> None:
    ended = Case.objects.filter(status__in=["completed", "refused", "withdrawn"])
    assert Invitation.objects.count() == ended.count() > 0
    rated = Rating.objects.values_list("case__status", flat=True)
    assert set(rated) == {"completed"} and len(rated) > 0.4 * ended.filter(status="completed").count()
    rating = Rating.objects.filter(channel="sms").select_related("case").first()
    assert rating is not None and rating.rater == rating.case.applicant.user
    invitation = Invitation.objects.get(case=rating.case)
    assert invitation.sms_used_at == rating.rated_at
    actions = Event.objects.filter(stream=f"evaluation_case:{rating.case_id}").order_by("seq")
    assert [e.action for e in actions] == ["evaluation.invited", "evaluation.sms_link_used"]
    assert StreamHead.objects.get(stream=f"evaluation_rating:{rating.pk}").seq >= 1


def test_bad_ratings_have_their_follow_ups_with_the_events_of_each_step(world: World) -> None:
    bad = Rating.objects.filter(level__lte=2)
    assert FollowUp.objects.count() == bad.count()
    for follow_up in FollowUp.objects.select_related("rating"):
        events = list(
            Event.objects.filter(stream=f"evaluation_rating:{follow_up.rating_id}")
            .order_by("seq")
            .values_list("action", flat=True)
        )
        steps = {"awaiting_verification": 2, "verified": 3, "answered": 4, "settled": 5, "unsettled": 5}
        assert len(events) == steps[follow_up.status]
        assert events[:2] == ["evaluation.rated", "evaluation.follow_up_opened"]


def test_audit_verify_passes_with_the_ratings(world: World) -> None:
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    assert "未发现断链" in out.getvalue()


def test_the_evaluation_pages_count_the_history_ratings(client: Client, world: World) -> None:
    client.force_login(world.supervisor)
    first = Rating.objects.order_by("month").values_list("month", flat=True).first()
    last = Rating.objects.order_by("-month").values_list("month", flat=True).first()
    assert first is not None and last is not None
    response = client.get(f"/evaluation/statistics.xlsx?from={first:%Y-%m}&to={last:%Y-%m}")
    assert response.status_code == 200
    content = io.BytesIO(b"".join(response.streaming_content))  # type: ignore[attr-defined]
    sheets = read_sheets(content, ["按月份"], max_bytes=10_000_000, max_rows=1000)
    by_month = [row for row in sheets["按月份"][2:] if row and row[0]]
    assert sum(int(str(row[1])) for row in by_month) == Rating.objects.count() > 0
    assert client.get("/evaluation/statistics/").status_code == 200
    assert client.get("/evaluation/follow-ups/").status_code == 200
    rating = Rating.objects.select_related("case__applicant__user").order_by("-pk").first()
    assert rating is not None
    client.force_login(rating.case.applicant.user)
    mine = client.get("/evaluation/mine/").content.decode()
    rated_at = rating.rated_at.astimezone(dt.timezone(dt.timedelta(hours=8)))
    assert f"{rating.get_channel_display()} · {rated_at:%Y-%m-%d %H:%M}" in mine and rating.level_label in mine
