"""`onewindow analytics_facts [--full]`: refresh the columnar copy the analysis pages read (docs/adr/0005) now,
whatever the number of cases; the periodic job does the same every ten minutes."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from onewindow.analytics.facts.services import facts_refresh


class Command(BaseCommand):
    help = "刷新分析页面读取的办件事实列式副本（Parquet，DuckDB 查询）；--full 重新读取全部办件"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--full", action="store_true", help="重新读取全部办件（默认只读取上次刷新后有变化的办件）")

    def handle(self, *args: Any, **options: Any) -> None:
        info = facts_refresh(full=options["full"], progress=lambda line: self.stdout.write(f"办件事实：{line}"))
        self.stdout.write(f"已写入办件事实副本 {info.name}（{info.cases} 件办件），目录 {info.directory}")
