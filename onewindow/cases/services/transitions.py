"""The one locking service every transition of a case or a task goes through.

Each transition locks the case row first (on SQLite the IMMEDIATE transaction already holds the
database write lock), re-reads the status under the lock, applies the transition table, and writes
the new status, a timeline row and the audit event in the same transaction. Two clerks or two
reviewers acting on one case: the second sees the first's result and gets a clear conflict.

The statement that locks the case also reads the calendar's revision (`case_calendar`) and the head
of its audit stream (`case:<id>`): every writer of that stream holds the case lock, so the events
can be chained from it without locking and reading the head again (the audit service still checks
it, see `audit_record_many`). Within `records_together(case)` a step's row saves, added rows,
timeline rows and audit events wait and are written at its end: one statement on PostgreSQL.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from onewindow.audit.domain import GENESIS_HASH
from onewindow.audit.models import StreamHead
from onewindow.audit.services import AuditEntry, Statement, audit_record_many
from onewindow.cases.domain import CaseAction, CaseStatus, TaskAction, TaskStatus, next_case_status, next_task_status
from onewindow.cases.models import Case, Task, TimelineEntry
from onewindow.errors import NotFound
from onewindow.orgs.models import Organisation, User
from onewindow.orgs.selectors import memberships_column, user_memberships_read, user_memberships_unread
from onewindow.workdays.domain import WorkCalendar
from onewindow.workdays.selectors import CALENDAR_REVISION_SQL, work_calendar

ModelT = TypeVar("ModelT", bound=Model)


def case_lock(case_id: int, *, actor: User | None = None) -> Case:
    """The case row, locked for the rest of the transaction, with its region (its catalogue
    versions come from the cache in `sources`). The same statement reads the memberships of
    `actor`, for the permission check that follows, unless they are known already."""
    case = _locked_case("c.id = %s", case_id, actor)
    if case is None:
        raise NotFound("未找到该办件", code="case_not_found")
    return case


def case_calendar(case: Case) -> WorkCalendar:
    """The working-day calendar, current as of the lock statement that read the case."""
    return work_calendar(case.calendar_revision)


def task_lock(task_id: int, *, actor: User | None = None) -> Task:
    """The task and its case, both locked (case first, always, so that no two writers deadlock).

    The other review tasks of the case's current stage come with it (`Task.stage_tasks`): the join
    after a decision needs their statuses, and they cannot change while the case is locked.
    `actor`: as for case_lock.
    """
    condition = f"c.id = (SELECT case_id FROM {Task._meta.db_table} WHERE id = %s)"  # noqa: S608
    case = _locked_case(condition, task_id, actor)
    if case is None:
        raise NotFound("未找到该审查任务", code="task_not_found")
    params = [case.pk, task_id, Task.Kind.REVIEW.value, case.current_stage]
    tasks = list(Task.objects.raw(_tasks_sql(transaction.get_connection().vendor), params))
    for row in tasks:
        row.department = _organisation(row, "department__")
        parent = _organisation(row, "parent__")
        row.department.parent = parent if parent.pk is not None else None
        row.case = case
    task = next(row for row in tasks if row.pk == task_id)
    task.stage_tasks = [row for row in tasks if row.kind == Task.Kind.REVIEW and row.stage == case.current_stage]
    return task


# The lock statements are written by hand: Django takes milliseconds to compile a query with
# subqueries and joins, the database a tenth of one to run it, and these run on every step.
# `Model.objects.raw` still converts each column (dates, JSON) the way the ORM does.


def _locked_case(condition: str, param: int, actor: User | None) -> Case | None:
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("case_lock and task_lock must run inside a transaction")
    reads_memberships = user_memberships_unread(actor)
    sql = _case_sql(connection.vendor, reads_memberships).format(condition=condition)
    params = [actor.pk, param] if actor is not None and reads_memberships else [param]
    case = next(iter(Case.objects.raw(sql, params)), None)
    if case is None:
        return None
    if actor is not None and reads_memberships:
        user_memberships_read(actor, case.__dict__.pop("memberships"))
    case.region = _organisation(case, "region__")
    seq, head_hash, revision = (case.__dict__.pop(name) for name in ("head_seq", "head_hash", "revision"))
    case.audit_head = (0, GENESIS_HASH) if seq is None else (int(seq), str(head_hash))
    case.calendar_revision = int(revision or 0)
    return case


_ORGANISATION_COLUMNS = {field.attname: field.column for field in Organisation._meta.concrete_fields}
_ORGANISATION_FIELDS = list(_ORGANISATION_COLUMNS)


def _organisation_columns(alias: str, prefix: str) -> str:
    return ", ".join(f'{alias}."{column}" AS {prefix}{name}' for name, column in _ORGANISATION_COLUMNS.items())


def _organisation(row: Case | Task, prefix: str) -> Organisation:
    """The organisation read into `row` under column names starting with `prefix` (its pk None for
    a NULL of an outer join)."""
    values = [row.__dict__.pop(f"{prefix}{name}") for name in _ORGANISATION_FIELDS]
    return Organisation.from_db(transaction.get_connection().alias, _ORGANISATION_FIELDS, values)


@functools.cache
def _case_sql(vendor: str, reads_memberships: bool) -> str:
    """Only the case row is locked; its region, audit head, the calendar revision and (the first
    parameter) the actor's memberships come along."""
    lock = " FOR UPDATE OF c" if vendor == "postgresql" else ""  # SQLite: BEGIN IMMEDIATE holds the lock
    memberships = f"{memberships_column(vendor)} AS memberships, " if reads_memberships else ""
    return (
        f"SELECT {memberships}c.*, h.seq AS head_seq, h.hash AS head_hash, {CALENDAR_REVISION_SQL} AS revision, "  # noqa: S608
        f"{_organisation_columns('r', 'region__')} FROM {Case._meta.db_table} c "
        f"JOIN {Organisation._meta.db_table} r ON r.id = c.region_id "
        f"LEFT JOIN {StreamHead._meta.db_table} h ON h.stream = 'case:' || c.id "
        "WHERE {condition}" + lock
    )


