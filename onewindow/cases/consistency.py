"""`onewindow audit verify` also proves that each case is what its audit events say.

A case's status, its tasks' statuses and its timeline rows are ordinary rows a database
administrator could edit; its events (stream `case:<id>`) are hash-chained and anchored by signed
checkpoints. Every step writes one timeline row and one event in the same order and transaction
(services/transitions.py), so the case's n-th timeline row (by id) is the row of event n:

- each row restates its event: action, actor, task, and old → new status (`changes["status"]`);
  the event also holds a keyed digest of the row's time, note and visibility to the applicant
  (`changes["timeline"]`, timeline_digest), which the event itself does not record in clear;
- the case's status is the new status of its last `cases.case_*` event, and each task's that of
  its last `cases.task_*` event;
- a case without events, and events of a case that no longer exists, were not written by the
  platform.

Cases are read in pages (their events, rows and tasks with them), so memory stays flat. A case
that looks wrong is read again under its lock before it is reported: a step committing while the
page was read is not a break.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from itertools import zip_longest
from typing import Any, NamedTuple

from django.db import transaction

from onewindow.audit.domain import Break
from onewindow.audit.models import Event, StreamHead
from onewindow.audit.services import pseudonym
from onewindow.cases.domain import CASE_STATUS_LABELS, TASK_STATUS_LABELS
from onewindow.cases.models import Case, Task, TimelineEntry

NOUN = "办件（状态、审查任务状态与办理环节）"
DIGEST_KEY = "timeline"
LABELS: dict[str, str] = {str(status): label for status, label in CASE_STATUS_LABELS.items()}
LABELS.update({str(status): label for status, label in TASK_STATUS_LABELS.items()})


def timeline_digest(*, at: dt.datetime, note: str, is_public: bool) -> str:
    """What a timeline row holds beyond its event, as a keyed hash (the note may name people).
    The note comes last, so whatever it holds cannot shift the fields before it."""
    return pseudonym(f"{at.astimezone(dt.UTC).isoformat()}|{int(is_public)}|{note}")


class EventStep(NamedTuple):
    """One event of a case's stream."""

    seq: int
    action: str
    actor_id: int | None
    changes: dict[str, Any]


class Row(NamedTuple):
    """One timeline row, in the columns `_ROW_COLUMNS` reads."""

    action: str
    actor_id: int | None
    task_id: int | None
    from_status: str
    to_status: str
    at: dt.datetime
    note: str
    is_public: bool


_ROW_COLUMNS = ("case_id", *Row._fields)


class Stored(NamedTuple):
    """One case as stored: its number and status, its tasks' statuses, its timeline and its events."""

    pk: int
    number: str
    status: str
    tasks: dict[int, str]
    rows: list[Row]
    steps: list[EventStep]


