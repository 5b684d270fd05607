"""Periodic jobs of the ranking app, read by the project's scheduler command (web/jobs.py).

On the 1st of each month (the first hourly tick on or after it) the month before is ranked:
classes, district standings, warnings and assessment. By then every dispatch cut-off of that
month has passed (a monthly cycle's cut-off day is at most the month's last day). A month already
ranked is left alone; the office recomputes it from /ranking/ or with `onewindow ranking run`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

HOUR = 60 * 60


def _rank_previous_month() -> str:
    from onewindow.ranking.services.run import ranking_run_previous_month

    return ranking_run_previous_month()


def periodic_jobs() -> list[tuple[int, Callable[[], Any], str]]:
    """[(interval_seconds, callable, name)]: one line per job."""
    return [(HOUR, _rank_previous_month, "ranking.rank_previous_month")]
