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
import datetime as dt
import functools
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from django.db import connections, transaction
from django.db.models import Model
from django.db.models.expressions import Col
from django.utils import timezone

from onewindow.audit.domain import GENESIS_HASH
from onewindow.audit.models import StreamHead
from onewindow.audit.services import AuditEntry, Statement, audit_record_many
from onewindow.cases.consistency import DIGEST_KEY, timeline_digest
from onewindow.cases.domain import (
    CaseAction,
    CaseStatus,
    OwedMaterial,
    TaskAction,
    TaskStatus,
    next_case_status,
    next_task_status,
)
from onewindow.cases.models import Case, CaseMaterial, CaseMatter, Task, TimelineEntry
from onewindow.errors import NotFound
from onewindow.orgs.models import Organisation, User
from onewindow.orgs.selectors import (
    json_functions,
    memberships_column,
    user_memberships_read,
    user_memberships_unread,
)
from onewindow.sqlparams import row_params, value_param
from onewindow.workdays.domain import WorkCalendar
from onewindow.workdays.selectors import CALENDAR_REVISION_SQL, work_calendar

ModelT = TypeVar("ModelT", bound=Model)
MAX_ID = 2**63 - 1  # the largest id a BigAutoField holds


def case_lock(
    case_id: int, *, actor: User | None = None, contents: bool = False, opens_stage: int | None = None
) -> Case:
    """The case row, locked for the rest of the transaction, with its region (its catalogue
    versions come from the cache in `sources`). The same statement reads the memberships of
    `actor`, for the permission check that follows, unless they are known already.

    `contents`: the same statement also reads the case's matters (`Case.matter_rows`, each with
    whether its department approved it), the keys of its materials that hold a file
    (`Case.filed_keys`) and the deferred materials still owed (`Case.owed_materials`), for
    acceptance and the joint decision. `opens_stage`: a stage the step
    opens; the statement takes an id for each of its tasks, one per matter (`Case.new_task_ids`).
    """
    rows = _locked("c.id = %s", case_id, actor, contents=contents, opens_stage=opens_stage)
    if not rows:
        raise NotFound("未找到该办件", code="case_not_found")
    return _case(rows[0], actor)


def case_contents(case: Case) -> tuple[list[CaseMatter], set[str]]:
    """The case's matters and the keys of its filed materials, as its lock read them."""
    if case.matter_rows is None or case.filed_keys is None:
        raise RuntimeError("lock the case with case_lock(contents=True) to read its contents")
    return case.matter_rows, case.filed_keys


def case_calendar(case: Case) -> WorkCalendar:
    """The working-day calendar, current as of the lock statement that read the case."""
    return work_calendar(case.calendar_revision)


def task_lock(task_id: int, *, actor: User | None = None) -> Task:
    """The task and its case, both locked (case first, always, so that no two writers deadlock),
    in one statement. `actor`: as for case_lock.

    The other review tasks of the case's current stage come with it (`Task.stage_tasks`): the join
    after a decision needs their statuses, and they cannot change while the case is locked.
    """
    condition = f"c.id = (SELECT case_id FROM {Task._meta.db_table} WHERE id = %s)"  # noqa: S608
    rows = _locked(condition, task_id, actor, task_params=[task_id, Task.Kind.REVIEW.value])
    if not rows:
        raise NotFound("未找到该审查任务", code="task_not_found")
    case = _case(rows[0], actor)
    tasks = [_instance(Task, row, "task__") for row in rows]
    [(task, row)] = [(task, row) for task, row in zip(tasks, rows, strict=True) if task.pk == task_id]
    task.case = case
    task.department = _instance(Organisation, row, "department__")
    parent = _instance(Organisation, row, "parent__")
    task.department.parent = parent if parent.pk is not None else None
    task.stage_tasks = [t for t in tasks if t.kind == Task.Kind.REVIEW and t.stage == case.current_stage]
    return task


# The lock statements are written by hand and their rows made into model objects here, with each
# field's converters looked up once: Django takes milliseconds to compile a query with subqueries
# and joins, the database a tenth of one to run it, and these run on every step.


