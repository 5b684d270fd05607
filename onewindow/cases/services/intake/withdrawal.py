"""撤回: the applicant (or a clerk, or an agent for them) withdraws a case before its decision."""

from __future__ import annotations

from django.db import transaction

from onewindow import clock
from onewindow.agency.domain import AgencyAction
from onewindow.agency.selectors import acting_record
from onewindow.cases.domain import OPEN_TASK_STATUSES, CaseAction, TaskAction
from onewindow.cases.models import Case, Task
from onewindow.cases.services.intake.checks import expect, require_applicant_or_clerk
from onewindow.cases.services.intake.correction import close_stops
from onewindow.cases.services.locking import case_lock
from onewindow.cases.services.transitions import case_move, task_move
from onewindow.errors import InvalidFields
from onewindow.orgs.models import User


@transaction.atomic
def case_withdraw(*, actor: User, case: Case, reason: str) -> Case:
    """撤回: before the decision; open tasks are cancelled and open clock stops closed."""
    locked = case_lock(case.pk, actor=actor)
    case = locked.case
    acting = require_applicant_or_clerk(actor, case, AgencyAction.WITHDRAW)
    expect(case, CaseAction.WITHDRAW)
    if not (reason or "").strip():
        raise InvalidFields("请填写撤回原因", errors={"reason": "请填写撤回原因"})
    today = clock.today()
    acting_note, acting_changes = acting_record(acting, actor, AgencyAction.WITHDRAW)
    if acting is not None:
        case.agent = actor
    for task in Task.objects.select_for_update().filter(case=case, status__in=list(OPEN_TASK_STATUSES)):
        task.case = case
        task_move(locked=locked, task=task, action=TaskAction.CANCEL, actor=actor, note="申请人撤回申请，任务取消")
    close_stops(case.clock_stops.all(), today)
    case_move(
        locked=locked,
        action=CaseAction.WITHDRAW,
        actor=actor,
        update_fields=("agent",) if acting else (),
        organisation=case.region,
        note=f"撤回申请：{reason.strip()}{acting_note}",
        changes=acting_changes or None,
    )
    return case
