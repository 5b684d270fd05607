"""驳回: a department sends the case back to intake; the other open tasks are cancelled."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from onewindow import clock
from onewindow.cases import domain
from onewindow.cases.domain import OPEN_TASK_STATUSES, CaseAction, TaskAction
from onewindow.cases.models import ClockStop, Task
from onewindow.cases.services.locking import LockedCase, task_lock
from onewindow.cases.services.review.checks import require_allowed, require_reviewer, required_text, take
from onewindow.cases.services.review.clocks import stop_ends_on
from onewindow.cases.services.transitions import case_move, task_move
from onewindow.orgs.models import User


@transaction.atomic
def task_send_back(*, actor: User, task: Task, reason: str) -> Task:
    """驳回: the case returns to intake; every other open task is cancelled; the intake clock restarts."""
    locked = task_lock(task.pk, actor=actor)
    task = locked.locked_task
    require_reviewer(actor, task)
    require_allowed(task, TaskAction.SEND_BACK)
    take(actor, task)
    reason = required_text(reason, field="reason", message=_("请填写驳回理由"))
    today = clock.today()
    task.opinion = reason
    task.decided_at = clock.now()
    task_move(
        locked=locked,
        action=TaskAction.SEND_BACK,
        actor=actor,
        update_fields=("assignee", "opinion", "decided_at"),
        note=reason,
    )
    _cancel_open_tasks(locked, actor=actor, today=today)
    _case_back_to_intake(locked, actor=actor, reason=reason, today=today)
    return task


def _cancel_open_tasks(locked: LockedCase, *, actor: User, today: dt.date) -> None:
    case = locked.case
    for other in Task.objects.select_for_update().filter(case=case, status__in=OPEN_TASK_STATUSES):
        other.case = case
        note = _("办件已驳回至受理环节，本任务取消")
        task_move(locked=locked, task=other, action=TaskAction.CANCEL, actor=actor, note=note)
    for stop in ClockStop.objects.filter(case=case, task__isnull=False, last_on__isnull=True):
        stop.last_on = stop_ends_on(stop.first_on, today)
        stop.save(update_fields=["last_on"])


def _case_back_to_intake(locked: LockedCase, *, actor: User, reason: str, today: dt.date) -> None:
    case, task = locked.case, locked.locked_task
    case.received_on = today
    case.intake_due_on = domain.intake_due_on(today, locked.calendar)
    case.current_stage = 0
    case.due_on = None
    case.warning_level = domain.WarningLevel.NORMAL
    case_move(
        locked=locked,
        action=CaseAction.SEND_BACK,
        actor=actor,
        update_fields=("received_on", "intake_due_on", "current_stage", "due_on", "warning_level"),
        organisation=task.department,
        note=_("审查部门驳回至受理环节：%(reason)s") % {"reason": reason},
        changes={"task_id": task.pk},
    )
