"""The supervision board (效能监察): open cases and tasks within the supervisor's subtree, counted per
warning level, its filters, and each department's on-time rate. Sorting and counts use the stored
warning level the periodic job keeps current."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connections
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncDate

from onewindow.cases.domain import OPEN_CASE_STATUSES, TaskStatus, WarningLevel
from onewindow.cases.models import TASK_ORDER, URGENCY, Case, CaseDepartment, CaseMaterial, CaseMatter, Task
from onewindow.cases.selectors.access import (
    CASE_LIST_RELATED,
    OPEN_TASKS,
    SUPERVISION_ROLES,
    open_case_stops,
    organisation_ids,
    task_list_related,
)
from onewindow.catalogue.models import Matter, MatterVersion
from onewindow.errors import InvalidFields, NotFound, PermissionDenied
from onewindow.orgs.models import Organisation, User
from onewindow.orgs.selectors import organisation_subtree, organisations_visible_to, user_has_role

SHANGHAI = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class BoardFilters:
    organisation: Organisation | None = None
    department: Organisation | None = None
    matter: Matter | None = None


# The board counts open cases per warning level up to here ("1000+"): an exact count would read every
# case of a district on every page.
CASE_COUNT_CAP = 1000


class CountedTasks(QuerySet[Task]):
    """Tasks whose count() was read already with other counts in one statement (the board's task total
    is its paginator's count). A queryset derived from them (filtered, sliced) counts again."""

    known_count: int | None = None

    def count(self) -> int:
        return super().count() if self.known_count is None else self.known_count


@dataclass(frozen=True)
class SupervisionBoard:
    cases: QuerySet[Case]
    tasks: QuerySet[Task]
    case_counts: dict[str, int]
    task_counts: dict[str, int]
    case_counts_capped: bool = False

    @property
    def case_count_cap(self) -> int:
        return CASE_COUNT_CAP


def supervision_scope(user: User) -> QuerySet[Organisation]:
    if not user_has_role(user, *SUPERVISION_ROLES):
        raise PermissionDenied("只有效能监察人员可以查看监察看板", code="not_a_supervisor")
    return organisations_visible_to(user, roles=set(SUPERVISION_ROLES))


def _within(scope: QuerySet[Organisation], organisation: Organisation | None) -> QuerySet[Organisation]:
    if organisation is None:
        return scope
    if not scope.filter(pk=organisation.pk).exists():
        raise NotFound("该组织不在您的监察范围内", code="organisation_not_in_scope")
    return organisation_subtree(organisation)


def supervision_board(
    *,
    user: User,
    organisation: Organisation | None = None,
    department: Organisation | None = None,
    matter: Matter | None = None,
) -> SupervisionBoard:
    """Open cases and tasks within the supervisor's subtree, filterable, with counts per warning level."""
    subtree = organisation_ids(_within(supervision_scope(user), organisation))
    tasks = CountedTasks(Task).filter(status__in=OPEN_TASKS, department__in=subtree)
    open_cases = Case.objects.filter(status__in=sorted(OPEN_CASE_STATUSES))
    if department is not None:
        tasks = tasks.filter(department=department)
        open_cases = open_cases.filter(Exists(Task.objects.filter(case=OuterRef("pk"), department=department)))
    if matter is not None:
        tasks = tasks.filter(case_matter__matter_version__matter=matter)
        open_cases = open_cases.filter(
            Exists(CaseMatter.objects.filter(case=OuterRef("pk"), matter_version__matter=matter))
        )
    # A case of the subtree's regions, or of another region with a department of the subtree recorded
    # for it (CaseDepartment). The page reads them in the order of case_board_order_idx and stops
    # after its rows.
    recorded = Exists(CaseDepartment.objects.filter(case=OuterRef("pk"), department__in=subtree))
    cases = open_cases.filter(Q(region__in=subtree) | recorded)
    case_counts, task_counts = _board_counts(
        open_cases.filter(region__in=subtree), open_cases.exclude(region__in=subtree).filter(recorded), tasks
    )
    page_tasks = task_list_related(tasks).order_by(*TASK_ORDER)
    page_tasks.known_count = task_counts["total"]
    return SupervisionBoard(
        cases=cases.select_related(*CASE_LIST_RELATED)
        .prefetch_related(open_case_stops())
        .order_by(URGENCY, F("is_green_channel").desc(), F("due_on").asc(nulls_last=True), F("id").asc()),
        tasks=page_tasks,
        case_counts=case_counts,
        task_counts=task_counts,
        case_counts_capped=max(case_counts[level.value] for level in WarningLevel) >= CASE_COUNT_CAP,
    )


URGENCIES = {WarningLevel.RED.value: 0, WarningLevel.YELLOW.value: 1, WarningLevel.NORMAL.value: 2}  # URGENCY's ranks
Counts = dict[str, int]


def _board_counts(
    in_regions: QuerySet[Case], elsewhere: QuerySet[Case], tasks: QuerySet[Task]
) -> tuple[Counts, Counts]:
    """Open cases per warning level, counted up to CASE_COUNT_CAP, and open tasks per level (exact: the
    task pages need their total).

    One statement counts the tasks and the cases of the subtree's regions (from their ranges of
    case_board_region_idx, stopping at the cap). The cases of other regions, found through
    CaseDepartment, are counted by a second one only for the levels still below the cap.
    """
    task_sql, task_params = (
        tasks.order_by().values_list("warning_level").annotate(n=Count("id")).query.sql_with_params()
    )
    case_sql, case_params = _capped_levels(in_regions, dict.fromkeys(URGENCIES, CASE_COUNT_CAP))
    cases: Counts = dict.fromkeys(URGENCIES, 0)
    open_tasks: Counts = dict.fromkeys(URGENCIES, 0)
    with connections[tasks.db].cursor() as cursor:
        cursor.execute(
            f"{case_sql} UNION ALL SELECT 'task', counted.* FROM ({task_sql}) counted",  # noqa: S608 - SQL by the ORM
            [*case_params, *task_params],
        )
        for kind, level, count in cursor.fetchall():
            (cases if kind == "case" else open_tasks)[level] = count
        below_cap = {level: CASE_COUNT_CAP - count for level, count in cases.items() if count < CASE_COUNT_CAP}
        if below_cap:
            cursor.execute(*_capped_levels(elsewhere, below_cap))
            for _kind, level, count in cursor.fetchall():
                cases[level] += count
    return _with_total(cases), _with_total(open_tasks)


def _capped_levels(cases: QuerySet[Case], caps: Counts) -> tuple[str, list[Any]]:
    """A statement counting `cases` per warning level, up to the level's cap: rows ('case', level, count).

    The queryset is compiled once; each level is a range of an index on URGENCY, where PostgreSQL
    stops reading at the cap (the condition on `urgency` is pushed into the subquery).
    """
    sql, params = cases.annotate(urgency=URGENCY).order_by().values("urgency").query.sql_with_params()
    parts: list[str] = []
    all_params: list[Any] = []
    for level, cap in caps.items():
        parts.append(
            f"SELECT 'case', %s, COUNT(*) FROM (SELECT 1 FROM ({sql}) ranked WHERE ranked.urgency = %s LIMIT %s) capped"  # noqa: S608 - SQL by the ORM
        )
        all_params += [level, *params, URGENCIES[level], cap]
    return " UNION ALL ".join(parts), all_params


def _with_total(counts: Counts) -> Counts:
    return {level: counts[level] for level in URGENCIES} | {"total": sum(counts.values())}


@dataclass(frozen=True)
class DepartmentRate:
    department: Organisation
    decided_count: int
    on_time_count: int

    @property
    def rate(self) -> float | None:
        return self.on_time_count / self.decided_count if self.decided_count else None


def department_on_time_rate(*, user: User, since: dt.date | None = None) -> list[DepartmentRate]:
    """Per department in the supervisor's subtree: decided tasks, and those decided by their due day."""
    departments = supervision_scope(user).filter(kind=Organisation.Kind.DEPARTMENT)
    return _rates(departments, since=since)


def _rates(departments: QuerySet[Organisation], *, since: dt.date | None) -> list[DepartmentRate]:
    tasks = Task.objects.filter(
        department__in=departments.values("id"),
        status__in=[TaskStatus.APPROVED, TaskStatus.REJECTED],
        decided_at__isnull=False,
    ).annotate(decided_on=TruncDate("decided_at", tzinfo=SHANGHAI))
    if since is not None:
        tasks = tasks.filter(decided_on__gte=since)
    totals = {
        row["department"]: (row["decided"], row["on_time"])
        for row in tasks.order_by()
        .values("department")
        .annotate(decided=Count("id"), on_time=Count("id", filter=Q(decided_on__lte=F("due_on"))))
    }
    return [
        DepartmentRate(
            department=department, decided_count=totals[department.pk][0], on_time_count=totals[department.pk][1]
        )
        for department in departments.select_related("parent").filter(pk__in=totals.keys()).order_by("path")
    ]


def materials_reused_count(*, user: User) -> int:
    """免提交: the materials of the supervisor's regions taken from applicants' certificate wallets."""
    regions = organisation_ids(supervision_scope(user))
    return CaseMaterial.objects.filter(case__region__in=regions).exclude(reused_certificate="").count()


# --- the filter form -----------------------------------------------------------------------------


def board_filters(*, organisation: str | None, department: str | None, matter: str | None) -> BoardFilters:
    """Resolve the board's filters given by code; every unknown code is reported at once, per field."""
    errors: dict[str, str] = {}
    found_organisation = Organisation.objects.filter(code=organisation).first() if organisation else None
    if organisation and found_organisation is None:
        errors["organisation"] = f"未找到编码为“{organisation}”的组织"
    found_department = (
        Organisation.objects.filter(code=department, kind=Organisation.Kind.DEPARTMENT).first() if department else None
    )
    if department and found_department is None:
        errors["department"] = f"未找到编码为“{department}”的部门"
    found_matter = Matter.objects.filter(code=matter).first() if matter else None
    if matter and found_matter is None:
        errors["matter"] = f"未找到编码为“{matter}”的事项"
    if errors:
        raise InvalidFields("筛选条件有误，请检查后重试", errors=errors, code="invalid_filters")
    return BoardFilters(organisation=found_organisation, department=found_department, matter=found_matter)


def board_choices(user: User) -> tuple[list[Organisation], list[Organisation], list[tuple[str, str]]]:
    """What the board's filter form offers: the supervisor's regions, departments and their matters."""
    scope = supervision_scope(user)
    organisations = list(scope.filter(kind=Organisation.Kind.REGION).order_by("path"))
    departments = list(scope.filter(kind=Organisation.Kind.DEPARTMENT).select_related("parent").order_by("path"))
    latest_name = MatterVersion.objects.filter(matter=OuterRef("pk")).order_by("-number").values("name")[:1]
    matters = list(
        Matter.objects.filter(department__in=scope.values("id"))
        .annotate(latest_name=Subquery(latest_name))
        .order_by("code")
        .values_list("code", "latest_name")[:500]
    )
    return organisations, departments, matters
