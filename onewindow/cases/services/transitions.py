"""The one locking service every transition of a case or a task goes through.

Each transition locks the case row first (on SQLite the IMMEDIATE transaction already holds the
database write lock), re-reads the status under the lock, applies the transition table, and writes
the new status, a timeline row and the audit event in the same transaction. Two clerks or two
reviewers acting on one case: the second sees the first's result and gets a clear conflict.

The statement that locks the case also reads the head of its audit stream (`case:<id>`): every
writer of that stream holds the case lock, so the events can be chained from it without locking
and reading the head again (the audit service still checks it, see `audit_record_many`). Within
`records_together(case)` the timeline rows and audit events of a step wait and are written at its
end, one INSERT each, in the order they were recorded.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import CharField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from onewindow.audit.domain import GENESIS_HASH
from onewindow.audit.models import StreamHead
from onewindow.audit.services import AuditEntry, audit_record_many
from onewindow.cases.domain import CaseAction, CaseStatus, TaskAction, TaskStatus, next_case_status, next_task_status
from onewindow.cases.models import Case, Task, TimelineEntry
from onewindow.errors import NotFound
from onewindow.orgs.models import Organisation, User

if TYPE_CHECKING:
    from onewindow.cases.models import PendingRecord


def case_lock(case_id: int) -> Case:
    """The case row, locked for the rest of the transaction, with its region and catalogue versions."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("case_lock must run inside a transaction")
    case = _locked_cases().filter(pk=case_id).first()
    if case is None:
        raise NotFound("未找到该办件", code="case_not_found")
    return _with_head(case)


def _locked_cases() -> QuerySet[Case]:
    # Only the case row is locked; what most services read next comes in the same statement.
    head = StreamHead.objects.filter(stream=Concat(Value("case:"), Cast(OuterRef("pk"), CharField())))
    return (
        Case.objects.select_for_update(of=("self",))
        .select_related("region", "matter_version", "bundle_version")
        .annotate(head_seq=Subquery(head.values("seq")[:1]), head_hash=Subquery(head.values("hash")[:1]))
    )


def _with_head(case: Case) -> Case:
    seq, head_hash = getattr(case, "head_seq", None), getattr(case, "head_hash", None)
    case.audit_head = (0, GENESIS_HASH) if seq is None else (int(seq), str(head_hash))
    return case


def task_lock(task_id: int) -> Task:
    """The task and its case, both locked (case first, always, so that no two writers deadlock).

    The other review tasks of the case's current stage come with it (`Task.stage_tasks`): the join
    after a decision needs their statuses, and they cannot change while the case is locked.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("task_lock must run inside a transaction")
    case = _locked_cases().filter(tasks__pk=task_id).first()
    if case is None:
        raise NotFound("未找到该审查任务", code="task_not_found")
    _with_head(case)
    tasks = list(
        Task.objects.select_for_update(of=("self",))
        .select_related("department__parent")
        .filter(case=case)
        .filter(Q(pk=task_id) | Q(kind=Task.Kind.REVIEW, stage=case.current_stage))
        .order_by("pk")
    )
    for row in tasks:
        row.case = case
    task = next(row for row in tasks if row.pk == task_id)
    task.stage_tasks = [row for row in tasks if row.kind == Task.Kind.REVIEW and row.stage == case.current_stage]
    return task


@contextmanager
def records_together(case: Case) -> Iterator[None]:
    """The timeline rows and audit events recorded for `case` inside the block, written at its end
    with one INSERT each (and nothing written when the block raises)."""
    if case.pending_records is not None:
        yield
        return
    case.pending_records = []
    try:
        yield
        pending = case.pending_records
    finally:
        case.pending_records = None
    _write(case, pending)


def _write(case: Case, records: list[PendingRecord]) -> None:
    if not records:
        return
    TimelineEntry.objects.bulk_create([entry for entry, _ in records])
    events = audit_record_many(stream=f"case:{case.pk}", entries=[event for _, event in records], head=case.audit_head)
    case.audit_head = (events[-1].seq, events[-1].hash)


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
    """The timeline row and the audit event of one step of a case (全程留痕): written now, or at the
    end of the enclosing `records_together(case)` block."""
    to_status = task.status if task is not None else case.status
    entry = TimelineEntry(
        case=case,
        task=task,
        at=timezone.now(),
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
        {"status": [from_status, to_status], **({"task_id": task.pk} if task else {}), **(changes or {})},
    )
    if case.pending_records is not None:
        case.pending_records.append((entry, event))
    else:
        _write(case, [(entry, event)])
    return entry


def task_open_records(
    *, case: Case, tasks: list[Task], actor: User | None, notes: list[str], changes: list[dict[str, Any]]
) -> None:
    """The timeline rows and audit events of new tasks (a fan-out), written in one batch each."""
    with records_together(case):
        for task, note, change in zip(tasks, notes, changes, strict=True):
            case_record(
                case=case, task=task, action="task_open", actor=actor, organisation=task.department,
                note=note, is_public=False, changes=change,
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
    """Apply `action` to a locked case: new status from the table, saved with the listed fields.

    A case not saved yet (a submission without a draft) is inserted with every field.
    """
    from_status = case.status
    case.status = next_case_status(CaseStatus(case.status), action)
    if case._state.adding:
        case.save(force_insert=True)
        case.audit_head = (0, GENESIS_HASH)
    else:
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
