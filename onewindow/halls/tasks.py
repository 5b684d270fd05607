"""Periodic work of halls: lapse no-shows, send reminders (see onewindow/jobs/README.md)."""

from __future__ import annotations

from onewindow.halls import services
from onewindow.jobs.schedules import Schedule


def lapse() -> str:
    return f"{services.bookings_lapse()} lapsed"


def remind() -> str:
    return f"{services.bookings_remind()} reminded"


def schedules() -> list[Schedule]:
    return [Schedule("halls.lapse", "*/10 * * * *", lapse), Schedule("halls.remind", "0 18 * * *", remind)]
