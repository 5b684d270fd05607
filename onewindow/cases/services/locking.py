"""The case lock: the statements, written by hand, that start every step of a case.

Why by hand: each step of a case (submit, accept, each department's decision, the joint decision)
begins by locking the case row and reading what the step needs with it: its region, the head of its
audit stream, the calendar's revision, the actor's memberships, for a task the tasks of its stage,
at acceptance and the decision the case's matters and materials. As one ORM query (joins, scalar
subqueries, JSON aggregates) Django takes milliseconds to compile it, on every step, and the database
a tenth of one to run it: replacing these statements with the ORM measured 2.5-2.9x slower per step
(docs/adr/0002). Everything a step then writes goes through the ORM (`transitions.py`).

The statements are built once per database vendor from the models' `_meta` (tables, columns), so a
new column of any model read here reaches them by itself; the rows become model objects through
each field's own converters. What the lock read is handed over as a `LockedCase`, never as
attributes set on the model objects. The case-number sequence (a row locked until the submission
commits) is here too: it is the lock of a submission.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import connections, transaction
from django.db.models import Field, Model
from django.db.models.expressions import Col

from onewindow.audit.domain import GENESIS_HASH
from onewindow.audit.models import StreamHead
from onewindow.cases.domain import OwedMaterial, TaskStatus
from onewindow.cases.models import Case, CaseMaterial, CaseMatter, CaseSequence, Task
from onewindow.errors import NotFound
from onewindow.orgs.domain import Role
from onewindow.orgs.models import Membership, Organisation, User
from onewindow.orgs.selectors import user_memberships_keep, user_memberships_unread
from onewindow.workdays.domain import WorkCalendar
from onewindow.workdays.models import CalendarRevision
from onewindow.workdays.selectors import work_calendar

ModelT = TypeVar("ModelT", bound=Model)
MAX_ID = 2**63 - 1  # the largest id a BigAutoField holds


@dataclass
class LockedCase:
    """A case locked for the rest of the transaction, with what its lock statement read.

    `audit_head`: the (seq, hash) head of the case's audit stream (`case:<id>`), moved by every
    record the step writes. `memberships`: the actor's (role, organisation path), when the statement
    read them. With `contents`: the case's matters, which of them their department approved in
    review, the keys of the materials that hold a file and the deferred materials still owed. With a
    task: the task (its case, department and parent set) and the review tasks of the case's current
    stage, the task among them.
    """

    case: Case
    audit_head: tuple[int, str]
    calendar_revision: int | None  # None: read it when the calendar is asked for
    memberships: list[tuple[Role, str]] | None = None
    matters: list[CaseMatter] | None = None
    approved_matter_ids: frozenset[int] | None = None
    filed_keys: frozenset[str] | None = None
    owed_materials: list[OwedMaterial] | None = None
    task: Task | None = None
    stage_tasks: list[Task] | None = None

    @property
    def calendar(self) -> WorkCalendar:
        """The working-day calendar, current as of the lock statement."""
        return work_calendar(self.calendar_revision)

    @property
    def locked_task(self) -> Task:
        if self.task is None:
            raise RuntimeError("lock the task with task_lock to read it")
        return self.task

    def contents(self) -> tuple[list[CaseMatter], frozenset[str]]:
        """The case's matters and the keys of its filed materials, as the lock read them."""
        if self.matters is None or self.filed_keys is None:
            raise RuntimeError("lock the case with case_lock(contents=True) to read its contents")
        return self.matters, self.filed_keys

    @classmethod
    def new(cls, case: Case, calendar_revision: int | None = None) -> LockedCase:
        """A case inserted in this transaction: no one else can see it yet, its stream is empty."""
        return cls(case=case, audit_head=(0, GENESIS_HASH), calendar_revision=calendar_revision)


def case_lock(case_id: int, *, actor: User | None = None, contents: bool = False) -> LockedCase:
    """The case row, locked for the rest of the transaction, with its region (its catalogue versions
    come from the cache in `sources`). The same statement reads the memberships of `actor`, for the
    permission check that follows, unless they are known already; with `contents` the case's matters
    and materials, for acceptance and the joint decision."""
    rows = _locked("c.id = %s", case_id, actor, contents=contents)
    if not rows:
        raise NotFound("未找到该办件", code="case_not_found")
    return _locked_case(rows[0], actor)


def task_lock(task_id: int, *, actor: User | None = None) -> LockedCase:
    """The task and its case, both locked (case first, always, so that no two writers deadlock), in one
    statement, with the other review tasks of the case's current stage: the join after a decision needs
    their statuses, and they cannot change while the case is locked. `actor`: as for case_lock."""
    condition = f"c.id = (SELECT case_id FROM {Task._meta.db_table} WHERE id = %s)"  # noqa: S608
    rows = _locked(condition, task_id, actor, task_params=[task_id, Task.Kind.REVIEW.value])
    if not rows:
        raise NotFound("未找到该审查任务", code="task_not_found")
    locked = _locked_case(rows[0], actor)
    tasks = [_instance(Task, row, "task__") for row in rows]
    [(task, row)] = [(task, row) for task, row in zip(tasks, rows, strict=True) if task.pk == task_id]
    task.case = locked.case
    task.department = _instance(Organisation, row, "department__")
    parent = _instance(Organisation, row, "parent__")
    task.department.parent = parent if parent.pk is not None else None
    locked.task = task
    locked.stage_tasks = [t for t in tasks if t.kind == Task.Kind.REVIEW and t.stage == locked.case.current_stage]
    return locked


