"""服务经济发展 as tables (`onewindow.web.tables.Table`), and the monthly report: its headline composed from
the figures of the month (and the volume of the month before) and its tables — the demand and operations
tables of `analytics.figures.tables` and the economy tables. Durations in calendar days from submission to
completion (one decimal, nearest-rank P50/P90 as in the figures). Each count and duration of the economy links
to the cases behind it (`analytics.trace`: `of=decided&economy=setups|investment`, `green=1|0`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from onewindow import clock
from onewindow.analytics.figures import selectors as figures
from onewindow.analytics.figures import sources
from onewindow.analytics.figures.domain import grouped, spread
from onewindow.analytics.figures.selectors import Filters, Period
from onewindow.analytics.figures.tables import days, demand_for, online_target, operations_for, percent
from onewindow.analytics.figures.tables.common import Linked, cell_links, linked_table
from onewindow.analytics.figures.tables.operations import subject_condition
from onewindow.analytics.reforms.domain import DEFAULT_MONTHS
from onewindow.analytics.reforms.selectors import reforms_visible
from onewindow.analytics.reforms.tables import ReformAsk, ReformResults, reform_results
from onewindow.analytics.report import selectors
from onewindow.analytics.report.domain import Headline, previous_month, year_before
from onewindow.analytics.report.headline import headline_text
from onewindow.analytics.report.selectors import Decided
from onewindow.analytics.trace.domain import NONE, Of, Value
from onewindow.analytics.trace.links import Tracer
from onewindow.orgs.models import User
from onewindow.web.tables import Cell, Table

DEMAND_TABLES = ("online_share", "by_channel", "by_matter", "by_bundle", "by_region")
OPERATIONS_TABLES = ("summary", "phases", "times_by_matter", "times_by_department", "finish_last")


def _spread_row(name: str, members: Sequence[Decided], url: str) -> Linked:
    s = spread([c.days for c in members])
    row: dict[str, Cell] = {"name": name, "count": s.count, "p50": days(s.p50), "p90": days(s.p90)}
    return row, cell_links(row, dict.fromkeys(("count", "p50", "p90"), url))


SPREAD_COLUMNS = [("count", "办结量"), ("p50", "用时 P50（天）"), ("p90", "用时 P90（天）")]


def _columns(first: str) -> list[tuple[str, str]]:
    return [("name", first), *[(k, _(label)) for k, label in SPREAD_COLUMNS]]


@dataclass(frozen=True)
class _Group:
    """Decided cases of one economy figure (`setups`, `investment`) grouped by a key, each group's count and
    times linked to its cases (`condition`: the key's trace condition)."""

    trace: Tracer
    economy: str
    group: Callable[[Decided], Any]
    label: Callable[[Any], str]
    condition: Callable[[Any], dict[str, Value]]


def _by_region(trace: Tracer, economy: str, label: Callable[[int], str]) -> _Group:
    return _Group(trace, economy, lambda c: c.region, label, lambda region: {"received_in": region})


def _completed_month(case: Decided) -> str:
    return case.month


def _month_condition(month: str) -> dict[str, Value]:
    return {"month": month}


def _industry(case: Decided) -> str:
    return case.industry or NONE


def _industry_label(industry: str) -> str:
    return _("未填写") if industry == NONE else industry


def _industry_condition(industry: str) -> dict[str, Value]:
    return {"industry": industry}


def _grouped_table(key: str, title: str, first: str, cases: Sequence[Decided], by: _Group) -> Table:
    def url(**conditions: Value) -> str:
        return by.trace.longest_first(Of.DECIDED, economy=by.economy, **conditions)

    rows = [
        _spread_row(by.label(k), members, url(**by.condition(k))) for k, members in grouped(cases, by.group).items()
    ]
    rows.sort(key=lambda r: str(r[0]["name"]))
    if cases:
        rows.append(_spread_row(_("合计"), cases, url()))
    return linked_table(key, title, _columns(first), rows)


@dataclass(frozen=True)
class Economy:
    tables: list[Table]
    setups: list[Decided]


def economy_for(user: User, filters: Filters, trend: Filters | None = None) -> Economy:
    """The economy tables of `filters`' period; the set-ups by month over `trend`'s (by default the same)."""
    setups = selectors.enterprise_setups(user, filters)
    monthly = selectors.enterprise_setups(user, trend) if trend is not None else setups
    investment = selectors.investment_approvals(user, filters)
    compared = selectors.green_and_ordinary(user, filters)
    orgs = figures.organisation_names({c.region for c in setups + investment})
    subjects = {c.subject for c in compared}
    matter_names = figures.matter_names({i for kind, i in subjects if kind == "matter"})
    bundle_names = figures.bundle_names({i for kind, i in subjects if kind == "bundle"})

    def region(pk: int) -> str:
        return orgs.get(pk, str(pk))

    def subject(s: tuple[str, int]) -> str:
        return (matter_names if s[0] == "matter" else bundle_names).get(s[1], str(s[1]))

    trace = Tracer(filters)
    monthly_trace = Tracer(trend or filters)
    return Economy(
        [
            _grouped_table(
                "setups_by_district",
                _("企业开办（按区县，自然日）"),
                _("区县"),
                setups,
                _by_region(trace, "setups", region),
            ),
            _grouped_table(
                "setups_by_industry",
                _("企业开办（按行业，自然日）"),
                _("行业"),
                setups,
                _Group(trace, "setups", _industry, _industry_label, _industry_condition),
            ),
            _grouped_table(
                "setups_by_month",
                _("企业开办（按月份，自然日）"),
                _("月份"),
                monthly,
                _Group(monthly_trace, "setups", _completed_month, str, _month_condition),
            ),
            _grouped_table(
                "investment_by_district",
                _("投资项目审批（工业项目一件事，按区县，自然日）"),
                _("区县"),
                investment,
                _by_region(trace, "investment", region),
            ),
            _green_table(trace, compared, subject),
        ],
        setups,
    )


def _green_table(trace: Tracer, cases: Sequence[Decided], label: Callable[[tuple[str, int]], str]) -> Table:
    rows: list[Linked] = []
    for subject, members in grouped(cases, lambda c: c.subject).items():
        green = spread([c.days for c in members if c.green])
        ordinary = spread([c.days for c in members if not c.green])
        saved = None if green.p50 is None or ordinary.p50 is None else days(ordinary.p50 - green.p50)
        row: dict[str, Cell] = {
            "name": label(subject),
            "green": green.count,
            "green_p50": days(green.p50),
            "ordinary": ordinary.count,
            "ordinary_p50": days(ordinary.p50),
            "saved": saved,
        }
        condition = subject_condition(subject)
        green_url = trace.longest_first(Of.DECIDED, **condition, green=True)
        ordinary_url = trace.longest_first(Of.DECIDED, **condition, green=False)
        urls = {"green": green_url, "green_p50": green_url, "ordinary": ordinary_url, "ordinary_p50": ordinary_url}
        rows.append((row, cell_links(row, urls)))
    rows.sort(key=lambda r: str(r[0]["name"]))
    columns = [
        ("name", _("事项或一件事")),
        ("green", _("绿色通道办结")),
        ("green_p50", _("绿色通道用时 P50（天）")),
        ("ordinary", _("普通办结")),
        ("ordinary_p50", _("普通用时 P50（天）")),
        ("saved", _("绿色通道快（天）")),
    ]
    return linked_table("green_channel", _("绿色通道（重点项目）与普通办件（同一事项，自然日）"), columns, rows)


# --- the monthly report -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Report:
    filters: Filters
    headline: str
    sections: list[tuple[str, list[Table]]]

    @property
    def tables(self) -> list[Table]:
        return [t for _title, tables in self.sections for t in tables]


def _first(table: Table, key: str) -> Any:
    return table.rows[0].get(key) if table.rows else None


def report_for(user: User, month_first: dt.date, month_last: dt.date) -> Report:
    filters = Filters(Period(month_first, month_last))
    demand = demand_for(user, filters)
    operations = operations_for(user, filters)
    economy = economy_for(user, filters, Filters(Period(year_before(month_first), month_last)))
    before = Filters(Period(*previous_month(month_first)))
    volume_before = sources.submitted_count(user, before)
    online = demand.table("online_share")
    summary = operations.table("summary")
    by_matter = operations.table("times_by_matter").rows  # sorted by P50, longest first
    last = operations.table("finish_last").rows
    last_row = max(last, key=lambda r: r["last"] or 0, default=None)
    setups = spread([c.days for c in economy.setups])
    reforms = reforms_in_report(user, month_first, month_last)
    headline = Headline(
        month=month_first,
        volume=int(_first(online, "total") or 0),
        volume_before=volume_before,
        online_rate=_first(online, "online_rate"),
        online_target=percent(online_target()) or 0.0,
        decided=int(_first(summary, "count") or 0),
        on_time_rate=_first(summary, "on_time_rate"),
        slowest_matter=str(by_matter[0]["name"]) if by_matter else None,
        slowest_p50=by_matter[0]["total_p50"] if by_matter else None,  # type: ignore[arg-type]
        finishing_last=str(last_row["name"]) if last_row else None,
        finishing_last_times=int(last_row["last"] or 0) if last_row else 0,
        setups=setups.count,
        setups_p50=days(setups.p50),
        reforms=tuple(r.sentence for r in reforms if month_first <= r.ask.reform.effective_on <= month_last),
    )
    return Report(
        filters,
        headline_text(headline),
        [
            (_("一、把握公众需求"), [t for t in demand.tables if t.key in DEMAND_TABLES]),
            (_("二、规范运行管理"), [t for t in operations.tables if t.key in OPERATIONS_TABLES]),
            (_("三、服务经济发展"), [*economy.tables, reform_table(reforms)]),
        ],
    )


# --- reform results in the report ---------------------------------------------------------------------------


def reforms_in_report(user: User, month_first: dt.date, month_last: dt.date) -> list[ReformResults]:
    """The reforms in force at the month's end that took effect in the twelve months up to it, each compared with
    what was known then (the windows end by the month's last day, or today)."""
    known = min(month_last, clock.today())
    return [
        reform_results(user, ReformAsk(reform, DEFAULT_MONTHS, Filters(Period(month_first, month_last))), known)
        for reform in reforms_visible(user).filter(effective_on__range=(year_before(month_first), month_last))
    ]


def reform_table(reforms: Sequence[ReformResults]) -> Table:
    rows: list[dict[str, Cell]] = []
    for r in reforms:
        reform, windows = r.ask.reform, r.windows
        rows.append(
            {
                "title": reform.title,
                "document_number": reform.document_number,
                "effective_on": reform.effective_on.isoformat(),
                "days": windows.days if windows is not None else None,
                "results": r.headline or _("暂无可比较的办件"),
            }
        )
    columns = [
        ("title", _("改革")),
        ("document_number", _("文号")),
        ("effective_on", _("实施日期")),
        ("days", _("前后各比较（天）")),
        ("results", _("成效")),
    ]
    return Table("reform_results", _("改革成效（实施前后同一事项的办件相比）"), columns, rows)
