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


SEND_JOB = "briefings.send"


@task()
def report_send_job(job_id: str, report_id: int) -> None:
    """Send one report (its Word and PDF drawn first when they are not yet: 1–1.5 s)."""
    from onewindow.briefings.models import LeaderReport
    from onewindow.briefings.services.sending import report_send
    from onewindow.notify.models import Delivery

    with job_running(job_id) as job:
        deliveries = report_send(report=LeaderReport.objects.get(pk=report_id), actor=job.requested_by)
        if not deliveries:
            message = _("本版月报的短信和邮件均已送达，无需重复发送。")
        else:
            sent = sum(1 for d in deliveries if d.status == Delivery.Status.SENT)
            message = _("已发送 %(sent)d 条，失败 %(failed)d 条，详见发送记录。") % {
                "sent": sent,
                "failed": len(deliveries) - sent,
            }
        rows = [{"channel": d.channel, "status": d.status, "error": d.error} for d in deliveries]
        job.succeed([("success", message)], {"report_id": report_id, "deliveries": rows})