def case_sequence_next(region_code: str, on: dt.date) -> tuple[int, int]:
    """The next number of the region's day (unique and gapless: the sequence row stays locked until
    the submission commits) and the calendar's revision, in one statement."""
    connection = transaction.get_connection()
    on_value = CaseSequence._meta.get_field("on").get_db_prep_save(on, connection)
    with connection.cursor() as cursor:
        cursor.execute(_SEQUENCE_SQL, [region_code, on_value])
        last, revision = cursor.fetchone()
    return int(last), int(revision or 0)


def _locked(
    condition: str, param: int, actor: User | None, *, contents: bool = False, task_params: list[Any] | None = None
) -> list[dict[str, Any]]:
    """The rows of the lock statement (one per task with `task_params`: the task's id and the kind of
    its stage's tasks), as column name → value."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("case_lock and task_lock must run inside a transaction")
    if not 0 < param <= MAX_ID:  # no such row; the database would refuse the number (the ORM checks it)
        return []
    reads_memberships = user_memberships_unread(actor)
    sql = _case_sql(connection.vendor, reads_memberships, contents).format(condition=condition)
    if task_params is not None:
        sql = _tasks_sql(connection.vendor, sql)
    params = [*([actor.pk] if actor is not None and reads_memberships else []), param, *(task_params or [])]
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


def _locked_case(row: dict[str, Any], actor: User | None) -> LockedCase:
    case = _instance(Case, row)
    case.region = _instance(Organisation, row, "region__")
    seq = row["head_seq"]
    locked = LockedCase(
        case=case,
        audit_head=(0, GENESIS_HASH) if seq is None else (int(seq), str(row["head_hash"])),
        calendar_revision=int(row["revision"] or 0),
    )
    if "memberships" in row and actor is not None:
        locked.memberships = [(Role(role), path) for role, path in _json(row["memberships"])]
        user_memberships_keep(actor, locked.memberships)
    if "matters" in row:
        matters = [(_from_json(CaseMatter, values[:-1]), bool(values[-1])) for values in _json(row["matters"])]
        locked.matters = sorted((matter for matter, _ in matters), key=lambda m: m.pk)
        locked.approved_matter_ids = frozenset(matter.pk for matter, approved in matters if approved)
        locked.filed_keys = frozenset(_json(row["filed"]))
        locked.owed_materials = [
            OwedMaterial(key, name, dt.date.fromisoformat(due)) for key, name, due in _json(row["owed"])
        ]
    return locked


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


def _from_json(model: type[ModelT], values: Sequence[Any]) -> ModelT:
    """The model object read as a JSON array of its concrete fields' columns (see _json_row)."""
    fields: list[Field[Any, Any]] = list(model._meta.concrete_fields)
    python = [None if value is None else field.to_python(value) for field, value in zip(fields, values, strict=True)]
    return model.from_db(transaction.get_connection().alias, [field.attname for field in fields], python)


def _columns(model: type[Model], alias: str, prefix: str = "") -> str:
    return ", ".join(f'{alias}."{field.column}" AS "{prefix}{field.attname}"' for field in model._meta.concrete_fields)


def _json_row(model: type[Model], alias: str) -> list[str]:
    """The columns of every concrete field of `model`, for a JSON array of one row (see _from_json)."""
    return [f'{alias}."{field.column}"' for field in model._meta.concrete_fields]


def _json_functions(vendor: str) -> tuple[str, str]:
    """The database's JSON aggregate and JSON array functions: rows of another table as one column."""
    return ("json_agg", "json_build_array") if vendor == "postgresql" else ("json_group_array", "json_array")


def _column(model: type[Model], name: str) -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, Field)  # a concrete column, never a reverse relation
    return field.column


def _memberships_column(vendor: str) -> str:
    """The memberships of the user whose id is the parameter, as a JSON array of [role, path]."""
    aggregate, array = _json_functions(vendor)
    return (
        f"(SELECT {aggregate}({array}(m.{_column(Membership, 'role')}, o.{_column(Organisation, 'path')})) "  # noqa: S608
        f"FROM {Membership._meta.db_table} m JOIN {Organisation._meta.db_table} o "
        f"ON o.id = m.{_column(Membership, 'organisation')} WHERE m.{_column(Membership, 'user')} = %s)"
    )


# The calendar's revision as a column of another statement (a scalar subquery), passed to work_calendar.
_CALENDAR_REVISION = f"(SELECT number FROM {CalendarRevision._meta.db_table} WHERE id = 1)"  # noqa: S608

# PostgreSQL: the version of the case row locked (handed over as a writer that committed while the
# statement waited left it) and the version the statement's snapshot saw.
_CASE_VERSIONS = (
    f"c.xmin::text AS locked_version, (SELECT x.xmin::text FROM {Case._meta.db_table} x "  # noqa: S608
    "WHERE x.id = c.id) AS seen_version"
)


