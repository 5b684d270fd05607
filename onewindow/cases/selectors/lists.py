"""Work lists: an applicant's and a staff member's cases, the clerk's intake queue, a reviewer's
待办 and 已办. Lists return querysets (the caller paginates) with their foreign keys selected, so a
page costs a fixed number of queries."""

from __future__ import annotations

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery

from onewindow.cases.domain import CaseStatus
from onewindow.cases.models import TASK_ORDER, Case, Task, TimelineEntry
from onewindow.cases.selectors.access import (
    CASE_RELATED,
    OPEN_TASKS,
    REVIEW_ROLES,
    is_staff,
    open_case_stops,
    organisation_ids,
    task_list_related,
    visible_cases,
)
from onewindow.errors import PermissionDenied
from onewindow.orgs.domain import Role
from onewindow.orgs.models import User
from onewindow.orgs.selectors import organisations_visible_to, user_has_role

INTAKE_STATUSES = (CaseStatus.SUBMITTED, CaseStatus.CORRECTION)


def cases_for_applicant_user(user: User) -> QuerySet[Case]:
    """我的办件: the cases of every applicant the user acts for, newest first, drafts included."""
    if not user.is_authenticated:
        return Case.objects.none()
    return (
        Case.objects.filter(applicant__user=user)
        .select_related(*CASE_RELATED)
        .prefetch_related(open_case_stops())
        .order_by("-created_at", "-id")
    )


def cases_for_staff(user: User, *, status: str | None = None) -> QuerySet[Case]:
    """The cases a staff member may see, open ones first by due date, optionally of one status."""
    cases = visible_cases(user) if is_staff(user) else Case.objects.none()
    if status:
        cases = cases.filter(status=status)
    return (
        cases.select_related(*CASE_RELATED)
        .prefetch_related(open_case_stops())
        .order_by(F("due_on").asc(nulls_last=True), "-id")
    )


def intake_queue(*, user: User) -> QuerySet[Case]:
    """Cases waiting for the clerk's intake decision in their region subtree, most urgent first."""
    if not user_has_role(user, Role.CLERK):
        raise PermissionDenied("只有窗口人员可以查看受理队列", code="not_a_clerk")
    regions = organisations_visible_to(user, roles={Role.CLERK}).values("id")
    return (
        Case.objects.filter(status__in=INTAKE_STATUSES, region__in=regions)
        .select_related(*CASE_RELATED)
        .order_by("-is_green_channel", F("intake_due_on").asc(nulls_last=True), "id")
    )


def cases_received(*, user: User) -> QuerySet[Case]:
    """已收件: every case received in the clerk's region subtree, whatever became of it and whichever
    department decides it (a township's cases for the district's departments too), newest first."""
    if not user_has_role(user, Role.CLERK):
        raise PermissionDenied("只有窗口人员可以查看已收件", code="not_a_clerk")
    regions = organisations_visible_to(user, roles={Role.CLERK}).values("id")
    return (
        Case.objects.filter(region__in=regions, submitted_at__isnull=False)
        .select_related(*CASE_RELATED)
        .prefetch_related(open_case_stops())
        .order_by("-submitted_at", "-id")
    )


def _require_reviewer(user: User) -> None:
    if not user_has_role(user, *REVIEW_ROLES):
        raise PermissionDenied("只有部门审核人员可以查看审查任务", code="not_a_reviewer")


def tasks_todo(*, user: User) -> QuerySet[Task]:
    """待办: open and suspended tasks of the user's departments, theirs or unassigned; red first."""
    _require_reviewer(user)
    departments = organisation_ids(organisations_visible_to(user, roles=set(REVIEW_ROLES)))
    tasks = Task.objects.filter(status__in=OPEN_TASKS, department__in=departments).filter(
        Q(assignee=user) | Q(assignee__isnull=True)
    )
    return task_list_related(tasks).order_by(*TASK_ORDER)


def tasks_done(*, user: User) -> QuerySet[Task]:
    """已办: tasks whose timeline holds an action of this user, most recent action first."""
    _require_reviewer(user)
    own_steps = TimelineEntry.objects.filter(task=OuterRef("pk"), actor=user)
    return task_list_related(
        Task.objects.filter(Exists(own_steps)).annotate(
            acted_at=Subquery(own_steps.order_by("-at", "-id").values("at")[:1])
        )
    ).order_by("-acted_at", "-id")
