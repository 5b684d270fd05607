"""`onewindow workdays ...`: working-day arithmetic and calendar upkeep for operators.

The answer is always the last line on standard output (a date in ISO form or an integer); a
provisional result is preceded by a warning on standard error. Bad input: a Chinese message on
standard error and exit status 2, no traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from onewindow.errors import DomainError
from onewindow.workdays import parsing, selectors, services
from onewindow.workdays.domain import Suspension, add_working_days, working_days_between
from onewindow.workdays.seeding import package_years

EXIT_UNKNOWN_YEAR = 1
EXIT_BAD_INPUT = 2


def _argument(parse: Callable[[str], Any]) -> Callable[[str], Any]:
    """Turn a parser raising DomainError into an argparse type (argparse prints it, exit 2)."""

    def convert(text: str) -> Any:
        try:
            return parse(text)
        except DomainError as exc:
            raise argparse.ArgumentTypeError(exc.message) from None

    return convert


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # a calculator: answer even while unrelated checks complain
    help = (
        "工作日计算与工作日历维护：add（加工作日）、between（两日之间的工作日数）、"
        "check（核对年度安排）、seed（从数据包补录）"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True, metavar="{add,between,check,seed}")
        add = commands.add_parser("add", help="起始日之后的第 N 个工作日（起始日不计入）")
        add.add_argument("start", type=_argument(parsing.parse_date), help="起始日期 YYYY-MM-DD")
        add.add_argument("days", type=_argument(parsing.parse_days), help="工作日数 N(0 至 3650)")
        self._add_suspend(add)
        between = commands.add_parser("between", help="起始日之后至结束日（含）的工作日数")
        between.add_argument("start", type=_argument(parsing.parse_date), help="起始日期 YYYY-MM-DD")
        between.add_argument("end", type=_argument(parsing.parse_date), help="结束日期 YYYY-MM-DD")
        self._add_suspend(between)
        check = commands.add_parser("check", help="核对某年的节假日安排是否已录入（未录入时退出码为 1）")
        check.add_argument("year", type=_argument(parsing.parse_year), help="年份，例如 2027")
        commands.add_parser("seed", help="从 chinesecalendar 数据包补录（管理员录入的日期保持不变）")

    def _add_suspend(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--suspend",
            action="append",
            default=[],
            type=_argument(parsing.parse_suspension),
            metavar="起..止",
            help="中止计时的日期段（含首尾），如 2026-10-08..2026-10-09；可重复",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        try:
            if action == "add":
                self._add(options["start"], options["days"], options["suspend"])
            elif action == "between":
                self._between(options["start"], options["end"], options["suspend"])
            elif action == "check":
                self._check(options["year"])
            else:
                self._seed()
        except DomainError as exc:
            self.stderr.write(f"错误：{exc.message}")
            raise SystemExit(EXIT_BAD_INPUT) from None

    def _warn(self, unknown_years: tuple[int, ...]) -> None:
        if unknown_years:
            years = "、".join(str(y) for y in unknown_years)
            self.stderr.write(f"注意：{years} 年的节假日安排尚未录入，结果只按周末计算，为暂定结果。")

    def _add(self, start: dt.date, days: int, suspensions: list[Suspension]) -> None:
        deadline = add_working_days(start, days, selectors.work_calendar(), suspensions)
        self._warn(deadline.unknown_years)
        self.stdout.write(deadline.on.isoformat())

    def _between(self, start: dt.date, end: dt.date, suspensions: list[Suspension]) -> None:
        count = working_days_between(start, end, selectors.work_calendar(), suspensions)
        self._warn(count.unknown_years)
        self.stdout.write(str(count.working_days))

    def _check(self, year: int) -> None:
        schedule = selectors.year_schedule(year)
        if not schedule.known:
            self.stdout.write(
                f"{year} 年的节假日安排尚未录入（或未标记为已公布）：该年的期限只按周末计算，为暂定结果。"
                "国务院公布后请在管理后台“年度节假日安排”中录入。"
            )
            raise SystemExit(EXIT_UNKNOWN_YEAR)
        basis = f"，依据：{schedule.published_by}" if schedule.published_by else ""
        holiday_days = sum(p.day_count for p in schedule.holidays)
        self.stdout.write(
            f"{year} 年的节假日安排已录入{basis}。"
            f"放假 {len(schedule.holidays)} 段共 {holiday_days} 天，调休上班 {len(schedule.makeup_days)} 天。"
        )

    def _seed(self) -> None:
        report = services.calendar_seed(actor=None)
        years = package_years()
        self.stdout.write(
            f"已从 chinesecalendar 补录 {years[0]}–{years[-1]} 年："
            f"新增年份 {report.years_created} 个，新增日期 {report.days_created} 天，"
            f"更正 {report.days_updated} 天，移除 {report.days_removed} 天，"
            f"保留管理员录入 {report.admin_days_kept} 天。"
        )
