"""The parallel join and the decision: a stage is done when every task is decided; the next opens by itself."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from onewindow.audit.models import Event
from onewindow.cases.domain import CaseStatus, TaskStatus, TransitionNotAllowed
from onewindow.cases.models import CaseMatter, Task, TimelineEntry
from onewindow.cases.services import review
from onewindow.cases.tests.factories import accepted_case, coordinator_for, head_for, reviewer_for
from onewindow.errors import InvalidFields, PermissionDenied

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = dt.date(2026, 3, 2)
APPROVED, REJECTED = CaseMatter.Result.APPROVED, CaseMatter.Result.REJECTED


@pytest.fixture
def travel(time_machine):
    def move(on: dt.date) -> None:
        time_machine.move_to(dt.datetime.combine(on, dt.time(10), tzinfo=SHANGHAI), tick=False)

    move(MONDAY)
    return move


@pytest.fixture
def bundle_case(travel):
    return accepted_case(bundle=True)


def stage_tasks(case, stage: int) -> list[Task]:
    return list(Task.objects.filter(case=case, stage=stage).order_by("pk"))


def approve(task: Task) -> None:
    review.task_approve(actor=reviewer_for(task.department), task=task, opinion="同意")


def reject(task: Task) -> None:
    review.task_reject(actor=reviewer_for(task.department), task=task, reason="不符合条件")


def lead_of_last_stage(case):
    return case.bundle_version.stages.order_by("-position").first().lead_department


def finish_review(case) -> None:
    """Every department approves: stage 1, then stage 2; the case awaits the joint decision."""
    for task in stage_tasks(case, 1):
        approve(task)
    for task in stage_tasks(case, 2):
        approve(task)


def fresh(obj):
    obj.refresh_from_db()
    return obj


def test_the_stage_stays_open_while_any_task_of_it_is_undecided(bundle_case):
    first, second, _third = stage_tasks(bundle_case, 1)
    approve(first)
    approve(second)
    case = fresh(bundle_case)
    assert (case.status, case.current_stage) == (CaseStatus.IN_REVIEW, 1)
    assert stage_tasks(case, 2) == []


def test_the_next_stage_opens_by_itself_when_every_task_of_the_stage_is_approved(bundle_case, travel):
    first, second, third = stage_tasks(bundle_case, 1)
    approve(first)
    approve(second)
    travel(dt.date(2026, 3, 4))
    approve(third)
    case = fresh(bundle_case)
    assert (case.status, case.current_stage) == (CaseStatus.IN_REVIEW, 2)
    [opened] = stage_tasks(case, 2)
    assert opened.status == TaskStatus.OPEN
    assert opened.started_on == dt.date(2026, 3, 4)  # counted from the day the stage opened
    assert opened.due_on == dt.date(2026, 3, 11)  # its own promised limit: 5 working days
    assert opened.department == lead_of_last_stage(case)


def test_a_rejection_sends_the_case_to_the_joint_decision_without_opening_the_next_stage(bundle_case):
    first, second, third = stage_tasks(bundle_case, 1)
    approve(first)
    reject(second)
    approve(third)
    case = fresh(bundle_case)
    assert case.status == CaseStatus.AWAITING_DECISION
    assert stage_tasks(case, 2) == []
    assert TimelineEntry.objects.filter(case=case, action="case_finish_review").count() == 1


def test_the_last_stage_approved_awaits_the_lead_departments_decision(bundle_case):
    finish_review(bundle_case)
    case = fresh(bundle_case)
    assert case.status == CaseStatus.AWAITING_DECISION
    assert case.completed_at is None


def test_a_single_matter_case_completes_by_itself_with_its_departments_approval(travel):
    case = accepted_case()
    task = case.tasks.get()
    approve(task)
    case = fresh(case)
    assert case.status == CaseStatus.COMPLETED
    assert case.completed_at is not None and case.decision_note == "同意"
    assert case.matters.get().result == APPROVED
    actions = list(TimelineEntry.objects.filter(case=case).values_list("action", flat=True).order_by("pk"))
    assert actions[-3:] == ["task_approve", "case_finish_review", "case_decide"]
    decided = Event.objects.get(stream=f"case:{case.pk}", action="cases.case_decide")
    assert decided.organisation_id == task.department_id


def test_a_single_matter_case_rejected_by_its_department_completes_as_rejected(travel):
    case = accepted_case()
    reject(case.tasks.get())
    case = fresh(case)
    assert case.status == CaseStatus.COMPLETED
    assert case.matters.get().result == REJECTED


def test_the_lead_department_decides_every_matter_and_the_case_completes(bundle_case):
    finish_review(bundle_case)
    results = {m.pk: APPROVED for m in bundle_case.matters.all()}
    review.case_decide(
        actor=coordinator_for(lead_of_last_stage(bundle_case)), case=bundle_case, results=results, note="准予"
    )
    case = fresh(bundle_case)
    assert case.status == CaseStatus.COMPLETED
    assert case.completed_at is not None and case.decision_note == "准予"
    assert set(case.matters.values_list("result", flat=True)) == {APPROVED}
    assert Event.objects.filter(stream=f"case:{case.pk}", action="cases.case_decide").count() == 1


def test_the_joint_decision_gives_a_result_for_every_matter(bundle_case):
    finish_review(bundle_case)
    first, *rest = bundle_case.matters.order_by("pk")
    with pytest.raises(InvalidFields) as refused:
        review.case_decide(
            actor=head_for(lead_of_last_stage(bundle_case)),
            case=bundle_case,
            results={m.pk: APPROVED for m in rest},
        )
    assert refused.value.errors == {f"results.{first.pk}": "请对该事项作出决定"}
    assert fresh(bundle_case).status == CaseStatus.AWAITING_DECISION


def test_a_matter_its_department_rejected_cannot_be_approved_in_the_joint_decision(bundle_case):
    first, second, third = stage_tasks(bundle_case, 1)
    approve(first)
    reject(second)
    approve(third)
    results = {m.pk: APPROVED for m in bundle_case.matters.all()}
    with pytest.raises(InvalidFields) as refused:
        review.case_decide(actor=coordinator_for(lead_of_last_stage(bundle_case)), case=bundle_case, results=results)
    never_reviewed = bundle_case.matters.get(stage=2).pk
    assert set(refused.value.errors) == {f"results.{second.case_matter_id}", f"results.{never_reviewed}"}


def test_a_case_with_a_rejected_matter_completes_with_a_result_per_matter(bundle_case):
    first, second, third = stage_tasks(bundle_case, 1)
    approve(first)
    reject(second)
    approve(third)
    results = {m.pk: REJECTED for m in bundle_case.matters.all()} | {first.case_matter_id: APPROVED}
    review.case_decide(actor=coordinator_for(lead_of_last_stage(bundle_case)), case=bundle_case, results=results)
    stored = dict(bundle_case.matters.values_list("pk", "result"))
    assert stored == results


def test_only_the_lead_department_of_the_last_stage_takes_the_joint_decision(bundle_case):
    finish_review(bundle_case)
    results = {m.pk: APPROVED for m in bundle_case.matters.all()}
    stage_one_lead = bundle_case.bundle_version.stages.get(position=1).lead_department
    for outsider in (coordinator_for(stage_one_lead), reviewer_for(lead_of_last_stage(bundle_case))):
        with pytest.raises(PermissionDenied) as refused:
            review.case_decide(actor=outsider, case=bundle_case, results=results)
        assert refused.value.code == "case_not_lead_department"
    assert fresh(bundle_case).status == CaseStatus.AWAITING_DECISION


def test_no_joint_decision_before_every_department_has_decided(bundle_case):
    results = {m.pk: APPROVED for m in bundle_case.matters.all()}
    with pytest.raises(TransitionNotAllowed):
        review.case_decide(actor=coordinator_for(lead_of_last_stage(bundle_case)), case=bundle_case, results=results)


def test_the_joint_decision_is_taken_once(bundle_case):
    finish_review(bundle_case)
    coordinator = coordinator_for(lead_of_last_stage(bundle_case))
    results = {m.pk: APPROVED for m in bundle_case.matters.all()}
    review.case_decide(actor=coordinator, case=bundle_case, results=results)
    with pytest.raises(TransitionNotAllowed):
        review.case_decide(actor=coordinator, case=bundle_case, results=results)
    assert Event.objects.filter(stream=f"case:{bundle_case.pk}", action="cases.case_decide").count() == 1


def test_a_green_channel_case_opens_its_next_stage_on_the_shorter_limit(travel):
    case = accepted_case(bundle=True, is_green_channel=True)
    for task in stage_tasks(case, 1):
        approve(task)
    [opened] = stage_tasks(case, 2)
    assert opened.limit_days == 3  # half of the promised 5, rounded up