@functools.cache
def _case_sql(vendor: str, reads_memberships: bool, contents: bool) -> str:
    """Only the case row is locked; its region, audit head, the calendar revision, (the first
    parameter) the actor's memberships and with `contents` its matters and materials come along."""
    postgresql = vendor == "postgresql"
    columns = [
        *([f"{_memberships_column(vendor)} AS memberships"] if reads_memberships else []),
        _columns(Case, "c"),
        "h.seq AS head_seq, h.hash AS head_hash",
        f"{_CALENDAR_REVISION} AS revision",
        _columns(Organisation, "r", "region__"),
        *([f"{_matters_column(vendor)} AS matters", f"{_filed_column(vendor)} AS filed"] if contents else []),
        *([f"{_owed_column(vendor)} AS owed"] if contents else []),
        *([_CASE_VERSIONS] if postgresql else []),
    ]
    lock = " FOR UPDATE OF c" if postgresql else ""  # SQLite: BEGIN IMMEDIATE holds the lock
    return (
        f"SELECT {', '.join(columns)} FROM {Case._meta.db_table} c "  # noqa: S608
        f"JOIN {Organisation._meta.db_table} r ON r.id = c.{_column(Case, 'region')} "
        f"LEFT JOIN {StreamHead._meta.db_table} h ON h.stream = 'case:' || c.id "
        "WHERE {condition}" + lock
    )


def _matters_column(vendor: str) -> str:
    """Every column of each of the case's matters, and last whether its department approved it."""
    aggregate, array = _json_functions(vendor)
    task_matter, kind, status = (_column(Task, name) for name in ("case_matter", "kind", "status"))
    approved = (
        f"EXISTS (SELECT 1 FROM {Task._meta.db_table} a WHERE a.{task_matter} = m.id "  # noqa: S608
        f"AND a.{kind} = '{Task.Kind.REVIEW.value}' AND a.{status} = '{TaskStatus.APPROVED.value}')"
    )
    return (
        f"(SELECT {aggregate}({array}({', '.join(_json_row(CaseMatter, 'm'))}, {approved})) "  # noqa: S608
        f"FROM {CaseMatter._meta.db_table} m WHERE m.{_column(CaseMatter, 'case')} = c.id)"
    )


def _filed_column(vendor: str) -> str:
    aggregate, _ = _json_functions(vendor)
    case, key, file = (_column(CaseMaterial, name) for name in ("case", "key", "file"))
    table = CaseMaterial._meta.db_table
    return f"(SELECT {aggregate}(f.{key}) FROM {table} f WHERE f.{case} = c.id AND f.{file} <> '')"  # noqa: S608


def _owed_column(vendor: str) -> str:
    """The materials deferred at acceptance (容缺) and not handed in: [key, name, due date]."""
    aggregate, array = _json_functions(vendor)
    case, key, name, file, due = (
        _column(CaseMaterial, name) for name in ("case", "key", "name", "file", "deferred_due_on")
    )
    return (
        f"(SELECT {aggregate}({array}(f.{key}, f.{name}, f.{due})) FROM {CaseMaterial._meta.db_table} f "  # noqa: S608
        f"WHERE f.{case} = c.id AND f.{file} = '' AND f.{due} IS NOT NULL)"
    )


@functools.cache
def _tasks_sql(vendor: str, case_sql: str) -> str:
    """The case's lock statement joined to the task (the parameter after the case's) and the tasks
    of the kind given next in the case's current stage, each with its department and its parent."""
    organisations = Organisation._meta.db_table
    case, kind, stage, department = (_column(Task, name) for name in ("case", "kind", "stage", "department"))
    parent = _column(Organisation, "parent")
    lock = " FOR UPDATE OF t" if vendor == "postgresql" else ""
    return (
        f"WITH locked AS ({case_sql}) SELECT c.*, {_columns(Task, 't', 'task__')}, "  # noqa: S608
        f"{_columns(Organisation, 'd', 'department__')}, {_columns(Organisation, 'p', 'parent__')} "
        f"FROM locked c JOIN {Task._meta.db_table} t ON t.{case} = c.id "
        f"AND (t.id = %s OR (t.{kind} = %s AND t.{stage} = c.{_column(Case, 'current_stage')})) "
        f"JOIN {organisations} d ON d.id = t.{department} LEFT JOIN {organisations} p ON p.id = d.{parent} "
        "ORDER BY t.id" + lock
    )


# One statement creates the day's row or raises it (its row lock held until the case commits), and
# reads the calendar's revision for the intake due date.
_SEQUENCE_TABLE = CaseSequence._meta.db_table
_SEQUENCE_SQL = (
    f'INSERT INTO {_SEQUENCE_TABLE} (region_code, "on", last) VALUES (%s, %s, 1) '  # noqa: S608
    f'ON CONFLICT (region_code, "on") DO UPDATE SET last = {_SEQUENCE_TABLE}.last + 1 '
    f"RETURNING last, {_CALENDAR_REVISION}"
)
