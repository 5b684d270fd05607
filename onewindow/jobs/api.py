"""GET /api/jobs/{id}: a job the caller started (progress, then outcome), for API clients to poll."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from onewindow.api.auth import api_user
from onewindow.api.schemas import ErrorOut
from onewindow.errors import NotFound
from onewindow.jobs.models import Job
from onewindow.jobs.selectors import job_for

router = Router(tags=["后台作业"])


class JobOut(Schema):
    id: str
    kind: str
    status: str = Field(description="queued 排队中、running 运行中、succeeded 已完成、failed 失败")
    done: int = Field(description="已完成的步数")
    total: int = Field(description="总步数（未知时为 0）")
    messages: list[str] = Field(description="结束后的说明")
    result: dict[str, Any] = Field(description="结束后的结果数据（各类作业不同）")
    created_at: dt.datetime
    finished_at: dt.datetime | None


def job_out(job: Job) -> dict[str, Any]:
    return {
        "id": str(job.pk),
        "kind": job.kind,
        "status": job.status,
        "done": job.done,
        "total": job.total,
        "messages": [text for _level, text in job.messages],
        "result": job.result,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
    }


@router.get("/{job_id}", response={200: JobOut, 401: ErrorOut, 404: ErrorOut}, summary="后台作业进度与结果")
def job_detail(request: HttpRequest, job_id: str) -> dict[str, Any]:
    job = job_for(api_user(request), job_id)
    if job is None:
        raise NotFound("没有这个后台作业", code="job_not_found")
    return job_out(job)
