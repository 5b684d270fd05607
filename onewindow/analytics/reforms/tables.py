"""The reform results as tables (`onewindow.web.tables.Table`): what the pages, their Excel exports and the API
read, so each shows the same numbers. Every figure of a side links to the cases behind it (`<column>_url`: the
reform's case list for that side and subject)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from onewindow.analytics.figures.selectors import Filters, Period, bundle_names, filters_of, matter_names
from onewindow.analytics.models import Reform
from onewindow.analytics.reforms import selectors
from onewindow.analytics.reforms.domain import (
    AFTER,
    BEFORE,
    SIDES,
    CaseFacts,
    Change,
    Figures,
    Windows,
    basket,
    change_of,
    less_percent,
    number_text,
    reform_windows,
)
from onewindow.analytics.reforms.headline import headline_text, reform_sentence
from onewindow.cases.models import Case
from onewindow.orgs.models import User
from onewindow.web.tables import Cell, Table
from onewindow.workdays.domain import WorkCalendar
from onewindow.workdays.selectors import work_calendar

SIDE_LABELS = {BEFORE: gettext_noop("改革前"), AFTER: gettext_noop("改革后")}
FIGURE_COLUMNS = [
    ("cases", gettext_noop("提交办件")),
    ("decided", gettext_noop("已办结")),
    ("materials", gettext_noop("申请材料（件）")),
    ("steps", gettext_noop("审批环节（个）")),
    ("promised_days", gettext_noop("承诺时限（工作日）")),
    ("working_p50", gettext_noop("办理时间 P50（工作日）")),
    ("working_p90", gettext_noop("办理时间 P90（工作日）")),
    ("calendar_p50", gettext_noop("办理时间 P50（自然日）")),
]
Subject = tuple[str, int]


def _one(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def subject_key(subject: Subject | None) -> str:
    return "" if subject is None else f"{subject[0]}-{subject[1]}"


@dataclass(frozen=True)
class ReformAsk:
    """What the reader asked: the reform, the months on each side, the region and department filters."""

    reform: Reform
    months: int
    filters: Filters  # its period: both windows (or the effective date alone when there is none)

    def query(self, **more: str) -> str:
        values = {"months": str(self.months)}
        if self.filters.region is not None:
            values["region"] = str(self.filters.region.pk)
        if self.filters.department is not None:
            values["department"] = str(self.filters.department.pk)
        return urlencode(values | {k: v for k, v in more.items() if v})


def reform_ask(
    user: User, reform_id: int, months_text: str, region_id: int | None, department_id: int | None
) -> ReformAsk:
    reform = selectors.reform_get_for_user(user, reform_id)
    filters = filters_of(user, Period(reform.effective_on, reform.effective_on), region_id, department_id)
    return ReformAsk(reform, selectors.months_of(months_text), filters)


def _windows(user: User, ask: ReformAsk, today: dt.date) -> Windows | None:
    first = selectors.first_submitted_on(user, ask.reform, ask.filters, today)
    return reform_windows(ask.reform.effective_on, ask.months, today, first)


def subject_names(subjects: Sequence[Subject]) -> dict[Subject, str]:
    matters = matter_names({pk for kind, pk in subjects if kind == "matter"})
    bundles = bundle_names({pk for kind, pk in subjects if kind == "bundle"})
    return {(kind, pk): (matters if kind == "matter" else bundles).get(pk, str(pk)) for kind, pk in subjects}


@dataclass(frozen=True)
class ReformResults:
    ask: ReformAsk
    windows: Windows | None
    total: Change | None
    by_subject: list[tuple[Subject, str, Change]]
    tables: list[Table]
    headline: str

    @property
    def filters(self) -> Filters:
        return self.ask.filters

    @property
    def sentence(self) -> str:
        reform = self.ask.reform
        return reform_sentence(
            title=reform.title,
            document_number=reform.document_number,
            effective_on=reform.effective_on,
            windows=self.windows,
            change=self.total,
        )

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)


def reform_results(user: User, ask: ReformAsk, today: dt.date) -> ReformResults:
    """Before and after, per matter and bundle and in total, with the headline."""
    windows = _windows(user, ask, today)
    subjects = selectors.subjects_of(ask.reform)
    names = subject_names(subjects)
    if windows is None:
        return ReformResults(ask, None, None, [], _tables(ask, None, None, []), "")
    ask = dataclasses.replace(
        ask, filters=dataclasses.replace(ask.filters, period=Period(windows.before.first, windows.after.last))
    )
    calendar = work_calendar()
    facts = selectors.case_facts(user, ask.reform, ask.filters, windows)
    by_subject = []
    for subject in subjects:
        mine = [f for f in facts if f.subject == subject]
        by_subject.append((subject, names[subject], _change(mine, windows, calendar)))
    total = basket(change for _s, _n, change in by_subject)
    return ReformResults(
        ask, windows, total, by_subject, _tables(ask, windows, total, by_subject), headline_text(total)
    )


def _change(facts: Sequence[CaseFacts], windows: Windows, calendar: WorkCalendar) -> Change:
    before = [f for f in facts if windows.side_of(f.submitted_at.date()) == BEFORE]
    after = [f for f in facts if windows.side_of(f.submitted_at.date()) == AFTER]
    return change_of(before, after, calendar)


def cases_url(ask: ReformAsk, side: str, subject: Subject | None) -> str:
    path = reverse("analytics_reforms:cases", args=[ask.reform.pk])
    return f"{path}?{ask.query(side=side, subject=subject_key(subject))}"


def _figure_cells(figures: Figures, url: str) -> dict[str, Cell]:
    cells: dict[str, Cell] = {
        "cases": figures.cases,
        "decided": figures.decided,
        **{k: _one(getattr(figures, k)) for k in ("materials", "steps", "promised_days")},
        **{k: _one(getattr(figures, k)) for k in ("working_p50", "working_p90", "calendar_p50")},
    }
    return cells | {f"{key}_url": url for key, _label in FIGURE_COLUMNS}


def _signed(percent: float | None) -> str | None:
    """A change as a signed percentage of before: −33.3% is a third less."""
    if percent is None:
        return None
    return f"{'−' if percent > 0 else ('+' if percent < 0 else '')}{number_text(abs(percent))}%"


def _change_cells(change: Change) -> dict[str, Cell]:
    fewer = change.materials_fewer
    materials = None
    if fewer is not None:
        sign = "−" if fewer > 0 else ("+" if fewer < 0 else "")
        materials = f"{sign}{number_text(abs(fewer))}（{_signed(change.materials_percent) or '—'}）"
    before, after = change.before, change.after
    return {
        "cases": None,
        "decided": None,
        "materials": materials,
        "steps": _signed(change.steps_percent),
        "promised_days": _signed(change.promised_percent),
        "working_p50": _signed(change.faster_percent),
        "working_p90": _signed(less_percent(before.working_p90, after.working_p90)),
        "calendar_p50": _signed(less_percent(before.calendar_p50, after.calendar_p50)),
    }


def _side_rows(ask: ReformAsk, windows: Windows, change: Change, subject: Subject | None) -> list[dict[str, Cell]]:
    spans = {BEFORE: windows.before, AFTER: windows.after}
    rows: list[dict[str, Cell]] = []
    for side in SIDES:
        span = spans[side]
        label: dict[str, Cell] = {
            "side": _(SIDE_LABELS[side]),
            "span": f"{span.first:%Y-%m-%d} 至 {span.last:%Y-%m-%d}",
        }
        rows.append(label | _figure_cells(getattr(change, side), cases_url(ask, side, subject)))
    rows.append({"side": _("变化"), "span": None} | _change_cells(change))
    return rows


def _tables(
    ask: ReformAsk, windows: Windows | None, total: Change | None, by_subject: list[tuple[Subject, str, Change]]
) -> list[Table]:
    figure_columns = [(k, _(label)) for k, label in FIGURE_COLUMNS]
    side_columns = [("side", _("时段")), ("span", _("提交日期"))]
    summary_rows = _side_rows(ask, windows, total, None) if windows is not None and total is not None else []
    subject_rows: list[dict[str, Cell]] = []
    if windows is not None:
        for subject, name, change in by_subject:
            kind = _("事项") if subject[0] == "matter" else _("一件事")
            for row in _side_rows(ask, windows, change, subject):
                named: dict[str, Cell] = {"name": name, "kind": kind}
                subject_rows.append(named | row)
    return [
        Table(
            "reform_total",
            _("改革成效合计（各事项、一件事之和）"),
            side_columns + figure_columns,
            summary_rows,
        ),
        Table(
            "reform_by_subject",
            _("按事项、一件事"),
            [("name", _("事项或一件事")), ("kind", _("类别")), *side_columns, *figure_columns],
            subject_rows,
        ),
    ]


# --- the cases behind a figure ------------------------------------------------------------------------------


CASE_COLUMNS = [
    ("number", gettext_noop("办件编号")),
    ("name", gettext_noop("事项或一件事")),
    ("side", gettext_noop("时段")),
    ("submitted_at", gettext_noop("提交时间")),
    ("status", gettext_noop("状态")),
    ("decided_at", gettext_noop("办结时间")),
    ("materials", gettext_noop("申请材料（件）")),
    ("steps", gettext_noop("审批环节（个）")),
    ("promised_days", gettext_noop("承诺时限（工作日）")),
    ("working_days", gettext_noop("办理时间（工作日）")),
    ("calendar_days", gettext_noop("办理时间（自然日）")),
]


@dataclass(frozen=True)
class ReformCases:
    ask: ReformAsk
    windows: Windows | None
    side: str  # "before", "after" or "" (both)
    subject: Subject | None
    facts: list[CaseFacts]


def side_of(text: str) -> str:
    """`before`, `after` or empty (both); anything else is both too (a link never sends it)."""
    return text if text in SIDES else ""


def reform_cases(user: User, ask: ReformAsk, side: str, subject: Subject | None, today: dt.date) -> ReformCases:
    """The cases behind a figure: the reform's cases of one side (or both) and one subject (or all)."""
    windows = _windows(user, ask, today)
    if windows is None:
        return ReformCases(ask, None, side, subject, [])
    ask = dataclasses.replace(
        ask, filters=dataclasses.replace(ask.filters, period=Period(windows.before.first, windows.after.last))
    )
    facts = selectors.case_facts(user, ask.reform, ask.filters, windows)
    chosen = [
        f
        for f in facts
        if (subject is None or f.subject == subject) and (not side or windows.side_of(f.submitted_at.date()) == side)
    ]
    return ReformCases(ask, windows, side, subject, chosen)


