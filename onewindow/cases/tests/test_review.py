"""Parallel review, one rule per test: claims, 会签, clock stops (Art. 45), 驳回, extensions (Art. 42)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from onewindow.audit.models import Event
from onewindow.cases.domain import CaseStatus, TaskStatus, TransitionNotAllowed
from onewindow.cases.models import CaseMaterial, ClockStop, Signoff, Task, TimelineEntry
from onewindow.cases.services import review
from onewindow.cases.tests.factories import (
    accepted_case,
    clerk_for,
    coordinator_for,
    head_for,
    pdf_file,
    published_matter,
    reviewer_for,
)
from onewindow.errors import Conflict, InvalidFields, NotFound, PermissionDenied
from onewindow.workdays.domain import Suspension, add_working_days
from onewindow.workdays.selectors import work_calendar

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = dt.date(2026, 3, 2)  # a plain working week: Mon 2 … Fri 6, Mon 9 March 2026


def day(n: int) -> dt.date:
    return MONDAY + dt.timedelta(days=n)


@pytest.fixture
def travel(time_machine):
    """Move the clock to a day (10:00 in Shanghai); the tests start on MONDAY."""

    def move(on: dt.date) -> None:
        time_machine.move_to(dt.datetime.combine(on, dt.time(10), tzinfo=SHANGHAI), tick=False)

    move(MONDAY)
    return move


@pytest.fixture
def case(travel):
    """A single-matter case accepted on MONDAY: one open task, due after 5 working days."""
    return accepted_case()


@pytest.fixture
def task(case):
    return case.tasks.get()


@pytest.fixture
def bundle_case(travel):
    """A 4-department bundle accepted on MONDAY: three stage-1 tasks open."""
    return accepted_case(bundle=True)


def events(case, action: str) -> int:
    return Event.objects.filter(stream=f"case:{case.pk}", action=f"cases.{action}").count()


def timeline(case, action: str) -> list[TimelineEntry]:
    return list(TimelineEntry.objects.filter(case=case, action=action).order_by("pk"))


def fresh(obj):
    obj.refresh_from_db()
    return obj


# --- claim, assign, transfer ----------------------------------------------------------------------


def test_a_reviewer_of_the_department_claims_an_unassigned_task(case, task):
    reviewer = reviewer_for(task.department)
    review.task_claim(actor=reviewer, task=task)
    assert fresh(task).assignee == reviewer
    assert len(timeline(case, "task_claim")) == 1 and events(case, "task_claim") == 1


def test_claiming_a_task_someone_else_holds_is_a_conflict_naming_the_holder(task):
    first, second = reviewer_for(task.department), reviewer_for(task.department)
    review.task_claim(actor=first, task=task)
    with pytest.raises(Conflict) as refused:
        review.task_claim(actor=second, task=task)
    assert refused.value.code == "task_held_by_other"
    assert refused.value.message == f"该审查任务已由{first}办理"
    assert fresh(task).assignee == first


def test_a_reviewer_of_another_department_cannot_claim_nor_learn_that_the_task_exists(task):
    outsider = reviewer_for(published_matter().matter.department)
    with pytest.raises(NotFound) as refused:
        review.task_claim(actor=outsider, task=task)
    assert refused.value.code == "task_not_found"
    assert fresh(task).assignee is None


def test_a_clerk_of_the_region_is_not_a_reviewer(case, task):
    with pytest.raises(PermissionDenied):
        review.task_claim(actor=clerk_for(case.region), task=task)


def test_the_department_head_assigns_a_task_to_a_reviewer_of_the_department(case, task):
    reviewer = reviewer_for(task.department)
    review.task_assign(actor=head_for(task.department), task=task, assignee=reviewer)
    assert fresh(task).assignee == reviewer
    assert events(case, "task_assign") == 1


def test_only_the_department_head_assigns(task):
    reviewer = reviewer_for(task.department)
    with pytest.raises(PermissionDenied) as refused:
        review.task_assign(actor=reviewer, task=task, assignee=reviewer)
    assert refused.value.code == "task_not_department_head"


def test_a_task_cannot_be_assigned_to_someone_outside_the_department(task):
    outsider = reviewer_for(published_matter().matter.department)
    with pytest.raises(InvalidFields) as refused:
        review.task_assign(actor=head_for(task.department), task=task, assignee=outsider)
    assert refused.value.errors == {"assignee": "只能交给本部门的审核人员"}


def test_the_assignee_transfers_the_task_with_a_reason(case, task):
    first, second = reviewer_for(task.department), reviewer_for(task.department)
    review.task_claim(actor=first, task=task)
    review.task_transfer(actor=first, task=task, to_user=second, reason="本人出差")
    assert fresh(task).assignee == second
    assert timeline(case, "task_transfer")[0].note == "本人出差"


def test_transfer_needs_a_reason(task):
    first, second = reviewer_for(task.department), reviewer_for(task.department)
    review.task_claim(actor=first, task=task)
    with pytest.raises(InvalidFields) as refused:
        review.task_transfer(actor=first, task=task, to_user=second, reason="  ")
    assert refused.value.code == "reason_required"
    assert fresh(task).assignee == first


def test_a_reviewer_cannot_transfer_a_task_held_by_someone_else(task):
    holder, other = reviewer_for(task.department), reviewer_for(task.department)
    review.task_claim(actor=holder, task=task)
    with pytest.raises(PermissionDenied):
        review.task_transfer(actor=other, task=task, to_user=other, reason="我来办")


def test_the_department_head_transfers_a_task_held_by_a_reviewer(task):
    holder, other = reviewer_for(task.department), reviewer_for(task.department)
    review.task_claim(actor=holder, task=task)
    review.task_transfer(actor=head_for(task.department), task=task, to_user=other, reason="工作调整")
    assert fresh(task).assignee == other


# --- decisions and 会签 ----------------------------------------------------------------------------


def test_an_approval_records_the_opinion_with_its_timeline_row_and_audit_event(bundle_case):
    task = bundle_case.tasks.order_by("pk").first()
    reviewer = reviewer_for(task.department)
    review.task_approve(actor=reviewer, task=task, opinion="符合规定")
    task = fresh(task)
    assert (task.status, task.opinion, task.assignee) == (TaskStatus.APPROVED, "符合规定", reviewer)
    assert task.decided_at is not None
    [row] = timeline(bundle_case, "task_approve")
    assert (row.from_status, row.to_status, row.actor, row.is_public) == ("open", "approved", reviewer, True)
    assert events(bundle_case, "task_approve") == 1


def test_a_rejection_needs_a_reason_and_changes_nothing_without_one(task):
    with pytest.raises(InvalidFields) as refused:
        review.task_reject(actor=reviewer_for(task.department), task=task, reason="")
    assert refused.value.errors == {"reason": "请填写不同意的理由"}
    assert fresh(task).status == TaskStatus.OPEN
    assert not TimelineEntry.objects.filter(task=task, action="task_reject").exists()


def test_deciding_a_task_another_reviewer_holds_is_a_conflict(task):
    holder, other = reviewer_for(task.department), reviewer_for(task.department)
    review.task_claim(actor=holder, task=task)
    with pytest.raises(Conflict) as refused:
        review.task_approve(actor=other, task=task)
    assert refused.value.code == "task_held_by_other"
    assert fresh(task).status == TaskStatus.OPEN


def test_a_countersigned_task_is_approved_only_when_the_required_reviewers_agree(bundle_case):
    task = bundle_case.tasks.order_by("pk").first()
    Task.objects.filter(pk=task.pk).update(required_signoffs=2)
    first, second = reviewer_for(task.department), reviewer_for(task.department)
    review.task_approve(actor=first, task=task, opinion="同意")
    assert fresh(task).status == TaskStatus.OPEN
    assert len(timeline(bundle_case, "task_signoff")) == 1
    review.task_approve(actor=second, task=task, opinion="无异议")
    task = fresh(task)
    assert task.status == TaskStatus.APPROVED
    assert f"{first}：同意" in task.opinion and f"{second}：无异议" in task.opinion
    assert Signoff.objects.filter(task=task).count() == 2


def test_any_disagreement_in_a_countersign_rejects_the_task_with_the_reasons(bundle_case):
    task = bundle_case.tasks.order_by("pk").first()
    Task.objects.filter(pk=task.pk).update(required_signoffs=3)
    first, second = reviewer_for(task.department), reviewer_for(task.department)
    review.task_approve(actor=first, task=task)
    review.task_reject(actor=second, task=task, reason="消防间距不足")
    task = fresh(task)
    assert task.status == TaskStatus.REJECTED
    assert task.opinion == f"{second}：消防间距不足"


def test_one_reviewer_cannot_sign_a_countersign_twice(bundle_case):
    task = bundle_case.tasks.order_by("pk").first()
    Task.objects.filter(pk=task.pk).update(required_signoffs=2)
    reviewer = reviewer_for(task.department)
    review.task_approve(actor=reviewer, task=task)
    with pytest.raises(Conflict) as refused:
        review.task_approve(actor=reviewer, task=task)
    assert refused.value.code == "signoff_already_signed"
    assert fresh(task).status == TaskStatus.OPEN
    assert Signoff.objects.filter(task=task).count() == 1


# --- supplements (the clock waits for the applicant) ----------------------------------------------


def test_asking_for_supplements_stops_the_clock_and_tells_the_applicant_what_to_supply(case, task):
    review.task_request_supplement(
        actor=reviewer_for(task.department), task=task, items=["消防设计说明", "产权证明"], note=""
    )
    assert fresh(task).status == TaskStatus.SUSPENDED
    stop = ClockStop.objects.get(task=task)
    assert (stop.reason, stop.first_on, stop.last_on) == (ClockStop.Reason.SUPPLEMENT, MONDAY, None)
    [row] = timeline(case, "task_request_supplement")
    assert row.is_public and "1. 消防设计说明" in row.note and "2. 产权证明" in row.note


def test_a_supplement_request_lists_at_least_one_item(task):
    with pytest.raises(InvalidFields) as refused:
        review.task_request_supplement(actor=reviewer_for(task.department), task=task, items=[" "])
    assert refused.value.code == "items_required"
    assert not ClockStop.objects.filter(task=task).exists()


def test_a_task_waiting_for_supplements_cannot_be_decided(task):
    reviewer = reviewer_for(task.department)
    review.task_request_supplement(actor=reviewer, task=task, items=["产权证明"])
    with pytest.raises(TransitionNotAllowed):
        review.task_approve(actor=reviewer, task=task)


def test_the_clock_restarts_when_the_supplement_arrives_and_the_due_date_moves_by_the_stopped_days(case, task, travel):
    assert task.due_on == day(7)  # Mon 9 March: 5 working days after Mon 2
    review.task_request_supplement(actor=reviewer_for(task.department), task=task, items=["产权证明"])  # Mon
    travel(day(3))  # Thursday: Mon, Tue, Wed were stopped; Thursday counts again
    review.task_supplement_received(actor=case.applicant.user, task=task)
    task = fresh(task)
    assert task.status == TaskStatus.OPEN
    assert ClockStop.objects.get(task=task).last_on == day(2)
    assert task.due_on == day(9)  # Wed 11 March: Tue and Wed did not count (Monday, the start, never did)
    assert timeline(case, "task_resume")[0].is_public


def test_a_supplement_arriving_on_the_day_it_was_asked_for_stops_that_one_day(case, task, travel):
    travel(day(1))
    review.task_request_supplement(actor=reviewer_for(task.department), task=task, items=["产权证明"])
    review.task_supplement_received(actor=clerk_for(case.region), task=task)
    stop = ClockStop.objects.get(task=task)
    assert stop.first_on == stop.last_on == day(1)
    assert fresh(task).due_on == day(8)  # Tuesday did not count: one working day later


def test_only_the_applicant_or_a_clerk_of_the_region_registers_a_supplement(task):
    reviewer = reviewer_for(task.department)
    review.task_request_supplement(actor=reviewer, task=task, items=["产权证明"])
    with pytest.raises(PermissionDenied) as refused:
        review.task_supplement_received(actor=reviewer, task=task)
    assert refused.value.code == "task_not_applicant_or_clerk"
    with pytest.raises(NotFound) as refused_outsider:
        review.task_supplement_received(actor=reviewer_for(published_matter().matter.department), task=task)
    assert refused_outsider.value.code == "task_not_found"
    assert fresh(task).status == TaskStatus.SUSPENDED


def test_supplementary_files_are_kept_with_the_case(case, task):
    review.task_request_supplement(actor=reviewer_for(task.department), task=task, items=["产权证明"])
    review.task_supplement_received(actor=case.applicant.user, task=task, files=[pdf_file("产权证明.pdf")])
    stored = CaseMaterial.objects.get(case=case, key__startswith="supplement-")
    assert stored.sha256 and stored.size > 0 and "产权证明.pdf" in stored.name


# --- special procedures (Art. 45) -----------------------------------------------------------------


def test_the_clock_stops_for_expert_review_and_restarts_after(bundle_case, travel):
    task = bundle_case.tasks.order_by("pk").first()
    reviewer = reviewer_for(task.department)
    travel(day(2))  # Wednesday
    review.task_start_special_procedure(
        actor=reviewer, task=task, kind="expert_review", reason="结构安全需专家论证", expected_end_on=day(9)
    )
    assert fresh(task).status == TaskStatus.SUSPENDED
    travel(day(9))  # the next Wednesday: Wed 4 … Tue 10 (5 working days) did not count
    review.task_end_special_procedure(actor=reviewer, task=task, note="专家评审通过")
    task, case = fresh(task), fresh(bundle_case)
    assert task.status == TaskStatus.OPEN
    assert task.due_on == dt.date(2026, 3, 16)  # Mon 9 March + the 5 stopped working days
    stopped = [Suspension(day(2), day(8))]
    assert case.due_on == add_working_days(MONDAY, 45, work_calendar(), stopped).on


def test_the_applicant_is_told_in_writing_of_a_special_procedure(bundle_case):
    task = bundle_case.tasks.order_by("pk").first()
    review.task_start_special_procedure(
        actor=reviewer_for(task.department), task=task, kind="hearing", reason="涉及相邻权利人", expected_end_on=day(14)
    )
    [row] = timeline(bundle_case, "task_start_special_procedure")
    assert row.is_public
    assert "听证" in row.note and "涉及相邻权利人" in row.note and "2026年03月16日" in row.note


@pytest.mark.parametrize(
    ("kind", "reason", "expected_end_on", "fields"),
    [
        ("site_visit", "理由", day(5), {"kind"}),
        ("testing", "", day(5), {"reason"}),
        ("testing", "送检", None, {"expected_end_on"}),
        ("public_notice", "公示", day(-1), {"expected_end_on"}),
    ],
)
def test_a_special_procedure_needs_its_kind_a_reason_and_an_expected_end(task, kind, reason, expected_end_on, fields):
    with pytest.raises(InvalidFields) as refused:
        review.task_start_special_procedure(
            actor=reviewer_for(task.department), task=task, kind=kind, reason=reason, expected_end_on=expected_end_on
        )
    assert set(refused.value.errors) == fields
    assert fresh(task).status == TaskStatus.OPEN


def test_ending_a_special_procedure_while_waiting_for_supplements_is_a_conflict(task):
    reviewer = reviewer_for(task.department)
    review.task_request_supplement(actor=reviewer, task=task, items=["产权证明"])
    with pytest.raises(Conflict) as refused:
        review.task_end_special_procedure(actor=reviewer, task=task)
    assert refused.value.code == "task_no_special_procedure"


# --- send back to intake (驳回) --------------------------------------------------------------------


def test_sending_back_returns_the_case_to_intake_and_cancels_the_other_tasks(bundle_case, travel):
    travel(day(1))
    first, *others = bundle_case.tasks.order_by("pk")
    review.task_request_supplement(actor=reviewer_for(others[0].department), task=others[0], items=["图纸"])
    review.task_send_back(actor=reviewer_for(first.department), task=first, reason="申请材料与受理事项不符")
    case = fresh(bundle_case)
    assert case.status == CaseStatus.SUBMITTED
    assert fresh(first).status == TaskStatus.SENT_BACK
    assert {fresh(t).status for t in others} == {TaskStatus.CANCELLED}
    assert not ClockStop.objects.filter(case=case, last_on__isnull=True).exists()
    [row] = timeline(case, "case_send_back")
    assert row.is_public and "申请材料与受理事项不符" in row.note


def test_the_intake_clock_restarts_when_a_case_is_sent_back(bundle_case, travel):
    travel(day(3))  # Thursday
    task = bundle_case.tasks.order_by("pk").first()
    review.task_send_back(actor=reviewer_for(task.department), task=task, reason="材料不符")
    case = fresh(bundle_case)
    assert case.received_on == day(3)
    assert case.intake_due_on == day(10)  # 5 working days after Thursday 5 March
    assert case.current_stage == 0


def test_sending_back_needs_a_reason(task):
    with pytest.raises(InvalidFields):
        review.task_send_back(actor=reviewer_for(task.department), task=task, reason="")
    assert fresh(task).status == TaskStatus.OPEN


# --- extensions (Art. 42) -------------------------------------------------------------------------


def test_a_task_extension_needs_the_department_head(task):
    reviewer = reviewer_for(task.department)
    review.task_extension_request(actor=reviewer, task=task, reason="需现场核查")
    with pytest.raises(PermissionDenied) as refused:
        review.task_extension_approve(actor=reviewer, task=task)
    assert refused.value.code == "task_not_department_head"
    assert fresh(task).extension_days == 0


def test_an_approved_task_extension_adds_its_days_and_moves_the_due_date(case, task):
    review.task_extension_request(actor=reviewer_for(task.department), task=task, reason="需现场核查")
    review.task_extension_approve(actor=head_for(task.department), task=task)
    task = fresh(task)
    assert (task.extension_days, task.extension_requested_days) == (10, 0)
    assert task.due_on == dt.date(2026, 3, 23)  # 5 + 10 working days after Mon 2 March
    assert events(case, "task_extension_request") == events(case, "task_extension_approve") == 1


def test_a_task_is_extended_only_once(task):
    reviewer, head = reviewer_for(task.department), head_for(task.department)
    review.task_extension_request(actor=reviewer, task=task, days=5, reason="需现场核查")
    review.task_extension_approve(actor=head, task=task)
    with pytest.raises(Conflict) as refused:
        review.task_extension_request(actor=reviewer, task=task, reason="再次延期")
    assert refused.value.code == "task_extension_once"
    with pytest.raises(Conflict):
        review.task_extension_approve(actor=head, task=task)
    assert fresh(task).extension_days == 5


def test_a_task_extension_is_at_most_ten_working_days(task):
    with pytest.raises(InvalidFields) as refused:
        review.task_extension_request(actor=reviewer_for(task.department), task=task, days=11, reason="复杂")
    assert refused.value.code == "task_extension_days_invalid"


def test_the_head_cannot_approve_an_extension_nobody_asked_for(task):
    with pytest.raises(Conflict) as refused:
        review.task_extension_approve(actor=head_for(task.department), task=task)
    assert refused.value.code == "task_extension_not_requested"


def test_the_joint_limit_is_45_working_days_plus_15_on_extension(bundle_case):
    assert bundle_case.limit_days == 45
    lead = bundle_case.bundle_version.stages.order_by("-position").first().lead_department
    review.case_extension_approve(actor=head_for(lead), case=bundle_case, reason="涉及多部门现场联合踏勘")
    case = fresh(bundle_case)
    assert case.extension_days == 15
    assert case.due_on == add_working_days(MONDAY, 60, work_calendar()).on
    [row] = timeline(case, "case_extension_approve")
    assert row.is_public and "15" in row.note


def test_a_single_matter_limit_is_extended_by_10_working_days(case):
    assert case.limit_days == 20
    department = case.matters.get().department
    review.case_extension_approve(actor=head_for(department), case=case, reason="情况复杂")
    assert fresh(case).extension_days == 10
    assert fresh(case).due_on == add_working_days(MONDAY, 30, work_calendar()).on


def test_a_case_is_extended_only_once(case):
    head = head_for(case.matters.get().department)
    review.case_extension_approve(actor=head, case=case, reason="情况复杂")
    with pytest.raises(Conflict) as refused:
        review.case_extension_approve(actor=head, case=case, reason="再延")
    assert refused.value.code == "case_extension_once"


def test_a_case_extension_needs_the_head_of_the_lead_department(bundle_case):
    stage_one_lead = bundle_case.bundle_version.stages.get(position=1).lead_department
    last_lead = bundle_case.bundle_version.stages.get(position=2).lead_department
    for outsider in (head_for(stage_one_lead), coordinator_for(last_lead), reviewer_for(last_lead)):
        with pytest.raises(PermissionDenied):
            review.case_extension_approve(actor=outsider, case=bundle_case, reason="情况复杂")
    assert fresh(bundle_case).extension_days == 0
