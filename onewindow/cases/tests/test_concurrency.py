"""Two people acting on one case at once: one wins, the other gets a clear conflict; the join runs once.

The thread tests need PostgreSQL (row locks, real concurrency); the sequential test runs everywhere.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction

from onewindow.audit.models import Event
from onewindow.cases.domain import CaseStatus, TaskStatus, TransitionNotAllowed
from onewindow.cases.models import Case, Task, TimelineEntry
from onewindow.cases.services import locking, review
from onewindow.cases.tests.factories import accepted_case, reviewer_for
from onewindow.errors import Conflict

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = dt.date(2026, 3, 2)
ALREADY_APPROVED = "该审查任务当前状态为“同意”，不能执行该操作，可能已被他人处理"


def postgres_threads(test: Callable[[], None]) -> Callable[[], None]:
    """Real threads on PostgreSQL (row locks); skipped with a reason elsewhere."""
    for mark in (
        pytest.mark.django_db(transaction=True),
        pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks and real concurrency need PostgreSQL"),
        pytest.mark.postgres,
    ):
        test = mark(test)
    return test


@pytest.fixture(autouse=True)
def on_monday(time_machine):
    time_machine.move_to(dt.datetime.combine(MONDAY, dt.time(10), tzinfo=SHANGHAI), tick=False)


def at_once(*steps: Callable[[], object]) -> list[object]:
    """Run the steps in threads released together; each result is a return value or the exception raised."""
    barrier = threading.Barrier(len(steps))
    results: list[object] = [None] * len(steps)

    def run(index: int, step: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = step()
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, step), daemon=True) for i, step in enumerate(steps)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a writer never finished (deadlock?)"
    return results


def stage_tasks(case: Case, stage: int) -> list[Task]:
    return list(Task.objects.filter(case=case, stage=stage).order_by("pk"))


@postgres_threads
def test_two_reviewers_deciding_one_task_at_once_one_wins_and_the_other_gets_a_clear_conflict():
    case = accepted_case(bundle=True)
    task = stage_tasks(case, 1)[0]
    first, second = reviewer_for(task.department), reviewer_for(task.department)

    results = at_once(
        lambda: review.task_approve(actor=first, task=task, opinion="同意"),
        lambda: review.task_reject(actor=second, task=task, reason="不同意"),
    )

    won = [r for r in results if isinstance(r, Task)]
    lost = [r for r in results if isinstance(r, BaseException)]
    assert len(won) == 1 and len(lost) == 1, results
    assert isinstance(lost[0], Conflict)
    assert lost[0].message.startswith("该审查任务当前状态为“")
    task.refresh_from_db()
    assert task.status == won[0].status
    decided = TimelineEntry.objects.filter(task=task, action__in=["task_approve", "task_reject"])
    assert decided.count() == 1
    events = Event.objects.filter(stream=f"case:{case.pk}", action__in=["cases.task_approve", "cases.task_reject"])
    assert events.count() == 1


@postgres_threads
def test_two_departments_deciding_the_last_two_tasks_at_once_open_the_next_stage_exactly_once():
    case = accepted_case(bundle=True)
    first, second, third = stage_tasks(case, 1)
    review.task_approve(actor=reviewer_for(first.department), task=first)
    second_reviewer, third_reviewer = reviewer_for(second.department), reviewer_for(third.department)

    results = at_once(
        lambda: review.task_approve(actor=second_reviewer, task=second),
        lambda: review.task_approve(actor=third_reviewer, task=third),
    )

    assert all(isinstance(r, Task) for r in results), results
    case.refresh_from_db()
    assert (case.status, case.current_stage) == (CaseStatus.IN_REVIEW, 2)
    [opened] = stage_tasks(case, 2)
    assert opened.status == TaskStatus.OPEN
    assert TimelineEntry.objects.filter(case=case, action="task_open", task__stage=2).count() == 1


@postgres_threads
def test_the_last_decisions_of_the_last_stage_finish_the_review_exactly_once():
    case = accepted_case(bundle=True)
    for task in stage_tasks(case, 1)[:1]:
        review.task_approve(actor=reviewer_for(task.department), task=task)
    _, second, third = stage_tasks(case, 1)
    second_reviewer, third_reviewer = reviewer_for(second.department), reviewer_for(third.department)

    results = at_once(
        lambda: review.task_reject(actor=second_reviewer, task=second, reason="不符合规划"),
        lambda: review.task_approve(actor=third_reviewer, task=third),
    )

    assert all(isinstance(r, Task) for r in results), results
    case.refresh_from_db()
    assert case.status == CaseStatus.AWAITING_DECISION
    assert TimelineEntry.objects.filter(case=case, action="case_finish_review").count() == 1
    assert stage_tasks(case, 2) == []


@pytest.mark.django_db
def test_a_second_decision_on_a_decided_task_is_a_conflict_and_changes_nothing():
    case = accepted_case(bundle=True)
    task = stage_tasks(case, 1)[0]
    first, second = reviewer_for(task.department), reviewer_for(task.department)
    review.task_approve(actor=first, task=task, opinion="同意")

    with pytest.raises(TransitionNotAllowed) as refused:
        review.task_reject(actor=second, task=task, reason="不同意")

    assert refused.value.message == ALREADY_APPROVED
    assert refused.value.code == "transition_not_allowed"
    task.refresh_from_db()
    assert (task.status, task.assignee, task.opinion) == (TaskStatus.APPROVED, first, "同意")
    assert TimelineEntry.objects.filter(task=task, action__in=["task_approve", "task_reject"]).count() == 1
    assert Event.objects.filter(stream=f"case:{case.pk}", action="cases.task_reject").count() == 0


@postgres_threads
def test_a_lock_that_waited_for_a_stage_to_open_reads_the_new_stage_tasks_the_writer_added():
    """The lock statement reads the stage's tasks beside the case row: when it had to wait for a
    writer that opened the next stage, it still hands over that stage's tasks, which did not
    exist yet when the statement began."""
    case = accepted_case(bundle=True)
    for task in stage_tasks(case, 1)[:2]:
        review.task_approve(actor=reviewer_for(task.department), task=task)
    last = stage_tasks(case, 1)[2]
    locked, waiting = threading.Event(), threading.Event()

    def open_stage_two() -> None:
        with transaction.atomic():
            review.task_approve(actor=reviewer_for(last.department), task=last)
            locked.set()
            waiting.wait(timeout=10)
            time.sleep(0.5)  # the other statement is now waiting for the case lock

    def lock_the_decided_task() -> list[int]:
        locked.wait(timeout=10)
        waiting.set()
        with transaction.atomic():
            return [task.stage for task in locking.task_lock(last.pk).stage_tasks or []]

    opened, stages = at_once(open_stage_two, lock_the_decided_task)

    assert opened is None
    assert stages == [2]
