"""The case lock and the step's writes (services/locking.py, services/transitions.py)."""

from __future__ import annotations

import pytest
from django.db import transaction

from onewindow.audit.models import Event
from onewindow.cases.domain import TaskAction, TaskStatus
from onewindow.cases.models import CaseDepartment, Task, TimelineEntry
from onewindow.cases.services.locking import case_lock, task_lock
from onewindow.cases.services.transitions import task_move
from onewindow.cases.tests.factories import accepted_case

pytestmark = pytest.mark.django_db


class Refused(Exception):
    pass


def test_a_step_that_fails_half_way_writes_none_of_its_rows_statuses_or_events():
    case = accepted_case()
    task = case.tasks.get()
    events, entries = Event.objects.count(), TimelineEntry.objects.count()
    with pytest.raises(Refused), transaction.atomic():
        locked = task_lock(task.pk)
        task_move(locked=locked, action=TaskAction.APPROVE, actor=None, note="同意")
        Task.objects.filter(pk=task.pk).update(opinion="不应写入")
        raise Refused
    task.refresh_from_db()
    assert (task.status, task.opinion) == (TaskStatus.OPEN, "")
    assert (Event.objects.count(), TimelineEntry.objects.count()) == (events, entries)


def test_the_rows_a_step_adds_are_written_with_it():
    case = accepted_case()
    assert set(CaseDepartment.objects.filter(case=case).values_list("department_id", flat=True)) == set(
        case.tasks.values_list("department_id", flat=True)
    )


def test_the_lock_reads_every_column_of_the_rows_it_hands_over(django_assert_num_queries):
    """The statements are built from the models: nothing is deferred, so no row costs a hidden query."""
    case = accepted_case()
    task = case.tasks.get()
    with transaction.atomic():
        with django_assert_num_queries(1):
            locked = case_lock(case.pk, contents=True)
        assert locked.matters is not None and locked.matters
        rows = [locked.case, locked.case.region, *locked.matters]
        with django_assert_num_queries(1):
            by_task = task_lock(task.pk)
        rows += [by_task.locked_task, *(by_task.stage_tasks or [])]
    assert all(row.get_deferred_fields() == set() for row in rows)
    assert [matter.pk for matter in locked.matters] == list(case.matters.order_by("pk").values_list("pk", flat=True))


def test_the_lock_hands_over_the_audit_head_the_step_chains_from():
    case = accepted_case()
    task = case.tasks.get()
    head = Event.objects.filter(stream=f"case:{case.pk}").order_by("-seq").values_list("seq", "hash").first()
    with transaction.atomic():
        locked = task_lock(task.pk)
        assert locked.audit_head == head
        task_move(locked=locked, action=TaskAction.APPROVE, actor=None, note="同意")
    last = Event.objects.filter(stream=f"case:{case.pk}").order_by("-seq").first()
    assert last is not None and (last.seq, last.prev_hash) == (head[0] + 1, head[1])
    assert locked.audit_head == (last.seq, last.hash)
