"""The forecast's pure parts, without a database: the baseline, the backtest's split, the error measures, the
holiday features, the weekly sums and the split by category; and the model on a synthetic year (holidays
closed, Mondays busier) beats the naive baseline over a holiday."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from onewindow.analytics.forecast import domain
from onewindow.analytics.forecast.model import fit_predict

MONDAY = dt.date(2026, 9, 7)


def test_the_baseline_is_the_mean_of_the_same_weekday_over_the_last_four_weeks():
    history = [float(w * 10 + d) for w in range(6) for d in range(7)]  # week w, weekday d
    forecast = domain.seasonal_naive(history, 14)
    assert forecast[0] == (20 + 30 + 40 + 50) / 4  # Mondays of weeks 2–5
    assert forecast[3] == (23 + 33 + 43 + 53) / 4
    assert forecast[7] == forecast[0] and forecast[13] == forecast[6]  # the next week repeats the pattern
    assert domain.seasonal_naive([5.0, 6.0], 3) == [0.0, 0.0, 0.0]  # no same weekday yet
    assert domain.seasonal_naive([], 2) == [0.0, 0.0]


def test_the_backtest_holds_out_the_last_weeks_and_needs_enough_before_them():
    series = [float(i) for i in range(12 * 7)]
    split = domain.backtest_split(series)
    assert split is not None
    assert split.test == series[-28:] and split.train == series[:-28]
    assert domain.backtest_split(series[:-1]) is None  # under eight weeks before the held-out four


def test_mae_and_mape():
    assert domain.mae([10, 0, 20], [12, 3, 14]) == pytest.approx((2 + 3 + 6) / 3)
    assert domain.mape([10, 0, 20], [12, 3, 14]) == pytest.approx((0.2 + 0.3) / 2)  # the closed day left out
    assert domain.mape([0, 0], [1, 2]) is None
    with pytest.raises(ValueError):
        domain.mae([], [])


def test_the_winner_has_the_lowest_mae():
    scores = [domain.Score("model", 3.0, 0.1), domain.Score("baseline", 4.0, 0.05)]
    assert domain.winner(scores) == "model"
    assert domain.winner([domain.Score("baseline", 2.0, None), *scores]) == "baseline"
    assert domain.winner([]) is None


def test_the_holiday_features_follow_the_working_day_calendar():
    holidays = {dt.date(2026, 10, d) for d in range(1, 8)}
    makeup = {dt.date(2026, 10, 10)}  # a Saturday worked

    def working(day: dt.date) -> bool:
        return day in makeup or (day.weekday() < 5 and day not in holidays)

    days = [dt.date(2026, 9, 28), dt.date(2026, 10, 1), dt.date(2026, 10, 4), dt.date(2026, 10, 8)]
    days += [dt.date(2026, 10, 9), dt.date(2026, 10, 10), dt.date(2026, 10, 12)]
    rows = dict(zip(days, domain.holiday_features(days, working), strict=True))
    assert rows[dt.date(2026, 9, 28)] == [1, 1, 0, 0, 0, 0]  # an ordinary Monday (two days closed before it)
    assert rows[dt.date(2026, 10, 1)] == [0, 0, 0, 0, 0, 0]  # National Day, a Thursday: closed
    assert rows[dt.date(2026, 10, 4)] == [0, 0, 0, 0, 0, 0]  # a Sunday in the holiday
    assert rows[dt.date(2026, 10, 8)] == [1, 0, 0, 0, 1, 1]  # the Thursday after the break
    assert rows[dt.date(2026, 10, 9)] == [1, 0, 0, 0, 0, 0]  # a Friday: the base
    assert rows[dt.date(2026, 10, 10)] == [1, 0, 0, 0, 0, 0]  # the make-up Saturday opens
    assert rows[dt.date(2026, 10, 12)] == [1, 1, 0, 0, 0, 0]  # one Sunday closed before it only


def test_the_days_of_the_history_and_the_horizon():
    today = dt.date(2026, 12, 7)
    past = domain.history_days(today)
    assert (len(past), past[-1], past[0].weekday()) == (364, today - dt.timedelta(days=1), today.weekday())
    ahead = domain.horizon_days(today)
    assert (len(ahead), ahead[0]) == (56, today)


def test_weekly_sums_clipping_and_the_split_by_category():
    assert domain.weekly([1.0] * 15) == [7.0, 7.0]
    assert domain.clipped([-0.5, 2.0]) == [0.0, 2.0]
    split = domain.split_by_shares([100.0, 10.4], {"行政许可": 2, "公共服务": 1, "bundle": 0})
    assert split == {"行政许可": [67, 7], "公共服务": [33, 3], "bundle": [0, 0]}
    assert domain.split_by_shares([5.0], {}) == {}


def _synthetic(days: list[dt.date], working, seed: int = 3) -> list[float]:
    r = random.Random(seed)
    return [
        max(0.0, r.gauss(80 if d.weekday() == 0 else 50, 5)) if working(d) else float(r.randint(0, 4)) for d in days
    ]


def test_the_model_knows_the_holidays_the_baseline_does_not():
    holidays = {dt.date(2027, 1, 1) + dt.timedelta(days=i) for i in range(3)} | {MONDAY + dt.timedelta(days=119)}

    def working(day: dt.date) -> bool:
        return day.weekday() < 5 and day not in holidays

    days = domain.days_from(MONDAY, 20 * 7)
    series = _synthetic(days, working)
    split = domain.backtest_split(series)
    assert split is not None
    n = len(split.train)
    features = domain.holiday_features(days, working)
    prediction = fit_predict(split.train, features[:n], features[n:])
    naive = domain.seasonal_naive(split.train, len(split.test))
    assert len(prediction.mean) == len(split.test) == 28
    assert min(prediction.lower) >= 0 and all(
        lo <= m <= up for m, lo, up in zip(prediction.mean, prediction.lower, prediction.upper, strict=True)
    )
    assert domain.mae(split.test, prediction.mean) < domain.mae(split.test, naive)
    closed = days.index(MONDAY + dt.timedelta(days=119)) - n  # a holiday Monday in the held-out weeks
    assert prediction.mean[closed] < 10 < naive[closed]
