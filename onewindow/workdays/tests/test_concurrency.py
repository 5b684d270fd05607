"""Two admins at once (PostgreSQL: real connections and row locks)."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections

from onewindow.audit.models import Event
from onewindow.errors import Conflict
from onewindow.workdays import selectors, services
from onewindow.workdays.domain import DayKind, is_working_day
from onewindow.workdays.models import SpecialDay

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: real concurrent transactions"),
]
D = dt.date


def in_threads(*targets):
    barrier = threading.Barrier(len(targets))
    results: list[object] = [None] * len(targets)

    def run(i, target):
        try:
            barrier.wait()
            results[i] = target()
        except Exception as exc:  # noqa: BLE001  (the test inspects what each admin got)
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, t)) for i, t in enumerate(targets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_two_admins_entering_the_same_day_get_one_row_and_one_clear_refusal(system_admin):
    def enter():
        return services.special_days_add(
            actor=system_admin, first_on=D(2027, 10, 1), kind=DayKind.HOLIDAY, name="国庆节"
        )

    results = in_threads(enter, enter)

    refused = [r for r in results if isinstance(r, Conflict)]
    assert len(refused) == 1 and refused[0].code == "workdays_day_exists"
    assert SpecialDay.objects.filter(on=D(2027, 10, 1)).count() == 1
    assert Event.objects.filter(action="workdays.day_added", target_id="2027-10-01").count() == 1
    assert Event.objects.filter(action="workdays.year_added", target_id="2027").count() == 1


def test_changes_on_different_days_all_land_and_each_raises_the_revision(system_admin):
    before = selectors.calendar_revision()
    days = [D(2027, 10, d) for d in range(1, 7)]

    def enter(on):
        return lambda: services.special_days_add(actor=system_admin, first_on=on, kind=DayKind.HOLIDAY, name="国庆节")

    results = in_threads(*[enter(on) for on in days])

    assert not [r for r in results if isinstance(r, Exception)]
    assert selectors.calendar_revision() == before + len(days)


def test_a_change_committed_by_another_connection_is_seen_by_this_process(system_admin):
    assert is_working_day(D(2027, 10, 4), selectors.work_calendar())

    in_threads(
        lambda: services.special_days_add(actor=system_admin, first_on=D(2027, 10, 4), kind=DayKind.HOLIDAY, name="x")
    )

    assert not is_working_day(D(2027, 10, 4), selectors.work_calendar())
