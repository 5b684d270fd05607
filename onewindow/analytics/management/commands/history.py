"""`onewindow history N`: write N cases of the year before today into an existing database (issue 17)."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from onewindow.analytics.history.certificates import CERTIFICATE_DAYS
from onewindow.analytics.history.reform import history_reform_record
from onewindow.analytics.history.write import history_write


class Command(BaseCommand):
    help = "写入一年的历史办件（N 件，按事项目录、窗口与节假日规律生成，留痕链完整），用于分析和规模测试"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("count", type=int, help="办件数")
        parser.add_argument("--seed", type=int, default=17, help="随机种子（同一种子生成同样的历史）")
        parser.add_argument("--force", action="store_true", help="在 DEBUG 关闭时也写入（切勿用于生产环境）")
        parser.add_argument(
            "--certificate-days",
            type=int,
            default=CERTIFICATE_DAYS,
            help="为最近多少天内准予许可的办件签发电子证照（每张约 0.3 秒；0 为不签发）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError("历史办件只在 DEBUG 模式下生成；确需在其他环境生成请加 --force")
        history_load(self.stdout, options["count"], seed=options["seed"], certificate_days=options["certificate_days"])


def history_load(
    stdout: Any, count: int, *, seed: int = 17, required: bool = True, certificate_days: int = CERTIFICATE_DAYS
) -> None:
    """Write the history and print what was written and how long it took. Without anything to apply for
    (a catalogue not loaded): an error when asked for, else a note."""
    if count < 1:
        raise CommandError("办件数须大于 0")
    started = time.monotonic()
    summary = history_write(
        count,
        seed=seed,
        progress=lambda done: stdout.write(f"历史办件：{done}"),
        certificate_days=certificate_days,
        reform=True,
    )
    if summary.cases == 0:
        message = "没有可生成历史办件的事项（需已发布的事项、本区划的窗口人员和各部门的审核人员）"
        if required:
            raise CommandError(message)
        stdout.write(message)
        return
    statuses = "，".join(f"{status} {n}" for status, n in sorted(summary.by_status.items()))
    stdout.write(
        f"已写入历史办件 {summary.cases} 件（{statuses}），申请人 {summary.applicants} 个，"
        f"留痕事件 {summary.events} 条，电子证照 {summary.certificates} 张，用时 {time.monotonic() - started:.1f} 秒"
    )
    if summary.reform is not None and (reform := history_reform_record(summary.reform)) is not None:
        stdout.write(f"改革：{reform.title}（{reform.document_number}，{reform.effective_on:%Y-%m-%d} 起实施）")
