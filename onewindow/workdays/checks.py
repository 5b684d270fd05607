"""System check: warn when this year's or next year's holiday schedule is not entered.

It reads the database, so it is registered as a database check: it runs with `migrate` and with
`manage.py check --database default`, not with every command (and not before the table exists).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.checks import CheckMessage, Tags, register
from django.core.checks import Warning as CheckWarning
from django.db import DatabaseError
from django.utils import timezone
from django.utils.translation import gettext

from onewindow.workdays import selectors


@register(Tags.database)
def check_years_known(
    app_configs: Sequence[Any] | None = None, databases: Sequence[str] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    if not databases or "default" not in databases:
        return []
    this_year = timezone.localdate().year
    try:
        missing = selectors.years_not_known([this_year, this_year + 1])
    except DatabaseError:  # not migrated yet: migrate creates and seeds the calendar
        return []
    return [
        CheckWarning(
            gettext("{year} 年的法定节假日安排尚未录入工作日历，该年的期限只按周末计算并标记为“暂定”。").format(
                year=year
            ),
            hint=gettext(
                "国务院公布后，请系统管理员在管理后台“年度节假日安排”中录入 {year} 年并勾选“已公布”；"
                "可用 `onewindow workdays check {year}` 核对。"
            ).format(year=year),
            id="workdays.W001",
        )
        for year in missing
    ]
