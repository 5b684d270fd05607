"""会签 that people reach: the catalogue says how many sign-offs a matter's review needs, the department
head adds a named signer (加签), and a task is decided only when every required signer has signed."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from onewindow.audit.models import Event
from onewindow.cases.domain import TaskStatus
from onewindow.cases.models import Case, Signoff, Task, TaskSigner, TimelineEntry
from onewindow.cases.services import countersign, review
from onewindow.cases.services.commitment import task_check_conform
from onewindow.cases.services.intake import case_accept, case_approve_on_commitment
from onewindow.cases.tests import factories as f
from onewindow.catalogue.models import MatterVersion
from onewindow.catalogue.services import (
    matter_content_of,
    matter_version_draft_from,
    matter_version_publish,
    matter_version_update,
)
from onewindow.errors import Conflict, InvalidFields, NotFound, PermissionDenied

pytestmark = pytest.mark.django_db


def fresh(task: Task) -> Task:
    return Task.objects.get(pk=task.pk)


def events(case: Case, action: str) -> list[Event]:
    return list(Event.objects.filter(stream=f"case:{case.pk}", action=f"cases.{action}").order_by("seq"))


def countersigned_matter(signoffs: int) -> MatterVersion:
    version = f.published_matter()
    MatterVersion.objects.filter(pk=version.pk).update(required_signoffs=signoffs)
    version.refresh_from_db()
    return version


@pytest.fixture
def task() -> Task:
    """An open review task of a matter that needs no countersign (1 sign-off)."""
    return f.accepted_case().tasks.get()


# --- from the catalogue to the task ---------------------------------------------------------------


def test_a_task_needs_the_signoffs_its_matter_version_asks_for():
    case = f.accepted_case(matter_version=countersigned_matter(3))
    assert case.tasks.get().required_signoffs == 3


def test_a_case_keeps_the_signoffs_of_the_version_it_was_filed_under():
    version = countersigned_matter(2)
    filed = f.submitted_case(matter_version=version)
    draft = matter_version_draft_from(actor=None, version=version)
    content = dataclasses.replace(matter_content_of(draft), required_signoffs=3)
    matter_version_publish(actor=None, version=matter_version_update(actor=None, version=draft, content=content))

    case_accept(actor=f.clerk_for(filed.region), case=filed)  # accepted after the new version came out
    assert filed.tasks.get().required_signoffs == 2
    later = f.accepted_case(matter_version=MatterVersion.objects.get(pk=draft.pk))
    assert later.tasks.get().required_signoffs == 3


def test_a_countersigned_task_waits_for_every_required_reviewer():
    task = f.accepted_case(matter_version=countersigned_matter(2)).tasks.get()
    first, second = f.reviewer_for(task.department), f.reviewer_for(task.department)
    review.task_approve(actor=first, task=task, opinion="同意")
    assert fresh(task).status == TaskStatus.OPEN
    review.task_approve(actor=second, task=task, opinion="同意")
    assert fresh(task).status == TaskStatus.APPROVED


# --- 加签 ------------------------------------------------------------------------------------------


def test_the_head_adds_a_signer_with_a_timeline_row_and_an_audit_event(task):
    head, signer = f.head_for(task.department), f.reviewer_for(task.department)
    countersign.task_add_signer(actor=head, task=task, signer=signer)
    task = fresh(task)
    assert task.required_signoffs == 2
    assert TaskSigner.objects.get(task=task).signer == signer
    [row] = TimelineEntry.objects.filter(task=task, action="task_add_signer")
    assert row.actor == head and str(signer) in row.note and not row.is_public
    [event] = events(task.case, "task_add_signer")
    assert event.changes["signer_id"] == signer.pk and event.changes["required"] == 2


def test_a_task_with_an_added_signer_is_approved_only_when_that_signer_agrees(task):
    assignee, signer = f.reviewer_for(task.department), f.reviewer_for(task.department)
    countersign.task_add_signer(actor=f.head_for(task.department), task=task, signer=signer)
    review.task_approve(actor=assignee, task=task, opinion="材料齐全")
    assert fresh(task).status == TaskStatus.OPEN
    [waiting] = events(task.case, "task_signoff")
    assert waiting.changes["waiting_for"] == [signer.pk]
    review.task_approve(actor=signer, task=task, opinion="无异议")
    task = fresh(task)
    assert task.status == TaskStatus.APPROVED
    assert f"{signer}：无异议" in task.opinion


def test_other_reviewers_do_not_stand_in_for_the_added_signer():
    task = f.accepted_case(matter_version=countersigned_matter(2)).tasks.get()
    signer = f.reviewer_for(task.department)
    countersign.task_add_signer(actor=f.head_for(task.department), task=task, signer=signer)
    for _ in range(3):
        review.task_approve(actor=f.reviewer_for(task.department), task=task)
    assert fresh(task).status == TaskStatus.OPEN  # 3 of 3 signed, but not the named one
    review.task_approve(actor=signer, task=task)
    assert fresh(task).status == TaskStatus.APPROVED


def test_the_added_signer_disagreeing_rejects_the_task(task):
    signer = f.reviewer_for(task.department)
    countersign.task_add_signer(actor=f.head_for(task.department), task=task, signer=signer)
    review.task_reject(actor=signer, task=task, reason="消防通道宽度不足")
    task = fresh(task)
    assert task.status == TaskStatus.REJECTED
    assert task.opinion == f"{signer}：消防通道宽度不足"


def test_only_the_head_of_the_department_adds_a_signer(task):
    signer = f.reviewer_for(task.department)
    with pytest.raises(PermissionDenied) as refused:
        countersign.task_add_signer(actor=f.reviewer_for(task.department), task=task, signer=signer)
    assert refused.value.code == "task_not_department_head"
    with pytest.raises(NotFound) as outsider:
        countersign.task_add_signer(actor=f.head_for(f.department()), task=task, signer=signer)
    assert outsider.value.code == "task_not_found"
    assert fresh(task).required_signoffs == 1
    assert not TaskSigner.objects.exists()


@pytest.mark.parametrize(
    ("who", "error", "code"),
    [
        ("outsider", InvalidFields, "signer_not_reviewer"),
        ("added", Conflict, "signer_already_added"),
        ("signed", Conflict, "signer_already_signed"),
    ],
)
def test_a_signer_is_a_reviewer_of_the_department_not_named_or_signed_yet(who: str, error: Any, code: str):
    task = f.accepted_case(matter_version=countersigned_matter(2)).tasks.get()
    head, reviewer = f.head_for(task.department), f.reviewer_for(task.department)
    if who == "added":
        countersign.task_add_signer(actor=head, task=task, signer=reviewer)
    elif who == "signed":
        review.task_approve(actor=reviewer, task=task)
    signer = f.reviewer_for(f.department()) if who == "outsider" else reviewer
    before = fresh(task).required_signoffs
    with pytest.raises(error) as refused:
        countersign.task_add_signer(actor=head, task=task, signer=signer)
    assert refused.value.code == code
    assert fresh(task).required_signoffs == before


def test_a_decided_task_takes_no_signer(task):
    review.task_approve(actor=f.reviewer_for(task.department), task=task)
    with pytest.raises(Conflict) as refused:
        countersign.task_add_signer(
            actor=f.head_for(task.department), task=task, signer=f.reviewer_for(task.department)
        )
    assert refused.value.code == "transition_not_allowed"


def test_a_post_check_takes_no_signer_and_no_opinion():
    version = f.published_matter(commitment_allowed=True)
    case = f.submitted_case(matter_version=version)
    check = case_approve_on_commitment(actor=f.clerk_for(case.region), case=case, commitment_text="承诺").tasks.get()
    with pytest.raises(Conflict) as no_signer:
        countersign.task_add_signer(
            actor=f.head_for(check.department), task=check, signer=f.reviewer_for(check.department)
        )
    assert no_signer.value.code == "task_is_check"
    with pytest.raises(Conflict) as no_opinion:
        review.task_approve(actor=f.reviewer_for(check.department), task=check)
    assert no_opinion.value.code == "task_is_check"
    assert fresh(check).status == TaskStatus.OPEN
    task_check_conform(actor=f.reviewer_for(check.department), task=check)
    assert not Signoff.objects.filter(task=check).exists()
