"""The bottlenecks as tables (`onewindow.web.tables.Table`): what the page (tables and charts), its Excel
export and the API read, so each shows the same numbers. Working days throughout. The counts and times link to
the tasks' cases (`analytics.trace`: `of=open_tasks`, `of=decided_tasks`; the what-if's to its bundle's cases)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from onewindow import clock
from onewindow.analytics.bottlenecks import selectors
from onewindow.analytics.bottlenecks.domain import DecidedLoad, ReplayResult, decided_loads, median
from onewindow.analytics.bottlenecks.positions import age_days_all
from onewindow.analytics.bottlenecks.replay import replay_all, summarise_all
from onewindow.analytics.bottlenecks.selectors import OpenTask, WhatIfAsk
from onewindow.analytics.facts import queries
from onewindow.analytics.figures import sources
from onewindow.analytics.figures.selectors import Filters, bundle_names, case_numbers, organisation_names
from onewindow.analytics.figures.tables import Analysis, percent
from onewindow.analytics.figures.tables.common import Linked, cell_links, linked_table
from onewindow.analytics.trace.domain import NONE, Of, Value
from onewindow.analytics.trace.links import Tracer
from onewindow.orgs.models import User
from onewindow.web.tables import Cell, Table
from onewindow.workdays.domain import WorkCalendar
from onewindow.workdays.selectors import work_calendar

K = TypeVar("K")
PLACEHOLDER = "0000000000"


def _one(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


@dataclass
class _Load:
    open: int = 0
    yellow: int = 0
    red: int = 0
    unassigned: int = 0
    ages: list[int] | None = None
    decided: DecidedLoad | None = None

    def cells(self) -> dict[str, Cell]:
        ages = self.ages or []
        return {
            "open": self.open,
            "yellow": self.yellow,
            "red": self.red,
            "age_median": _one(median(ages)),
            "age_max": max(ages) if ages else None,
            "decided": self.decided.count if self.decided else 0,
            "review_median": _one(self.decided.median) if self.decided else None,
        }


def _loads(
    open_tasks: Sequence[OpenTask],
    ages: Sequence[int],
    decided: dict[K, DecidedLoad],
    key: Callable[[OpenTask], K],
) -> dict[K, _Load]:
    """The open tasks (with their ages in working days) and the decided loads, grouped by `key`."""
    loads: dict[K, _Load] = {}
    for t, age in zip(open_tasks, ages, strict=True):
        load = loads.setdefault(key(t), _Load(ages=[]))
        load.open += 1
        load.yellow += t.warning_level == "yellow"
        load.red += t.warning_level == "red"
        load.unassigned += t.assignee is None
        assert load.ages is not None
        load.ages.append(age)
    for k, done in decided.items():
        loads.setdefault(k, _Load(ages=[])).decided = done
    return loads


def _decided_loads(
    user: User, filters: Filters, calendar: WorkCalendar
) -> tuple[dict[tuple[int, int | None], DecidedLoad], dict[int, DecidedLoad]]:
    """Per reviewer (department, assignee) and per department: the tasks decided in the period and their median
    review time, from the columnar copy when there is one (`figures.sources`), else from the tasks."""
    with sources.copy_read(user, filters, load=queries.reviews_load, calendar=True) as con:
        if con is not None:
            return queries.review_loads(con)
    decided = [(t, t.review_days(calendar)) for t in selectors.decided_tasks(user, filters)]
    return (
        decided_loads(((t.department, t.assignee), days) for t, days in decided),
        decided_loads((t.department, days) for t, days in decided),
    )


LOAD_COLUMNS = [
    ("open", gettext_noop("在办任务")),
    ("yellow", gettext_noop("黄灯")),
    ("red", gettext_noop("红灯")),
    ("age_median", gettext_noop("在办时长中位数（工作日）")),
    ("age_max", gettext_noop("最久在办（工作日）")),
    ("decided", gettext_noop("本期办结任务")),
    ("review_median", gettext_noop("审查用时中位数（工作日）")),
]


def _reviewer_key(task: OpenTask) -> tuple[int, int | None]:
    return task.department, task.assignee


def _department_key(task: OpenTask) -> int:
    return task.department


def _sort_key(linked: Linked, *counts: str) -> tuple[object, ...]:
    row = linked[0]
    return (*(-int(row[c] or 0) for c in counts), *(str(row.get(k)) for k in ("name", "department", "reviewer")))


def _load_links(trace: Tracer, row: dict[str, Cell], **who: Value) -> dict[str, str]:
    """The open tasks behind the open counts and ages (the unassigned, the yellow, the red), the decided tasks
    behind the decided count and review time."""
    open_ = trace(Of.OPEN_TASKS, **who)
    decided = trace(Of.DECIDED_TASKS, **who)
    urls = {"open": open_, "age_median": open_, "age_max": open_, "decided": decided, "review_median": decided}
    urls |= {"yellow": trace(Of.OPEN_TASKS, **who, warning="yellow")}
    urls |= {"red": trace(Of.OPEN_TASKS, **who, warning="red")}
    if "assignee" not in who:
        urls |= {"unassigned": trace(Of.OPEN_TASKS, **who, assignee=NONE)}
    return cell_links(row, urls)


def workload_for(user: User, filters: Filters) -> Analysis:
    calendar = work_calendar()
    open_tasks = selectors.open_tasks(user, filters)
    ages = age_days_all([t.started_on for t in open_tasks], clock.today(), calendar).tolist()
    reviewers_decided, departments_decided = _decided_loads(user, filters, calendar)
    orgs = organisation_names({t.department for t in open_tasks} | set(departments_decided))
    assignees = {t.assignee for t in open_tasks} | {a for _d, a in reviewers_decided}
    people = selectors.user_names({a for a in assignees if a is not None})
    columns = [(k, _(label)) for k, label in LOAD_COLUMNS]
    trace = Tracer(filters)

    by_reviewer = _loads(open_tasks, ages, reviewers_decided, _reviewer_key)
    reviewer_rows: list[Linked] = []
    for (department, assignee), load in by_reviewer.items():
        reviewer = people.get(assignee, str(assignee)) if assignee is not None else _("（未分派）")
        department_name = orgs.get(department, str(department))
        who: dict[str, Cell] = {
            "department": department_name,
            "reviewer": reviewer,
            "name": f"{reviewer}（{department_name}）",  # the chart's label
        }
        row = who | load.cells()
        person: Value = assignee if assignee is not None else NONE
        reviewer_rows.append((row, _load_links(trace, row, task_department=department, assignee=person)))
    reviewer_rows.sort(key=lambda r: _sort_key(r, "open", "decided"))

    by_department = _loads(open_tasks, ages, departments_decided, _department_key)
    department_rows: list[Linked] = []
    for department, load in by_department.items():
        cells = load.cells()
        named: dict[str, Cell] = {"name": orgs.get(department, str(department)), "unassigned": load.unassigned}
        row = named | cells
        department_rows.append((row, _load_links(trace, row, task_department=department)))
    department_rows.sort(key=lambda r: _sort_key(r, "open"))
    return Analysis(
        filters,
        [
            linked_table(
                "workload_by_department",
                _("部门工作量（在办任务为当前，办结为本期）"),
                [("name", _("部门")), columns[0], ("unassigned", _("未分派")), *columns[1:]],
                department_rows,
            ),
            linked_table(
                "workload_by_reviewer",
                _("经办人工作量"),
                [("department", _("部门")), ("reviewer", _("经办人")), *columns],
                reviewer_rows,
            ),
        ],
    )


# --- the what-if ------------------------------------------------------------------------------------------


def what_if_for(
    user: User, filters: Filters, ask: WhatIfAsk, rows: slice = slice(None)
) -> tuple[Analysis, list[ReplayResult]]:
    """The what-if's tables, and the replayed cases in `rows` of the order the table lists them (those that
    saved most first): every figure counts all the cases, the cases' table lists those in `rows`."""
    calendar = work_calendar()
    with sources.copy_read(user, filters) as con:
        if con is None:
            cases = selectors.replay_cases(user, filters, ask.bundle.pk)
        else:
            cases = queries.replay_cases(con, ask.bundle.pk)
    replayed = replay_all(cases, ask.department.pk, ask.days, calendar)
    s = summarise_all(replayed)
    shown = replayed.ranked(rows)
    bundle = bundle_names({ask.bundle.pk}).get(ask.bundle.pk, str(ask.bundle.pk))
    summary: dict[str, Cell] = {
        "bundle": bundle,
        "department": ask.department.name,
        "days": ask.days,
        "cases": s.cases,
        "involved": s.involved,
        "affected": s.affected,
        "saved_total": s.saved_total,
        "saved_mean": None if s.saved_mean is None else round(s.saved_mean, 2),
        "saved_median": s.saved_median,
        "on_time_rate": percent(s.on_time / s.with_due_date if s.with_due_date else None),
        "replayed_on_time_rate": percent(s.replayed_on_time / s.with_due_date if s.with_due_date else None),
    }
    trace = Tracer(filters)
    summary_links = cell_links(
        summary,
        {
            "cases": trace(Of.DECIDED, bundle=ask.bundle.pk),
            "involved": trace(Of.DECIDED, bundle=ask.bundle.pk, reviewed_by=ask.department.pk),
        },
    )
    summary_columns = [
        ("bundle", _("一件事")),
        ("department", _("部门")),
        ("days", _("审查缩短（工作日）")),
        ("cases", _("本期办结办件")),
        ("involved", _("该部门参与的办件")),
        ("affected", _("提前办结的办件")),
        ("saved_total", _("共节省（工作日）")),
        ("saved_mean", _("平均每件节省（工作日）")),
        ("saved_median", _("节省中位数（工作日）")),
        ("on_time_rate", _("实际按期率（%）")),
        ("replayed_on_time_rate", _("推演后按期率（%）")),
    ]
    numbers = case_numbers([r.case for r in shown])
    case_url = reverse("cases:detail", args=[PLACEHOLDER])  # once: tens of thousands of rows in a large year
    yes_no = {None: None, True: _("是"), False: _("否")}
    case_rows: list[dict[str, Cell]] = [
        {
            "number": numbers.get(r.case, str(r.case)),
            "number_url": case_url.replace(PLACEHOLDER, str(r.case)),
            "decided_on": r.decided_on.isoformat(),
            "replayed_on": r.replayed_on.isoformat(),
            "saved_days": r.saved_days,
            "due_on": r.due_on.isoformat() if r.due_on else None,
            "on_time": yes_no[r.on_time],
            "replayed_on_time": yes_no[r.replayed_on_time],
        }
        for r in shown
    ]
    case_columns = [
        ("number", _("办件编号")),
        ("decided_on", _("实际办结日")),
        ("replayed_on", _("推演办结日")),
        ("saved_days", _("节省（工作日）")),
        ("due_on", _("办结期限")),
        ("on_time", _("实际按期")),
        ("replayed_on_time", _("推演后按期")),
    ]
    distribution: list[dict[str, Cell]] = [
        {"name": str(days), "count": n} for days, n in replayed.saved_counts().items()
    ]
    return (
        Analysis(
            filters,
            [
                linked_table(
                    "what_if_summary", _("推演：审查缩短后的一件事"), summary_columns, [(summary, summary_links)]
                ),
                Table(
                    "what_if_saved",
                    _("推演：节省工作日的分布"),
                    [("name", _("节省（工作日）")), ("count", _("办件数"))],
                    distribution,
                ),
                Table("what_if_cases", _("推演：逐件重放"), case_columns, case_rows, total=s.cases),
            ],
        ),
        shown,
    )


def bundle_choices(user: User, filters: Filters) -> list[tuple[int, str]]:
    with sources.copy_read(user, filters) as con:
        ids = selectors.bundles_decided(user, filters) if con is None else queries.decided_bundles(con)
    names = bundle_names(set(ids))
    return sorted(((pk, names.get(pk, str(pk))) for pk in ids), key=lambda kv: kv[1])
