"""Schedules as data: cron expressions, due slots, a deployment's overrides; each slot enqueued once."""

from __future__ import annotations

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, connections
from django_tasks_db.models import DBTaskResult

from onewindow.jobs import schedules as schedules_module
from onewindow.jobs import services
from onewindow.jobs.models import RunStatus, ScheduledRun
from onewindow.jobs.schedules import Schedule, collect_schedules, every_minutes
from onewindow.jobs.tests import helpers

SHANGHAI = ZoneInfo("Asia/Shanghai")
DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def at(hour: int, minute: int, second: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, 5, hour, minute, second, tzinfo=SHANGHAI)


def test_the_latest_due_slot_is_the_last_cron_match_at_or_before_now() -> None:
    every_ten = Schedule("x", "*/10 * * * *", helpers.count_a_call)
    assert every_ten.latest_slot(at(9, 27, 41)) == at(9, 20)
    assert every_ten.latest_slot(at(9, 30, 5)) == at(9, 30)
    monthly = Schedule("y", "15 2 1 * *", helpers.count_a_call)
    assert monthly.latest_slot(at(9, 0)) == dt.datetime(2026, 11, 1, 2, 15, tzinfo=SHANGHAI)


def test_intervals_in_seconds_become_cron_expressions() -> None:
    assert [every_minutes(s) for s in (30, 60, 300, 600, 3600, 7200)] == [
        "* * * * *",
        "* * * * *",
        "*/5 * * * *",
        "*/10 * * * *",
        "0 * * * *",
        "0 * * * *",
    ]


def test_a_wrong_cron_expression_is_refused_where_the_schedule_is_declared() -> None:
    with pytest.raises(ValueError, match="invalid cron"):
        Schedule("z", "every hour", helpers.count_a_call)


def test_every_app_offers_its_schedules_and_a_deployment_may_change_or_switch_one_off(settings) -> None:
    names = {s.name for s in collect_schedules()}
    assert {"audit.checkpoint", "cases.warning_levels_refresh", "ranking.rank_previous_month"} <= names
    assert "briefings.monthly_reports_send_due" in names and "dispatch.reminders_send" in names
    settings.JOB_SCHEDULES = {"ranking.rank_previous_month": "30 2 1 * *", "cases.warning_levels_refresh": "off"}
    changed = {s.name: s.cron for s in collect_schedules()}
    assert changed["ranking.rank_previous_month"] == "30 2 1 * *"
    assert "cases.warning_levels_refresh" not in changed
    settings.JOB_SCHEDULES = {"no.such_schedule": "off"}
    with pytest.raises(ValueError, match=r"no\.such_schedule"):
        collect_schedules()


@pytest.fixture
def only_the_counting_schedule(monkeypatch, settings):
    settings.TASKS = DATABASE_BACKEND  # tasks stay queued as rows, so the test counts them
    monkeypatch.setattr(services, "collect_schedules", lambda: [helpers.COUNTING])
    monkeypatch.setattr(schedules_module, "collect_schedules", lambda: [helpers.COUNTING])


@pytest.mark.django_db
def test_a_slot_is_enqueued_once_however_many_schedulers_see_it(only_the_counting_schedule) -> None:
    first = services.schedules_enqueue_due(now=at(9, 21))
    assert [(run.schedule, run.slot) for run in first] == [("tests.counting", at(9, 20))]
    assert services.schedules_enqueue_due(now=at(9, 21)) == []  # a second scheduler, the same minute
    assert services.schedules_enqueue_due(now=at(9, 29, 59)) == []  # a later tick, the same slot
    assert DBTaskResult.objects.count() == 1
    assert len(services.schedules_enqueue_due(now=at(9, 30))) == 1  # the next slot
    assert DBTaskResult.objects.count() == 2
    assert list(ScheduledRun.objects.values_list("status", flat=True)) == [RunStatus.QUEUED] * 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: real concurrent transactions")
def test_two_schedulers_enqueueing_the_same_slot_at_once_enqueue_one_run(only_the_counting_schedule) -> None:
    barrier = threading.Barrier(4)
    enqueued: list[int] = []

    def scheduler() -> None:
        try:
            barrier.wait()
            enqueued.append(len(services.schedules_enqueue_due(now=at(9, 21))))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=scheduler) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(enqueued) == [0, 0, 0, 1]
    assert ScheduledRun.objects.count() == 1
    assert DBTaskResult.objects.count() == 1
