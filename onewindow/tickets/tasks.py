"""Periodic work of tickets: at the day's end, what is left in the queue is void (see onewindow/jobs/README.md)."""

from __future__ import annotations

from django.utils import timezone

from onewindow.jobs.schedules import Schedule
from onewindow.tickets import services


def abandon() -> str:
    return f"{services.tickets_abandon(day=timezone.localdate())} abandoned"


def schedules() -> list[Schedule]:
    return [Schedule("tickets.abandon", "30 23 * * *", abandon)]
