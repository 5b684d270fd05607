"""The task every periodic schedule runs through: one run of a schedule at its slot, with retries.

A failed run is recorded (the task backend's result, and the ScheduledRun row in the admin) and
enqueued again after a growing delay, up to JOB_RETRY_ATTEMPTS attempts in all. A backend that
cannot defer a task (the immediate one the tests use) does not retry.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django_tasks import TaskContext, task

from onewindow.jobs.models import RunStatus, ScheduledRun
from onewindow.jobs.schedules import schedule_named


@task(takes_context=True)
def run_scheduled(context: TaskContext, schedule_name: str, slot: str, attempt: int = 1) -> str:
    from onewindow.jobs.services import enqueue, retry_delay

    runs = ScheduledRun.objects.filter(schedule=schedule_name, slot=dt.datetime.fromisoformat(slot))
    runs.update(status=RunStatus.RUNNING, attempts=attempt)
    try:
        outcome = str(schedule_named(schedule_name).run())
    except Exception as fault:
        this = context.task_result.task  # the retry goes to the queue and backend this attempt came from
        retry = attempt < settings.JOB_RETRY_ATTEMPTS and this.get_backend().supports_defer
        runs.update(
            status=RunStatus.RETRYING if retry else RunStatus.FAILED,
            error=f"{attempt}: {fault!r}",
            finished_at=None if retry else timezone.now(),
        )
        if retry:
            later = this.using(run_after=timezone.now() + retry_delay(attempt))
            enqueue(later, schedule_name, slot, attempt + 1)
        raise
    runs.update(status=RunStatus.SUCCEEDED, outcome=outcome[:2000], error="", finished_at=timezone.now())
    return outcome
