"""`onewindow scheduler`: run the apps' periodic jobs (audit checkpoints, deadline sweeps, ...)."""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from onewindow.web.jobs import PeriodicJob, collect_periodic_jobs

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "运行周期任务（审计检查点等）；--once 运行一次后退出"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="每个任务运行一次后退出")

    def handle(self, *args: Any, once: bool = False, **options: Any) -> None:
        jobs = collect_periodic_jobs()
        if once:
            for job in jobs:
                self._run(job)
            return
        self.stdout.write(f"scheduler: {len(jobs)} 个周期任务：" + "、".join(job.name for job in jobs))
        due = {job.name: time.monotonic() for job in jobs}
        while jobs:
            now = time.monotonic()
            for job in jobs:
                if due[job.name] <= now:
                    close_old_connections()  # a long-lived process: drop connections the database closed
                    self._run(job)
                    due[job.name] = now + job.interval_seconds
            time.sleep(max(0.5, min(due.values()) - time.monotonic()))

    def _run(self, job: PeriodicJob) -> None:
        try:
            result = job.run()
        except Exception:
            logger.exception("periodic job %s failed", job.name)
            return
        self.stdout.write(f"{job.name}: {result}")
