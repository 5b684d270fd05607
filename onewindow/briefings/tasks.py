"""Background work of the briefings app: the monthly sending schedule and the office's generation job."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from django_tasks import task

from onewindow.briefings.domain.amounts import period_text
from onewindow.briefings.services.sending import monthly_reports_send_due
from onewindow.jobs.schedules import Schedule
from onewindow.jobs.services import job_running

GENERATE_JOB = "briefings.generate"


def schedules() -> list[Schedule]:
    """From BRIEFINGS_SEND_DAY on, last month's reports go out once (hourly: a day missed is caught up)."""
    return [Schedule("briefings.monthly_reports_send_due", "30 * * * *", monthly_reports_send_due)]


@task()
def reports_generate_job(job_id: str, period: str) -> None:
    """Generate (or regenerate) the month's reports the requesting office sees, one leader at a time."""
    from onewindow.briefings.services.reports import monthly_reports_generate

    with job_running(job_id) as job:
        result = monthly_reports_generate(
            period=dt.date.fromisoformat(period), actor=job.requested_by, with_files=False, progress=job.progress
        )
        message = _("已生成%(period)s月报 %(count)d 份（新建 %(created)d 份，更新 %(updated)d 份）。") % {
            "period": period_text(result.period),
            "count": result.count,
            "created": result.created,
            "updated": result.updated,
        }
        job.succeed(
            [("success", message)],
            {"period": f"{result.period:%Y-%m}", "created": result.created, "updated": result.updated},
        )
