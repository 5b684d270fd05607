"""告知承诺 at intake: approved on the applicant's signed commitment, each department checks later.

What follows (the post-checks' findings, rectification, revocation) is `services/commitment.py`.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from onewindow import clock
from onewindow.cases.domain import CaseAction, Clock
from onewindow.cases.models import Case, CaseMatter, Task
from onewindow.cases.services.intake.checks import deemed_on, expect, require_clerk
from onewindow.cases.services.locking import LockedCase, case_lock
from onewindow.cases.services.stages import case_departments_add
from onewindow.cases.services.transitions import case_move, task_open_records
from onewindow.catalogue.domain import COMMITMENT_LETTER
from onewindow.errors import Conflict, InvalidFields
from onewindow.orgs.models import User
from onewindow.workdays.domain import WorkCalendar

POST_CHECK_DAYS = 20  # 告知承诺: the department checks the commitment within this many working days


@transaction.atomic
def case_approve_on_commitment(*, actor: User, case: Case, commitment_text: str) -> Case:
    """告知承诺: approved at intake on the applicant's signed commitment (告知承诺书, a file of the case);
    each department checks later."""
    locked = case_lock(case.pk, actor=actor, contents=True)
    case = locked.case
    require_clerk(actor, case)
    expect(case, CaseAction.APPROVE_ON_COMMITMENT)
    deemed_on(locked, CaseAction.APPROVE_ON_COMMITMENT, clock.today())
    if not (commitment_text or "").strip():
        raise InvalidFields("请填写申请人签署的承诺内容", errors={"commitment_text": "请填写申请人签署的承诺内容"})
    matters = list(case.matters.select_related("matter_version", "department"))
    refused = [cm.matter_version.name for cm in matters if not cm.matter_version.commitment_allowed]
    if refused:
        raise Conflict(f"“{'、'.join(refused)}”不适用告知承诺制", code="commitment_not_allowed")
    _require_commitment_letter(locked)
    today, calendar = clock.today(), locked.calendar
    case.accepted_on, case.completed_at, case.decision_note = today, clock.now(), commitment_text.strip()
    case.matters.update(result=CaseMatter.Result.COMMITTED)
    _commit_and_open_post_checks(locked, matters, actor=actor, today=today, calendar=calendar)
    return case


def _require_commitment_letter(locked: LockedCase) -> None:
    """The signed commitment is on file: uploaded with the application, or after a correction notice."""
    if COMMITMENT_LETTER.key not in locked.contents()[1]:
        raise Conflict(
            f"申请人尚未提交签署的{COMMITMENT_LETTER.name}，不能按告知承诺制准予。"
            f"请一次性告知申请人补正{COMMITMENT_LETTER.name}，或按一般程序受理",
            code="commitment_letter_missing",
        )


def _commit_and_open_post_checks(
    locked: LockedCase, matters: list[CaseMatter], *, actor: User, today: dt.date, calendar: WorkCalendar
) -> None:
    case = locked.case
    case_move(
        locked=locked,
        action=CaseAction.APPROVE_ON_COMMITMENT,
        actor=actor,
        update_fields=("accepted_on", "completed_at", "decision_note"),
        organisation=case.region,
        note=f"告知承诺：申请人已签署承诺书，当场准予许可，部门将在 {POST_CHECK_DAYS} 个工作日内核查",
    )
    case_departments_add(case, {cm.department_id for cm in matters})
    due_on = Clock(started_on=today, limit_days=POST_CHECK_DAYS).due_on(calendar)
    tasks = Task.objects.bulk_create(
        [
            Task(
                case=case,
                case_matter=cm,
                department=cm.department,
                kind=Task.Kind.POST_CHECK,
                stage=cm.stage,
                started_on=today,
                limit_days=POST_CHECK_DAYS,
                due_on=due_on,
                is_green_channel=case.is_green_channel,
            )
            for cm in matters
        ]
    )
    task_open_records(
        locked=locked,
        tasks=tasks,
        actor=actor,
        notes=[f"承诺核查：推送{task.department.display_name}" for task in tasks],
        changes=[{"kind": Task.Kind.POST_CHECK.value} for _ in tasks],
    )
