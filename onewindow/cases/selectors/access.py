"""Who may open which case or task, and what a listed row selects with it.

- an applicant's linked user (Applicant.user) sees their own cases, drafts included;
- staff see a case when its region or any of its task departments lies within
  `organisations_visible_to(user)` (drafts only when they drafted it themselves);
- an agent (代办员) sees the cases they represent (`agency.selectors`: a valid authorisation from the
  applicant, or the key project linking the case); the agent role opens no organisation's cases;
- anything else gets the same "not found" as a missing case (no existence leak).
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from onewindow.agency.selectors import applicants_agent_files_for, represented_cases_condition
from onewindow.cases.domain import OPEN_TASK_STATUSES, CaseStatus
from onewindow.cases.models import Case, CaseMatter, ClockStop, Task
from onewindow.cases.sources import case_source
from onewindow.errors import NotFound
from onewindow.orgs.domain import Role
from onewindow.orgs.models import Applicant, Organisation, User
from onewindow.orgs.selectors import organisations_visible_to, user_roles

TaskRows = TypeVar("TaskRows", bound=QuerySet[Task])
REVIEW_ROLES = frozenset({Role.REVIEWER, Role.DEPARTMENT_HEAD, Role.LEAD_COORDINATOR})
SUPERVISION_ROLES = frozenset({Role.SUPERVISOR, Role.LEADER})
# The roles that open the cases of their organisations' subtree: all but the agent's, who sees only
# the cases they represent (agency.selectors.represented_cases_condition).
STAFF_ROLES = frozenset(Role) - {Role.AGENT}
OPEN_TASKS = sorted(OPEN_TASK_STATUSES)  # in the order of the task indexes' condition
CASE_RELATED = ("applicant", "region", "matter_version", "bundle_version")
CASE_LIST_RELATED = ("applicant", "region")  # what a row of the board's case list shows
TASK_RELATED = (
    "case",
    "case__applicant",
    "department",
    "department__parent",
    "case_matter__matter_version",
    "assignee",
)


def case_not_found() -> NotFound:
    return NotFound("未找到该办件", code="case_not_found")


def task_not_found() -> NotFound:
    return NotFound("未找到该审查任务", code="task_not_found")


def is_staff(user: User) -> bool:
    """Staff who see the cases of their organisations (an agent only is not: they see as the applicant)."""
    return bool(user.is_authenticated and user.is_active and user_roles(user) & STAFF_ROLES)


# --- one case -------------------------------------------------------------------------------------


def _staff_scope(user: User) -> Q:
    """Cases a staff member may see: region or a task department within their organisations."""
    visible = organisations_visible_to(user, roles=set(STAFF_ROLES)).values("id")
    in_task_department = Exists(Task.objects.filter(case=OuterRef("pk"), department__in=visible))
    drafted_by_someone_else = Q(status=CaseStatus.DRAFT) & ~Q(submitted_by=user)
    return (Q(region__in=visible) | in_task_department) & ~drafted_by_someone_else


def visible_cases(user: User) -> QuerySet[Case]:
    """Every case the user may open (own cases as applicant, scoped cases as staff)."""
    if not (user.is_authenticated and user.is_active):
        return Case.objects.none()
    condition = Q(applicant__user=user)
    if is_staff(user):
        condition |= _staff_scope(user)
    if (represented := represented_cases_condition(user)) is not None:
        condition |= represented
    return Case.objects.filter(condition)


def case_get_for_user(*, user: User, case_id: int) -> Case:
    """The case if the user may see it; otherwise the same NotFound as a missing case."""
    case = visible_cases(user).select_related(*CASE_RELATED).filter(pk=case_id).first()
    if case is None:
        raise case_not_found()
    return case


def organisation_ids(organisations: QuerySet[Organisation]) -> list[int]:
    """The organisations' ids as a list: PostgreSQL plans `IN (ids)` well, a subquery on path LIKE badly."""
    return list(organisations.values_list("id", flat=True))


