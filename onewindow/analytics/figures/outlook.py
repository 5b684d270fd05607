"""What the overview's key findings add beyond the period: next weeks' load with its expected error (the
forecast, for the same region and department) and what the latest reform saved (the reforms the reader may see,
taken effect in the last twelve months). Each finding links to the page whose figures it quotes, and those to the
cases behind them."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from onewindow.analytics.figures.findings import Finding
from onewindow.analytics.figures.selectors import Filters, Period
from onewindow.analytics.forecast.tables import Forecast, forecast_for, method_names
from onewindow.analytics.reforms.domain import add_months
from onewindow.analytics.reforms.selectors import months_of, reforms_visible
from onewindow.analytics.reforms.tables import ReformAsk, reform_results
from onewindow.orgs.models import User

OUTLOOK_WEEKS = 4


def outlook_findings(user: User, filters: Filters, today: dt.date) -> list[Finding]:
    findings = [_load_ahead(user, filters, today)]
    reform = _latest_reform(user, today)
    return findings + ([reform] if reform is not None else [])


def _load_ahead(user: User, filters: Filters, today: dt.date) -> Finding:
    region, department = filters.region, filters.department
    forecast = forecast_for(user, today, region.pk if region else None, department.pk if department else None)
    query = urlencode([(k, str(o.pk)) for k, o in (("region", region), ("department", department)) if o is not None])
    url = reverse("analytics_forecast:forecast") + (f"?{query}" if query else "")
    return Finding(load_ahead_text(forecast), url)


def load_ahead_text(forecast: Forecast) -> str:
    weeks = forecast.table("weekly").rows[:OUTLOOK_WEEKS]
    figures = {
        "first": weeks[0]["first"],
        "last": weeks[-1]["last"],
        "total": sum(int(w["forecast"] or 0) for w in weeks),
        "lower": sum(int(w["lower"] or 0) for w in weeks),
        "upper": sum(int(w["upper"] or 0) for w in weeks),
    }
    winner = next((r for r in forecast.table("backtest").rows if forecast.winner and r["winner"]), None)
    if winner is None:
        return _("未来四周（%(first)s至%(last)s）预计提交办件约%(total)s件；历史不足，未能回测误差。") % figures
    return _(
        "未来四周（%(first)s至%(last)s）预计提交办件约%(total)s件（80%%区间%(lower)s至%(upper)s件）；"
        "回测平均误差每日%(mae)s件，以%(method)s为准。"
    ) % (figures | {"mae": winner["mae"], "method": method_names()[forecast.winner or ""]})


def _latest_reform(user: User, today: dt.date) -> Finding | None:
    reform = reforms_visible(user).filter(effective_on__range=(add_months(today, -12), today)).first()
    if reform is None:
        return None
    ask = ReformAsk(reform, months_of(""), Filters(Period(reform.effective_on, reform.effective_on)))
    return Finding(reform_results(user, ask, today).sentence, reverse("analytics_reforms:detail", args=[reform.pk]))
