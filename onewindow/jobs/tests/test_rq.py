"""The scale-out backend: a task enqueued through django-tasks-rq runs in an RQ worker against Redis
(REDIS_URL, the local one by default). Skipped where Redis is not running, except in CI."""

from __future__ import annotations

import os
import uuid

import django_rq
import pytest
from django.conf import settings as django_settings
from django_tasks import TaskResultStatus
from redis import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from rq.worker import SimpleWorker

from onewindow.audit.models import Checkpoint
from onewindow.jobs.models import RunStatus, ScheduledRun
from onewindow.jobs.services import enqueue
from onewindow.jobs.tasks import run_scheduled
from onewindow.jobs.tests.helpers import add


def redis_running() -> bool:
    try:
        return bool(Redis.from_url(django_settings.REDIS_URL, socket_connect_timeout=1).ping())
    except RedisConnectionError:
        return False


pytestmark = pytest.mark.skipif(
    not redis_running() and os.environ.get("CI") != "true", reason="Redis is not running at REDIS_URL"
)


@pytest.fixture
def rq_queue(settings):
    """A queue of this test's own (the SQLite and PostgreSQL suites may run side by side on one Redis)."""
    name = f"onewindow-test-{uuid.uuid4().hex[:12]}"
    settings.RQ_QUEUES = {"default": {"URL": settings.REDIS_URL}, name: {"URL": settings.REDIS_URL}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default", name]}}
    yield name
    queue = django_rq.get_queue(name)
    queue.empty()
    queue.connection.close()


class BurstWorker(SimpleWorker):
    """A worker for one burst: it does not listen for commands (RQ's listener thread takes up to a
    minute to stop), which a burst that ends when the queue is empty never receives anyway."""

    def subscribe(self) -> None:
        pass


def work(queue_name: str) -> None:
    worker = django_rq.get_worker(queue_name, job_class="django_tasks_rq.Job", worker_class=BurstWorker)
    worker.work(burst=True)


def test_a_task_runs_in_an_rq_worker(rq_queue) -> None:
    result = add.using(queue_name=rq_queue).enqueue(2, 3)
    assert result.status == TaskResultStatus.READY
    work(rq_queue)
    result.refresh()
    assert (result.status, result.return_value) == (TaskResultStatus.SUCCESSFUL, 5)


@pytest.mark.django_db
def test_a_periodic_run_goes_to_redis_when_its_transaction_commits(rq_queue, django_capture_on_commit_callbacks):
    from django.db import transaction

    from onewindow.audit.services import audit_record

    with transaction.atomic():
        audit_record(
            stream="matter:1", action="catalogue.matter_published", target_type="catalogue.matter", target_id=1
        )
    run = ScheduledRun.objects.create(schedule="audit.checkpoint", slot="2026-11-05T09:20:00+08:00")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        enqueue(run_scheduled.using(queue_name=rq_queue), run.schedule, "2026-11-05T09:20:00+08:00")
        assert django_rq.get_queue(rq_queue).count == 0  # not before the commit
    assert len(callbacks) == 1
    work(rq_queue)
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED
    assert Checkpoint.objects.count() == 1
