"""Ranking periods: calendar months, each stored as the first day of its month.

序时进度 (the time-elapsed share of the year) of a month is the months elapsed at its end over
twelve: May → 5/12. Pure Python, no clock: "today" is always passed in.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from fractions import Fraction

from onewindow.errors import DomainError

_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
FIRST_YEAR, LAST_YEAR = 2000, 2100
MAX_REPLAY_PERIODS = 120


class InvalidPeriod(DomainError):
    code = "invalid_period"


def period_of(day: dt.date) -> dt.date:
    """The period (first day of the month) that `day` falls in."""
    return day.replace(day=1)


def parse_period(text: str, *, field: str = "period") -> dt.date:
    """ "2026-05" → 2026-05-01, or InvalidPeriod with a Chinese message."""
    match = _MONTH.fullmatch((text or "").strip())
    if match is None:
        raise InvalidPeriod("月份应为 YYYY-MM 格式，例如 2026-05", field=field)
    year, month = int(match.group(1)), int(match.group(2))
    if not FIRST_YEAR <= year <= LAST_YEAR or not 1 <= month <= 12:
        raise InvalidPeriod(f"月份应在 {FIRST_YEAR}-01 至 {LAST_YEAR}-12 之间", field=field)
    return dt.date(year, month, 1)


def period_label(period: dt.date) -> str:
    return f"{period:%Y-%m}"


def period_end(period: dt.date) -> dt.date:
    return period.replace(day=calendar.monthrange(period.year, period.month)[1])


def next_period(period: dt.date) -> dt.date:
    return period_end(period) + dt.timedelta(days=1)


def previous_period(period: dt.date) -> dt.date:
    return period_of(period_of(period) - dt.timedelta(days=1))


def periods_between(first: dt.date, last: dt.date) -> list[dt.date]:
    """Every period from `first` to `last`, both included, in order."""
    first, last = period_of(first), period_of(last)
    if first > last:
        raise InvalidPeriod("起始月份不能晚于结束月份", field="from")
    periods = [first]
    while periods[-1] < last:
        periods.append(next_period(periods[-1]))
        if len(periods) > MAX_REPLAY_PERIODS:
            raise InvalidPeriod(f"一次最多重算 {MAX_REPLAY_PERIODS} 个月", field="to")
    return periods


def check_not_future(period: dt.date, *, today: dt.date) -> None:
    """A month can be ranked once it has begun (the periodic job ranks the previous one)."""
    if period_of(period) > period_of(today):
        raise InvalidPeriod(f"{period_label(period)} 尚未开始，不能计算排位", field="period")


def elapsed_share(period: dt.date) -> Fraction:
    """序时进度 at the end of `period`: months elapsed over twelve (May → 5/12)."""
    return Fraction(period.month, 12)


def quarter_start(period: dt.date) -> dt.date:
    return dt.date(period.year, 3 * ((period.month - 1) // 3) + 1, 1)


def year_start(period: dt.date) -> dt.date:
    return dt.date(period.year, 1, 1)


def months_from(start: dt.date, period: dt.date) -> int:
    """How many periods `start`..`period` spans, both included."""
    return (period.year - start.year) * 12 + period.month - start.month + 1


def is_previous(earlier: dt.date, later: dt.date) -> bool:
    return next_period(earlier) == later
