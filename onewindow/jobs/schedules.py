"""Periodic schedules as data: each app's `tasks.py` offers `schedules()` -> [Schedule(name, cron, run)].

A schedule's cron expression (five fields, Asia/Shanghai time) says when it is due; the scheduler
enqueues the latest due slot once (`services.schedules_enqueue_due`). A deployment may change or
switch off a schedule without touching code: `JOB_SCHEDULES='{"ranking.rank_previous_month": "30 2 1 * *",
"cases.warning_levels_refresh": "off"}'`.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from dataclasses import dataclass, replace

from croniter import croniter
from django.apps import apps
from django.conf import settings
from django.utils import timezone

OFF = "off"


@dataclass(frozen=True)
class Schedule:
    name: str
    cron: str
    run: Callable[[], object]

    def __post_init__(self) -> None:
        if self.cron != OFF and not croniter.is_valid(self.cron):
            raise ValueError(f"schedule {self.name}: invalid cron expression {self.cron!r}")

    def latest_slot(self, now: dt.datetime) -> dt.datetime:
        """The latest moment at or before `now` the schedule was due (local time, to the minute)."""
        local = timezone.localtime(now).replace(second=0, microsecond=0)
        if croniter.match(self.cron, local):
            return local
        slot: dt.datetime = croniter(self.cron, local).get_prev(dt.datetime)
        return slot


def every_minutes(seconds: int) -> str:
    """A cron expression for an interval given in seconds (rounded to whole minutes, at most hourly)."""
    minutes = max(1, min(60, round(seconds / 60)))
    if minutes == 60:
        return "0 * * * *"
    return "* * * * *" if minutes == 1 else f"*/{minutes} * * * *"


def collect_schedules() -> list[Schedule]:
    """Every app's schedules, with the deployment's overrides (JOB_SCHEDULES) applied; "off" ones left out."""
    overrides: dict[str, str] = settings.JOB_SCHEDULES
    found: list[Schedule] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("onewindow."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tasks")
        except ModuleNotFoundError as missing:
            if missing.name != f"{config.name}.tasks":
                raise
            continue
        offer = getattr(module, "schedules", None)
        if offer is not None:
            found.extend(offer())
    unknown = set(overrides) - {schedule.name for schedule in found}
    if unknown:
        raise ValueError(f"JOB_SCHEDULES names unknown schedules: {', '.join(sorted(unknown))}")
    found = [replace(s, cron=overrides[s.name]) if s.name in overrides else s for s in found]
    return [schedule for schedule in found if schedule.cron != OFF]


def schedule_named(name: str) -> Schedule:
    for schedule in collect_schedules():
        if schedule.name == name:
            return schedule
    raise LookupError(f"no schedule named {name}")