@functools.cache
def _tasks_sql(vendor: str) -> str:
    """The task and the review tasks of the case's current stage, with their departments and parents."""
    lock = " FOR UPDATE OF t" if vendor == "postgresql" else ""
    organisations = Organisation._meta.db_table
    return (
        f"SELECT t.*, {_organisation_columns('d', 'department__')}, {_organisation_columns('p', 'parent__')} "  # noqa: S608
        f"FROM {Task._meta.db_table} t JOIN {organisations} d ON d.id = t.department_id "
        f"LEFT JOIN {organisations} p ON p.id = d.parent_id "
        "WHERE t.case_id = %s AND (t.id = %s OR (t.kind = %s AND t.stage = %s)) ORDER BY t.id" + lock
    )


@dataclasses.dataclass
class Step:
    """What one step of a case writes at its end (see records_together)."""

    saves: dict[tuple[type[Model], int], tuple[Model, set[str]]] = dataclasses.field(default_factory=dict)
    writes: list[Statement] = dataclasses.field(default_factory=list)
    records: list[tuple[TimelineEntry, AuditEntry]] = dataclasses.field(default_factory=list)


@contextmanager
def records_together(case: Case) -> Iterator[None]:
    """The row saves, other writes, timeline rows and audit events of `case`'s step inside the
    block, written at its end: one statement on PostgreSQL (nothing written when the block raises).
    Rows saved or inserted in the block are not in the database before its end."""
    if case.pending is not None:
        yield
        return
    case.pending = Step()
    try:
        yield
        step = case.pending
    finally:
        case.pending = None
    _write(case, step)


def step_save(case: Case, row: Model, fields: Iterable[str]) -> None:
    """Save `fields` of a row of the locked case's step: with the step's other writes at its end
    (the values the row holds then), or now outside records_together."""
    if case.pending is None:
        _write(case, Step(saves={(type(row), row.pk): (row, set(fields))}))
        return
    _, pending = case.pending.saves.setdefault((type(row), row.pk), (row, set()))
    pending.update(fields)


