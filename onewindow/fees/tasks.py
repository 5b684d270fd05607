"""Periodic schedules of the fees app, enqueued by the project's scheduler (onewindow/jobs)."""

from __future__ import annotations

from onewindow.fees.services import bill_warning_levels_refresh
from onewindow.jobs.schedules import Schedule


def schedules() -> list[Schedule]:
    """One line per schedule (cron, Asia/Shanghai time)."""
    return [
        Schedule("fees.bill_warning_levels_refresh", "*/10 * * * *", bill_warning_levels_refresh),  # 效能监察
    ]
