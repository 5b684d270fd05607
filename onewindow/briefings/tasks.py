"""Periodic jobs of the briefings app, read by the project's scheduler command (web/jobs.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from onewindow.briefings.services.sending import monthly_reports_send_due

HOUR = 60 * 60


def periodic_jobs() -> list[tuple[int, Callable[[], Any], str]]:
    """[(interval_seconds, callable, name)]: from BRIEFINGS_SEND_DAY on, last month's reports go out once."""
    return [(HOUR, monthly_reports_send_due, "briefings.monthly_reports_send_due")]
