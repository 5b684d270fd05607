"""A failed periodic run is recorded where the admin shows it and tried again later, with backoff."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from onewindow.jobs import schedules as schedules_module
from onewindow.jobs import services
from onewindow.jobs.models import RunStatus, ScheduledRun
from onewindow.jobs.tasks import run_scheduled
from onewindow.jobs.tests import helpers
from onewindow.jobs.tests.test_schedules import DATABASE_BACKEND, at

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _worker_keeps_the_test_connection(monkeypatch):
    """The worker refreshes its connection between tasks; inside the test's transaction that would
    close it (Django drops a connection whose autocommit is off), so the test's worker keeps it."""
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)


@pytest.fixture
def failing_schedule(monkeypatch, settings):
    settings.TASKS = DATABASE_BACKEND
    settings.JOB_RETRY_ATTEMPTS = 3
    settings.JOB_RETRY_BACKOFF_SECONDS = 60
    monkeypatch.setattr(services, "collect_schedules", lambda: [helpers.FAILING])
    monkeypatch.setattr(schedules_module, "collect_schedules", lambda: [helpers.FAILING])


def work_once() -> None:
    call_command("db_worker", "--batch", "--interval", "0", "--no-startup-delay", verbosity=0)


def test_a_failure_is_recorded_and_tried_again_after_a_growing_delay(failing_schedule) -> None:
    services.schedules_enqueue_due(now=at(9, 5))
    before = timezone.now()
    work_once()

    failed = DBTaskResult.objects.get(status=TaskResultStatus.FAILED)
    assert "the provider is down" in failed.traceback  # shown in the admin (后台任务结果)
    retry = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert retry.args_kwargs["args"][-1] == 2  # the second attempt
    assert before + dt.timedelta(seconds=60) <= retry.run_after <= timezone.now() + dt.timedelta(seconds=60)
    run = ScheduledRun.objects.get()
    assert (run.status, run.attempts) == (RunStatus.RETRYING, 1)
    assert "the provider is down" in run.error
    assert services.retry_delay(2) == dt.timedelta(seconds=120)  # then twice the delay


def test_the_last_attempt_fails_for_good(failing_schedule) -> None:
    run = ScheduledRun.objects.create(schedule="tests.failing", slot=at(9, 0))
    run_scheduled.enqueue("tests.failing", at(9, 0).isoformat(), 3)
    work_once()
    run.refresh_from_db()
    assert (run.status, run.attempts) == (RunStatus.FAILED, 3)
    assert run.finished_at is not None
    assert list(DBTaskResult.objects.values_list("status", flat=True)) == [TaskResultStatus.FAILED]  # no retry


def test_a_run_that_succeeds_records_its_outcome(monkeypatch, settings) -> None:
    settings.TASKS = DATABASE_BACKEND
    monkeypatch.setattr(services, "collect_schedules", lambda: [helpers.COUNTING])
    monkeypatch.setattr(schedules_module, "collect_schedules", lambda: [helpers.COUNTING])
    helpers.CALLS.clear()
    services.schedules_enqueue_due(now=at(9, 21))
    work_once()
    run = ScheduledRun.objects.get()
    assert (run.status, run.outcome, helpers.CALLS) == (RunStatus.SUCCEEDED, "call 1", ["run"])
    assert DBTaskResult.objects.get().status == TaskResultStatus.SUCCESSFUL