def cases_table(cases: ReformCases, facts: Sequence[CaseFacts]) -> Table:
    """`facts` (a page of `cases.facts`, or all of them) as a table linking to each case."""
    labels = selectors.case_labels([f.case for f in facts])
    names = subject_names(sorted({f.subject for f in facts}))
    statuses = {k: str(v) for k, v in Case._meta.get_field("status").choices}  # type: ignore[union-attr]
    calendar = work_calendar()
    rows: list[dict[str, Cell]] = []
    for f in facts:
        number, status = labels.get(f.case, (str(f.case), ""))
        side = cases.windows.side_of(f.submitted_at.date()) if cases.windows is not None else None
        days = f.calendar_days
        rows.append(
            {
                "number": number,
                "number_url": reverse("cases:detail", args=[f.case]),
                "name": names.get(f.subject, ""),
                "side": _(SIDE_LABELS[side]) if side else None,
                "submitted_at": f"{f.submitted_at:%Y-%m-%d %H:%M}",
                "status": statuses.get(status, status),
                "decided_at": f"{f.decided_at:%Y-%m-%d %H:%M}" if f.decided_at else None,
                "materials": f.materials,
                "steps": f.steps if f.decided_at else None,
                "promised_days": f.promised_days,
                "working_days": f.working_days(calendar),
                "calendar_days": None if days is None else round(days, 1),
            }
        )
    return Table("reform_cases", _("改革前后的办件"), [(k, _(label)) for k, label in CASE_COLUMNS], rows)


