"""`onewindow scheduler`: enqueue the periodic schedules' due runs; workers run them.

Run one or several (on several nodes): each due slot is enqueued once, whoever sees it first.
The scheduler itself runs nothing, so a long job never holds up another."""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from onewindow.jobs.schedules import collect_schedules
from onewindow.jobs.services import schedules_enqueue_due

logger = logging.getLogger(__name__)
TICK_SECONDS = 20


class Command(BaseCommand):
    help = "按计划把周期任务放入任务队列（由 worker 执行）；--once 把每个周期任务各放入一次后退出"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="每个周期任务各入队一次后退出")

    def handle(self, *args: Any, once: bool = False, **options: Any) -> None:
        if once:
            for run in schedules_enqueue_due(every_one=True):
                run.refresh_from_db()
                self.stdout.write(f"{run.schedule}: {run.get_status_display()} {run.outcome}")
            return
        schedules = collect_schedules()
        self.stdout.write("scheduler: " + "、".join(f"{s.name} ({s.cron})" for s in schedules))
        while True:
            close_old_connections()  # a long-lived process: drop connections the database closed
            try:
                for run in schedules_enqueue_due():
                    self.stdout.write(f"{run.schedule} @ {run.slot:%Y-%m-%d %H:%M}: 已入队")
            except Exception:
                logger.exception("scheduler: enqueueing failed; trying again at the next tick")
            time.sleep(TICK_SECONDS)
