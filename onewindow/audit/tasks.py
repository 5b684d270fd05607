"""Periodic schedules of the audit app, enqueued by the project's scheduler (onewindow/jobs)."""

from __future__ import annotations

from django.conf import settings

from onewindow.audit.services import checkpoint_create
from onewindow.jobs.schedules import Schedule, every_minutes


def schedules() -> list[Schedule]:
    """A signed checkpoint every minute by default (AUDIT_CHECKPOINT_INTERVAL_SECONDS; skipped when idle)."""
    return [Schedule("audit.checkpoint", every_minutes(settings.AUDIT_CHECKPOINT_INTERVAL_SECONDS), checkpoint_create)]
