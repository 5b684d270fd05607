"""Background work of the ranking app: the monthly schedule and the office's recomputation.

On the 1st of each month (the first hourly run on or after it) the month before is ranked:
classes, district standings, warnings and assessment. By then every dispatch cut-off of that
month has passed (a monthly cycle's cut-off day is at most the month's last day). A month already
ranked is left alone; the office recomputes it from /ranking/ or `POST /api/ranking/runs` (a job:
the month and every later month already ranked, about 1.7 s a month) or `onewindow ranking run`.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from django_tasks import task

from onewindow.jobs.schedules import Schedule
from onewindow.jobs.services import job_running
from onewindow.ranking.domain import period_label
from onewindow.ranking.domain.periods import parse_period

RECOMPUTE_JOB = "ranking.recompute"


def _rank_previous_month() -> str:
    from onewindow.ranking.services.run import ranking_run_previous_month

    return ranking_run_previous_month()


def schedules() -> list[Schedule]:
    """One line per schedule (cron, Asia/Shanghai time)."""
    return [Schedule("ranking.rank_previous_month", "15 * * * *", _rank_previous_month)]  # does a month once


@task()
def ranking_recompute_job(job_id: str, period: str, today: str | None = None) -> None:
    """Recompute `period` (YYYY-MM) and the later months already ranked, reporting each month done."""
    from onewindow.ranking.services.run import ranking_recompute

    with job_running(job_id) as job:
        day = dt.date.fromisoformat(today) if today else None
        done, *later = ranking_recompute(
            period=parse_period(period), actor=job.requested_by, today=day, progress=job.progress
        )
        messages = [
            (
                "success",
                _("已重新计算 %(period)s:%(projects)s 个项目，%(districts)s 个区县，%(warnings)s 个预警")
                % {
                    "period": period_label(done.period),
                    "projects": done.project_count,
                    "districts": done.district_count,
                    "warnings": done.warning_count,
                },
            )
        ]
        if later:
            messages.append(
                (
                    "info",
                    _("其后已计算的 %(first)s 至 %(last)s 也已随之重算（预警连续期数和年度累计以前一月为基础）")
                    % {"first": period_label(later[0].period), "last": period_label(later[-1].period)},
                )
            )
        result = {
            "period": period_label(done.period),
            "rule_version": done.rule_version.number,
            "project_count": done.project_count,
            "district_count": done.district_count,
            "warning_count": done.warning_count,
            "later_periods": [period_label(run.period) for run in later],
        }
        job.succeed(messages, result)
