"""The plan of the demo halls' past days (pure: no Django, no clock): which days the history covers, when
people come (a morning peak 9–11, an afternoon one 14–16), what they come for, how long each is served.

Deterministic: each day's plan comes from a generator seeded with the date, so a database loaded on the
same day always holds the same history.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

HISTORY_DAYS = 28
HOLIDAY_LOOKBACK_DAYS = 400
# Relative weights of each hour's arrivals (the hour's start, 9 = 09:00–10:00).
WEEKDAY_CURVE = {9: 4, 10: 5, 11: 2, 12: 1, 13: 2, 14: 4, 15: 4, 16: 1}
WEEKEND_CURVE = {9: 3, 10: 3, 11: 1}


@dataclass(frozen=True)
class Arrival:
    """One person at the kiosk: when (minutes after the hall opens), for which category (an index into
    the hall's categories), of a priority group (老年人、残疾人、孕妇) or not."""

    minute: int
    category: int
    priority_group: bool


@dataclass(frozen=True)
class Fate:
    """What happens once the ticket is called: served for `minutes`, or skipped (过号) and maybe recalled,
    or transferred to another category first."""

    minutes: int
    skipped: bool = False
    recalled: bool = False
    transferred: bool = False


def history_days(today: dt.date, holidays: frozenset[dt.date]) -> list[dt.date]:
    """The last four weeks before today; when no legal holiday falls in them, also the latest holiday
    before them with a day on each side (so the history shows a closed holiday whenever it is loaded)."""
    days = [today - dt.timedelta(days=n) for n in range(HISTORY_DAYS, 0, -1)]
    if any(day in holidays for day in days):
        return days
    return _holiday_block(days[0], holidays) + days


def _holiday_block(before: dt.date, holidays: frozenset[dt.date]) -> list[dt.date]:
    earliest = before - dt.timedelta(days=HOLIDAY_LOOKBACK_DAYS)
    past = sorted(day for day in holidays if earliest <= day < before)
    if not past:
        return []
    last = past[-1]
    first = last
    while first - dt.timedelta(days=1) in holidays:
        first -= dt.timedelta(days=1)
    start, end = first - dt.timedelta(days=1), last + dt.timedelta(days=1)
    return [
        start + dt.timedelta(days=n) for n in range((end - start).days + 1) if start + dt.timedelta(days=n) < before
    ]


def rng_of(day: dt.date, salt: str) -> random.Random:
    return random.Random(f"{salt}:{day.isoformat()}")  # noqa: S311 - demo data, not security


def arrivals(rng: random.Random, *, count: int, opens: dt.time, closes: dt.time, categories: int) -> list[Arrival]:
    """`count` arrivals over the opening hours, following the day's curve; the last ten minutes take none."""
    curve = {
        h: w for h, w in (WEEKDAY_CURVE if closes.hour > 13 else WEEKEND_CURVE).items() if opens.hour <= h < closes.hour
    }
    hours, weights = list(curve), list(curve.values())
    opened = opens.hour * 60 + opens.minute
    last = closes.hour * 60 + closes.minute - 10 - opened
    chosen = []
    for hour in rng.choices(hours, weights=weights, k=count):
        minute = min(hour * 60 - opened + rng.randrange(60), last)
        chosen.append(Arrival(minute, _category(rng, categories), rng.random() < 0.1))
    return sorted(chosen, key=lambda a: a.minute)


def _category(rng: random.Random, categories: int) -> int:
    """The first categories are asked for most (企业开办, 工程建设 before 公安户政)."""
    return min(int(rng.expovariate(0.7)), categories - 1)


def fate(rng: random.Random) -> Fate:
    """Mostly served in 5 to 40 minutes (about 12 usual); now and then skipped or transferred."""
    minutes = round(rng.triangular(4, 40, 10))
    roll = rng.random()
    if roll < 0.06:
        return Fate(minutes, skipped=True, recalled=rng.random() < 0.5)
    return Fate(minutes, transferred=roll > 0.96)
