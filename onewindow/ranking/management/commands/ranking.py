"""`onewindow ranking run --period 2026-05` or `--from 2026-01 --to 2026-11`: recompute months in order.

Each month is its own transaction and is idempotent: running it again gives the same classes,
district standings, warnings and assessment (warnings no longer warranted are withdrawn, not
deleted). Bad input: a Chinese message on standard error and exit status 2, no traceback.
"""

from __future__ import annotations

import argparse
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from onewindow.errors import DomainError
from onewindow.ranking.domain.periods import parse_period, period_label
from onewindow.ranking.services.run import ranking_replay


def _month(text: str) -> Any:
    try:
        return parse_period(text)
    except DomainError as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


class Command(BaseCommand):
    help = "量化排位：run 按月重算项目分类、区县排位、预警与考核（--period 单月，或 --from/--to 逐月）"

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True, metavar="{run}")
        run = commands.add_parser("run", help="重算一个月或一段月份（按月份先后，每月一个事务）")
        run.add_argument("--period", type=_month, help="月份 YYYY-MM")
        run.add_argument("--from", dest="first", type=_month, help="起始月份 YYYY-MM(含)")
        run.add_argument("--to", dest="last", type=_month, help="结束月份 YYYY-MM(含)")

    def handle(self, *args: Any, **options: Any) -> None:
        first, last = self._span(options["period"], options["first"], options["last"])
        try:
            runs = ranking_replay(first=first, last=last)
        except DomainError as exc:
            raise CommandError(exc.message, returncode=2) from exc
        for run in runs:
            self.stdout.write(
                f"{period_label(run.period)}: 规则 v{run.rule_version.number}, {run.project_count} 个项目， "
                f"{run.district_count} 个区县， {run.warning_count} 个预警"
            )

    def _span(self, period: Any, first: Any, last: Any) -> tuple[Any, Any]:
        if period is not None and (first is not None or last is not None):
            raise CommandError("--period 与 --from/--to 只能选一种", returncode=2)
        if period is not None:
            return period, period
        if first is None or last is None:
            raise CommandError("请给出 --period,或同时给出 --from 和 --to", returncode=2)
        return first, last
