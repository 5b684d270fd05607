"""把握公众需求 as tables: the cases submitted in the period by channel, applicant kind, matter, bundle,
department, region, hour, weekday and month; the online share against its target; the public catalogue's
searches. Each count links to the cases behind it (`of=submitted` and the row's condition)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from onewindow.analytics.figures import selectors, sources
from onewindow.analytics.figures.domain import share
from onewindow.analytics.figures.selectors import Filters
from onewindow.analytics.figures.tables.common import (
    Analysis,
    Linked,
    cell_links,
    linked_table,
    online_target,
    percent,
)
from onewindow.analytics.trace.domain import Of, Value
from onewindow.analytics.trace.links import Tracer
from onewindow.cases.models import ONLINE_CHANNELS, Channel
from onewindow.orgs.models import Applicant, User
from onewindow.web.tables import Cell, Table

WEEKDAYS = [
    gettext_noop("周一"),
    gettext_noop("周二"),
    gettext_noop("周三"),
    gettext_noop("周四"),
    gettext_noop("周五"),
    gettext_noop("周六"),
    gettext_noop("周日"),
]
SEARCHES = 50  # rows of each searches table
Condition = Callable[[Any], dict[str, Value]]  # a row's key → the conditions of the cases behind it


def demand_for(user: User, filters: Filters) -> Analysis:
    counts = sources.demand_counts(user, filters)
    total = sum(counts.channels.values())
    orgs = selectors.organisation_names(set(counts.regions) | set(counts.departments))
    searched = selectors.searches_by_matter(filters.period, SEARCHES)
    matter_names = selectors.matter_names(set(counts.matters) | {k for k, _n in searched})
    bundle_names = selectors.bundle_names(set(counts.bundles))
    kind_labels = {k: str(v) for k, v in Applicant.Kind.choices}
    months = counts.months
    tables = Counts(Tracer(filters), total)
    return Analysis(
        filters,
        [
            online_table(tables.trace, counts.channels, total),
            channel_table(tables, counts.channels),
            tables.table(
                "by_applicant_kind", _("按申请人类型"), counts.kinds, kind_labels.get, lambda k: {"applicant_kind": k}
            ),
            tables.table("by_matter", _("按事项（单项）"), counts.matters, matter_names.get, lambda k: {"matter": k}),
            tables.table("by_bundle", _("按一件事"), counts.bundles, bundle_names.get, lambda k: {"bundle": k}),
            Counts(tables.trace, None).table(
                "by_department",
                _("按部门（一件事计入其每个部门）"),
                counts.departments,
                orgs.get,
                lambda k: {"concerns": k},
            ),
            tables.table("by_region", _("按受理地"), counts.regions, orgs.get, lambda k: {"received_in": k}),
            tables.series("by_hour", _("按时段（提交时间）"), counts.hours, range(24), lambda h: f"{h:02d}:00", "hour"),
            tables.series(
                "by_weekday", _("按星期"), counts.weekdays, range(1, 8), lambda d: _(WEEKDAYS[d - 1]), "weekday"
            ),
            month_table(tables, months),
            *_search_tables(filters, searched, matter_names),
        ],
    )


def channel_table(tables: Counts, channels: dict[str, int]) -> Table:
    labels = {k: str(v) for k, v in Channel.choices}
    return tables.table("by_channel", _("按渠道"), channels, labels.get, lambda k: {"channel": k})


def month_table(tables: Counts, months: dict[dt.date, int]) -> Table:
    return tables.series("by_month", _("按月份"), months, sorted(months), lambda m: f"{m:%Y-%m}", "month")


def _search_tables(filters: Filters, searched: list[tuple[int, int]], names: dict[int, str]) -> list[Table]:
    """The public catalogue's searches (everyone's, whatever the region filter): what found nothing, and the
    matters most searched (the first result of a search). Searches are not cases: nothing to trace."""
    unfound: list[dict[str, Cell]] = [
        {"query": r["query"], "times": r["times"], "last_day": r["last_day"].isoformat()}
        for r in selectors.searches_unfound(filters.period, SEARCHES)
    ]
    columns = [("query", _("检索词")), ("times", _("次数")), ("last_day", _("最近一次"))]
    matters: list[dict[str, Cell]] = [{"name": names.get(k, str(k)), "searches": n} for k, n in searched]
    return [
        Table("searches_unfound", _("事项目录检索无结果的检索词"), columns, unfound),
        Table("searches_by_matter", _("检索最多的事项"), [("name", _("事项")), ("searches", _("检索次数"))], matters),
    ]


def online_table(trace: Tracer, channels: dict[str, int], total: int) -> Table:
    online = sum(n for k, n in channels.items() if k in ONLINE_CHANNELS)
    rate = share(online, total)
    target = online_target()
    row: dict[str, Cell] = {
        "total": total,
        "online": online,
        "window": total - online,
        "online_rate": percent(rate),
        "target": percent(target),
        "gap": None if rate is None else round((rate - target) * 100, 1),
    }
    urls = {
        "total": trace(Of.SUBMITTED),
        "online": trace(Of.SUBMITTED, online=True),
        "window": trace(Of.SUBMITTED, online=False),
        "online_rate": trace(Of.SUBMITTED, online=True),
    }
    columns = [
        ("total", _("办件量")),
        ("online", _("网上（含移动端）")),
        ("window", _("窗口")),
        ("online_rate", _("网上办理率（%）")),
        ("target", _("目标（%）")),
        ("gap", _("与目标差（百分点）")),
    ]
    return linked_table("online_share", _("网上办理率"), columns, [(row, cell_links(row, urls))])


class Counts:
    """Tables of the cases submitted per key, each count linked to its cases."""

    def __init__(self, trace: Tracer, total: int | None) -> None:
        self.trace, self.total = trace, total

    def table(
        self, key: str, title: str, counts: dict[Any, int], label: Callable[[Any], Any], condition: Condition
    ) -> Table:
        def name(k: Any) -> str:
            return str(label(k) or k)

        rows: list[Linked] = []
        for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], str(label(kv[0])))):
            row: dict[str, Cell] = {"name": name(k), "count": n}
            row["share"] = percent(share(n, self.total)) if self.total else None
            rows.append((row, cell_links(row, {"count": self.trace(Of.SUBMITTED, **condition(k))})))
        columns = [("name", _("名称")), ("count", _("办件量"))]
        if self.total is not None:
            columns.append(("share", _("占比（%）")))
        return linked_table(key, title, columns, rows)

    def series(
        self,
        key: str,
        title: str,
        counts: dict[Any, int],
        keys: Iterable[Any],
        label: Callable[[Any], str],
        condition: str,
    ) -> Table:
        rows: list[Linked] = []
        for k in keys:
            row: dict[str, Cell] = {"name": label(k), "count": counts.get(k, 0)}
            value = f"{k:%Y-%m}" if condition == "month" else k
            rows.append((row, cell_links(row, {"count": self.trace(Of.SUBMITTED, **{condition: value})})))
        return linked_table(key, title, [("name", _("时间")), ("count", _("办件量"))], rows)