def _locked(
    condition: str,
    param: int,
    actor: User | None,
    *,
    contents: bool = False,
    opens_stage: int | None = None,
    task_params: list[Any] | None = None,
) -> list[dict[str, Any]]:
    """The rows of the lock statement (one per task with `task_params`: the task's id and the kind
    of its stage's tasks), as column name → value."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("case_lock and task_lock must run inside a transaction")
    if not 0 < param <= MAX_ID:  # no such row; the database would refuse the number (the ORM checks it)
        return []
    reads_memberships = user_memberships_unread(actor)
    sql = _case_sql(connection.vendor, reads_memberships, contents, opens_stage is not None).format(condition=condition)
    if task_params is not None:
        sql = _tasks_sql(connection.vendor, sql)
    params = [
        *([actor.pk] if actor is not None and reads_memberships else []),
        *([opens_stage] if opens_stage is not None else []),
        param,
        *(task_params or []),
    ]
    rows = _fetch(sql, params)
    if rows and rows[0].get("locked_version") != rows[0].get("seen_version"):
        # A writer committed while this statement waited for the lock: PostgreSQL hands over the
        # case row as that writer left it, but the statement's other reads (the stage's tasks, the
        # audit head) saw the database as it was before. The lock is held now: read again.
        rows = _fetch(sql, params)
    return rows


def _fetch(sql: str, params: list[Any]) -> list[dict[str, Any]]:
    with transaction.get_connection().cursor() as cursor:
        cursor.execute(sql, params)
        if (names := _COLUMN_NAMES.get(sql)) is None:  # the driver builds the description anew each time
            names = _COLUMN_NAMES[sql] = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


_COLUMN_NAMES: dict[str, list[str]] = {}  # per lock statement (a few per vendor)


def _case(row: dict[str, Any], actor: User | None) -> Case:
    if "memberships" in row and actor is not None:
        user_memberships_read(actor, row["memberships"])
    case = _instance(Case, row)
    case.region = _instance(Organisation, row, "region__")
    seq = row["head_seq"]
    case.audit_head = (0, GENESIS_HASH) if seq is None else (int(seq), str(row["head_hash"]))
    case.calendar_revision = int(row["revision"] or 0)
    if "matters" in row:
        case.matter_rows = sorted((_matter(case, values) for values in _json(row["matters"])), key=lambda m: m.pk)
        case.filed_keys = set(_json(row["filed"]))
        case.owed_materials = [
            OwedMaterial(key, name, dt.date.fromisoformat(due)) for key, name, due in _json(row["owed"])
        ]
    if "new_task_ids" in row:
        case.new_task_ids = sorted(_json(row["new_task_ids"]))
    return case


def _matter(case: Case, values: list[Any]) -> CaseMatter:
    pk, version_id, department_id, stage, result, approved = values
    names = ["id", "case_id", "matter_version_id", "department_id", "stage", "result"]
    matter = CaseMatter.from_db(case._state.db, names, [pk, case.pk, version_id, department_id, stage, result])
    matter.review_approved = bool(approved)
    return matter


def _json(column: str | list[Any] | None) -> list[Any]:
    return json.loads(column) if isinstance(column, str) else column or []


@functools.cache
def _loaders(model: type[Model], alias: str) -> tuple[list[str], list[tuple[str, list[Any], Col]]]:
    """The model's field names and, per field, the converters the ORM applies to its column."""
    connection = connections[alias]
    loaders = []
    for field in model._meta.concrete_fields:
        column = field.get_col(model._meta.db_table)
        loaders.append(
            (field.attname, [*connection.ops.get_db_converters(column), *column.get_db_converters(connection)], column)
        )
    return [attname for attname, _, _ in loaders], loaders


def _instance(model: type[ModelT], row: dict[str, Any], prefix: str = "") -> ModelT:
    """The model object read into `row` under column names `prefix` + field name (its pk None for
    the NULLs of an outer join)."""
    connection = transaction.get_connection()
    names, loaders = _loaders(model, connection.alias)
    values = []
    for attname, converters, column in loaders:
        value = row[prefix + attname]
        if value is not None:
            for converter in converters:
                value = converter(value, column, connection)
        values.append(value)
    return model.from_db(connection.alias, names, values)


def _columns(model: type[Model], alias: str, prefix: str = "") -> str:
    return ", ".join(f'{alias}."{field.column}" AS "{prefix}{field.attname}"' for field in model._meta.concrete_fields)


