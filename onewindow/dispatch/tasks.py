"""Periodic jobs of dispatch, read by the project's scheduler command (web/jobs.py). Both are
idempotent: a reminder goes out once per project and cut-off, a problem escalates once per deadline."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from onewindow.dispatch.services.problems import problems_escalate_overdue
from onewindow.dispatch.services.reminders import reminders_send

HOUR = 60 * 60


def periodic_jobs() -> list[tuple[int, Callable[[], Any], str]]:
    """[(interval_seconds, callable, name)]: one line per job."""
    return [
        (HOUR, reminders_send, "dispatch.reminders_send"),  # before each cut-off
        (HOUR, problems_escalate_overdue, "dispatch.problems_escalate_overdue"),  # 三级调度
    ]
