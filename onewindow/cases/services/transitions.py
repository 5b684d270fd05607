"""The one locking service every transition of a case or a task goes through.

Each transition locks the case row first (on SQLite the IMMEDIATE transaction already holds the
database write lock), re-reads the status under the lock, applies the transition table, and writes
the new status, a timeline row and the audit event in the same transaction. Two clerks or two
reviewers acting on one case: the second sees the first's result and gets a clear conflict.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from onewindow.audit.services import AuditEntry, audit_record, audit_record_many
from onewindow.cases.domain import CaseAction, CaseStatus, TaskAction, TaskStatus, next_case_status, next_task_status
from onewindow.cases.models import Case, Task, TimelineEntry
from onewindow.errors import NotFound
from onewindow.orgs.models import Organisation, User


def case_lock(case_id: int) -> Case:
    """The case row, locked for the rest of the transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("case_lock must run inside a transaction")
    case = _locked_cases().filter(pk=case_id).first()
    if case is None:
        raise NotFound("未找到该办件", code="case_not_found")
    return case


def _locked_cases() -> QuerySet[Case]:
    # Only the case row is locked; its region (read by most permission checks) comes in the same query.
    return Case.objects.select_for_update(of=("self",)).select_related("region")


def task_lock(task_id: int) -> Task:
    """The task and its case, both locked (case first, always, so that no two writers deadlock)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("task_lock must run inside a transaction")
    case = _locked_cases().filter(tasks__pk=task_id).first()
    if case is None:
        raise NotFound("未找到该审查任务", code="task_not_found")
    task = Task.objects.select_for_update(of=("self",)).select_related("department__parent").get(pk=task_id)
    task.case = case
    return task


def case_record(
    *,
    case: Case,
    action: str,
    actor: User | None,
    organisation: Organisation | None = None,
    from_status: str = "",
    note: str = "",
    task: Task | None = None,
    is_public: bool = True,
    changes: dict[str, Any] | None = None,
) -> TimelineEntry:
    """Write the timeline row and the audit event of one step of a case (全程留痕)."""
    entry = TimelineEntry.objects.create(
        case=case,
        task=task,
        at=timezone.now(),
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=task.status if task is not None else case.status,
        note=note,
        is_public=is_public,
    )
    audit_record(
        stream=f"case:{case.pk}",
        action=f"cases.{action}",
        target_type="cases.case",
        target_id=case.pk,
        actor=actor,
        organisation=organisation,
        changes={"status": [from_status, entry.to_status], **({"task_id": task.pk} if task else {}), **(changes or {})},
    )
    return entry


def task_open_records(
    *, case: Case, tasks: list[Task], actor: User | None, notes: list[str], changes: list[dict[str, Any]]
) -> None:
    """The timeline rows and audit events of new tasks (a fan-out), written in one batch each.

    The same rows and the same chain as one `case_record(action="task_open", is_public=False)` per task.
    """
    now = timezone.now()
    TimelineEntry.objects.bulk_create(
        [
            TimelineEntry(case=case, task=task, at=now, actor=actor, action="task_open", from_status="",
                          to_status=task.status, note=note, is_public=False)
            for task, note in zip(tasks, notes, strict=True)
        ]
    )  # fmt: skip
    audit_record_many(
        stream=f"case:{case.pk}",
        entries=[
            AuditEntry("cases.task_open", "cases.case", case.pk, actor, task.department,
                       {"status": ["", task.status], "task_id": task.pk, **change})
            for task, change in zip(tasks, changes, strict=True)
        ],
    )  # fmt: skip


def case_move(
    *,
    case: Case,
    action: CaseAction,
    actor: User | None,
    update_fields: tuple[str, ...] = (),
    organisation: Organisation | None = None,
    note: str = "",
    is_public: bool = True,
    changes: dict[str, Any] | None = None,
) -> TimelineEntry:
    """Apply `action` to a locked case: new status from the table, saved with the listed fields."""
    from_status = case.status
    case.status = next_case_status(CaseStatus(case.status), action)
    case.save(update_fields=["status", *update_fields])
    return case_record(
        case=case,
        action=f"case_{action.value}",
        actor=actor,
        organisation=organisation,
        from_status=from_status,
        note=note,
        is_public=is_public,
        changes=changes,
    )


def task_move(
    *,
    task: Task,
    action: TaskAction,
    actor: User | None,
    update_fields: tuple[str, ...] = (),
    note: str = "",
    is_public: bool = False,
    changes: dict[str, Any] | None = None,
) -> TimelineEntry:
    """Apply `action` to a locked task (see task_lock), with its timeline row and audit event."""
    from_status = task.status
    task.status = next_task_status(TaskStatus(task.status), action)
    task.save(update_fields=["status", *update_fields])
    return case_record(
        case=task.case,
        action=f"task_{action.value}",
        actor=actor,
        organisation=task.department,
        from_status=from_status,
        note=note,
        task=task,
        is_public=is_public,
        changes=changes,
    )
