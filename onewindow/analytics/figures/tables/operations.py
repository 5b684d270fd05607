"""规范运行管理 as tables: the cases decided in the period, their time per phase (P50, P90) by matter, region and
department, on-time rates, extensions, the critical path of bundle stages, corrections and the materials that
cause them, the slowest cases. Each count and duration links to the cases behind it (`analytics.trace`): the
decided cases (`of=decided`), the departments' review tasks (`of=review_tasks`), the shared stages
(`of=shared_stages`), the correction notices (`of=notices`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from onewindow.analytics.figures import selectors, sources
from onewindow.analytics.figures.domain import (
    DepartmentTimes,
    FinishLast,
    OperationsFigures,
    PhaseSpreads,
    SlowCase,
    share,
)
from onewindow.analytics.figures.selectors import Filters
from onewindow.analytics.figures.tables.common import Analysis, Linked, cell_links, days, linked_table, percent
from onewindow.analytics.trace.domain import Of, Value
from onewindow.analytics.trace.links import Tracer
from onewindow.orgs.models import User
from onewindow.web.tables import Cell, Table

SLOWEST = 20
PHASE_LABELS = {
    "intake": gettext_noop("受理"),
    "review": gettext_noop("审查"),
    "waiting": gettext_noop("等待申请人（中止计时）"),
    "decision": gettext_noop("决定"),
    "total": gettext_noop("合计"),
}
Subject = tuple[str, int]


def subject_condition(subject: Subject) -> dict[str, Value]:
    """The trace condition of a matter or bundle (`("matter", 12)` → `matter=12`)."""
    kind, pk = subject
    return {kind: pk}


def operations_for(user: User, filters: Filters) -> Analysis:
    figures = sources.operations_figures(user, filters, SLOWEST)
    corrections, submitted_by_subject = figures.corrections, figures.submitted_by_subject
    subjects = set(figures.by_subject) | set(corrections) | set(submitted_by_subject)
    matter_names = selectors.matter_names({i for kind, i in subjects if kind == "matter"})
    bundle_names = selectors.bundle_names({i for kind, i in subjects if kind == "bundle"})

    def subject_name(subject: Subject) -> str:
        kind, pk = subject
        return (matter_names if kind == "matter" else bundle_names).get(pk, str(pk))

    orgs = selectors.organisation_names(set(figures.by_region) | set(figures.departments))
    numbers = selectors.case_numbers([c.case for c in figures.slowest])
    trace = Tracer(filters)
    return Analysis(
        filters,
        [
            summary_table(trace, figures),
            phases_table(trace, figures.overall),
            _phase_groups_table(
                trace,
                ("times_by_matter", _("办理时间（按事项或一件事，天）")),
                figures.by_subject,
                subject_name,
                subject_condition,
            ),
            _phase_groups_table(
                trace,
                ("times_by_region", _("办理时间（按受理地，天）")),
                figures.by_region,
                orgs.get,
                lambda region: {"received_in": region},
            ),
            department_table(trace, figures.departments, orgs),
            finish_last_table(trace, figures.finish_last, orgs),
            _corrections_table(trace, corrections, submitted_by_subject, subject_name),
            _materials_table(trace, figures.materials),
            _slowest_table(figures.slowest, numbers, subject_name),
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


def _spread_links(trace: Tracer, row: dict[str, Cell], conditions: dict[str, Value]) -> dict[str, str]:
    """A group of decided cases: its count and its times to the cases (the longest first for the times), its
    on-time rate to those on time, its extensions to those extended."""
    cases, longest = trace(Of.DECIDED, **conditions), trace.longest_first(Of.DECIDED, **conditions)
    urls = {"count": cases} | {key: longest for key, _label in SPREAD_COLUMNS}
    urls |= {"on_time_rate": trace(Of.DECIDED, **conditions, on_time=True)}
    urls |= {"extended": trace(Of.DECIDED, **conditions, extended=True)}
    return cell_links(row, urls)


def summary_table(trace: Tracer, figures: OperationsFigures) -> Table:
    notices = sum(n for _c, n in figures.corrections.values())
    row = _spread_cells(figures.overall) | {"corrections": notices}
    links = _spread_links(trace, row, {})
    links |= cell_links(row, {"corrections": trace(Of.NOTICES)})
    columns = [
        ("count", _("办结量")),
        ("total_p50", _("办理时间 P50（天）")),
        ("total_p90", _("办理时间 P90（天）")),
        ("on_time_rate", _("按期办结率（%）")),
        ("extended", _("延期办件")),
        ("corrections", _("补正告知书（本期提交的办件）")),
    ]
    return linked_table("summary", _("运行概况"), columns, [(row, links)])


def phases_table(trace: Tracer, s: PhaseSpreads) -> Table:
    rows: list[Linked] = []
    for phase, sp in s.phases.items():
        row: dict[str, Cell] = {"name": _(PHASE_LABELS[phase]), "p50": days(sp.p50), "p90": days(sp.p90)}
        url = trace.longest_first(Of.DECIDED) if phase == "total" else trace(Of.DECIDED)
        rows.append((row, cell_links(row, dict.fromkeys(("p50", "p90"), url))))
    return linked_table("phases", _("各环节用时（天）"), [("name", _("环节")), ("p50", "P50"), ("p90", "P90")], rows)


def _phase_groups_table(
    trace: Tracer,
    key_title: tuple[str, str],
    groups: dict[Any, PhaseSpreads],
    label: Callable[[Any], Any],
    condition: Callable[[Any], dict[str, Value]],
) -> Table:
    rows: list[Linked] = []
    for k, spreads in groups.items():
        name: dict[str, Cell] = {"name": str(label(k) or k)}
        row = name | _spread_cells(spreads)
        rows.append((row, _spread_links(trace, row, condition(k))))
    rows.sort(key=lambda r: (-(r[0]["total_p50"] or 0), str(r[0]["name"])))  # type: ignore[operator]
    columns = [
        ("name", _("名称")),
        ("count", _("办结量")),
        *[(k, _(label_)) for k, label_ in SPREAD_COLUMNS],
        ("on_time_rate", _("按期办结率（%）")),
        ("extended", _("延期")),
    ]
    return linked_table(*key_title, columns, rows)


def department_table(trace: Tracer, departments: dict[int, DepartmentTimes], orgs: dict[int, str]) -> Table:
    rows: list[Linked] = []
    for department, d in departments.items():
        row: dict[str, Cell] = {
            "name": orgs.get(department, str(department)),
            "count": d.count,
            "p50": days(d.times.p50),
            "p90": days(d.times.p90),
            "on_time_rate": percent(d.on_time_rate),
            "extended": d.extended,
        }
        tasks_of = trace(Of.REVIEW_TASKS, task_department=department)
        urls = {"count": tasks_of, "p50": tasks_of, "p90": tasks_of}
        urls["on_time_rate"] = trace(Of.REVIEW_TASKS, task_department=department, on_time=True)
        urls["extended"] = trace(Of.REVIEW_TASKS, task_department=department, extended=True)
        rows.append((row, cell_links(row, urls)))
    rows.sort(key=lambda r: (-(r[0]["p90"] or 0), str(r[0]["name"])))  # type: ignore[operator]
    columns = [
        ("name", _("部门")),
        ("count", _("审查任务")),
        ("p50", _("审查用时 P50（天）")),
        ("p90", _("审查用时 P90（天）")),
        ("on_time_rate", _("按期率（%）")),
        ("extended", _("延期")),
    ]
    return linked_table("times_by_department", _("部门审查用时（开始审查至作出意见）"), columns, rows)


def finish_last_table(trace: Tracer, rows_in: list[FinishLast], orgs: dict[int, str]) -> Table:
    rows: list[Linked] = []
    for r in rows_in:
        row: dict[str, Cell] = {
            "name": orgs.get(r.department, str(r.department)),
            "stages_in": r.stages_in,
            "last": r.last,
            "rate": percent(r.rate),
            "margin_p50": days(r.margin.p50),
            "margin_p90": days(r.margin.p90),
        }
        ended = trace(Of.SHARED_STAGES, ended_by=r.department)
        urls = {"stages_in": trace(Of.SHARED_STAGES, with_department=r.department)}
        urls |= dict.fromkeys(("last", "rate", "margin_p50", "margin_p90"), ended)
        rows.append((row, cell_links(row, urls)))
    columns = [
        ("name", _("部门")),
        ("stages_in", _("参与的并联阶段")),
        ("last", _("最后办结（决定阶段结束）")),
        ("rate", _("最后办结率（%）")),
        ("margin_p50", _("晚于前一部门 P50（天）")),
        ("margin_p90", _("晚于前一部门 P90（天）")),
    ]
    return linked_table("finish_last", _("关键路径：最常最后办结的部门"), columns, rows)


def _corrections_table(
    trace: Tracer,
    corrections: dict[Subject, tuple[int, int]],
    submitted: dict[Subject, int],
    label: Callable[[Subject], str],
) -> Table:
    rows: list[Linked] = []
    for subject, (cases, notices) in sorted(corrections.items(), key=lambda kv: (-kv[1][1], label(kv[0]))):
        n = submitted.get(subject, 0)
        row: dict[str, Cell] = {
            "name": label(subject),
            "submitted": n,
            "cases": cases,
            "rate": percent(share(cases, n)),
            "notices": notices,
        }
        condition = subject_condition(subject)
        corrected = trace(Of.SUBMITTED, **condition, corrected=True)
        urls = {"submitted": trace(Of.SUBMITTED, **condition), "cases": corrected, "rate": corrected}
        urls["notices"] = trace(Of.NOTICES, **condition)
        rows.append((row, cell_links(row, urls)))
    columns = [
        ("name", _("事项或一件事")),
        ("submitted", _("提交办件")),
        ("cases", _("需补正的办件")),
        ("rate", _("补正率（%）")),
        ("notices", _("补正告知书")),
    ]
    return linked_table("corrections_by_matter", _("补正（按事项，本期提交的办件）"), columns, rows)


def _materials_table(trace: Tracer, materials: Counter[str]) -> Table:
    rows: list[Linked] = []
    for name, n in sorted(materials.items(), key=lambda kv: (-kv[1], kv[0]))[:30]:
        row: dict[str, Cell] = {"name": name, "count": n}
        rows.append((row, cell_links(row, {"count": trace(Of.NOTICES, material=name)})))
    return linked_table(
        "materials_corrected",
        _("补正最多的材料（办事指南应讲清楚的）"),
        [("name", _("材料")), ("count", _("被要求补正的次数"))],
        rows,
    )


def _slowest_table(slowest: list[SlowCase], numbers: dict[int, str], label: Callable[[Any], str]) -> Table:
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
