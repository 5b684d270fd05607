"""Periodic jobs of the audit app, read by the project's scheduler command."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings

from onewindow.audit.services import checkpoint_create


def periodic_jobs() -> list[tuple[int, Callable[[], Any], str]]:
    """[(interval_seconds, callable, name)]: a signed checkpoint every minute by default (skipped when idle)."""
    return [(settings.AUDIT_CHECKPOINT_INTERVAL_SECONDS, checkpoint_create, "audit.checkpoint")]
