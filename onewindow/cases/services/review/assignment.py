"""Who works on a task: 领办 (claim), 分办 (assign) and 转办 (transfer) within the department."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from onewindow.cases.models import Task
from onewindow.cases.services.locking import LockedCase, task_lock
from onewindow.cases.services.review.checks import (
    holder_conflict,
    require_head,
    require_open,
    require_reviewer,
    required_text,
    reviewer_of_department,
)
from onewindow.cases.services.transitions import case_record
from onewindow.errors import InvalidFields
from onewindow.orgs.models import User


def _record_assignee(*, locked: LockedCase, actor: User, action: str, note: str = "") -> None:
    task = locked.locked_task
    task.save(update_fields=["assignee"])
    case_record(
        locked=locked,
        action=action,
        actor=actor,
        organisation=task.department,
        from_status=task.status,
        task=task,
        note=note,
        is_public=False,
        changes={"assignee_id": task.assignee_id},
    )


@transaction.atomic
def task_claim(*, actor: User, task: Task) -> Task:
    """A reviewer of the department takes an unassigned open task (领办)."""
    locked = task_lock(task.pk, actor=actor)
    task = locked.locked_task
    require_reviewer(actor, task)
    require_open(task)
    if task.assignee_id == actor.pk:
        return task
    if task.assignee_id is not None:
        raise holder_conflict(task)
    task.assignee = actor
    _record_assignee(locked=locked, actor=actor, action="task_claim")
    return task


@transaction.atomic
def task_assign(*, actor: User, task: Task, assignee: User) -> Task:
    """The department head gives the task to one of the department's reviewers (分办)."""
    locked = task_lock(task.pk, actor=actor)
    task = locked.locked_task
    require_head(actor, task)
    require_open(task)
    reviewer_of_department(assignee, task, "assignee")
    task.assignee = assignee
    _record_assignee(locked=locked, actor=actor, action="task_assign")
    return task


@transaction.atomic
def task_transfer(*, actor: User, task: Task, to_user: User, reason: str) -> Task:
    """转办: the assignee, or the department head, hands the task to another reviewer of the department."""
    locked = task_lock(task.pk, actor=actor)
    task = locked.locked_task
    require_reviewer(actor, task)
    if task.assignee_id != actor.pk:
        require_head(actor, task)
    require_open(task)
    reason = required_text(reason, field="reason", message=_("请填写转办理由"))
    reviewer_of_department(to_user, task, "to_user")
    if to_user.pk == task.assignee_id:
        message = _("该任务已由此人办理，请选择其他审核人员")
        raise InvalidFields(message, errors={"to_user": message}, code="task_transfer_to_same")
    task.assignee = to_user
    _record_assignee(locked=locked, actor=actor, action="task_transfer", note=reason)
    return task
