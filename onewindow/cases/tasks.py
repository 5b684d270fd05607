"""Periodic jobs of the cases app, read by the project's scheduler command (web/jobs.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from onewindow.cases.services.deferral import deferred_material_reminders_send, deferred_materials_record_overdue
from onewindow.cases.services.intake import case_accept_deemed_overdue
from onewindow.cases.services.supervision import warning_levels_refresh

HOUR = 60 * 60
TEN_MINUTES = 10 * 60


def periodic_jobs() -> list[tuple[int, Callable[[], Any], str]]:
    """[(interval_seconds, callable, name)]: one line per job."""
    return [
        (HOUR, case_accept_deemed_overdue, "cases.accept_deemed_overdue"),  # Art. 32
        (TEN_MINUTES, warning_levels_refresh, "cases.warning_levels_refresh"),  # 效能监察
        (HOUR, deferred_material_reminders_send, "cases.deferred_material_reminders_send"),  # 容缺受理
        (HOUR, deferred_materials_record_overdue, "cases.deferred_materials_record_overdue"),  # 容缺受理
    ]
