"""`onewindow projects import FILE --user USERNAME` / `onewindow projects export FILE --user USERNAME`.

The import is made on behalf of a key-project office member (their regions, their name in the
audit log): every error of the workbook is printed (row, column, message) and nothing is written;
exit status 1. Unreadable file or unknown user: exit status 2. `--dry-run` checks without writing.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from onewindow.errors import DomainError
from onewindow.orgs.models import User
from onewindow.projects.excel.exporter import projects_export
from onewindow.projects.excel.importer import projects_import, read_registry_file
from onewindow.projects.selectors import is_project_office, project_list


class Command(BaseCommand):
    help = "重点项目库 Excel 导入（import）与导出（export），以某位重点项目办人员的名义"

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True, metavar="{import,export}")
        importing = commands.add_parser("import", help="导入工作簿（任一行有误则不导入任何数据）")
        importing.add_argument("file", type=Path, help=".xlsx 文件")
        importing.add_argument("--user", required=True, help="以该重点项目办人员的名义导入（用户名）")
        importing.add_argument("--dry-run", action="store_true", help="只检查，不写入")
        exporting = commands.add_parser("export", help="导出该人员可见的全部项目")
        exporting.add_argument("file", type=Path, help="写入的 .xlsx 文件")
        exporting.add_argument("--user", required=True, help="用户名")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"未找到用户“{options['user']}”", returncode=2)
        if options["action"] == "export":
            projects_export(project_list(user), today=timezone.localdate()).save(options["file"])
            self.stdout.write(f"已导出：{options['file']}")
            return
        self._import(user, options["file"], dry_run=options["dry_run"])

    def _import(self, user: User, file: Path, *, dry_run: bool) -> None:
        if not is_project_office(user):
            raise CommandError(f"用户“{user.username}”不是重点项目办人员", returncode=2)
        try:
            rows = read_registry_file(file)
        except DomainError as error:
            raise CommandError(f"无法导入“{file}”：{error.message}", returncode=2) from error
        report = projects_import(actor=user, rows=rows, dry_run=dry_run)
        if not report.ok:
            for row_error in report.errors:
                self.stderr.write(f"第 {row_error.row} 行 {row_error.column or '-'}:{row_error.message}")
            self.stderr.write(f"共 {len(report.errors)} 处错误，未导入任何数据")
            sys.exit(1)
        prefix = "检查通过（未写入）" if dry_run else "导入完成"
        self.stdout.write(f"{prefix}：新增 {report.created}，更新 {report.updated}，未变 {report.unchanged}")