# PostgreSQL: the version of the case row locked (handed over as a writer that committed while the
# statement waited left it) and the version the statement's snapshot saw.
_CASE_VERSIONS = (
    f"c.xmin::text AS locked_version, (SELECT x.xmin::text FROM {Case._meta.db_table} x "  # noqa: S608
    "WHERE x.id = c.id) AS seen_version"
)


@functools.cache
def _case_sql(vendor: str, reads_memberships: bool, contents: bool, opens_stage: bool) -> str:
    """Only the case row is locked; its region, audit head, the calendar revision, (the first
    parameter) the actor's memberships, with `contents` its matters and filed materials and with
    `opens_stage` ids for the tasks of the stage (the next parameter) come along."""
    postgresql = vendor == "postgresql"
    columns = [
        *([f"{memberships_column(vendor)} AS memberships"] if reads_memberships else []),
        _columns(Case, "c"),
        "h.seq AS head_seq, h.hash AS head_hash",
        f"{CALENDAR_REVISION_SQL} AS revision",
        _columns(Organisation, "r", "region__"),
        *([f"{_matters_column(vendor)} AS matters", f"{_filed_column(vendor)} AS filed"] if contents else []),
        *([f"{_owed_column(vendor)} AS owed"] if contents else []),
        *([f"{_task_ids_column(vendor)} AS new_task_ids"] if opens_stage else []),
        *([_CASE_VERSIONS] if postgresql else []),
    ]
    lock = " FOR UPDATE OF c" if postgresql else ""  # SQLite: BEGIN IMMEDIATE holds the lock
    return (
        f"SELECT {', '.join(columns)} FROM {Case._meta.db_table} c "  # noqa: S608
        f"JOIN {Organisation._meta.db_table} r ON r.id = c.region_id "
        f"LEFT JOIN {StreamHead._meta.db_table} h ON h.stream = 'case:' || c.id "
        "WHERE {condition}" + lock
    )


def _matters_column(vendor: str) -> str:
    aggregate, array = json_functions(vendor)
    approved = (
        f"EXISTS (SELECT 1 FROM {Task._meta.db_table} a WHERE a.case_matter_id = m.id "  # noqa: S608
        f"AND a.kind = '{Task.Kind.REVIEW.value}' AND a.status = '{TaskStatus.APPROVED.value}')"
    )
    return (
        f"(SELECT {aggregate}({array}(m.id, m.matter_version_id, m.department_id, m.stage, m.result, {approved})) "  # noqa: S608
        f"FROM {CaseMatter._meta.db_table} m WHERE m.case_id = c.id)"
    )


def _filed_column(vendor: str) -> str:
    aggregate, _ = json_functions(vendor)
    return f"(SELECT {aggregate}(f.key) FROM {CaseMaterial._meta.db_table} f WHERE f.case_id = c.id AND f.file <> '')"  # noqa: S608


def _owed_column(vendor: str) -> str:
    """The materials deferred at acceptance (容缺) and not handed in: [key, name, due date]."""
    aggregate, array = json_functions(vendor)
    return (
        f"(SELECT {aggregate}({array}(f.key, f.name, f.deferred_due_on)) FROM {CaseMaterial._meta.db_table} f "  # noqa: S608
        "WHERE f.case_id = c.id AND f.file = '' AND f.deferred_due_on IS NOT NULL)"
    )


def _task_ids_column(vendor: str) -> str:
    """A new task id per matter of the case in the stage given as parameter (see next_id_sql)."""
    aggregate, _ = json_functions(vendor)
    matters = f"FROM {CaseMatter._meta.db_table} m WHERE m.case_id = c.id AND m.stage = %s"
    if vendor == "postgresql":  # a sequence: each call takes the next id
        return f"(SELECT {aggregate}({next_id_sql(Task, vendor)}) {matters})"
    # SQLite: the first free id and those after it, one per matter
    numbered = f"(SELECT row_number() OVER () - 1 AS n {matters})"
    return f"(SELECT {aggregate}({next_id_sql(Task, vendor)} + n) FROM {numbered})"  # noqa: S608


