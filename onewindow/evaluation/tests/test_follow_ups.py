"""A bad rating's follow-up runs through its deadlines in working days, across the National Day holiday
(the calendar seeded from chinesecalendar: 2026-10-01..07 off, Saturday 10-10 a make-up workday)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from onewindow.audit.models import Event
from onewindow.errors import Conflict, PermissionDenied
from onewindow.evaluation import selectors, services
from onewindow.evaluation.domain import FollowUpStatus
from onewindow.evaluation.models import FollowUp
from onewindow.evaluation.tests.factories import bad_rating, build_world, follow_up_of
from onewindow.notify.backends import MemorySmsBackend
from onewindow.workdays.selectors import work_calendar

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def travel(time_machine: Any) -> Any:
    def to(on: dt.date) -> None:
        time_machine.move_to(dt.datetime.combine(on, dt.time(10), tzinfo=SHANGHAI), tick=False)

    return to


def test_a_bad_rating_is_followed_up_across_the_holiday(travel: Any, django_capture_on_commit_callbacks: Any) -> None:
    travel(dt.date(2026, 9, 30))  # Wednesday, the day before the National Day holiday
    world = build_world()
    rating = bad_rating(world)
    follow_up = follow_up_of(rating)
    assert (follow_up.verify_due_on, follow_up.answer_due_on) == (dt.date(2026, 10, 8), dt.date(2026, 10, 27))
    assert follow_up.department == world.department

    travel(dt.date(2026, 10, 7))  # the last holiday: nothing is overdue yet
    assert services.follow_ups_escalate_overdue() == "0 escalated"

    travel(dt.date(2026, 10, 9))  # verification was due yesterday
    with django_capture_on_commit_callbacks(execute=True):
        assert services.follow_ups_escalate_overdue() == "1 escalated"
    [(phone, text)] = MemorySmsBackend.outbox  # the district's supervisor is told
    assert phone == world.user("supervisor").phone and "核实已超过期限" in text and "张三丰" not in text
    assert services.follow_ups_escalate_overdue() == "0 escalated"  # once per stage
    assert follow_up_of(rating).escalated_stage == FollowUpStatus.AWAITING_VERIFICATION
    services.follow_up_verify(actor=world.user("reviewer"), follow_up=follow_up, verification="属实，窗口未一次性告知")
    assert services.follow_ups_escalate_overdue() == "0 escalated"  # the answer is due on 10-27

    travel(dt.date(2026, 10, 28))
    assert services.follow_ups_escalate_overdue() == "1 escalated"
    services.follow_up_answer(
        actor=world.user("reviewer"), follow_up=follow_up, rectification="窗口培训", answer="已整改，欢迎再来办理"
    )
    follow_up = follow_up_of(rating)
    assert (follow_up.status, follow_up.answered_on) == (FollowUpStatus.ANSWERED, dt.date(2026, 10, 28))
    rates = selectors.follow_up_rates([follow_up])
    assert (rates.answered, rates.on_time) == (1, 0)

    services.follow_up_settle(actor=world.user("applicant"), rating=rating, settled=True)
    assert follow_up_of(rating).status == FollowUpStatus.SETTLED
    actions = (
        Event.objects.filter(stream=f"evaluation_rating:{rating.pk}").order_by("seq").values_list("action", flat=True)
    )
    assert list(actions) == [
        "evaluation.rated",
        "evaluation.follow_up_opened",
        "evaluation.follow_up_escalated",
        "evaluation.follow_up_verified",
        "evaluation.follow_up_escalated",
        "evaluation.follow_up_answered",
        "evaluation.follow_up_settled",
    ]


def test_the_warning_colours_are_the_cases_ones(travel: Any) -> None:
    travel(dt.date(2026, 11, 2))  # Monday
    world = build_world()
    follow_up = follow_up_of(bad_rating(world))
    calendar = work_calendar()
    assert selectors.follow_up_progress(follow_up, today=dt.date(2026, 11, 2), calendar=calendar).level == "normal"
    assert selectors.follow_up_progress(follow_up, today=dt.date(2026, 11, 3), calendar=calendar).level == "yellow"
    late = selectors.follow_up_progress(follow_up, today=dt.date(2026, 11, 5), calendar=calendar)
    assert (late.level, late.overdue_days) == ("red", 2)


def test_only_the_department_concerned_verifies() -> None:
    world = build_world()
    follow_up = follow_up_of(bad_rating(world))
    for who in ("other_reviewer", "supervisor", "clerk"):
        with pytest.raises(PermissionDenied):
            services.follow_up_verify(actor=world.user(who), follow_up=follow_up, verification="核实")
    assert FollowUp.objects.get().status == FollowUpStatus.AWAITING_VERIFICATION


def test_answering_before_verifying_is_refused() -> None:
    world = build_world()
    follow_up = follow_up_of(bad_rating(world))
    with pytest.raises(Conflict):
        services.follow_up_answer(actor=world.user("reviewer"), follow_up=follow_up, rectification="x", answer="y")


def test_the_applicant_settles_only_an_answered_follow_up() -> None:
    world = build_world()
    rating = bad_rating(world)
    with pytest.raises(Conflict):
        services.follow_up_settle(actor=world.user("applicant"), rating=rating, settled=True)
