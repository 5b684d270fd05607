"""Reading dates, day counts and suspensions typed by people (command line, API, page)."""

from __future__ import annotations

import datetime as dt

from onewindow.errors import DomainError
from onewindow.workdays.domain import (
    MAX_DAYS,
    InvalidSuspension,
    InvalidWorkingDays,
    Suspension,
    check_date,
    check_days,
)


class InvalidDate(DomainError):
    code = "workdays_invalid_date"
    status = 422


class InvalidYear(DomainError):
    code = "workdays_invalid_year"
    status = 422


def parse_date(text: str, *, field: str = "date") -> dt.date:
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidDate(f"日期格式有误：“{text}”，请使用 YYYY-MM-DD，例如 2026-09-30", field=field) from None
    return check_date(day, field=field)


def parse_days(text: str, *, field: str = "days") -> int:
    try:
        n = int(text.strip())
    except ValueError:
        raise InvalidWorkingDays(f"工作日数须为 0 至 {MAX_DAYS} 之间的整数，收到“{text}”", field=field) from None
    return check_days(n, field=field)


def parse_year(text: str, *, field: str = "year") -> int:
    try:
        year = int(text.strip())
    except ValueError:
        raise InvalidYear(f"年份格式有误：“{text}”，例如 2027", field=field) from None
    check_date(dt.date(max(1, min(year, 9999)), 1, 1), field=field)
    return year


def parse_suspension(text: str, *, field: str = "suspend") -> Suspension:
    """`2026-10-08..2026-10-09` (both days included) or a single date."""
    first, _, last = text.partition("..")
    first_on = parse_date(first, field=field)
    last_on = parse_date(last, field=field) if last else first_on
    if last_on < first_on:
        raise InvalidSuspension("中止计时的结束日期不能早于开始日期", field=field)
    return Suspension(first_on, last_on)
