"""The locking service's step writes: all of a step at its end, or nothing (services/transitions.py)."""

from __future__ import annotations

import pytest
from django.db import connection, models, transaction
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext_lazy

from onewindow.audit.models import Event
from onewindow.cases.domain import TaskAction, TaskStatus
from onewindow.cases.models import CaseDepartment, Task, TimelineEntry
from onewindow.cases.services.transitions import (
    case_record,
    insert_now,
    records_together,
    step_save,
    step_write,
    task_lock,
    task_move,
    update_statement,
)
from onewindow.cases.tests.factories import accepted_case
from onewindow.sqlparams import value_param

pytestmark = pytest.mark.django_db


class Refused(Exception):
    pass


def test_a_step_that_fails_half_way_writes_none_of_its_rows_statuses_or_events():
    case = accepted_case()
    task = case.tasks.get()
    events, entries = Event.objects.count(), TimelineEntry.objects.count()
    with pytest.raises(Refused), transaction.atomic():
        locked = task_lock(task.pk)
        with records_together(locked.case):
            task_move(task=locked, action=TaskAction.APPROVE, actor=None, note="同意")
            step_write(locked.case, update_statement(Task, {"opinion": "不应写入"}, [locked.pk]))
            raise Refused
    task.refresh_from_db()
    assert (task.status, task.opinion) == (TaskStatus.OPEN, "")
    assert (Event.objects.count(), TimelineEntry.objects.count()) == (events, entries)


def test_a_row_saved_twice_in_a_step_is_written_once_at_its_end_with_its_last_values():
    task = accepted_case().tasks.get()
    with transaction.atomic():
        locked = task_lock(task.pk)
        with CaptureQueriesContext(connection) as written, records_together(locked.case):
            locked.opinion = "初稿"
            step_save(locked.case, locked, ["opinion"])
            locked.opinion, locked.extension_requested_days = "定稿", 3
            step_save(locked.case, locked, ["extension_requested_days"])
            case_record(case=locked.case, action="task_note", actor=None, task=locked, is_public=False)
            assert Task.objects.filter(pk=task.pk, opinion="").exists()  # nothing written before the end
    task.refresh_from_db()
    assert (task.opinion, task.extension_requested_days) == ("定稿", 3)
    statements = {"postgresql": 2, "sqlite": 5}[connection.vendor]  # + the check above; SQLite: one per write
    assert len(written) == statements


def test_the_rows_a_step_adds_are_written_with_it():
    case = accepted_case()
    assert set(CaseDepartment.objects.filter(case=case).values_list("department_id", flat=True)) == set(
        case.tasks.values_list("department_id", flat=True)
    )


def test_a_step_writes_every_value_as_its_field_would_save_it():
    case = accepted_case()
    task = case.tasks.get()
    with transaction.atomic():
        entry = TimelineEntry(
            case=case,
            task=task,
            at=case.created_at,
            action=TaskAction.APPROVE,
            note=gettext_lazy("同意"),
            is_public=False,
        )
        insert_now([entry])
    entry.refresh_from_db()
    assert (entry.action, entry.note, entry.is_public, entry.at) == ("approve", "同意", False, case.created_at)
    assert type(entry.note) is str


@pytest.mark.parametrize(
    ("field", "value"),
    [
        (models.IntegerField(), True),  # a bool in an integer column: 1, never a boolean parameter
        (models.IntegerField(), "7"),
        (models.CharField(), 12),
        (models.CharField(), gettext_lazy("受理")),
        (models.BooleanField(), 0),
        (models.TextField(), None),
        (models.DateField(), "2026-11-23"),
    ],
)
def test_a_statement_parameter_is_the_value_django_would_send(field, value):
    prepared = field.get_db_prep_save(value, connection)
    assert value_param(field, value, connection) == prepared
    assert type(value_param(field, value, connection)) is type(prepared)
