"""Schedules and tasks the jobs tests run (module level: a task backend imports them by path)."""

from __future__ import annotations

from django_tasks import task

from onewindow.jobs.schedules import Schedule

CALLS: list[str] = []


def count_a_call() -> str:
    CALLS.append("run")
    return f"call {len(CALLS)}"


def fail() -> str:
    raise RuntimeError("the provider is down")


COUNTING = Schedule("tests.counting", "*/10 * * * *", count_a_call)
FAILING = Schedule("tests.failing", "0 * * * *", fail)


@task()
def add(a: int, b: int) -> int:
    return a + b


@task()
def half_done_then_refused(job_id: str) -> None:
    from onewindow.errors import Conflict
    from onewindow.jobs.services import job_running

    with job_running(job_id) as job:
        job.progress(1, 2)
        raise Conflict("该月正在计算，请稍后再试", code="busy")


@task()
def crashing(job_id: str) -> None:
    from onewindow.jobs.services import job_running

    with job_running(job_id):
        raise RuntimeError("disk full")


@task()
def succeeding(job_id: str, word: str) -> None:
    from onewindow.jobs.services import job_running

    with job_running(job_id) as job:
        job.progress(3, 3)
        job.succeed([("success", f"完成：{word}")], {"word": word})
