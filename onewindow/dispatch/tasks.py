"""Periodic schedules of dispatch, enqueued by the project's scheduler (onewindow/jobs). Both are
idempotent: a reminder goes out once per project and cut-off, a problem escalates once per deadline."""

from __future__ import annotations

from onewindow.dispatch.services.problems import problems_escalate_overdue
from onewindow.dispatch.services.reminders import reminders_send
from onewindow.jobs.schedules import Schedule


def schedules() -> list[Schedule]:
    """One line per schedule (cron, Asia/Shanghai time)."""
    return [
        Schedule("dispatch.reminders_send", "5 * * * *", reminders_send),  # hourly, before each cut-off
        Schedule("dispatch.problems_escalate_overdue", "10 * * * *", problems_escalate_overdue),  # 三级调度
    ]