def case_consistency_check(chunk_size: int) -> Iterator[tuple[int, list[Break]]]:
    """Registered with audit.registry: per page of cases, how many were compared and the breaks."""
    after = 0
    page_size = max(1, chunk_size // 20)  # a case has a few to a few dozen events
    while True:
        cases = list(Case.objects.filter(pk__gt=after).order_by("pk").values_list("pk", "number", "status")[:page_size])
        if not cases:
            break
        yield len(cases), [problem for case in _read(cases) for problem in _problems_rechecked(case)]
        after = cases[-1][0]
    yield 0, list(_deleted_cases(chunk_size))


def _read(cases: Sequence[tuple[int, str, str]]) -> list[Stored]:
    """The cases with their tasks, timeline rows and events: three queries for the page."""
    # Every case of the page, and only those, lies in this range.
    page = {"case_id__gte": cases[0][0], "case_id__lte": cases[-1][0]}
    tasks: dict[int, dict[int, str]] = {pk: {} for pk, _, _ in cases}
    for case_id, task_id, status in Task.objects.filter(**page).values_list("case_id", "pk", "status"):
        tasks[case_id][task_id] = status
    rows: dict[int, list[Row]] = {pk: [] for pk, _, _ in cases}
    for case_id, *values in TimelineEntry.objects.filter(**page).order_by("case_id", "id").values_list(*_ROW_COLUMNS):
        rows[case_id].append(Row(*values))
    steps: dict[str, list[EventStep]] = {f"case:{pk}": [] for pk, _, _ in cases}
    events = Event.objects.filter(stream__in=list(steps)).order_by("stream", "seq")
    for stream, seq, action, actor_id, changes in events.values_list("stream", "seq", "action", "actor_id", "changes"):
        # A forged event whose changes are not a mapping is a chain break already: compare it as empty.
        steps[stream].append(EventStep(seq, action, actor_id, changes if isinstance(changes, dict) else {}))
    return [Stored(pk, number, status, tasks[pk], rows[pk], steps[f"case:{pk}"]) for pk, number, status in cases]


def _problems_rechecked(case: Stored) -> list[Break]:
    """The case's breaks, confirmed under the case lock that every step holds until it commits."""
    if not case_problems(case):
        return []
    with transaction.atomic():
        locked = list(Case.objects.select_for_update().filter(pk=case.pk).values_list("pk", "number", "status"))
        return case_problems(_read(locked)[0]) if locked else []


def case_problems(case: Stored) -> list[Break]:
    stream = f"case:{case.pk}"
    if not case.steps:
        return [Break(stream, 0, f"办件 {case.number} 没有任何留痕事件（不是经平台写入的）")]
    found = [_status_problem(case), _task_problem(case), _timeline_problem(case)]
    return [Break(stream, seq, f"办件 {case.number} {reason}") for seq, reason in filter(None, found)]


def _status_problem(case: Stored) -> tuple[int, str] | None:
    recorded = [_statuses(step)[1] for step in case.steps if step.action.startswith("cases.case_")]
    expected = recorded[-1] if recorded else None
    if case.status == expected:
        return None
    return 0, f"的状态为“{_label(case.status)}”，而留痕事件记录的是“{_label(expected)}”（状态被改动）"


def _task_problem(case: Stored) -> tuple[int, str] | None:
    recorded: dict[object, str] = {}
    for step in case.steps:
        if step.action.startswith("cases.task_"):
            recorded[step.changes.get("task_id")] = _statuses(step)[1]
    for task_id, status in sorted(case.tasks.items()):
        expected = recorded.get(task_id)
        if expected is None:
            return 0, f"的审查任务 #{task_id} 没有留痕事件（不是经平台写入的）"
        if status != expected:
            recorded_as = f"而留痕事件记录的是“{_label(expected)}”"
            return 0, f"的审查任务 #{task_id} 状态为“{_label(status)}”，{recorded_as}（状态被改动）"
    return None


def _timeline_problem(case: Stored) -> tuple[int, str] | None:
    """The first timeline row that is not its event's, said as deleted, inserted or changed."""
    pairs = list(zip_longest(case.rows, case.steps))
    for n, (row, step) in enumerate(pairs):
        if row is None:
            return step.seq, "缺少与此事件对应的办理环节（办理环节被删除）"
        if step is None:
            return 0, f"的第 {n + 1} 条办理环节（“{row.action}”）没有对应的留痕事件（办理环节被插入）"
        differences = row_differences(row, step)
        if not differences:
            continue
        following_row, following_step = pairs[n + 1] if n + 1 < len(pairs) else (None, None)
        if following_step is not None and not row_differences(row, following_step):
            return step.seq, "缺少与此事件对应的办理环节（办理环节被删除）"
        if following_row is not None and not row_differences(following_row, step):
            return 0, f"的第 {n + 1} 条办理环节（“{row.action}”）没有对应的留痕事件（办理环节被插入）"
        said = "；".join(differences)
        return step.seq, f"的第 {n + 1} 条办理环节与此事件不符：{said}（办理环节被改动）"
    return None


def row_differences(row: Row, step: EventStep) -> list[str]:
    """How a timeline row differs from the event it restates, in Chinese ([] when it does not)."""
    changes = step.changes
    task_id = changes.get("task_id") if step.action.startswith("cases.task_") else None
    status = _statuses(step)
    pairs = [
        ("动作", f"cases.{row.action}", step.action),
        ("操作人", row.actor_id, step.actor_id),
        ("审查任务", row.task_id, task_id),
        ("原状态", _label(row.from_status), _label(status[0])),
        ("新状态", _label(row.to_status), _label(status[1])),
    ]
    differences = [f"{name}为“{mine}”，事件记录为“{theirs}”" for name, mine, theirs in pairs if mine != theirs]
    digest = changes.get(DIGEST_KEY)  # events written before the digest was recorded have none
    if digest is not None and digest != timeline_digest(at=row.at, note=row.note, is_public=row.is_public):
        differences.append("时间、说明或申请人可见性与事件记录的摘要不符")
    return differences


def _label(status: object) -> str:
    return "无" if status is None else LABELS.get(str(status), str(status))


def _statuses(step: EventStep) -> list[Any]:
    """The event's [old, new] status ([None, None] if it has none)."""
    status = step.changes.get("status")
    return status if isinstance(status, list) and len(status) == 2 else [None, None]


def _deleted_cases(chunk_size: int) -> Iterator[Break]:
    """Streams `case:<id>` whose case is gone (a case is never deleted by the platform)."""
    after = "case:"
    while True:
        heads = list(
            StreamHead.objects.filter(stream__gt=after, stream__startswith="case:")
            .order_by("stream")
            .values_list("stream", "seq")[:chunk_size]
        )
        if not heads:
            return
        ids = {int(s.removeprefix("case:")): (s, seq) for s, seq in heads if s.removeprefix("case:").isdigit()}
        existing = set(Case.objects.filter(pk__in=list(ids)).values_list("pk", flat=True))
        for pk in sorted(set(ids) - existing):
            stream, seq = ids[pk]
            yield Break(stream, 0, f"办件 #{pk} 已不存在，留痕中却有它的 {seq} 个事件（办件被删除）")
        after = heads[-1][0]
