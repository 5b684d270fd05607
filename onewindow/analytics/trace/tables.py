"""The cases behind a figure as rows (the page, the Excel export and the API read the same ones): the case's
number and page, its matter or bundle, the applicant (name masked: leaders read figures, not people), the
region that received it, when it was submitted and decided, its time as the figures count it (calendar days,
and of them the days waiting for the applicant), the working days from submission to decision, its status.
And what the list is: what was counted, the conditions in words, the count."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from onewindow.analytics.bottlenecks.selectors import user_names
from onewindow.analytics.figures import selectors as figures
from onewindow.analytics.figures.domain import CaseTimes
from onewindow.analytics.forecast.selectors import BUNDLE
from onewindow.analytics.trace.domain import NONE, Of, Slice, Unit, Value
from onewindow.analytics.trace.selectors import Trace
from onewindow.cases.models import Case, Channel
from onewindow.orgs.domain import mask_name
from onewindow.orgs.models import Applicant
from onewindow.web.tables import Cell
from onewindow.workdays.domain import WorkCalendar, working_days_between
from onewindow.workdays.selectors import work_calendar

PAGE_SIZE = 200
EXPORT_CHUNK = 500
MAX_EXPORT = 50_000

COLUMNS = [
    ("number", gettext_noop("办件编号")),
    ("subject", gettext_noop("事项或一件事")),
    ("applicant", gettext_noop("申请人")),
    ("region", gettext_noop("受理地")),
    ("submitted_at", gettext_noop("提交时间")),
    ("decided_at", gettext_noop("办结时间")),
    ("days", gettext_noop("办理时间（天）")),
    ("waiting", gettext_noop("其中等待申请人（天）")),
    ("working_days", gettext_noop("工作日（提交至办结）")),
    ("status", gettext_noop("状态")),
]
OF_TITLES = {
    Of.SUBMITTED: gettext_noop("本期提交的办件"),
    Of.DECIDED: gettext_noop("本期办结的办件"),
    Of.NOTICES: gettext_noop("本期提交办件的补正告知书"),
    Of.REVIEW_TASKS: gettext_noop("本期办结办件中已作出意见的审查任务"),
    Of.SHARED_STAGES: gettext_noop("本期办结办件中两个以上部门作出意见的并联阶段"),
    Of.OPEN_TASKS: gettext_noop("当前在办的审查任务"),
    Of.DECIDED_TASKS: gettext_noop("本期作出意见的审查任务"),
}
UNIT_COUNTS = {
    Unit.NOTICES: gettext_noop("补正告知书 %(count)s 份，涉及办件 %(cases)s 件"),
    Unit.TASKS: gettext_noop("审查任务 %(count)s 项，涉及办件 %(cases)s 件"),
    Unit.STAGES: gettext_noop("并联阶段 %(count)s 个，涉及办件 %(cases)s 件"),
}
CONDITION_LABELS = {
    "matter": gettext_noop("事项"),
    "bundle": gettext_noop("一件事"),
    "received_in": gettext_noop("受理地"),
    "concerns": gettext_noop("涉及部门"),
    "reviewed_by": gettext_noop("参与审查的部门"),
    "channel": gettext_noop("渠道"),
    "online": gettext_noop("网上办理"),
    "applicant_kind": gettext_noop("申请人类型"),
    "green": gettext_noop("绿色通道"),
    "economy": gettext_noop("类别"),
    "corrected": gettext_noop("需补正"),
    "stopped": gettext_noop("审查中止计时"),
    "material": gettext_noop("补正材料"),
    "category": gettext_noop("事项类型"),
    "industry": gettext_noop("所属行业"),
    "hour": gettext_noop("时段"),
    "weekday": gettext_noop("星期"),
    "month": gettext_noop("月份"),
    "extended": gettext_noop("延期"),
    "on_time": gettext_noop("按期"),
    "task_department": gettext_noop("审查部门"),
    "assignee": gettext_noop("经办人"),
    "warning": gettext_noop("预警"),
    "ended_by": gettext_noop("最后作出意见（决定阶段结束）的部门"),
    "with_department": gettext_noop("参与阶段的部门"),
    "stage": gettext_noop("阶段"),
}
WEEKDAYS = [
    gettext_noop("周一"),
    gettext_noop("周二"),
    gettext_noop("周三"),
    gettext_noop("周四"),
    gettext_noop("周五"),
    gettext_noop("周六"),
    gettext_noop("周日"),
]
ORGANISATIONS = ("received_in", "concerns", "reviewed_by", "task_department", "ended_by", "with_department")


def columns() -> list[tuple[str, str]]:
    return [(key, _(label)) for key, label in COLUMNS]


# --- what the list is ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    title: str  # what was counted
    conditions: list[tuple[str, str]]  # (label, value) of each condition, in words
    count_text: str  # the figure's number, and the cases behind it when those are not what was counted


def _ids(s: Slice, *names: str) -> set[int]:
    return {v for n in names if isinstance(v := s.get(n), int) and not isinstance(v, bool)}


def _value_text(name: str, value: Value, names: dict[str, dict[Any, str]]) -> str:
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if name in names:
        return names[name].get(value, str(value))
    if name == "hour":
        return f"{value:02d}:00"
    if name == "weekday" and isinstance(value, int):
        return _(WEEKDAYS[value - 1])
    return str(value)


def heading_of(trace: Trace, case_count: int) -> Heading:
    """The list's title, its conditions in words (names looked up: one query per kind) and its count."""
    s = trace.slice
    orgs = figures.organisation_names(_ids(s, *ORGANISATIONS))
    assignee = s.get("assignee")
    people = user_names(_ids(s, "assignee")) | ({NONE: _("（未分派）")} if assignee == NONE else {})
    names: dict[str, dict[Any, str]] = dict.fromkeys(ORGANISATIONS, orgs) | {
        "matter": figures.matter_names(_ids(s, "matter")),
        "bundle": figures.bundle_names(_ids(s, "bundle")),
        "assignee": people,
        "channel": {"app": _("移动端"), **{k: str(v) for k, v in Channel.choices}},
        "applicant_kind": {k: str(v) for k, v in Applicant.Kind.choices},
        "economy": {"setups": _("企业开办"), "investment": _("投资项目审批（工业项目一件事）")},
        "warning": {"normal": _("正常"), "yellow": _("黄灯"), "red": _("红灯")},
        "category": {BUNDLE: _("一件事（联办）")},  # the catalogue's categories are their own names
        "industry": {NONE: _("未填写")},  # the form's options are their own names
    }
    conditions = [(_(CONDITION_LABELS[n]), _value_text(n, v, names)) for n, v in s.conditions.items()]
    if trace.unit == Unit.CASES:
        count_text = _("共 %(count)s 件办件") % {"count": trace.count}
    else:
        count_text = _(UNIT_COUNTS[trace.unit]) % {"count": trace.count, "cases": case_count}
    return Heading(_(OF_TITLES[s.of]), conditions, count_text)


