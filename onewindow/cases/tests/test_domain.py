"""The legal rules of a case, without a database (行政许可法 Art. 32, 42, 45, 82)."""

import datetime as dt

import chinese_calendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from onewindow.cases import domain
from onewindow.cases.domain import CaseAction, CaseStatus, StageOutcome, TaskAction, TaskStatus, WarningLevel
from onewindow.workdays.domain import Suspension, WorkCalendar


def calendar_2026() -> WorkCalendar:
    days = [dt.date(2026, 1, 1) + dt.timedelta(days=i) for i in range(365)]
    return WorkCalendar(
        holidays=frozenset(d for d in days if chinese_calendar.is_holiday(d) and d.weekday() < 5),
        makeup_workdays=frozenset(d for d in days if chinese_calendar.is_workday(d) and d.weekday() >= 5),
        known_years=frozenset({2026}),
    )


CAL = calendar_2026()


def test_intake_must_be_decided_within_five_working_days_across_national_day():
    # Materials arrive Wed 30 Sep; 1–7 Oct are holidays, Sat 10 Oct is a make-up workday.
    assert domain.intake_due_on(dt.date(2026, 9, 30), CAL) == dt.date(2026, 10, 13)


def test_case_not_told_in_time_counts_as_accepted():
    received = dt.date(2026, 9, 30)
    assert not domain.is_deemed_accepted(received, dt.date(2026, 10, 13), CAL)
    assert domain.is_deemed_accepted(received, dt.date(2026, 10, 14), CAL)


def test_a_submitted_case_past_its_limit_is_accepted_from_the_arrival_day():
    received = dt.date(2026, 9, 30)
    on = {
        day: domain.deemed_accepted_on(CaseStatus.SUBMITTED, received, dt.date(2026, 10, day), CAL)
        for day in (13, 14, 30)
    }
    assert on == {13: None, 14: received, 30: received}  # the clerk has the whole 13 Oct


@pytest.mark.parametrize("status", [s for s in CaseStatus if s != CaseStatus.SUBMITTED])
def test_only_a_case_waiting_for_the_intake_decision_is_deemed_accepted(status):
    # Waiting for corrections stops the intake clock; decided cases were decided.
    assert domain.deemed_accepted_on(status, dt.date(2026, 9, 30), dt.date(2026, 12, 1), CAL) is None


@pytest.mark.parametrize("action", [CaseAction.ACCEPT, CaseAction.ACCEPT_WITH_DEFERRAL, CaseAction.ACCEPT_DEEMED])
def test_after_the_limit_every_acceptance_is_the_deemed_one(action):
    assert domain.intake_action_after_limit(action, received_on=dt.date(2026, 9, 30), calendar=CAL) == (
        CaseAction.ACCEPT_DEEMED
    )


@pytest.mark.parametrize("action", [CaseAction.REQUEST_CORRECTION, CaseAction.REFUSE, CaseAction.APPROVE_ON_COMMITMENT])
def test_after_the_limit_no_correction_notice_refusal_or_commitment_can_be_given(action):
    with pytest.raises(domain.IntakeLimitPassed) as refused:
        domain.intake_action_after_limit(action, received_on=dt.date(2026, 9, 30), calendar=CAL)
    assert refused.value.code == "intake_limit_passed"
    assert "2026-10-13" in refused.value.message and "2026-09-30" in refused.value.message


def test_a_deferred_material_is_reminded_of_3_and_1_working_days_before_its_due_date_across_national_day():
    # Due Thu 8 Oct: 1–7 Oct are holidays, so the working days before it are 30, 29 and 28 Sep.
    due = dt.date(2026, 10, 8)
    reminders = {
        day: domain.deferred_reminder_on(due, day, CAL)
        for day in (dt.date(2026, 9, 25) + dt.timedelta(days=n) for n in range(15))
    }
    sep_28, sep_30 = dt.date(2026, 9, 28), dt.date(2026, 9, 30)
    expected = {day: None for day in reminders}
    expected |= {dt.date(2026, 9, 28): sep_28, dt.date(2026, 9, 29): sep_28}
    expected |= {sep_30 + dt.timedelta(days=n): sep_30 for n in range(9)}  # a missed one up to the due date
    assert reminders == expected


def test_an_approval_waits_only_for_deferred_materials_past_their_due_day():
    due = dt.date(2026, 10, 30)
    owed = [domain.OwedMaterial("site_plan", "总平面图", due), domain.OwedMaterial("photo", "现场照片", due)]
    domain.require_no_overdue_deferral(owed, due)  # due by the end of its day
    with pytest.raises(domain.DeferredMaterialOverdue) as refused:
        domain.require_no_overdue_deferral(owed, due + dt.timedelta(days=1))
    assert refused.value.code == "deferred_material_overdue"
    assert "“现场照片”（补交期限 2026-10-30）、“总平面图”（补交期限 2026-10-30）" in refused.value.message


def test_joint_handling_by_several_departments_has_45_days_plus_15():
    assert domain.case_limit_days(matter_count=3, statutory_days=[20, 20, 10]) == 45
    assert domain.case_extension_days(matter_count=3) == 15


def test_a_single_matter_keeps_its_statutory_limit_and_defaults_to_20_plus_10():
    assert domain.case_limit_days(matter_count=1, statutory_days=[15]) == 15
    assert domain.case_limit_days(matter_count=1, statutory_days=[0]) == 20
    assert domain.case_extension_days(matter_count=1) == 10


