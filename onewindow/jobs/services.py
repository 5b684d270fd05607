"""Enqueueing background work: periodic slots exactly once, people's long jobs with their progress.

Work is enqueued inside the business transaction where the backend stores tasks in our database
(the row and the task commit together); with RQ the task is handed to Redis when the transaction
commits, so a worker never looks for a row that is not there yet.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks.backends.dummy import DummyBackend
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks.base import Task
from django_tasks_db.backend import DatabaseBackend

from onewindow.errors import DomainError
from onewindow.jobs.models import Job, RunStatus, ScheduledRun
from onewindow.jobs.schedules import Schedule, collect_schedules
from onewindow.orgs.models import User

logger = logging.getLogger(__name__)

Messages = list[tuple[str, str]]


def enqueue(task: Task[Any, Any], *args: Any, **kwargs: Any) -> None:
    """Enqueue `task` with this transaction where the backend can, else when it commits."""
    if isinstance(task.get_backend(), DatabaseBackend | ImmediateBackend | DummyBackend):
        task.enqueue(*args, **kwargs)
    else:
        transaction.on_commit(partial(task.enqueue, *args, **kwargs))


# --- periodic schedules ---------------------------------------------------------------------------


def schedules_enqueue_due(*, now: dt.datetime | None = None, every_one: bool = False) -> list[ScheduledRun]:
    """Enqueue each schedule's latest due slot unless it is enqueued already (any scheduler, any node).

    `every_one`: enqueue every schedule for this minute, due or not (`scheduler --once`)."""
    now = now or timezone.now()
    enqueued = []
    for schedule in collect_schedules():
        slot = timezone.localtime(now).replace(second=0, microsecond=0) if every_one else schedule.latest_slot(now)
        run = scheduled_run_enqueue(schedule, slot)
        if run is not None:
            enqueued.append(run)
    return enqueued


def scheduled_run_enqueue(schedule: Schedule, slot: dt.datetime) -> ScheduledRun | None:
    """The run of `schedule` at `slot`, enqueued, or None when another scheduler enqueued it first."""
    from onewindow.jobs.tasks import run_scheduled

    if ScheduledRun.objects.filter(schedule=schedule.name, slot=slot).exists():
        return None
    with transaction.atomic():
        run, created = ScheduledRun.objects.get_or_create(schedule=schedule.name, slot=slot)
        if not created:
            return None
        enqueue(run_scheduled, schedule.name, slot.isoformat())
    return run


def retry_delay(attempt: int) -> dt.timedelta:
    """Exponential backoff after the `attempt`-th failure: base, 2 × base, 4 × base, ..."""
    return dt.timedelta(seconds=settings.JOB_RETRY_BACKOFF_SECONDS * 2 ** (attempt - 1))


# --- people's long jobs ---------------------------------------------------------------------------


def job_start(*, kind: str, actor: User | None, task: Task[Any, Any], **kwargs: Any) -> Job:
    """Record a job for `actor` and enqueue `task(job_id, **kwargs)`; the job as it is now (an
    immediate backend has already finished it)."""
    with transaction.atomic():
        job = Job.objects.create(
            kind=kind, requested_by=actor, language=translation.get_language() or settings.LANGUAGE_CODE
        )
        enqueue(task, str(job.pk), **kwargs)
    job.refresh_from_db()
    return job


class RunningJob:
    """What a task sees of its job: report progress, then the outcome."""

    def __init__(self, job: Job) -> None:
        self.job = job

    @property
    def requested_by(self) -> User | None:
        return self.job.requested_by

    @property
    def actor(self) -> User:
        """The person who started the job, for services that need one (every job a page starts has one)."""
        if self.job.requested_by is None:
            raise ValueError(f"job {self.job.pk} has no requester")
        return self.job.requested_by

    def progress(self, done: int, total: int) -> None:
        Job.objects.filter(pk=self.job.pk).update(done=done, total=total)

    def succeed(self, messages: Messages, result: dict[str, Any] | None = None) -> None:
        self.finish(RunStatus.SUCCEEDED, messages, result or {}, "")

    def fail(self, messages: Messages, result: dict[str, Any] | None = None) -> None:
        """The work ran and was refused (a workbook with bad rows): the job fails with these messages."""
        self.finish(RunStatus.FAILED, messages, result or {}, "refused")

    def finish(self, status: RunStatus, messages: Messages, result: dict[str, Any], error: str) -> None:
        Job.objects.filter(pk=self.job.pk).update(
            status=status, messages=[list(m) for m in messages], result=result, error=error, finished_at=timezone.now()
        )


@contextmanager
def job_running(job_id: str) -> Iterator[RunningJob]:
    """Run a job's work: marks it running, speaks the requester's language, and records the outcome.
    A refusal (DomainError) fails the job with its message; any other error fails it and is raised
    again, so the task backend records the traceback."""
    Job.objects.filter(pk=job_id).update(status=RunStatus.RUNNING, started_at=timezone.now())
    running = RunningJob(Job.objects.select_related("requested_by").get(pk=job_id))
    with translation.override(running.job.language):
        try:
            yield running
        except DomainError as refused:
            running.finish(RunStatus.FAILED, [("danger", refused.message)], {"code": refused.code}, refused.message)
        except Exception as fault:
            running.finish(RunStatus.FAILED, [("danger", _("后台处理失败，请稍后重试或联系管理员。"))], {}, repr(fault))
            raise
