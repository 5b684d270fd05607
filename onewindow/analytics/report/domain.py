"""Pure parts of the monthly report: the month asked for, and the numbers of its headline (`Headline`; the
sentences are composed in `headline.py`). No Django."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def month_bounds(text: str) -> tuple[dt.date, dt.date] | None:
    """`YYYY-MM` → (first day, last day); None when the text is not a month."""
    match = MONTH.match(text)
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12 or year < 2000:
        return None
    first = dt.date(year, month, 1)
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return first, following - dt.timedelta(days=1)


def previous_month(first: dt.date) -> tuple[dt.date, dt.date]:
    last = first - dt.timedelta(days=1)
    return last.replace(day=1), last


def year_before(first: dt.date) -> dt.date:
    """The first day of the eleventh month before the month starting on `first` (twelve months with it)."""
    index = first.year * 12 + first.month - 1 - 11
    return dt.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Headline:
    month: dt.date  # its first day
    volume: int
    volume_before: int
    online_rate: float | None  # percent
    online_target: float  # percent
    decided: int
    on_time_rate: float | None  # percent
    slowest_matter: str | None
    slowest_p50: float | None  # days
    finishing_last: str | None
    finishing_last_times: int
    setups: int
    setups_p50: float | None  # days
    reforms: tuple[str, ...] = ()  # a sentence on each reform that took effect in the month, with its results