# --- the list of reforms ---------------------------------------------------------------------------------------


def reform_list(user: User, today: dt.date) -> tuple[list[ReformResults], Table]:
    """Every reform the reader may see with its headline (default windows, no filters), and the list's table."""
    results = [
        reform_results(
            user, ReformAsk(r, selectors.months_of(""), Filters(Period(r.effective_on, r.effective_on))), today
        )
        for r in selectors.reforms_visible(user)
    ]
    rows: list[dict[str, Cell]] = []
    for r in results:
        reform = r.ask.reform
        names = subject_names(selectors.subjects_of(reform))
        rows.append(
            {
                "title": reform.title,
                "title_url": reverse("analytics_reforms:detail", args=[reform.pk]),
                "document_number": reform.document_number,
                "effective_on": reform.effective_on.isoformat(),
                "organisation": reform.organisation.name,
                "subjects": "、".join(names.values()),
                "headline": r.headline or _("暂无可比较的办件"),
            }
        )
    columns = [
        ("title", _("改革")),
        ("document_number", _("文号")),
        ("effective_on", _("实施日期")),
        ("organisation", _("实施区划")),
        ("subjects", _("涉及事项和一件事")),
        ("headline", _("成效（前后各三个月）")),
    ]
    return results, Table("reforms", _("改革及其成效"), columns, rows)
