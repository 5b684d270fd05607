"""Who may act in review, and whether the task's status allows it; shared by every review service
and by the post-checks (`services/commitment.py`) and 加签 (`services/countersign.py`)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from onewindow.agency.domain import AgencyAction
from onewindow.agency.models import Authorisation
from onewindow.agency.selectors import agency_permit
from onewindow.cases.domain import OPEN_TASK_STATUSES, TASK_STATUS_LABELS, TaskAction, TaskStatus, TransitionNotAllowed
from onewindow.cases.domain import next_task_status as _next_task_status
from onewindow.cases.models import Case, Task
from onewindow.cases.selectors import task_not_found
from onewindow.cases.selectors.access import lead_department
from onewindow.cases.services.access import refusal
from onewindow.errors import Conflict, DomainError, InvalidFields, PermissionDenied
from onewindow.orgs.domain import Role
from onewindow.orgs.models import Organisation, User
from onewindow.orgs.selectors import holds_role_over

REVIEW_ROLES = frozenset({Role.REVIEWER, Role.DEPARTMENT_HEAD})
DECISION_ROLES = frozenset({Role.LEAD_COORDINATOR, Role.DEPARTMENT_HEAD})
MAX_TEXT = 2000
MAX_ITEM = 200


def task_refusal(actor: User, task: Task, message: str, code: str) -> DomainError:
    """403 with the reason for whoever may see the task's case, the 404 of a missing task for anyone else."""
    return refusal(actor, task.case, PermissionDenied(message, code=code), missing=task_not_found())


def require_reviewer(actor: User, task: Task) -> None:
    if not holds_role_over(actor, task.department, REVIEW_ROLES):
        raise task_refusal(actor, task, _("只有该审查部门的审核人员可以办理此任务"), "task_not_reviewer")


def require_head(actor: User, task: Task) -> None:
    if not holds_role_over(actor, task.department, frozenset({Role.DEPARTMENT_HEAD})):
        raise task_refusal(actor, task, _("只有该部门的负责人可以执行此操作"), "task_not_department_head")


def require_supplier(actor: User, task: Task) -> Authorisation | None:
    """Who hands in supplementary material: the applicant, a clerk of the region, or an agent within a
    valid authorisation (returned)."""
    case = task.case
    if case.applicant.user_id == actor.pk or holds_role_over(actor, case.region, frozenset({Role.CLERK})):
        return None
    permit = agency_permit(actor, applicant=case.applicant, action=AgencyAction.SUPPLEMENT, case=case)
    if permit.authorisation is not None:
        return permit.authorisation
    if permit.refused is not None:
        raise refusal(actor, case, permit.refused, missing=task_not_found())
    raise task_refusal(actor, task, _("只有申请人或受理地窗口人员可以登记补充材料"), "task_not_applicant_or_clerk")


def require_lead(actor: User, case: Case, roles: frozenset[Role], message: str) -> Organisation:
    """The case's lead department (the one that decides), where the actor holds one of `roles`."""
    lead = lead_department(case)
    if lead is None or not holds_role_over(actor, lead, roles):
        raise refusal(actor, case, PermissionDenied(message, code="case_not_lead_department"), lead=lead)
    return lead


def require_open(task: Task) -> None:
    if task.status not in OPEN_TASK_STATUSES:
        label = TASK_STATUS_LABELS[TaskStatus(task.status)]
        raise TransitionNotAllowed(
            _("该审查任务当前状态为“%(status)s”，不能执行该操作，可能已被他人处理") % {"status": label}
        )


def require_allowed(task: Task, action: TaskAction) -> None:
    _next_task_status(TaskStatus(task.status), action)  # raises TransitionNotAllowed with the current status


def holder_conflict(task: Task) -> Conflict:
    return Conflict(_("该审查任务已由%(name)s办理") % {"name": task.assignee}, code="task_held_by_other")


def take(actor: User, task: Task) -> None:
    """The actor works on the task: theirs already, or unassigned and now theirs."""
    if task.assignee_id is None:
        task.assignee = actor
    elif task.assignee_id != actor.pk:
        raise holder_conflict(task)


def required_text(value: str, *, field: str, message: str) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidFields(message, errors={field: message}, code=f"{field}_required")
    if len(text) > MAX_TEXT:
        too_long = _("不能超过 %(n)s 个字") % {"n": MAX_TEXT}
        raise InvalidFields(too_long, errors={field: too_long}, code=f"{field}_too_long")
    return text


def reviewer_of_department(user: User, task: Task, field: str) -> None:
    if not (user.is_active and holds_role_over(user, task.department, REVIEW_ROLES)):
        message = _("只能交给本部门的审核人员")
        raise InvalidFields(message, errors={field: message}, code="task_assignee_not_reviewer")
