"""The facts of some cases, read from the operational tables with the figures' own reads (`figures.selectors`:
`case_times`, `task_times`) so that the copy holds exactly what the live pages compute: a fixed number of
queries whatever the number of cases."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone

from onewindow.analytics.bottlenecks.selectors import DECIDED, decided_of
from onewindow.analytics.facts import schema
from onewindow.analytics.figures import selectors
from onewindow.analytics.figures.domain import notice_materials, stage_marks
from onewindow.analytics.figures.selectors import INDUSTRY, industry_of
from onewindow.cases.models import Case, CaseMatter, CorrectionNotice, Task
from onewindow.workdays.domain import WorkCalendar

Row = tuple[Any, ...]
COMPLETED_AT = schema.column_names("cases").index("completed_at")


@dataclass
class FactRows:
    """Rows per table of `facts.schema`, in its column order."""

    tables: dict[str, list[Row]] = field(default_factory=lambda: {name: [] for name in schema.TABLES})

    def extend(self, other: FactRows) -> None:
        for name, rows in other.tables.items():
            self.tables[name].extend(rows)

    def __len__(self) -> int:
        return len(self.tables["cases"])


def rows_of(cases: QuerySet[Case], calendar: WorkCalendar) -> FactRows:
    """The facts of `cases` (those never submitted have none); working days on `calendar`."""
    submitted = cases.filter(submitted_at__isnull=False)
    ids = submitted.values("pk")
    completed = submitted.filter(status="completed")
    found = FactRows()
    departments = _lists(CaseMatter.objects.filter(case_id__in=ids))
    task_departments = _lists(Task.objects.filter(case_id__in=ids))
    case_rows = _case_rows(submitted, completed)
    found.tables["cases"] = [(*row, departments.get(row[0], []), task_departments.get(row[0], [])) for row in case_rows]
    completed_at = {row[0]: row[COMPLETED_AT] for row in case_rows}
    tasks = selectors.task_times(completed)
    found.tables["tasks"] = [
        (t.case, completed_at.get(t.case), t.stage, mark.shared, mark.margin_days, t.department, t.decided_at,
         schema.tenths(t.days), t.on_time, t.extended)
        for t, mark in zip(tasks, stage_marks(tasks), strict=True)
    ]  # fmt: skip
    reviews = Task.objects.filter(case_id__in=ids, kind=Task.Kind.REVIEW, status__in=DECIDED)
    found.tables["reviews"] = [
        (row.case, row.region, task.department, task.assignee, row.decided_at, task.review_days(calendar), row.stage,
         task.started_on, task.decided_on, [first for first, _l in task.stops], [last for _f, last in task.stops])
        for row, task in decided_of(reviews)
    ]  # fmt: skip
    notices = CorrectionNotice.objects.filter(case_id__in=ids).values_list("case_id", "items").order_by("pk")
    found.tables["materials"] = [(case, label) for case, items in notices for label in sorted(notice_materials(items))]
    return found


def _case_rows(submitted: QuerySet[Case], completed: QuerySet[Case]) -> list[Row]:
    times = {t.case: t for t in selectors.case_times(completed)}
    notices = dict(
        CorrectionNotice.objects.filter(case_id__in=submitted.values("pk"))
        .values("case_id")
        .annotate(n=Count("pk"))
        .values_list("case_id", "n")
        .order_by()
    )
    rows = submitted.values_list(
        "pk",
        "submitted_at",
        "region_id",
        "channel",
        "matter_version__matter_id",
        "bundle_version__bundle_id",
        "applicant__kind",
        "matter_version__category",
        "is_green_channel",
        INDUSTRY,
        "status",
        "due_on",
        "completed_at",
    ).order_by("pk")
    found = []
    for pk, at, region, channel, matter, bundle, kind, category, green, industry, status, due, completed_at in rows:
        t = times.get(pk)
        phases: Sequence[Any] = (None,) * 9
        if t is not None:
            shown = [schema.tenths(getattr(t, phase)) for phase in ("intake", "review", "waiting", "decision", "total")]
            phases = (t.total, t.waiting, *shown, t.on_time, t.extended)
        local = timezone.localtime(at).replace(tzinfo=None)
        kept = (
            pk,
            at,
            local,
            region,
            channel,
            matter,
            bundle,
            kind,
            category or None,
            notices.get(pk, 0),
            green,
            industry_of(industry),
            status,
        )
        found.append((*kept, due, completed_at, *phases))
    return found


def _lists(rows: QuerySet[Any]) -> dict[int, list[int]]:
    """Per case, the distinct departments of `rows` (ascending)."""
    found: dict[int, list[int]] = {}
    for case, department in (
        rows.values_list("case_id", "department_id").distinct().order_by("case_id", "department_id")
    ):
        found.setdefault(case, []).append(department)
    return found