def step_write(case: Case, statement: Statement) -> None:
    """A write of the locked case's step (see insert_statement, update_statement): at its end, or now."""
    if case.pending is None:
        _write(case, Step(writes=[statement]))
    else:
        case.pending.writes.append(statement)


def _write(case: Case, step: Step) -> None:
    statements = [*(_row_update(row, fields) for row, fields in step.saves.values()), *step.writes]
    if step.records:
        statements.append(insert_statement([entry for entry, _ in step.records]))
        events = [event for _, event in step.records]
        written = audit_record_many(stream=f"case:{case.pk}", entries=events, head=case.audit_head, also=statements)
        case.audit_head = (written[-1].seq, written[-1].hash)
        return
    with transaction.get_connection().cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)


# A step's writes are written by hand, as the lock statements are: the ORM would compile each anew.


def insert_statement(rows: Sequence[Model], *, ignore_conflicts: bool = False) -> Statement:
    """One INSERT of new rows of one model (their primary keys are not read back)."""
    connection = transaction.get_connection()
    meta = rows[0]._meta
    fields = [field for field in meta.concrete_fields if not field.primary_key]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    values = ", ".join([f"({', '.join(['%s'] * len(fields))})"] * len(rows))
    params = [field.get_db_prep_save(field.pre_save(row, True), connection) for row in rows for field in fields]
    conflicts = " ON CONFLICT DO NOTHING" if ignore_conflicts else ""
    return f"INSERT INTO {meta.db_table} ({columns}) VALUES {values}{conflicts}", params  # noqa: S608


def insert_now(rows: list[ModelT]) -> list[ModelT]:
    """Insert new rows of one model now, their primary keys read back (as bulk_create does)."""
    sql, params = insert_statement(rows)
    connection = transaction.get_connection()
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} RETURNING id", params)
        for row, (pk,) in zip(rows, cursor.fetchall(), strict=True):
            row.pk = pk
            row._state.adding, row._state.db = False, connection.alias
    return rows


def update_statement(model: type[Model], values: Mapping[str, Any], pks: Sequence[int]) -> Statement:
    """One UPDATE of `values` (field name → value) on the rows `pks` of `model`."""
    connection = transaction.get_connection()
    fields = [field for field in model._meta.concrete_fields if field.name in values]
    assignments = ", ".join(f"{connection.ops.quote_name(field.column)} = %s" for field in fields)
    params = [field.get_db_prep_save(values[field.name], connection) for field in fields]
    marks = ", ".join(["%s"] * len(pks))
    return f"UPDATE {model._meta.db_table} SET {assignments} WHERE id IN ({marks})", [*params, *pks]  # noqa: S608


def _row_update(row: Model, names: set[str]) -> Statement:
    fields = [field for field in row._meta.concrete_fields if field.name in names or field.attname in names]
    return update_statement(type(row), {field.name: field.pre_save(row, False) for field in fields}, [row.pk])


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
) -> None:
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
    if case.pending is not None:
        case.pending.records.append((entry, event))
    else:
        _write(case, Step(records=[(entry, event)]))


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
) -> None:
    """Apply `action` to a locked case: new status from the table, saved with the listed fields.

    A case not saved yet (a submission without a draft) is inserted with every field.
    """
    from_status, inserted = case.status, case._state.adding
    case.status = next_case_status(CaseStatus(case.status), action)
    if inserted:
        insert_now([case])
        case.audit_head = (0, GENESIS_HASH)
    with records_together(case):
        if not inserted:
            step_save(case, case, ["status", *update_fields])
        case_record(
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
) -> None:
    """Apply `action` to a locked task (see task_lock), with its timeline row and audit event."""
    from_status = task.status
    task.status = next_task_status(TaskStatus(task.status), action)
    with records_together(task.case):
        step_save(task.case, task, ["status", *update_fields])
        case_record(
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
