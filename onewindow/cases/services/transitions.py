"""The one service every transition of a case or a task goes through, and the record of each step.

Each transition runs on a case locked by `locking.case_lock` / `locking.task_lock` (on SQLite the
IMMEDIATE transaction already holds the database write lock): the status was read under the lock, the
transition table gives the new one, and the row is saved with the listed fields, with its timeline
row and its audit event, in the same transaction. Two clerks or two reviewers acting on one case: the
second sees the first's result and gets a clear conflict.

Every write here is the ORM's and happens when it is called. The one shortcut is the audit chain:
the lock statement read the head of the case's stream (`case:<id>`), and every writer of that stream
holds the case lock, so a step's events are chained from it without locking the head again (the
audit service still checks it, see `audit_record_many`); the events of one call go in one INSERT.
"""

from __future__ import annotations

from typing import Any

from onewindow import clock
from onewindow.audit.services import AuditEntry, audit_record_many
from onewindow.cases.consistency import DIGEST_KEY, timeline_digest
from onewindow.cases.domain import CaseAction, CaseStatus, TaskAction, TaskStatus, next_case_status, next_task_status
from onewindow.cases.models import Task, TimelineEntry
from onewindow.cases.services.endings import ENDED_STATUSES, CaseEnding, case_ended
from onewindow.cases.services.locking import LockedCase
from onewindow.orgs.models import Organisation, User


def case_move(
    *,
    locked: LockedCase,
    action: CaseAction,
    actor: User | None,
    update_fields: tuple[str, ...] = (),
    organisation: Organisation | None = None,
    note: str = "",
    is_public: bool = True,
    changes: dict[str, Any] | None = None,
) -> None:
    """Apply `action` to the locked case: new status from the table, saved with the listed fields
    (a case not saved yet, a submission without a draft, is inserted with every field)."""
    case = locked.case
    from_status = case.status
    case.status = next_case_status(CaseStatus(case.status), action)
    if case._state.adding:
        case.save(force_insert=True)
    else:
        case.save(update_fields=["status", *update_fields])
    case_record(
        locked=locked,
        action=f"case_{action.value}",
        actor=actor,
        organisation=organisation,
        from_status=from_status,
        note=note,
        is_public=is_public,
        changes=changes,
    )
    if case.status in ENDED_STATUSES:
        case_ended(CaseEnding(case=case, status=CaseStatus(case.status), actor=actor))


def task_move(
    *,
    locked: LockedCase,
    action: TaskAction,
    actor: User | None,
    task: Task | None = None,
    update_fields: tuple[str, ...] = (),
    note: str = "",
    is_public: bool = False,
    changes: dict[str, Any] | None = None,
) -> None:
    """Apply `action` to a task of the locked case (by default the one task_lock locked), with its
    timeline row and audit event."""
    task = task or locked.locked_task
    from_status = task.status
    task.status = next_task_status(TaskStatus(task.status), action)
    task.save(update_fields=["status", *update_fields])
    case_record(
        locked=locked,
        action=f"task_{action.value}",
        actor=actor,
        organisation=task.department,
        from_status=from_status,
        note=note,
        task=task,
        is_public=is_public,
        changes=changes,
    )


def case_record(
    *,
    locked: LockedCase,
    action: str,
    actor: User | None,
    organisation: Organisation | None = None,
    from_status: str = "",
    note: str = "",
    task: Task | None = None,
    is_public: bool = True,
    changes: dict[str, Any] | None = None,
) -> None:
    """The timeline row and the audit event of one step of the locked case (全程留痕)."""
    _records_write(locked, [_record(locked, action, actor, organisation, from_status, note, task, is_public, changes)])


def task_open_records(
    *, locked: LockedCase, tasks: list[Task], actor: User | None, notes: list[str], changes: list[dict[str, Any]]
) -> None:
    """The timeline rows and audit events of new tasks (a fan-out): one INSERT each for all of them."""
    records = [
        _record(locked, "task_open", actor, task.department, "", note, task, False, change)
        for task, note, change in zip(tasks, notes, changes, strict=True)
    ]
    _records_write(locked, records)


def _record(
    locked: LockedCase,
    action: str,
    actor: User | None,
    organisation: Organisation | None,
    from_status: str,
    note: str,
    task: Task | None,
    is_public: bool,
    changes: dict[str, Any] | None,
) -> tuple[TimelineEntry, AuditEntry]:
    case = locked.case
    to_status = task.status if task is not None else case.status
    entry = TimelineEntry(
        case=case,
        task=task,
        at=clock.now(),
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=to_status,
        note=note,
        is_public=is_public,
    )
    event = AuditEntry(
        f"cases.{action}",
        "cases.case",
        case.pk,
        actor,
        organisation,
        {
            "status": [from_status, to_status],
            **({"task_id": task.pk} if task else {}),
            **(changes or {}),
            # What the row holds beyond the event, so that verify can prove the row (cases.consistency).
            DIGEST_KEY: timeline_digest(at=entry.at, note=note, is_public=is_public),
        },
    )
    return entry, event


def _records_write(locked: LockedCase, records: list[tuple[TimelineEntry, AuditEntry]]) -> None:
    """The timeline rows, then their events chained from the head the lock read (n-th row, n-th event)."""
    TimelineEntry.objects.bulk_create([entry for entry, _ in records])
    events = [event for _, event in records]
    written = audit_record_many(stream=f"case:{locked.case.pk}", entries=events, head=locked.audit_head)
    locked.audit_head = (written[-1].seq, written[-1].hash)
