"""The model: a regression on the holiday features (`domain.holiday_features`: working day, its weekday, the
day after a break) with AR(1) errors, fitted with statsmodels' `SARIMAX` by maximum likelihood; its forecast
with an 80 % interval. Pure (numpy and statsmodels, no Django); a fit on a year of days takes well under a
second."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from statsmodels.tsa.statespace.sarimax import SARIMAX

from onewindow.analytics.forecast.domain import clipped

INTERVAL = 0.8


@dataclass(frozen=True)
class Prediction:
    mean: list[float]
    lower: list[float]
    upper: list[float]


def _usable_columns(train: np.ndarray) -> list[int]:
    """The features that vary in the training days (a constant column would be singular beside the constant)."""
    return [i for i in range(train.shape[1]) if np.ptp(train[:, i]) > 0]


def fit_predict(
    series: Sequence[float], features: Sequence[Sequence[float]], future: Sequence[Sequence[float]]
) -> Prediction:
    """Fit on `series` (one value a day) with its `features`, forecast the days of `future` (their features).
    Means and bounds below zero are zero."""
    y = np.asarray(series, dtype=float)
    x = np.asarray(features, dtype=float)
    x_future = np.asarray(future, dtype=float)
    columns = _usable_columns(x)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence chatter on short or flat series: the backtest judges the fit
        model = SARIMAX(
            y,
            exog=x[:, columns] if columns else None,
            order=(1, 0, 0),
            trend="c",
            enforce_stationarity=True,
        )
        result = model.fit(disp=False, maxiter=200)
        forecast = result.get_forecast(len(x_future), exog=x_future[:, columns] if columns else None)
        mean = np.asarray(forecast.predicted_mean, dtype=float)
        bounds = np.asarray(forecast.conf_int(alpha=1 - INTERVAL), dtype=float)
    return Prediction(
        clipped(mean.tolist()),
        clipped(bounds[:, 0].tolist()),
        clipped(bounds[:, 1].tolist()),
    )
