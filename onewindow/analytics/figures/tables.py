"""The analysis as tables: one list of named tables per page that the page (charts and tables), its Excel
export and the API all read, so each shows the same numbers. Durations in days (one decimal), rates in
percent (one decimal). A row may carry `<column>_url`: the page links that cell to the cases behind it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from onewindow.analytics.figures import selectors
from onewindow.analytics.figures.domain import (
    CaseTimes,
    FinishLast,
    PhaseSpreads,
    TaskTimes,
    finish_last,
    grouped,
    materials_named,
    phase_spreads,
    share,
    spread,
)
from onewindow.analytics.figures.selectors import Filters
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
SLOWEST = 20
SEARCHES = 50  # rows of each searches table


def online_target() -> float:
    return float(settings.ANALYTICS_ONLINE_TARGET)


def days(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def percent(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 1)


@dataclass(frozen=True)
class Analysis:
    filters: Filters
    tables: list[Table]

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)


# --- demand ------------------------------------------------------------------------------------------------


def demand_for(user: User, filters: Filters) -> Analysis:
    cases = selectors.cases_in(user, filters, by="submitted")
    channels = selectors.counts_by(cases, "channel")
    total = sum(channels.values())
    matters = selectors.counts_by(cases.filter(matter_version__isnull=False), "matter_version__matter_id")
    bundles = selectors.counts_by(cases.filter(bundle_version__isnull=False), "bundle_version__bundle_id")
    regions = selectors.counts_by(cases, "region_id")
    departments = selectors.counts_by_department(cases)
    kinds = selectors.counts_by(cases, "applicant__kind")
    times = selectors.counts_by_time(cases)
    orgs = selectors.organisation_names(set(regions) | set(departments))
    searched = selectors.searches_by_matter(filters.period, SEARCHES)
    matter_names = selectors.matter_names(set(matters) | {k for k, _n in searched})
    bundle_names = selectors.bundle_names(set(bundles))
    channel_labels = {k: str(v) for k, v in Channel.choices}
    kind_labels = {k: str(v) for k, v in Applicant.Kind.choices}
    return Analysis(
        filters,
        [
            _online_table(channels, total),
            _count_table("by_channel", _("按渠道"), channels, total, lambda k: channel_labels.get(k, k)),
            _count_table("by_applicant_kind", _("按申请人类型"), kinds, total, lambda k: kind_labels.get(k, k)),
            _count_table("by_matter", _("按事项（单项）"), matters, total, lambda k: matter_names.get(k, str(k))),
            _count_table("by_bundle", _("按一件事"), bundles, total, lambda k: bundle_names.get(k, str(k))),
            _count_table("by_department", _("按部门（一件事计入其每个部门）"), departments, None, orgs.get),
            _count_table("by_region", _("按受理地"), regions, total, orgs.get),
            _series_table("by_hour", _("按时段（提交时间）"), times["hour"], range(24), lambda h: f"{h:02d}:00"),
            _series_table("by_weekday", _("按星期"), times["weekday"], range(1, 8), lambda d: _(WEEKDAYS[d - 1])),
            _series_table("by_month", _("按月份"), times["month"], sorted(times["month"]), lambda m: f"{m:%Y-%m}"),
            *_search_tables(filters, searched, matter_names),
        ],
    )


def _search_tables(filters: Filters, searched: list[tuple[int, int]], names: dict[int, str]) -> list[Table]:
    """The public catalogue's searches (everyone's, whatever the region filter): what found nothing, and the
    matters most searched (the first result of a search)."""
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


def _online_table(channels: dict[str, int], total: int) -> Table:
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
    columns = [
        ("total", _("办件量")),
        ("online", _("网上（含移动端）")),
        ("window", _("窗口")),
        ("online_rate", _("网上办理率（%）")),
        ("target", _("目标（%）")),
        ("gap", _("与目标差（百分点）")),
    ]
    return Table("online_share", _("网上办理率"), columns, [row])


def _count_table(key: str, title: str, counts: dict[Any, int], total: int | None, label: Callable[[Any], Any]) -> Table:
    rows: list[dict[str, Cell]] = []
    for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], str(label(kv[0])))):
        rows.append({"name": str(label(k) or k), "count": n, "share": percent(share(n, total or 0)) if total else None})
    columns = [("name", _("名称")), ("count", _("办件量"))]
    if total is not None:
        columns.append(("share", _("占比（%）")))
    return Table(key, title, columns, rows)


def _series_table(
    key: str,
    title: str,
    counts: dict[Any, int],
    keys: Iterable[Any],
    label: Callable[[Any], str],
) -> Table:
    rows: list[dict[str, Cell]] = [{"name": label(k), "count": counts.get(k, 0)} for k in keys]
    return Table(key, title, [("name", _("时间")), ("count", _("办件量"))], rows)


# --- operations -------------------------------------------------------------------------------------------


PHASE_LABELS = {
    "intake": gettext_noop("受理"),
    "review": gettext_noop("审查"),
    "waiting": gettext_noop("等待申请人（中止计时）"),
    "decision": gettext_noop("决定"),
    "total": gettext_noop("合计"),
}


def operations_for(user: User, filters: Filters) -> Analysis:
    decided = selectors.cases_in(user, filters, by="decided")
    submitted = selectors.cases_in(user, filters, by="submitted")
    cases = selectors.case_times(decided)
    tasks = selectors.task_times(decided)
    corrections = selectors.correction_counts(submitted)
    submitted_by_subject = {
        **{("matter", k): n for k, n in selectors.counts_by(submitted, "matter_version__matter_id").items() if k},
        **{("bundle", k): n for k, n in selectors.counts_by(submitted, "bundle_version__bundle_id").items() if k},
    }
    subjects = {c.subject for c in cases} | set(corrections) | set(submitted_by_subject)
    matter_names = selectors.matter_names({i for kind, i in subjects if kind == "matter"})
    bundle_names = selectors.bundle_names({i for kind, i in subjects if kind == "bundle"})

    def subject_name(subject: tuple[str, int]) -> str:
        kind, pk = subject
        return (matter_names if kind == "matter" else bundle_names).get(pk, str(pk))

    orgs = selectors.organisation_names({c.region for c in cases} | {t.department for t in tasks})
    slowest = sorted(cases, key=lambda c: (-c.total, c.case))[:SLOWEST]
    numbers = selectors.case_numbers([c.case for c in slowest])
    materials = materials_named(selectors.correction_items(submitted))
    return Analysis(
        filters,
        [
            _summary_table(phase_spreads(cases), sum(n for _c, n in corrections.values())),
            _phases_table(phase_spreads(cases)),
            _phase_groups_table(
                "times_by_matter", _("办理时间（按事项或一件事，天）"), cases, lambda c: c.subject, subject_name
            ),
            _phase_groups_table("times_by_region", _("办理时间（按受理地，天）"), cases, lambda c: c.region, orgs.get),
            _department_table(tasks, orgs),
            _finish_last_table(finish_last(tasks), orgs),
            _corrections_table(corrections, submitted_by_subject, subject_name),
            _materials_table(materials),
            _slowest_table(slowest, numbers, subject_name),
        ],
    )


SPREAD_COLUMNS = [
    ("intake_p50", gettext_noop("受理 P50")),
    ("review_p50", gettext_noop("审查 P50")),
    ("waiting_p50", gettext_noop("等待 P50")),
    ("decision_p50", gettext_noop("决定 P50")),
    ("total_p50", gettext_noop("合计 P50")),
    ("total_p90", gettext_noop("合计 P90")),
]


def _spread_cells(s: PhaseSpreads) -> dict[str, Cell]:
    cells: dict[str, Cell] = {"count": s.count}
    for phase, spreads in s.phases.items():
        cells[f"{phase}_p50"] = days(spreads.p50)
        cells[f"{phase}_p90"] = days(spreads.p90)
    cells |= {"on_time_rate": percent(s.on_time_rate), "extended": s.extended}
    return cells


def _summary_table(s: PhaseSpreads, notices: int) -> Table:
    row = _spread_cells(s) | {"corrections": notices}
    columns = [
        ("count", _("办结量")),
        ("total_p50", _("办理时间 P50（天）")),
        ("total_p90", _("办理时间 P90（天）")),
        ("on_time_rate", _("按期办结率（%）")),
        ("extended", _("延期办件")),
        ("corrections", _("补正告知书（本期提交的办件）")),
    ]
    return Table("summary", _("运行概况"), columns, [row])


def _phases_table(s: PhaseSpreads) -> Table:
    rows: list[dict[str, Cell]] = [
        {"name": _(PHASE_LABELS[phase]), "p50": days(sp.p50), "p90": days(sp.p90)} for phase, sp in s.phases.items()
    ]
    return Table("phases", _("各环节用时（天）"), [("name", _("环节")), ("p50", "P50"), ("p90", "P90")], rows)


def _phase_groups_table(
    key: str, title: str, cases: Sequence[CaseTimes], group: Callable[[CaseTimes], Any], label: Callable[[Any], Any]
) -> Table:
    rows: list[dict[str, Cell]] = []
    for k, members in grouped(cases, group).items():
        name: dict[str, Cell] = {"name": str(label(k) or k)}
        rows.append(name | _spread_cells(phase_spreads(members)))
    rows.sort(key=lambda r: (-(r["total_p50"] or 0), str(r["name"])))  # type: ignore[operator]
    columns = [
        ("name", _("名称")),
        ("count", _("办结量")),
        *[(k, _(label_)) for k, label_ in SPREAD_COLUMNS],
        ("on_time_rate", _("按期办结率（%）")),
        ("extended", _("延期")),
    ]
    return Table(key, title, columns, rows)


def _department_table(tasks: Sequence[TaskTimes], orgs: dict[int, str]) -> Table:
    rows = []
    for department, members in grouped(tasks, lambda t: t.department).items():
        times = spread([d for t in members if (d := t.days) is not None])
        on_time = [t.on_time for t in members if t.on_time is not None]
        rows.append(
            {
                "name": orgs.get(department, str(department)),
                "count": len(members),
                "p50": days(times.p50),
                "p90": days(times.p90),
                "on_time_rate": percent(share(sum(on_time), len(on_time))),
                "extended": sum(t.extended for t in members),
            }
        )
    rows.sort(key=lambda r: (-(r["p90"] or 0), str(r["name"])))
    columns = [
        ("name", _("部门")),
        ("count", _("审查任务")),
        ("p50", _("审查用时 P50（天）")),
        ("p90", _("审查用时 P90（天）")),
        ("on_time_rate", _("按期率（%）")),
        ("extended", _("延期")),
    ]
    return Table("times_by_department", _("部门审查用时（开始审查至作出意见）"), columns, rows)


def _finish_last_table(rows_in: list[FinishLast], orgs: dict[int, str]) -> Table:
    rows: list[dict[str, Cell]] = [
        {
            "name": orgs.get(r.department, str(r.department)),
            "stages_in": r.stages_in,
            "last": r.last,
            "rate": percent(r.rate),
            "margin_p50": days(r.margin.p50),
            "margin_p90": days(r.margin.p90),
        }
        for r in rows_in
    ]
    columns = [
        ("name", _("部门")),
        ("stages_in", _("参与的并联阶段")),
        ("last", _("最后办结（决定阶段结束）")),
        ("rate", _("最后办结率（%）")),
        ("margin_p50", _("晚于前一部门 P50（天）")),
        ("margin_p90", _("晚于前一部门 P90（天）")),
    ]
    return Table("finish_last", _("关键路径：最常最后办结的部门"), columns, rows)


def _corrections_table(
    corrections: dict[tuple[str, int], tuple[int, int]],
    submitted: dict[tuple[str, int], int],
    label: Callable[[tuple[str, int]], str],
) -> Table:
    rows: list[dict[str, Cell]] = []
    for subject, (cases, notices) in sorted(corrections.items(), key=lambda kv: (-kv[1][1], label(kv[0]))):
        n = submitted.get(subject, 0)
        rows.append(
            {
                "name": label(subject),
                "submitted": n,
                "cases": cases,
                "rate": percent(share(cases, n)),
                "notices": notices,
            }
        )
    columns = [
        ("name", _("事项或一件事")),
        ("submitted", _("提交办件")),
        ("cases", _("需补正的办件")),
        ("rate", _("补正率（%）")),
        ("notices", _("补正告知书")),
    ]
    return Table("corrections_by_matter", _("补正（按事项，本期提交的办件）"), columns, rows)


def _materials_table(materials: Counter[str]) -> Table:
    rows: list[dict[str, Cell]] = [
        {"name": name, "count": n} for name, n in sorted(materials.items(), key=lambda kv: (-kv[1], kv[0]))[:30]
    ]
    return Table(
        "materials_corrected",
        _("补正最多的材料（办事指南应讲清楚的）"),
        [("name", _("材料")), ("count", _("被要求补正的次数"))],
        rows,
    )


def _slowest_table(slowest: list[CaseTimes], numbers: dict[int, str], label: Callable[[Any], str]) -> Table:
    rows: list[dict[str, Cell]] = [
        {
            "number": numbers.get(c.case, str(c.case)),
            "number_url": reverse("cases:detail", args=[c.case]),
            "name": label(c.subject),
            "total": days(c.total),
            "waiting": days(c.waiting),
            "on_time": None if c.on_time is None else (_("是") if c.on_time else _("否")),
        }
        for c in slowest
    ]
    columns = [
        ("number", _("办件编号")),
        ("name", _("事项或一件事")),
        ("total", _("办理时间（天）")),
        ("waiting", _("其中等待申请人（天）")),
        ("on_time", _("按期办结")),
    ]
    return Table("slowest", _("用时最长的办件"), columns, rows)
