"""Never a ticket called twice: 20 windows calling at once, round after round, on PostgreSQL (real
connections, SKIP LOCKED); and kiosks taking numbers at once never give one number twice.

On SQLite the IMMEDIATE transaction takes the database write lock when it begins, so calls are
serialised by construction; the tests there share one connection and cannot race.
"""

import datetime as dt

import pytest
from django.db import connection

from onewindow.errors import Conflict
from onewindow.halls.models import WindowProfile
from onewindow.orgs.models import Window
from onewindow.tickets import services
from onewindow.tickets.models import Ticket
from onewindow.tickets.tests.factories import AT_TEN, ticket_world
from onewindow.workdays.tests.test_concurrency import in_threads

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: real concurrent transactions"),
]
WINDOWS = 20
ROUNDS = 3


def test_twenty_windows_calling_at_once_never_get_the_same_ticket():
    world = ticket_world()
    windows = []
    for n in range(WINDOWS):
        window = Window.objects.create(hall=world.hall, number=str(100 + n), name="综合窗口")
        WindowProfile.objects.create(window=window, kind="comprehensive").categories.add(world.halls.business)
        windows.append(window)
    tickets = WINDOWS * ROUNDS - 5  # the last round finds the queue empty at some windows
    for i in range(tickets):
        world.walk_in(at=AT_TEN + dt.timedelta(seconds=i))

    called: list[Ticket] = []
    refused: list[Conflict] = []
    for round_ in range(ROUNDS):
        at = AT_TEN + dt.timedelta(minutes=10 + round_)

        def window_calls(window, at=at):
            def run():
                ticket = services.ticket_call_next(actor=world.clerk, window_id=window.pk, now=at)
                services.ticket_skip(actor=world.clerk, window_id=window.pk, ticket_id=ticket.pk, now=at)
                return ticket

            return run

        results = in_threads(*[window_calls(w) for w in windows])
        called += [r for r in results if isinstance(r, Ticket)]
        refused += [r for r in results if isinstance(r, Conflict)]
        unexpected = [r for r in results if not isinstance(r, Ticket | Conflict)]
        assert not unexpected, unexpected

    ids = [t.pk for t in called]
    assert len(ids) == tickets and len(set(ids)) == tickets  # every ticket called, none twice
    assert len(refused) == 5 and {r.code for r in refused} == {"tickets_queue_empty"}
    assert set(Ticket.objects.values_list("call_count", flat=True)) == {1}


def test_kiosks_taking_numbers_at_once_never_give_one_number_twice():
    world = ticket_world()

    def kiosk():
        return world.walk_in(at=AT_TEN)

    results = in_threads(*[kiosk] * 16)

    assert all(isinstance(r, Ticket) for r in results), results
    numbers = sorted(t.number for t in results)
    assert numbers == [f"A{n:03d}" for n in range(1, 17)]
