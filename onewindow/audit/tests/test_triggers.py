"""The database itself refuses to rewrite or delete the log."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from onewindow.audit.models import Checkpoint, Event
from onewindow.audit.services import checkpoint_create
from onewindow.audit.tests.factories import record

pytestmark = pytest.mark.django_db


def refused(operation) -> bool:
    try:
        with transaction.atomic():
            operation()
    except DatabaseError as exc:
        return "append-only" in str(exc)
    return False


def test_an_event_cannot_be_updated_through_the_orm():
    [event] = record("case:1")
    event.changes = {"status": "forged"}
    assert refused(event.save)
    assert refused(lambda: Event.objects.filter(pk=event.pk).update(action="cases.forged"))
    assert Event.objects.get(pk=event.pk).changes == {}


def test_an_event_cannot_be_deleted():
    [event] = record("case:1")
    assert refused(event.delete)
    assert refused(lambda: Event.objects.all().delete())
    assert Event.objects.count() == 1


def test_raw_sql_cannot_update_or_delete_events_or_checkpoints():
    record("case:1")
    checkpoint_create()

    def execute(sql):
        def run():
            with connection.cursor() as cursor:
                cursor.execute(sql)

        return run

    assert refused(execute("UPDATE audit_event SET action = 'cases.forged'"))
    assert refused(execute("DELETE FROM audit_event"))
    assert refused(execute("UPDATE audit_checkpoint SET root = 'forged'"))
    assert refused(execute("DELETE FROM audit_checkpoint"))
    assert Event.objects.get().action == "cases.case_accepted"
    assert Checkpoint.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_transactional_tests_still_flush_a_log_with_events():
    """pytest-django flushes after this test; on SQLite that DELETE must not trip the triggers."""
    record("case:1", 2)
    checkpoint_create()
    assert refused(lambda: Event.objects.all().delete())


@pytest.mark.django_db(transaction=True)
def test_the_next_transactional_test_starts_empty_and_protected():
    assert not Event.objects.exists()
    record("case:1")
    assert refused(lambda: Event.objects.all().delete())
