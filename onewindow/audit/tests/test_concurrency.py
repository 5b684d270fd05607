"""Real threads on PostgreSQL: one stream never forks or gaps; other streams never wait."""

from __future__ import annotations

import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection, transaction

from onewindow.audit.models import Event
from onewindow.audit.services import audit_record

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks and real concurrency need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def write(stream: str, lock_timeout: str | None = None) -> None:
    with transaction.atomic():
        if lock_timeout:
            with connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL lock_timeout = '{lock_timeout}'")
        audit_record(stream=stream, action="cases.case_accepted", target_type="cases.case", target_id=stream)


def in_thread(target, *args) -> tuple[threading.Thread, list[BaseException]]:
    errors: list[BaseException] = []

    def run():
        try:
            target(*args)
        except BaseException as exc:  # noqa: BLE001 - reported to the test
            errors.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, errors


def test_eight_concurrent_writers_on_one_stream_make_one_gapless_chain():
    barrier = threading.Barrier(8)

    def writer():
        barrier.wait(timeout=30)
        for _ in range(25):
            write("case:busy")

    started = [in_thread(writer) for _ in range(8)]
    for thread, _ in started:
        thread.join(timeout=120)
    assert [errors for _, errors in started] == [[]] * 8
    seqs = list(Event.objects.filter(stream="case:busy").order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, 201))
    call_command("audit", "verify", stdout=StringIO())  # raises CommandError on any break


def test_a_writer_on_another_stream_completes_while_a_stream_is_locked():
    a_locked, release_a = threading.Event(), threading.Event()

    def hold_stream_a():
        with transaction.atomic():
            audit_record(stream="case:a", action="cases.case_accepted", target_type="cases.case", target_id="a")
            a_locked.set()
            release_a.wait(timeout=60)

    holder, holder_errors = in_thread(hold_stream_a)
    assert a_locked.wait(timeout=30)
    try:
        # B must not wait for A: with a lock timeout, waiting at all would fail it.
        writer_b, b_errors = in_thread(write, "case:b", "5s")
        writer_b.join(timeout=30)
        assert not writer_b.is_alive() and b_errors == []
        # Meanwhile A really is locked: another writer on A gives up on its lock timeout.
        writer_a, a_errors = in_thread(write, "case:a", "200ms")
        writer_a.join(timeout=30)
        assert len(a_errors) == 1 and isinstance(a_errors[0], OperationalError)
        assert not release_a.is_set()
    finally:
        release_a.set()
        holder.join(timeout=30)
    assert holder_errors == []
    assert list(Event.objects.order_by("stream").values_list("stream", "seq")) == [("case:a", 1), ("case:b", 1)]
