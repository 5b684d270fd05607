"""The forecast's pure parts: the days of the history and the horizon, the holiday features the model reads,
the naive seasonal baseline, the backtest's split, the error measures, and a total split by category shares.
No Django, no statsmodels (the model is `forecast.model`); tested without a database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

SEASON = 7  # days: the week
BASELINE_WEEKS = 4  # the baseline: the mean of the same weekday over the last four weeks
HISTORY_WEEKS = 52
HORIZON_WEEKS = 8
BACKTEST_WEEKS = 4
MIN_TRAIN_WEEKS = 8  # fewer weeks than this before the held-out ones: no backtest, the baseline only
FEATURES = ("working", "working_mon", "working_tue", "working_wed", "working_thu", "after_break")


def days_from(first: dt.date, count: int) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range(count)]


def history_days(today: dt.date, weeks: int = HISTORY_WEEKS) -> list[dt.date]:
    """The whole days before today (today is not over: its count would read low)."""
    return days_from(today - dt.timedelta(days=weeks * SEASON), weeks * SEASON)


def horizon_days(today: dt.date, weeks: int = HORIZON_WEEKS) -> list[dt.date]:
    return days_from(today, weeks * SEASON)


def holiday_features(days: Sequence[dt.date], working: Callable[[dt.date], bool]) -> list[list[float]]:
    """One row per day, the columns of `FEATURES`: a working day (the windows open: statutory holidays closed,
    make-up workdays open), the weekday of a working day (Friday and make-up weekend days are the base), and the
    first working day after three or more closed days (the backlog after a holiday)."""
    rows = []
    for day in days:
        open_ = working(day)
        before = [working(day - dt.timedelta(days=k)) for k in (1, 2, 3)]
        weekday = day.weekday()
        rows.append(
            [
                float(open_),
                *(float(open_ and weekday == d) for d in range(4)),
                float(open_ and not any(before)),
            ]
        )
    return rows


def seasonal_naive(history: Sequence[float], horizon: int, weeks: int = BASELINE_WEEKS) -> list[float]:
    """The naive seasonal baseline: each future day is the mean of the same weekday in the last `weeks` weeks
    of the history (as many as there are). An empty history forecasts zero."""
    n = len(history)
    result = []
    for h in range(horizon):
        same = [history[p] for k in range(1, weeks + 1 + h // SEASON) if 0 <= (p := n + h - k * SEASON) < n]
        same = same[:weeks]
        result.append(sum(same) / len(same) if same else 0.0)
    return result


@dataclass(frozen=True)
class Split:
    train: list[float]
    test: list[float]


def backtest_split(series: Sequence[float], weeks: int = BACKTEST_WEEKS) -> Split | None:
    """All but the last `weeks` weeks to fit on, the last ones to forecast; None when too little is left."""
    held = weeks * SEASON
    if len(series) - held < MIN_TRAIN_WEEKS * SEASON:
        return None
    return Split(list(series[:-held]), list(series[-held:]))


def mae(actual: Sequence[float], forecast: Sequence[float]) -> float:
    """Mean absolute error, in cases a day."""
    if not actual or len(actual) != len(forecast):
        raise ValueError("mae needs two series of the same, non-zero length")
    return sum(abs(a - f) for a, f in zip(actual, forecast, strict=True)) / len(actual)


def mape(actual: Sequence[float], forecast: Sequence[float]) -> float | None:
    """Mean absolute percentage error (a fraction) over the days with cases: a closed day's zero has no
    percentage. None when no day had any."""
    pairs = [(a, f) for a, f in zip(actual, forecast, strict=True) if a > 0]
    if not pairs:
        return None
    return sum(abs(a - f) / a for a, f in pairs) / len(pairs)


@dataclass(frozen=True)
class Score:
    method: str
    mae: float
    mape: float | None


def winner(scores: Sequence[Score]) -> str | None:
    """The method with the lowest MAE (ties: the first named, the simpler one when it is listed first)."""
    if not scores:
        return None
    return min(scores, key=lambda s: s.mae).method


def clipped(values: Sequence[float]) -> list[float]:
    """No negative volume: a model's mean or lower bound below zero is zero."""
    return [max(0.0, v) for v in values]


def weekly(values: Sequence[float]) -> list[float]:
    """Sums of consecutive blocks of seven days."""
    return [sum(values[i : i + SEASON]) for i in range(0, len(values) - SEASON + 1, SEASON)]


def split_by_shares(totals: Sequence[float], counts: Mapping[str, int]) -> dict[str, list[int]]:
    """Top-down: each weekly total split by each category's share of the recent counts, rounded so that the
    categories add up to the rounded total (largest remainders first)."""
    whole = sum(counts.values())
    result: dict[str, list[int]] = {name: [] for name in counts}
    if not whole:
        return result
    names = sorted(counts, key=lambda k: (-counts[k], k))
    for total in totals:
        exact = {k: total * counts[k] / whole for k in names}
        floors = {k: int(v) for k, v in exact.items()}
        left = round(total) - sum(floors.values())
        for k in sorted(names, key=lambda k: -(exact[k] - floors[k]))[: max(0, left)]:
            floors[k] += 1
        for k in names:
            result[k].append(floors[k])
    return result
