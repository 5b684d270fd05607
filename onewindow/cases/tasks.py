"""Periodic schedules of the cases app, enqueued by the project's scheduler (onewindow/jobs)."""

from __future__ import annotations

from onewindow.cases.services.deferral import deferred_material_reminders_send, deferred_materials_record_overdue
from onewindow.cases.services.intake import case_accept_deemed_overdue
from onewindow.cases.services.supervision import warning_levels_refresh
from onewindow.jobs.schedules import Schedule


def schedules() -> list[Schedule]:
    """One line per schedule (cron, Asia/Shanghai time)."""
    return [
        Schedule("cases.accept_deemed_overdue", "0 * * * *", case_accept_deemed_overdue),  # Art. 32, hourly
        Schedule("cases.warning_levels_refresh", "*/10 * * * *", warning_levels_refresh),  # 效能监察
        Schedule("cases.deferred_material_reminders_send", "20 * * * *", deferred_material_reminders_send),  # 容缺受理
        Schedule("cases.deferred_materials_record_overdue", "25 * * * *", deferred_materials_record_overdue),
    ]
