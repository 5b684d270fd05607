"""`onewindow demo`: load the demo city 云川市 and print the demo accounts. Safe to run again."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from onewindow.analytics.history.write import history_exists
from onewindow.analytics.management.commands.history import history_load
from onewindow.demo.services import demo_load
from onewindow.errors import DomainError

# A year of history for the analysis pages (issue 17), with its ratings and a week of certificates: timings in
# onewindow/analytics/README.md ("The history", Speed), about a minute on SQLite on top of the demo's minute.
DEFAULT_HISTORY = 20_000


class Command(BaseCommand):
    help = "加载演示城市“云川市”（组织、大厅窗口、各角色演示账号、申请人、事项目录和一件事），可重复执行"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="在 DEBUG 关闭时也加载（演示账号共用一个公开密码，切勿用于生产环境）",
        )
        parser.add_argument(
            "--history",
            type=int,
            default=None,
            metavar="N",
            help=f"加载演示数据后写入一年的历史办件 N 件（默认首次加载时写入 {DEFAULT_HISTORY} 件，0 表示不写入）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # The demo accounts share a published password: never create them in production by accident.
        if not settings.DEBUG and not options["force"]:
            raise CommandError("演示数据只在 DEBUG 模式下加载；确需在其他环境加载请加 --force")
        try:
            summary = demo_load(stdout=self.stdout)
        except DomainError as error:
            raise CommandError(f"加载演示数据失败：{error.message}({error.code})") from error
        if summary.catalogue_errors:
            raise CommandError(f"事项目录导入有 {len(summary.catalogue_errors)} 处错误，见上方列表")
        count = options["history"]
        if count is None:  # the default: a year of history once, whatever the demo's later runs
            if history_exists():
                self.stdout.write("历史办件已存在，不再重复写入（需要更多请用 --history N）")
                return
            count = DEFAULT_HISTORY
        if count:
            history_load(self.stdout, count, required=options["history"] is not None)
