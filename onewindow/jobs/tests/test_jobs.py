"""People's long jobs: the requester (and only they) follows the progress, then reads the outcome."""

from __future__ import annotations

import pytest
from django_tasks_db.models import DBTaskResult

from onewindow.jobs.models import Job, RunStatus
from onewindow.jobs.services import job_start
from onewindow.jobs.tests import helpers
from onewindow.jobs.tests.test_schedules import DATABASE_BACKEND
from onewindow.orgs.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_finished_job_shows_its_outcome_to_the_one_who_started_it(client) -> None:
    owner, other = UserFactory(), UserFactory()
    job = job_start(kind="tests", actor=owner, task=helpers.succeeding, word="排位")
    assert (job.status, job.done, job.total, job.result) == (RunStatus.SUCCEEDED, 3, 3, {"word": "排位"})

    client.force_login(owner)
    panel = client.get(f"/jobs/{job.pk}/panel/").content.decode()
    assert "完成：排位" in panel and "hx-get" not in panel  # over: no more polling
    api = client.get(f"/api/jobs/{job.pk}").json()
    assert (api["status"], api["messages"], api["result"]) == ("succeeded", ["完成：排位"], {"word": "排位"})

    client.force_login(other)
    assert client.get(f"/jobs/{job.pk}/panel/").status_code == 404
    assert client.get(f"/api/jobs/{job.pk}").status_code == 404
    assert client.get("/jobs/not-a-uuid/panel/").status_code == 404


def test_a_queued_job_polls_its_panel_until_it_is_over(client, settings) -> None:
    settings.TASKS = DATABASE_BACKEND  # enqueued as a row, waiting for a worker
    owner = UserFactory()
    job = job_start(kind="tests", actor=owner, task=helpers.succeeding, word="月报")
    assert job.status == RunStatus.QUEUED
    assert DBTaskResult.objects.get().args_kwargs == {"args": [str(job.pk)], "kwargs": {"word": "月报"}}
    Job.objects.filter(pk=job.pk).update(status=RunStatus.RUNNING, done=2, total=5)

    client.force_login(owner)
    panel = client.get(f"/jobs/{job.pk}/panel/").content.decode()
    assert f'hx-get="/jobs/{job.pk}/panel/"' in panel and 'hx-trigger="every 2s"' in panel
    assert "2 / 5" in panel and 'value="40"' in panel
    assert "style=" not in panel  # the CSP forbids inline styles: a <progress> element, not a styled bar


def test_a_refusal_fails_the_job_with_its_message() -> None:
    job = job_start(kind="tests", actor=UserFactory(), task=helpers.half_done_then_refused)
    assert (job.status, job.done, job.total) == (RunStatus.FAILED, 1, 2)
    assert job.messages == [["danger", "该月正在计算，请稍后再试"]]
    assert job.result == {"code": "busy"}


def test_a_crash_fails_the_job_and_is_raised_again_for_the_task_backend_to_record() -> None:
    job = job_start(kind="tests", actor=UserFactory(), task=helpers.crashing)
    assert job.status == RunStatus.FAILED
    assert job.messages == [["danger", "后台处理失败，请稍后重试或联系管理员。"]]
    assert "disk full" in job.error
