"""延期: a task's extension (asked by its reviewer, approved by the department head, once) and the
case's own (approved by the lead department's head, once: +15 joint, +10 single, Art. 42)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from onewindow.cases import domain
from onewindow.cases.domain import CaseStatus, TransitionNotAllowed
from onewindow.cases.models import Case, CaseMatter, Task
from onewindow.cases.services.locking import case_lock, task_lock
from onewindow.cases.services.review.checks import (
    require_head,
    require_lead,
    require_open,
    require_reviewer,
    required_text,
    take,
)
from onewindow.cases.services.review.clocks import case_due_on, task_due_on
from onewindow.cases.services.transitions import case_record
from onewindow.errors import Conflict, InvalidFields
from onewindow.orgs.domain import Role
from onewindow.orgs.models import User


@transaction.atomic
def task_extension_request(*, actor: User, task: Task, days: int = domain.TASK_EXTENSION_DAYS, reason: str) -> Task:
    """The assignee asks for more time; the department head approves (once per task)."""
    locked = task_lock(task.pk, actor=actor)
    task = locked.locked_task
    require_reviewer(actor, task)
    require_open(task)
    take(actor, task)
    reason = required_text(reason, field="reason", message=_("请填写延期理由"))
    if not 1 <= days <= domain.TASK_EXTENSION_DAYS:
        message = _("延期天数应在 1 至 %(n)s 个工作日之间") % {"n": domain.TASK_EXTENSION_DAYS}
        raise InvalidFields(message, errors={"days": message}, code="task_extension_days_invalid")
    _require_no_extension(task)
    task.extension_requested_days = days
    task.save(update_fields=["assignee", "extension_requested_days"])
    case_record(
        locked=locked,
        action="task_extension_request",
        actor=actor,
        organisation=task.department,
        from_status=task.status,
        task=task,
        note=reason,
        is_public=False,
        changes={"days": days},
    )
    return task


def _require_no_extension(task: Task) -> None:
    if task.extension_days:
        raise Conflict(_("每项审查任务只能延期一次，该任务已延期"), code="task_extension_once")
    if task.extension_requested_days:
        raise Conflict(_("该任务已有待审批的延期申请"), code="task_extension_pending")


@transaction.atomic
def task_extension_approve(*, actor: User, task: Task) -> Task:
    """The department head approves the pending extension: the days are added and the due date moves."""
    locked = task_lock(task.pk, actor=actor)
    task = locked.locked_task
    require_head(actor, task)
    require_open(task)
    if task.extension_days:
        raise Conflict(_("每项审查任务只能延期一次，该任务已延期"), code="task_extension_once")
    if not task.extension_requested_days:
        raise Conflict(_("该任务没有待审批的延期申请"), code="task_extension_not_requested")
    task.extension_days, task.extension_requested_days = task.extension_requested_days, 0
    task.due_on = task_due_on(task, locked.calendar)
    task.save(update_fields=["extension_days", "extension_requested_days", "due_on"])
    case_record(
        locked=locked,
        action="task_extension_approve",
        actor=actor,
        organisation=task.department,
        from_status=task.status,
        task=task,
        note=_("延期 %(n)s 个工作日，期限至 %(due)s") % {"n": task.extension_days, "due": task.due_on.isoformat()},
        is_public=True,
        changes={"days": task.extension_days, "due_on": task.due_on.isoformat()},
    )
    return task


@transaction.atomic
def case_extension_approve(*, actor: User, case: Case, reason: str) -> Case:
    """The lead department head extends the case's own limit once: +15 joint, +10 single (Art. 42)."""
    locked = case_lock(case.pk, actor=actor)
    case = locked.case
    lead = require_lead(actor, case, frozenset({Role.DEPARTMENT_HEAD}), _("只有牵头部门的负责人可以批准办件延期"))
    if case.status not in {CaseStatus.IN_REVIEW, CaseStatus.AWAITING_DECISION}:
        label = domain.CASE_STATUS_LABELS[CaseStatus(case.status)]
        raise TransitionNotAllowed(_("办件当前状态为“%(status)s”，不能延期") % {"status": label})
    reason = required_text(reason, field="reason", message=_("请填写延期理由"))
    if case.extension_days:
        raise Conflict(_("办件只能延期一次，该办件已延期"), code="case_extension_once")
    case.extension_days = domain.case_extension_days(matter_count=CaseMatter.objects.filter(case=case).count())
    case.due_on = case_due_on(case, locked.calendar)
    case.save(update_fields=["extension_days", "due_on"])
    case_record(
        locked=locked,
        action="case_extension_approve",
        actor=actor,
        organisation=lead,
        from_status=case.status,
        note=_("办理期限延长 %(n)s 个工作日：%(reason)s") % {"n": case.extension_days, "reason": reason},
        changes={"days": case.extension_days, "due_on": case.due_on.isoformat() if case.due_on else None},
    )
    return case