def test_an_expert_review_stops_the_clock():
    clock = domain.Clock(started_on=dt.date(2026, 11, 2), limit_days=10)
    stopped = domain.Clock(
        started_on=dt.date(2026, 11, 2),
        limit_days=10,
        suspensions=(Suspension(dt.date(2026, 11, 5), dt.date(2026, 11, 11)),),
    )
    assert clock.due_on(CAL) == dt.date(2026, 11, 16)
    # Thu 5 to Wed 11 Nov holds five working days: the deadline moves five working days later.
    assert stopped.due_on(CAL) == dt.date(2026, 11, 23)


def test_remaining_days_count_down_and_go_negative_when_overdue():
    due = dt.date(2026, 11, 16)
    assert domain.remaining_working_days(dt.date(2026, 11, 12), due, CAL) == 2
    assert domain.remaining_working_days(due, due, CAL) == 0
    assert domain.remaining_working_days(dt.date(2026, 11, 18), due, CAL) == -2


@pytest.mark.parametrize(
    ("remaining", "limit", "level"),
    [(10, 10, "normal"), (3, 10, "normal"), (2, 10, "yellow"), (0, 10, "yellow"), (-1, 10, "red"), (0, 0, "yellow")],
)
def test_warning_turns_yellow_at_a_fifth_of_the_limit_and_red_when_overdue(remaining, limit, level):
    assert domain.warning_level(remaining, limit) == WarningLevel(level)


@given(st.integers(-50, 100), st.integers(0, 60))
def test_warning_levels_only_get_worse_as_time_runs_out(remaining, limit):
    order = [WarningLevel.NORMAL, WarningLevel.YELLOW, WarningLevel.RED]
    today = order.index(domain.warning_level(remaining, limit))
    tomorrow = order.index(domain.warning_level(remaining - 1, limit))
    assert tomorrow >= today


@pytest.mark.parametrize(("promised", "green"), [(0, 0), (1, 1), (3, 2), (10, 5), (15, 8)])
def test_green_channel_runs_on_half_the_promised_limit(promised, green):
    assert domain.green_channel_limit(promised) == green


def test_a_stage_is_done_only_when_every_task_is_decided():
    assert domain.review_outcome([TaskStatus.APPROVED, TaskStatus.OPEN]) == StageOutcome.PENDING
    assert domain.review_outcome([TaskStatus.APPROVED, TaskStatus.SUSPENDED]) == StageOutcome.PENDING
    assert domain.review_outcome([TaskStatus.APPROVED, TaskStatus.APPROVED]) == StageOutcome.ALL_APPROVED
    assert domain.review_outcome([TaskStatus.APPROVED, TaskStatus.REJECTED]) == StageOutcome.SOME_REJECTED
    assert domain.review_outcome([TaskStatus.APPROVED, TaskStatus.CANCELLED]) == StageOutcome.ALL_APPROVED
    assert domain.review_outcome([]) == StageOutcome.PENDING


def test_a_decided_task_cannot_be_decided_again():
    assert domain.next_task_status(TaskStatus.OPEN, TaskAction.APPROVE) == TaskStatus.APPROVED
    with pytest.raises(domain.TransitionNotAllowed) as refused:
        domain.next_task_status(TaskStatus.APPROVED, TaskAction.REJECT)
    assert refused.value.code == "transition_not_allowed"
    assert "可能已被他人处理" in refused.value.message


def test_a_suspended_task_must_resume_before_it_is_decided():
    assert domain.next_task_status(TaskStatus.SUSPENDED, TaskAction.RESUME) == TaskStatus.OPEN
    with pytest.raises(domain.TransitionNotAllowed):
        domain.next_task_status(TaskStatus.SUSPENDED, TaskAction.APPROVE)


@pytest.mark.parametrize("status", sorted(domain.OPEN_CASE_STATUSES))
def test_an_applicant_may_withdraw_until_the_decision(status):
    assert domain.next_case_status(status, CaseAction.WITHDRAW) == CaseStatus.WITHDRAWN


@pytest.mark.parametrize("status", [CaseStatus.COMPLETED, CaseStatus.REFUSED, CaseStatus.WITHDRAWN])
def test_a_finished_case_cannot_be_withdrawn(status):
    with pytest.raises(domain.TransitionNotAllowed, match="不能执行该操作"):
        domain.next_case_status(status, CaseAction.WITHDRAW)


def test_only_a_submitted_case_can_be_accepted_refused_or_sent_for_correction():
    for action in (CaseAction.ACCEPT, CaseAction.REFUSE, CaseAction.REQUEST_CORRECTION):
        assert (CaseStatus.SUBMITTED, action) in domain.CASE_TRANSITIONS
        assert (CaseStatus.IN_REVIEW, action) not in domain.CASE_TRANSITIONS


def test_every_status_and_task_status_has_a_chinese_label():
    assert set(domain.CASE_STATUS_LABELS) == set(CaseStatus)
    assert set(domain.TASK_STATUS_LABELS) == set(TaskStatus)


def test_case_numbers_read_region_date_and_sequence():
    assert domain.case_number("9901", dt.date(2026, 11, 23), 42) == "9901-20261123-00042"