@functools.cache
def _tasks_sql(vendor: str, case_sql: str) -> str:
    """The case's lock statement joined to the task (the parameter after the case's) and the tasks
    of the kind given next in the case's current stage, each with its department and its parent."""
    organisations = Organisation._meta.db_table
    lock = " FOR UPDATE OF t" if vendor == "postgresql" else ""
    return (
        f"WITH locked AS ({case_sql}) SELECT c.*, {_columns(Task, 't', 'task__')}, "  # noqa: S608
        f"{_columns(Organisation, 'd', 'department__')}, {_columns(Organisation, 'p', 'parent__')} "
        f"FROM locked c JOIN {Task._meta.db_table} t ON t.case_id = c.id "
        "AND (t.id = %s OR (t.kind = %s AND t.stage = c.current_stage)) "
        f"JOIN {organisations} d ON d.id = t.department_id LEFT JOIN {organisations} p ON p.id = d.parent_id "
        "ORDER BY t.id" + lock
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
    """One INSERT of new rows of one model: with their primary keys when they have them (taken with
    next_id_sql), else without (not read back)."""
    connection = transaction.get_connection()
    meta = rows[0]._meta
    fields = [field for field in meta.concrete_fields if not field.primary_key or rows[0].pk is not None]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    values = ", ".join([f"({', '.join(['%s'] * len(fields))})"] * len(rows))
    params = row_params(fields, rows, connection)
    conflicts = " ON CONFLICT DO NOTHING" if ignore_conflicts else ""
    return f"INSERT INTO {meta.db_table} ({columns}) VALUES {values}{conflicts}", params  # noqa: S608


def next_id_sql(model: type[Model], vendor: str) -> str:
    """An SQL expression that takes the id of a new row of `model` now, for a statement that reads
    before the step writes: from its sequence on PostgreSQL; on SQLite, past the largest ever used
    (AUTOINCREMENT), which no one else can take while the IMMEDIATE transaction holds the write lock."""
    table = model._meta.db_table
    if vendor == "postgresql":
        return f"nextval(pg_get_serial_sequence('{table}', 'id'))"
    return f"(SELECT coalesce(max(seq), 0) + 1 FROM sqlite_sequence WHERE name = '{table}')"  # noqa: S608


def insert_now(rows: list[ModelT]) -> list[ModelT]:
    """Insert new rows of one model now, their primary keys read back (as bulk_create does)."""
    sql, params = insert_statement(rows)
    with transaction.get_connection().cursor() as cursor:
        cursor.execute(f"{sql} RETURNING id", params)
        for row, (pk,) in zip(rows, cursor.fetchall(), strict=True):
            row.pk = pk
    _saved(rows)
    return rows


def step_insert(case: Case, rows: Sequence[Model]) -> None:
    """Insert new rows of one model whose ids were taken already (next_id_sql) with the rest of the
    step; from here on they count as saved rows."""
    step_write(case, insert_statement(rows))
    _saved(rows)


def _saved(rows: Iterable[Model]) -> None:
    alias = transaction.get_connection().alias
    for row in rows:
        row._state.adding, row._state.db = False, alias


def update_statement(model: type[Model], values: Mapping[str, Any], pks: Sequence[int]) -> Statement:
    """One UPDATE of `values` (field name → value) on the rows `pks` of `model`."""
    connection = transaction.get_connection()
    fields = [field for field in model._meta.concrete_fields if field.name in values]
    assignments = ", ".join(f"{connection.ops.quote_name(field.column)} = %s" for field in fields)
    params = [value_param(field, values[field.name], connection) for field in fields]
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
        {
            "status": [from_status, to_status],
            **({"task_id": task.pk} if task else {}),
            **(changes or {}),
            # What the row holds beyond the event, so that verify can prove the row (cases.consistency).
            DIGEST_KEY: timeline_digest(at=entry.at, note=note, is_public=is_public),
        },
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

    A case not saved yet (a submission without a draft, its id taken with next_id_sql) is inserted
    with every field.
    """
    from_status, inserted = case.status, case._state.adding
    case.status = next_case_status(CaseStatus(case.status), action)
    if inserted:
        case.audit_head = (0, GENESIS_HASH)
    with records_together(case):
        if inserted:
            step_insert(case, [case])
        else:
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