# --- the rows -----------------------------------------------------------------------------------------------


def _local(at: dt.datetime | None) -> dt.datetime | None:
    return timezone.localtime(at) if at is not None else None


def _row(case: Case, times: CaseTimes | None, calendar: WorkCalendar) -> dict[str, Any]:
    submitted, decided = _local(case.submitted_at), _local(case.completed_at)
    subject = case.matter_version or case.bundle_version
    working = None
    if submitted is not None and decided is not None:
        working = working_days_between(submitted.date(), decided.date(), calendar).working_days
    return {
        "case_id": case.pk,
        "number": case.number,
        "number_url": reverse("cases:detail", args=[case.pk]),
        "subject": subject.name if subject is not None else "",
        "applicant": mask_name(case.applicant.name),
        "region": case.region.name,
        "region_id": case.region_id,
        "submitted_at": submitted,
        "decided_at": decided,
        "days": None if times is None else round(times.total, 1),
        "waiting": None if times is None else round(times.waiting, 1),
        "working_days": working,
        "status": case.status,
        "status_label": case.get_status_display(),
    }


def case_rows(cases: Sequence[Case], calendar: WorkCalendar) -> list[dict[str, Any]]:
    """The rows of some cases (one page: the figures' times of those decided, four queries whatever their
    number)."""
    ids = [c.pk for c in cases]
    times = {t.case: t for t in figures.case_times(Case.objects.filter(pk__in=ids))} if ids else {}
    return [_row(case, times.get(case.pk), calendar) for case in cases]


def _selected(trace: Trace) -> Any:
    return trace.cases.select_related("region", "applicant", "matter_version", "bundle_version")


def page_rows(trace: Trace, offset: int, limit: int) -> list[dict[str, Any]]:
    return case_rows(list(_selected(trace)[offset : offset + limit]), work_calendar())


def export_rows(trace: Trace) -> Iterator[dict[str, Any]]:
    """Every row of the list (at most MAX_EXPORT): one query read EXPORT_CHUNK cases at a time, the figures'
    times of each chunk's cases beside it."""
    calendar = work_calendar()
    chunk: list[Case] = []
    for case in _selected(trace)[:MAX_EXPORT].iterator(chunk_size=EXPORT_CHUNK):
        chunk.append(case)
        if len(chunk) == EXPORT_CHUNK:
            yield from case_rows(chunk, calendar)
            chunk = []
    yield from case_rows(chunk, calendar)


def cells(row: dict[str, Any]) -> list[Cell]:
    """A row as the table shows it (the times in Asia/Shanghai, minutes; the status in words)."""
    shown: dict[str, Any] = row | {"status": row["status_label"]}
    for key in ("submitted_at", "decided_at"):
        shown[key] = None if row[key] is None else f"{row[key]:%Y-%m-%d %H:%M}"
    return [shown.get(key) for key, _label in COLUMNS]
