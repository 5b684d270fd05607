"""The history's plan (pure): how many cases arrive when, by which channel, and what becomes of them."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from onewindow.analytics.history.plan import (
    SHANGHAI,
    TASK_STEPS,
    WINDOW,
    BillSpec,
    MatterSpec,
    PlannedCase,
    ProductSpec,
    daily_counts,
    plan_history,
)
from onewindow.workdays.domain import WorkCalendar, is_working_day

NOW = dt.datetime(2026, 12, 7, 15, 30, tzinfo=SHANGHAI)
SPRING_FESTIVAL = {dt.date(2026, 2, 15) + dt.timedelta(days=i) for i in range(9)}
NATIONAL_DAY = {dt.date(2026, 10, 1) + dt.timedelta(days=i) for i in range(8)}
CALENDAR = WorkCalendar(
    holidays=frozenset(SPRING_FESTIVAL | NATIONAL_DAY),
    makeup_workdays=frozenset(
        {dt.date(2026, 2, 14), dt.date(2026, 2, 28), dt.date(2026, 9, 20), dt.date(2026, 10, 10)}
    ),
    known_years=frozenset({2025, 2026}),
)
PRODUCTS = [
    ProductSpec("matter", 1, ((MatterSpec(1, 10),),), online=True),
    ProductSpec("matter", 2, ((MatterSpec(2, 0),),), online=False),  # 即办件, at the window only
    ProductSpec("matter", 3, ((MatterSpec(3, 20),),), online=True),
    ProductSpec("bundle", 4, ((MatterSpec(4, 5), MatterSpec(5, 7)), (MatterSpec(6, 10),)), online=True, weight=0.5),
]


@pytest.fixture(scope="module")
def plan() -> list[PlannedCase]:
    return plan_history(products=PRODUCTS, calendar=CALENDAR, seed=3, n=6000, now=NOW)


def test_exactly_n_cases_over_the_year_before_now_oldest_first(plan: list[PlannedCase]) -> None:
    assert len(plan) == 6000
    arrivals = [case.submitted_at for case in plan]
    assert arrivals == sorted(arrivals)
    assert NOW - dt.timedelta(days=366) < arrivals[0] and arrivals[-1] <= NOW


def test_the_same_seed_gives_the_same_plan_and_another_seed_another() -> None:
    def again(seed: int) -> list[PlannedCase]:
        return plan_history(products=PRODUCTS, calendar=CALENDAR, seed=seed, n=500, now=NOW)

    assert again(3) == again(3)
    assert again(3) != again(4)


def test_windows_are_closed_on_holidays_and_weekends_and_few_apply_online_then(plan: list[PlannedCase]) -> None:
    closed = [case for case in plan if not is_working_day(case.submitted_at.date(), CALENDAR)]
    assert closed and all(case.channel != WINDOW for case in closed)
    per_day = Counter(case.submitted_at.date() for case in plan)
    holiday = sum(per_day[day] for day in NATIONAL_DAY) / len(NATIONAL_DAY)
    working = [per_day[day] for day in per_day if is_working_day(day, CALENDAR)]
    assert holiday < sum(working) / len(working) / 5


def test_mondays_peak_and_fridays_are_quieter(plan: list[PlannedCase]) -> None:
    days = Counter(case.submitted_at.date() for case in plan)
    by_weekday: dict[int, list[int]] = {}
    for day, count in days.items():
        if is_working_day(day, CALENDAR) and day.weekday() < 5:
            by_weekday.setdefault(day.weekday(), []).append(count)
    mean = {weekday: sum(counts) / len(counts) for weekday, counts in by_weekday.items()}
    assert mean[0] == max(mean.values()) and mean[4] == min(mean.values())


def test_spring_festival_and_summer_months_are_quieter_than_march() -> None:
    days = [dt.date(2026, 1, 1) + dt.timedelta(days=i) for i in range(365)]
    counts = dict(zip(days, daily_counts(20000, days, CALENDAR), strict=True))
    month = Counter[int]()
    for day, count in counts.items():
        month[day.month] += count
    assert sum(counts.values()) == 20000
    assert month[2] < month[3] and month[8] < month[3]


def test_window_only_matters_are_never_applied_for_online(plan: list[PlannedCase]) -> None:
    assert {case.channel for case in plan if case.product == 1} == {WINDOW}
    assert Counter(case.channel for case in plan).keys() == {"window", "online", "app"}
    assert {case.applicant_kind for case in plan} == {"person", "enterprise"}


def test_every_fate_happens_and_the_newest_cases_are_still_open(plan: list[PlannedCase]) -> None:
    actions = Counter(step.action for case in plan for step in case.steps)
    for action in ("request_correction", "resubmit", "refuse", "withdraw", "accept", "task_suspend", "task_resume",
                   "task_extension_request", "task_extension_approve", "task_reject", "decide"):  # fmt: skip
        assert actions[action] > 0, action
    last_week = [case for case in plan if case.submitted_at > NOW - dt.timedelta(days=7)]
    finished = {"task_approve", "task_reject", "decide", "refuse", "withdraw"}
    assert sum(case.steps[-1].action not in finished for case in last_week) > len(last_week) / 3


def test_steps_are_in_time_order_before_now_and_tasks_follow_acceptance(plan: list[PlannedCase]) -> None:
    for case in plan:
        times = [step.at for step in case.steps]
        assert times == sorted(times) and times[-1] <= NOW
        actions = [step.action for step in case.steps]
        assert actions[0] == "submit"
        if any(action in TASK_STEPS for action in actions):
            first_task = min(i for i, action in enumerate(actions) if action in TASK_STEPS)
            assert "accept" in actions[:first_task]


def test_a_few_reviews_take_longer_than_their_limit(plan: list[PlannedCase]) -> None:
    late = 0
    for case in plan:
        accepted = next((step.at.date() for step in case.steps if step.action == "accept"), None)
        for step in case.steps:
            if case.product == 1 and step.action == "task_approve":  # 即办件: decided the day it is accepted
                assert step.at.date() == accepted
            if case.product == 0 and step.action == "task_approve" and accepted is not None:  # noqa: SIM102
                if len([d for d in _days(accepted, step.at.date()) if is_working_day(d, CALENDAR)]) > 10:
                    late += 1
    assert late > 0


def _days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range(1, (last - first).days + 1)]


# --- 一单收费 ---------------------------------------------------------------------------------------


CHARGED = ProductSpec(
    "bundle",
    7,
    ((MatterSpec(7, 5), MatterSpec(8, 7)), (MatterSpec(9, 10),)),
    online=True,
    bills=(BillSpec(1, checks=3, waits_for_payment=True),),
)


@pytest.fixture(scope="module")
def charged() -> list[PlannedCase]:
    return plan_history(products=[CHARGED], calendar=CALENDAR, seed=5, n=800, now=NOW)


def test_each_department_seals_its_check_once_and_the_payer_pays_after_the_last_seal(charged) -> None:
    reached = [case for case in charged if any(step.action == "accept" for step in case.steps)]
    paid = 0
    for case in reached:
        seals = [step for step in case.steps if step.action == "bill_seal"]
        payments = [step for step in case.steps if step.action == "bill_pay"]
        checks = sorted(step.matter for step in seals)
        assert len(set(checks)) == len(checks) and set(checks) <= {0, 1, 2}  # the newest: some still to come
        assert len(payments) <= 1 and all(checks == [0, 1, 2] and pay.at > seals[-1].at for pay in payments)
        rejected = any(step.action == "task_reject" and step.stage == 1 for step in case.steps)
        assert not (rejected and payments)
        paid += bool(payments)
    assert paid > 0.8 * len(reached)


def test_a_stage_that_waits_for_its_bill_opens_the_next_one_only_once_paid(charged) -> None:
    waited = 0
    for case in charged:
        payment = next((step.at for step in case.steps if step.action == "bill_pay"), None)
        stage_two = [step.at for step in case.steps if step.stage == 2 and step.action in TASK_STEPS]
        if stage_two:
            assert payment is not None and min(stage_two) > payment
            last_review = max(step.at for step in case.steps if step.stage == 1 and step.action in TASK_STEPS)
            waited += payment > last_review
    assert waited > 0  # some reviews were done before the bill was paid: the stage was held
