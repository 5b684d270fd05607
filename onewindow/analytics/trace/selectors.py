"""The cases behind a figure, scoped like the figures themselves: the sets the figures count are the figures'
own (`figures.selectors.cases_in`, `bottlenecks.selectors.open_task_rows` / `decided_task_rows`,
`report.selectors.setups_of` / `investment_of`, imported), narrowed by the slice's conditions in the database.
What is counted (cases, correction notices, review tasks or shared stages) is counted in one query; the cases
behind it are one ordered queryset the page, the export and the API read a page at a time.

The critical path (`of=shared_stages`, `ended_by`) is the figures' rule restated in SQL: of a stage's decided
review tasks (two or more), the one decided last — at the same time, the higher department id — ended it. A
material named in correction notices (`material`) is matched in Python over the notices' items with the
figures' own rule (`figures.domain.materials_named`): JSON matching differs between SQLite and PostgreSQL. The
notices and cases it finds are then named by their ids alone (beside the scope's subqueries a long list of ids
slows SQLite down a hundredfold).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import DurationField, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from onewindow.analytics.bottlenecks.selectors import decided_task_rows, open_task_rows
from onewindow.analytics.figures.domain import materials_named
from onewindow.analytics.figures.selectors import INDUSTRY, Filters, cases_in
from onewindow.analytics.forecast.selectors import BUNDLE
from onewindow.analytics.report.selectors import investment_of, setups_of
from onewindow.analytics.trace.domain import (
    NONE,
    ON_CASE,
    Of,
    Slice,
    SliceInvalid,
    Unit,
    month_span,
    parse_slice,
)
from onewindow.cases.models import ONLINE_CHANNELS, Case, CaseMatter, ClockStop, CorrectionNotice, Task
from onewindow.errors import InvalidFields
from onewindow.orgs.models import User

DECIDED = ("approved", "rejected")  # a review task with an opinion (as the figures read them)


def problem_messages() -> dict[str, str]:
    return {
        "unknown_of": _(
            "统计对象应为 submitted、decided、notices、review_tasks、shared_stages、open_tasks 或 decided_tasks。"
        ),
        "unknown_order": _("排序应为 latest 或 days。"),
        "not_whole": _("应为正整数。"),
        "out_of_range": _("超出范围。"),
        "not_flag": _("应为 1 或 0。"),
        "not_choice": _("不是可选的值。"),
        "not_code": _("应为小写英文代码。"),
        "not_month": _("月份格式应为 YYYY-MM。"),
        "too_long": _("过长。"),
        "not_allowed": _("该统计对象不能按此条件筛选。"),
    }


def slice_of(params: Mapping[str, str]) -> Slice:
    """The slice a query asks for; 422 `analytics_trace_invalid` with a message per wrong parameter."""
    try:
        return parse_slice(params)
    except SliceInvalid as exc:
        messages = problem_messages()
        errors = {name: messages[problem] for name, problem in exc.problems.items()}
        raise InvalidFields(_("办件清单的条件有误。"), errors=errors, code="analytics_trace_invalid") from exc


@dataclass(frozen=True)
class Trace:
    filters: Filters
    slice: Slice
    count: int  # what the figure counts (cases, notices, tasks or stages), the figure's number
    cases: QuerySet[Case]  # the cases behind it, each once, in the slice's order

    @property
    def unit(self) -> Unit:
        return self.slice.unit

    def case_count(self) -> int:
        """The cases behind the figure (its own number when it counts cases; one more query otherwise)."""
        return self.count if self.unit == Unit.CASES else self.cases.count()


def trace_for(user: User, filters: Filters, s: Slice) -> Trace:
    if s.of in (Of.SUBMITTED, Of.DECIDED):
        by, time = ("submitted", "submitted_at") if s.of == Of.SUBMITTED else ("decided", "completed_at")
        cases = _narrow(cases_in(user, filters, by=by), s, time=time)
        return Trace(filters, s, cases.count(), _ordered(cases, s))
    if s.of == Of.NOTICES:
        notices = _notices(_narrow(cases_in(user, filters, by="submitted"), s, time="submitted_at"), s)
        return _behind(filters, s, notices.count(), notices.values("case_id"))
    if s.of in (Of.REVIEW_TASKS, Of.SHARED_STAGES):
        decided = _narrow(cases_in(user, filters, by="decided"), s, time="completed_at")
        tasks = Task.objects.filter(case_id__in=decided.values("pk"), kind=Task.Kind.REVIEW, status__in=DECIDED)
        if s.of == Of.REVIEW_TASKS:
            tasks = _task_conditions(tasks, s)
            return _behind(filters, s, tasks.count(), tasks.values("case_id"))
        stages = _shared_stages(tasks, s)
        return _behind(filters, s, stages.values("case_id", "stage").distinct().count(), stages.values("case_id"))
    tasks = open_task_rows(user, filters) if s.of == Of.OPEN_TASKS else decided_task_rows(user, filters)
    tasks = _task_conditions(tasks, s)
    if any(name in ON_CASE for name in s.conditions):
        tasks = tasks.filter(case_id__in=_narrow(Case.objects.filter(pk__in=tasks.values("case_id")), s).values("pk"))
    return _behind(filters, s, tasks.count(), tasks.values("case_id"))


def _behind(filters: Filters, s: Slice, count: int, case_ids: QuerySet[Any, Any]) -> Trace:
    return Trace(filters, s, count, _ordered(Case.objects.filter(pk__in=case_ids), s))


def _ordered(cases: QuerySet[Case], s: Slice) -> QuerySet[Case]:
    if s.order == "days":
        taken = ExpressionWrapper(F("completed_at") - F("submitted_at"), output_field=DurationField())
        return cases.order_by(taken.desc(nulls_last=True), "-pk")
    return cases.order_by(F("submitted_at").desc(nulls_last=True), "-pk")


# --- the conditions -----------------------------------------------------------------------------------------


def _flag(q: Q, value: object) -> Q:
    return q if value else ~q


def _case_q(s: Slice) -> Q:
    """The conditions on the case itself that need no other query."""
    q = Q()
    fields = {
        "matter": "matter_version__matter_id",
        "bundle": "bundle_version__bundle_id",
        "received_in": "region_id",
        "channel": "channel",
        "applicant_kind": "applicant__kind",
        "green": "is_green_channel",
    }
    for name, field in fields.items():
        if (value := s.get(name)) is not None:
            q &= Q(**{field: value})
    if (online := s.get("online")) is not None:
        q &= _flag(Q(channel__in=sorted(ONLINE_CHANNELS)), online)
    if (industry := s.get("industry")) is not None:  # as `figures.industry_of` reads the form
        none = Q(**{f"{INDUSTRY}__isnull": True}) | Q(**{INDUSTRY: None}) | Q(**{INDUSTRY: ""})
        q &= none if industry == NONE else Q(**{INDUSTRY: industry})
    if (category := s.get("category")) is not None:  # as the forecast groups them: a bundle's case has none
        q &= Q(matter_version__isnull=True) if category == BUNDLE else Q(matter_version__category=category)
    if (department := s.number("concerns")) is not None:
        q &= Q(Exists(CaseMatter.objects.filter(case=OuterRef("pk"), department_id=department)))
    if (department := s.number("reviewed_by")) is not None:
        reviews = Task.objects.filter(case=OuterRef("pk"), kind=Task.Kind.REVIEW, status__in=DECIDED)
        q &= Q(Exists(reviews.filter(department_id=department)))
    flags = {
        "corrected": Exists(CorrectionNotice.objects.filter(case=OuterRef("pk"))),
        "stopped": Exists(ClockStop.objects.filter(case=OuterRef("pk"), task__isnull=False)),
    }
    for name, exists in flags.items():
        if (value := s.get(name)) is not None:
            q &= _flag(Q(exists), value)
    return q


def _narrow(cases: QuerySet[Case], s: Slice, *, time: str | None = None) -> QuerySet[Case]:
    """The cases narrowed by the slice's conditions on the case (and, for `time`, on the period's time; for a
    list of cases, on their extension and their being on time)."""
    cases = cases.filter(_case_q(s))
    if (economy := s.get("economy")) is not None:
        cases = setups_of(cases) if economy == "setups" else investment_of(cases)
    if time is not None:
        cases = cases.filter(_time_q(s, time))
    if s.unit == Unit.CASES:
        if (extended := s.get("extended")) is not None:
            extended_task = Exists(Task.objects.filter(case=OuterRef("pk"), extension_days__gt=0))
            cases = cases.filter(_flag(Q(extension_days__gt=0) | Q(extended_task), extended))
        if (on_time := s.get("on_time")) is not None:
            cases = cases.filter(_on_time_q("completed_at", on_time))
    if (material := s.get("material")) is not None and s.of != Of.NOTICES:
        naming = _naming(CorrectionNotice.objects.filter(case_id__in=cases.values("pk")), str(material))
        cases = Case.objects.filter(pk__in=sorted({case for _pk, case in naming}))
    return cases


def _on_time_q(field: str, on_time: object) -> Q:
    """Decided on or before the due date (False: after it); without a due date or a decision, neither."""
    lookup = "lte" if on_time else "gt"
    return Q(**{f"{field}__date__{lookup}": F("due_on")})


def _time_q(s: Slice, field: str) -> Q:
    """Hour, ISO weekday and month of the period's own time, in the current time zone (Asia/Shanghai)."""
    q = Q()
    if (hour := s.get("hour")) is not None:
        q &= Q(**{f"{field}__hour": hour})
    if (weekday := s.get("weekday")) is not None:
        q &= Q(**{f"{field}__iso_week_day": weekday})
    if (month := s.get("month")) is not None:
        year, number = month_span(str(month))
        zone = timezone.get_current_timezone()
        start = dt.datetime(year, number, 1, tzinfo=zone)
        end = dt.datetime(year + number // 12, number % 12 + 1, 1, tzinfo=zone)
        q &= Q(**{f"{field}__gte": start, f"{field}__lt": end})
    return q


def _naming(notices: QuerySet[CorrectionNotice], material: str) -> list[tuple[int, int]]:
    """(notice, case) of the notices naming `material`, by the figures' rule (a material item's label, else its
    target)."""
    rows = notices.values_list("pk", "case_id", "items")
    return [(pk, case) for pk, case, items in rows if material in materials_named([_items(items)])]


def _items(items: object) -> list[dict[str, str]]:
    return items if isinstance(items, list) else []


def _notices(cases: QuerySet[Case], s: Slice) -> QuerySet[CorrectionNotice]:
    notices = CorrectionNotice.objects.filter(case_id__in=cases.values("pk"))
    if (material := s.get("material")) is not None:
        naming = _naming(notices, str(material))
        notices = CorrectionNotice.objects.filter(pk__in=[pk for pk, _case in naming])
    return notices


def _task_conditions(tasks: QuerySet[Task], s: Slice) -> QuerySet[Task]:
    if (department := s.number("task_department")) is not None:
        tasks = tasks.filter(department_id=department)
    if (stage := s.get("stage")) is not None:
        tasks = tasks.filter(stage=stage)
    if s.get("assignee") == NONE:
        tasks = tasks.filter(assignee__isnull=True)
    elif (assignee := s.number("assignee")) is not None:
        tasks = tasks.filter(assignee_id=assignee)
    if (warning := s.get("warning")) is not None:
        tasks = tasks.filter(warning_level=warning)
    if (extended := s.get("extended")) is not None:
        tasks = tasks.filter(_flag(Q(extension_days__gt=0), extended))
    if (on_time := s.get("on_time")) is not None:
        tasks = tasks.filter(_on_time_q("decided_at", on_time))
    return tasks


def _shared_stages(tasks: QuerySet[Task], s: Slice) -> QuerySet[Task]:
    """The decided review tasks of stages with two or more of them (one row per task: count the distinct
    (case, stage)); `with_department`: the department's; `ended_by`: the department's that ended the stage."""
    decided = tasks.filter(decided_at__isnull=False)
    siblings = Task.objects.filter(
        case_id=OuterRef("case_id"),
        stage=OuterRef("stage"),
        kind=Task.Kind.REVIEW,
        status__in=DECIDED,
        decided_at__isnull=False,
    )
    shared = decided.filter(Exists(siblings.exclude(pk=OuterRef("pk"))))
    if (stage := s.get("stage")) is not None:
        shared = shared.filter(stage=stage)
    if (department := s.number("with_department")) is not None:
        shared = shared.filter(department_id=department)
    if (department := s.number("ended_by")) is not None:
        later = Q(decided_at__gt=OuterRef("decided_at")) | Q(
            decided_at=OuterRef("decided_at"), department_id__gt=OuterRef("department_id")
        )
        shared = shared.filter(department_id=department).exclude(Exists(siblings.filter(later)))
    return shared
