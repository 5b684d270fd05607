"""The forecast as tables, read alike by the page (table and chart), its Excel export and the API: the weeks
ahead (model, its 80 % interval, the baseline), the days ahead, the backtest (MAE and MAPE of both methods on
the last four weeks, and the winner), the weeks ahead by matter category, and the daily history. What is counted
links to its cases (`analytics.trace`): each day of the history, the weeks the backtest held out, each category's
last eight weeks; the forecast itself is of cases not yet submitted."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from django.core.cache import cache
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from onewindow.analytics.figures.selectors import Filters, Period
from onewindow.analytics.figures.tables.common import Linked, cell_links, linked_table
from onewindow.analytics.forecast import domain, selectors
from onewindow.analytics.forecast.model import Prediction, fit_predict
from onewindow.analytics.trace.domain import Of
from onewindow.analytics.trace.links import Tracer
from onewindow.catalogue.models import Category
from onewindow.orgs.models import User
from onewindow.web.tables import Cell, Table

WEEKDAYS = [gettext_noop(d) for d in ("周一", "周二", "周三", "周四", "周五", "周六", "周日")]
MODEL = "model"
BASELINE = "baseline"
CATEGORY_WEEKS = 8  # the category shares: the last eight weeks
FITTED_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Forecast:
    filters: Filters
    today: dt.date
    winner: str | None
    tables: list[Table]

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)


def method_names() -> dict[str, str]:
    return {MODEL: _("模型（SARIMAX，工作日与节假日特征）"), BASELINE: _("朴素季节基线（近四周同星期均值）")}


def forecast_for(user: User, today: dt.date, region_id: int | None, department_id: int | None) -> Forecast:
    """The forecast, fitted once per scope, filters and day while its inputs stay (it reads whole days before
    today: a new fit would give the same; the overview and the forecast page share it)."""
    key = f"analytics-forecast:{region_id}:{department_id}:{today}:{selectors.inputs_version(user, today)}"
    forecast: Forecast | None = cache.get(key)
    if forecast is None:
        forecast = _forecast(user, today, region_id, department_id)
        cache.set(key, forecast, FITTED_SECONDS)
    return forecast


def _forecast(user: User, today: dt.date, region_id: int | None, department_id: int | None) -> Forecast:
    past = domain.history_days(today)
    ahead = domain.horizon_days(today)
    filters = selectors.filters_of(user, past[0], past[-1], region_id, department_id)
    counts = selectors.daily_counts(user, filters)
    series = [float(counts.get(day, 0)) for day in past]
    open_ = selectors.working_days(past + ahead)
    features = domain.holiday_features(past, open_.__getitem__)
    future = domain.holiday_features(ahead, open_.__getitem__)

    scores = _backtest(series, features)
    baseline = domain.seasonal_naive(series, len(ahead))
    prediction = fit_predict(series, features, future) if any(series) else Prediction(baseline, baseline, baseline)
    recent = selectors.filters_of(
        user, today - dt.timedelta(days=CATEGORY_WEEKS * 7), past[-1], region_id, department_id
    )
    categories = selectors.category_counts(user, recent)
    best = domain.winner(scores)
    return Forecast(
        filters,
        today,
        best,
        [
            _weekly_table(ahead, prediction, baseline, open_),
            _backtest_table(scores, best, _held_out(filters, series)),
            _category_table(ahead, prediction, categories, Tracer(recent)),
            _daily_table(ahead, prediction, baseline, open_),
            _history_table(filters, series, open_),
        ],
    )


def _backtest(series: list[float], features: list[list[float]]) -> list[domain.Score]:
    split = domain.backtest_split(series)
    if split is None or not any(split.train):
        return []
    n = len(split.train)
    model = fit_predict(split.train, features[:n], features[n:]).mean
    naive = domain.seasonal_naive(split.train, len(split.test))
    return [
        domain.Score(MODEL, domain.mae(split.test, model), domain.mape(split.test, model)),
        domain.Score(BASELINE, domain.mae(split.test, naive), domain.mape(split.test, naive)),
    ]


def _one(value: float) -> float:
    return round(value, 1)


def _percent(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 1)


def _weekly_table(ahead: list[dt.date], p: Prediction, baseline: list[float], open_: dict[dt.date, bool]) -> Table:
    rows: list[dict[str, Cell]] = []
    sums = [domain.weekly(values) for values in (p.mean, p.lower, p.upper, baseline)]
    for week, (mean, lower, upper, naive) in enumerate(zip(*sums, strict=True)):
        days = ahead[week * 7 : week * 7 + 7]
        rows.append(
            {
                "week": _("第 %(n)s 周") % {"n": week + 1},
                "first": f"{days[0]:%Y-%m-%d}",
                "last": f"{days[-1]:%Y-%m-%d}",
                "working_days": sum(open_[d] for d in days),
                "forecast": round(mean),
                "lower": round(lower),
                "upper": round(upper),
                "baseline": round(naive),
            }
        )
    columns = [
        ("week", _("周")),
        ("first", _("起")),
        ("last", _("止")),
        ("working_days", _("工作日")),
        ("forecast", _("预测办件量")),
        ("lower", _("区间下限")),
        ("upper", _("区间上限")),
        ("baseline", _("基线")),
    ]
    return Table("weekly", _("未来八周办件量预测（区间为每日 80% 区间之和）"), columns, rows)


def _held_out(filters: Filters, series: list[float]) -> tuple[int, str]:
    """The cases of the weeks the backtest forecast (its last ones): how many, and the list of them."""
    days = domain.BACKTEST_WEEKS * domain.SEASON
    last = filters.period.last
    held = replace(filters, period=Period(last - dt.timedelta(days=days - 1), last))
    return int(sum(series[-days:])), Tracer(held)(Of.SUBMITTED)


def _backtest_table(scores: list[domain.Score], best: str | None, held_out: tuple[int, str]) -> Table:
    names = method_names()
    actual, cases = held_out
    rows: list[Linked] = []
    for s in scores:
        row: dict[str, Cell] = {
            "method": names[s.method],
            "actual": actual,
            "mae": _one(s.mae),
            "mape": _percent(s.mape),
            "winner": _("胜出") if s.method == best else "",
        }
        rows.append((row, cell_links(row, {"actual": cases})))
    columns = [
        ("method", _("方法")),
        ("actual", _("回测期实际提交量")),
        ("mae", _("平均绝对误差（件/日）")),
        ("mape", _("平均绝对百分比误差（%，有办件的日）")),
        ("winner", _("结果")),
    ]
    title = _("回测：以最后 %(weeks)s 周之前的数据拟合，预测最后 %(weeks)s 周") % {"weeks": domain.BACKTEST_WEEKS}
    return linked_table("backtest", title, columns, rows)


def category_label(key: str) -> str:
    if key == selectors.BUNDLE:
        return _("一件事（联办）")
    return str(dict(Category.choices).get(key, key))


def _category_table(ahead: list[dt.date], p: Prediction, counts: dict[str, int], trace: Tracer) -> Table:
    weeks = domain.weekly(p.mean)
    split = domain.split_by_shares(weeks, counts)
    whole = sum(counts.values())
    rows: list[Linked] = []
    for key, values in sorted(split.items(), key=lambda kv: (-counts[kv[0]], kv[0])):  # the largest share first
        row: dict[str, Cell] = {
            "name": category_label(key),
            "recent": counts[key],
            "share": _percent(counts[key] / whole),
        }
        row |= {f"w{i + 1}": v for i, v in enumerate(values)}
        rows.append((row, cell_links(row, {"recent": trace(Of.SUBMITTED, category=key)})))
    columns = [("name", _("事项类型")), ("recent", _("近八周提交量")), ("share", _("近八周占比（%）"))]
    columns += [(f"w{i + 1}", f"{ahead[i * 7]:%m-%d}") for i in range(len(weeks))]
    return linked_table("by_category", _("按事项类型（按近八周占比分摊每周预测）"), columns, rows)


def _daily_table(ahead: list[dt.date], p: Prediction, baseline: list[float], open_: dict[dt.date, bool]) -> Table:
    rows: list[dict[str, Cell]] = [
        {
            "date": f"{day:%Y-%m-%d}",
            "weekday": _(WEEKDAYS[day.weekday()]),
            "working": _("是") if open_[day] else _("否"),
            "forecast": _one(mean),
            "lower": _one(lower),
            "upper": _one(upper),
            "baseline": _one(naive),
        }
        for day, mean, lower, upper, naive in zip(ahead, p.mean, p.lower, p.upper, baseline, strict=True)
    ]
    columns = [
        ("date", _("日期")),
        ("weekday", _("星期")),
        ("working", _("工作日")),
        ("forecast", _("预测")),
        ("lower", _("下限（80%）")),
        ("upper", _("上限（80%）")),
        ("baseline", _("基线")),
    ]
    return Table("daily", _("逐日预测"), columns, rows)


def _history_table(filters: Filters, series: list[float], open_: dict[dt.date, bool]) -> Table:
    rows: list[Linked] = []
    for offset, n in enumerate(series):
        day = filters.period.first + dt.timedelta(days=offset)
        working = _("是") if open_[day] else _("否")
        row: dict[str, Cell] = {"date": f"{day:%Y-%m-%d}", "working": working, "count": int(n)}
        on_the_day = Tracer(replace(filters, period=Period(day, day)))(Of.SUBMITTED)
        rows.append((row, cell_links(row, {"count": on_the_day})))
    columns = [("date", _("日期")), ("working", _("工作日")), ("count", _("提交办件量"))]
    return linked_table("history", _("近一年逐日提交量"), columns, rows)