# --- what a listed row selects with it ----------------------------------------------------------


def open_case_stops() -> Prefetch[Any, Any, Any]:
    return Prefetch(
        "clock_stops", queryset=ClockStop.objects.filter(last_on__isnull=True, task__isnull=True), to_attr="open_stops"
    )


def task_list_related(tasks: TaskRows) -> TaskRows:
    """What a row of a task list shows: its case, matter and department joined; its assignee (a few
    people on a page, most rows none) and open clock stop prefetched. Every joined table costs
    PostgreSQL's planner time on each page (for a district's 21 departments: seven tables about 8 ms,
    six about 4 ms). Prepared statements do not spare it: PostgreSQL keeps planning this statement
    for its parameters each time, its generic plan being far worse (measured on 1M tasks)."""
    return with_open_stops(
        tasks.select_related("case", "department__parent", "case_matter__matter_version")
    ).prefetch_related("assignee")


def with_open_stops(tasks: TaskRows) -> TaskRows:
    """Tasks with their open clock stop prefetched (one query for the page)."""
    return tasks.prefetch_related(
        Prefetch("clock_stops", queryset=ClockStop.objects.filter(last_on__isnull=True), to_attr="open_stops")
    )


# --- one task, one case for a purpose ------------------------------------------------------------


def task_get_for_reviewer(*, user: User, task_id: int) -> Task:
    """A task of one of the user's review departments; any other task is the same NotFound as a missing one."""
    departments = organisations_visible_to(user, roles=set(REVIEW_ROLES)).values("id")
    task = (
        with_open_stops(Task.objects.select_related(*TASK_RELATED, "case__region"))
        .filter(pk=task_id, department__in=departments)
        .first()
    )
    if task is None:
        raise task_not_found()
    return task


def department_reviewers(task: Task) -> QuerySet[User]:
    """The active reviewers and heads of the task's department (whom a task may be transferred to)."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__organisation=task.department,
            memberships__role__in=[Role.REVIEWER.value, Role.DEPARTMENT_HEAD.value],
        )
        .distinct()
        .order_by("username")
    )


def lead_department(case: Case) -> Organisation | None:
    """The department that decides: the lead of the bundle's last stage, or the single matter's own."""
    if case.bundle_version_id is not None:
        return case_source(case).deciding_department
    matter = CaseMatter.objects.filter(case=case).select_related("department").first()
    return matter.department if matter else None


def case_get_for_decision(*, user: User, case_id: int) -> Case:
    """The case for the lead department's joint decision: visible to the user, or of their lead department."""
    case = Case.objects.select_related(*CASE_RELATED).filter(pk=case_id).first()
    if case is None:
        raise case_not_found()
    if visible_cases(user).filter(pk=case_id).exists():
        return case
    lead = lead_department(case)
    if lead is None or not organisations_visible_to(user, roles=set(STAFF_ROLES)).filter(pk=lead.pk).exists():
        raise case_not_found()
    return case


# --- the applicant portal's reads (views/portal.py) ---------------------------------------------------


def applicants_for_user(user: User) -> list[Applicant]:
    """The applicants the user may act for online: those of their account (Applicant.user), themselves
    and e.g. their company, then those an agent may submit for under a valid authorisation."""
    if not (user.is_authenticated and user.is_active):
        return []
    own = list(Applicant.objects.filter(user=user).order_by("kind", "id"))
    return own + [a for a in applicants_agent_files_for(user) if a.pk not in {o.pk for o in own}]


def case_get_for_applicant_user(*, user: User, case_id: int) -> Case:
    """A case of one of the user's applicants, or one they represent as agent; anybody else's is NotFound."""
    condition = Q(applicant__user=user)
    if (represented := represented_cases_condition(user)) is not None:
        condition |= represented
    cases = Case.objects.filter(condition).select_related(*CASE_RELATED).prefetch_related(open_case_stops())
    case = cases.filter(pk=case_id).first()
    if case is None:
        raise case_not_found()
    return case
