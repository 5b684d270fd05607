"""Jobs as their requester sees them: a person sees only the jobs they started."""

from __future__ import annotations

import uuid

from django.http import HttpRequest

from onewindow.jobs.models import Job
from onewindow.orgs.models import User


def job_for(user: User, job_id: object) -> Job | None:
    """The job if `user` started it; None for anyone else's, an unknown id or one that is not a UUID."""
    try:
        key = uuid.UUID(str(job_id))
    except ValueError:
        return None
    if not user.is_authenticated:
        return None
    return Job.objects.filter(pk=key, requested_by=user).first()


def job_in_query(request: HttpRequest) -> Job | None:
    """The job a page was sent back with (?job=<id>), to show its progress panel."""
    job_id = request.GET.get("job", "")[:40]
    user: User = request.user  # type: ignore[assignment]
    return job_for(user, job_id) if job_id else None
