"""Decisions: a department's 同意 / 不同意 (with 会签), the stage join and the joint decision.

The join: after every decision the tasks of the current stage are read under the case lock (every
writer of a case holds that lock), so two departments deciding the last two tasks at the same time
open the next stage exactly once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.db import transaction
from django.utils.translation import gettext as _

from onewindow import clock
from onewindow.cases import domain
from onewindow.cases.domain import CaseAction, CaseStatus, StageOutcome, TaskAction, TaskStatus, next_case_status
from onewindow.cases.models import Case, CaseMatter, Signoff, Task
from onewindow.cases.services import deferral
from onewindow.cases.services.locking import LockedCase, case_lock, task_lock
from onewindow.cases.services.review.checks import (
    DECISION_ROLES,
    MAX_TEXT,
    require_allowed,
    require_lead,
    require_reviewer,
    required_text,
    take,
)
from onewindow.cases.services.stage_hooks import stage_held
from onewindow.cases.services.stages import stage_open
from onewindow.cases.services.transitions import case_move, case_record, task_move
from onewindow.cases.sources import case_source
from onewindow.errors import Conflict, InvalidFields
from onewindow.orgs.models import User

DECISION_RESULTS = frozenset({CaseMatter.Result.APPROVED, CaseMatter.Result.REJECTED})


@transaction.atomic
def task_approve(*, actor: User, task: Task, opinion: str = "") -> Task:
    """The department agrees (同意); with 会签, once enough reviewers agree."""
    return _decide_or_sign(actor=actor, task=task, approve=True, text=(opinion or "").strip()[:MAX_TEXT])


@transaction.atomic
def task_reject(*, actor: User, task: Task, reason: str) -> Task:
    """The department disagrees (不同意), with its reason; with 会签 any disagreement rejects."""
    text = required_text(reason, field="reason", message=_("请填写不同意的理由"))
    return _decide_or_sign(actor=actor, task=task, approve=False, text=text)


def _decide_or_sign(*, actor: User, task: Task, approve: bool, text: str) -> Task:
    locked = task_lock(task.pk, actor=actor)
    task = locked.locked_task
    require_reviewer(actor, task)
    if task.is_check:
        message = _("承诺核查任务请登记核查结果（符合或不符合），而不是同意或不同意")
        raise Conflict(message, code="task_is_check")
    action = TaskAction.APPROVE if approve else TaskAction.REJECT
    require_allowed(task, action)
    if task.required_signoffs > 1:  # 会签 from the catalogue, or a signer added (加签)
        return _sign(locked, actor=actor, approve=approve, text=text)
    take(actor, task)
    return _decide(locked, actor=actor, action=action, opinion=text)


def _sign(locked: LockedCase, *, actor: User, approve: bool, text: str) -> Task:
    task = locked.locked_task
    if Signoff.objects.filter(task=task, reviewer=actor).exists():
        raise Conflict(_("您已对该任务签署过意见，不能重复会签"), code="signoff_already_signed")
    Signoff.objects.create(task=task, reviewer=actor, approve=approve, opinion=text)
    signoffs = list(task.signoffs.select_related("reviewer").order_by("signed_at", "pk"))
    named = list(task.signers.values_list("signer_id", flat=True))
    opinions = {s.reviewer_id: s.approve for s in signoffs}
    outcome = domain.countersign_outcome(required=task.required_signoffs, named=named, opinions=opinions)
    if outcome is domain.CountersignOutcome.REJECTED:
        reasons = "；".join(f"{s.reviewer}：{s.opinion}" for s in signoffs if not s.approve)
        return _decide(locked, actor=actor, action=TaskAction.REJECT, opinion=reasons)
    if outcome is domain.CountersignOutcome.APPROVED:
        agreed = "；".join(f"{s.reviewer}：{s.opinion or _('同意')}" for s in signoffs)
        return _decide(locked, actor=actor, action=TaskAction.APPROVE, opinion=agreed)
    case_record(
        locked=locked,
        action="task_signoff",
        actor=actor,
        organisation=task.department,
        from_status=task.status,
        task=task,
        note=text,
        is_public=False,
        changes={
            "approve": approve,
            "signoffs": len(signoffs),
            "required": task.required_signoffs,
            "waiting_for": sorted(set(named) - set(opinions)),
        },
    )
    return task


def _decide(locked: LockedCase, *, actor: User, action: TaskAction, opinion: str) -> Task:
    task = locked.locked_task
    task.opinion = opinion
    task.decided_at = clock.now()
    task_move(
        locked=locked,
        action=action,
        actor=actor,
        update_fields=("assignee", "opinion", "decided_at"),
        note=opinion,
        is_public=True,
    )
    _stage_join(locked, actor=actor, today=clock.today())
    return task


def _stage_statuses(locked: LockedCase) -> list[TaskStatus]:
    """The statuses of the review tasks of the case's current stage (read with the task under the lock)."""
    if locked.stage_tasks is None:
        raise RuntimeError("lock the task with task_lock to read its stage's tasks")
    return [TaskStatus(row.status) for row in locked.stage_tasks]


def _stage_join(locked: LockedCase, *, actor: User | None, today: dt.date) -> None:
    """When every task of the stage is decided: the next stage opens, or the case awaits the decision."""
    case, task = locked.case, locked.locked_task
    outcome = domain.review_outcome(_stage_statuses(locked))
    if outcome is StageOutcome.PENDING:
        return
    if outcome is StageOutcome.ALL_APPROVED and (reason := stage_held(case, case.current_stage)):
        case_record(locked=locked, action="stage_held", actor=actor, organisation=task.department, note=reason)
        return
    next_stage = case.current_stage + 1
    if outcome is StageOutcome.ALL_APPROVED and any(stage == next_stage for _, stage in case_source(case).matters):
        stage_open(locked, next_stage, today, actor=actor)  # sets case.current_stage
        case.save(update_fields=["current_stage"])
        return
    case_move(
        locked=locked,
        action=CaseAction.FINISH_REVIEW,
        actor=actor,
        organisation=task.department,
        note=_("各部门审查完毕，待作出决定"),
    )
    if case.matter_version_id is not None:
        _single_matter_complete(locked, actor=actor)


@transaction.atomic
def stage_release(*, case: Case, actor: User | None) -> bool:
    """Go on with a case whose current stage a gate held (`stage_hooks`), once the gate lets it end: the
    join runs again under the lock. False when the case is not waiting (any more) or a gate still holds."""
    last = (
        Task.objects.filter(case=case, kind=Task.Kind.REVIEW, stage=case.current_stage)
        .order_by("-decided_at", "-pk")
        .values_list("pk", flat=True)
        .first()
    )
    if last is None:
        return False
    locked = task_lock(last, actor=actor)
    if locked.case.status != CaseStatus.IN_REVIEW or locked.locked_task.stage != locked.case.current_stage:
        return False
    if domain.review_outcome(_stage_statuses(locked)) is not StageOutcome.ALL_APPROVED:
        return False
    if stage_held(locked.case, locked.case.current_stage):
        return False
    _stage_join(locked, actor=actor, today=clock.today())
    return True


def _single_matter_complete(locked: LockedCase, *, actor: User | None) -> None:
    """A single-matter case is decided by its department's decision on its one task."""
    case, task = locked.case, locked.locked_task
    result = CaseMatter.Result.APPROVED if task.status == TaskStatus.APPROVED else CaseMatter.Result.REJECTED
    if result == CaseMatter.Result.APPROVED and case.matter_version_id is not None:
        deferral.require_deferrals_met(case, approved_version_ids=[case.matter_version_id], owed=deferral.owed_of(case))
    CaseMatter.objects.filter(pk=task.case_matter_id).update(result=result)
    case.completed_at = clock.now()
    case.decision_note = task.opinion
    case_move(
        locked=locked,
        action=CaseAction.DECIDE,
        actor=actor,
        update_fields=("completed_at", "decision_note"),
        organisation=task.department,
        note=_("办结：%(result)s") % {"result": result.label},
        changes={"results": {str(task.case_matter_id): result.value}},
    )


def _decision_errors(locked: LockedCase, results: Mapping[int, str]) -> dict[str, str]:
    matters, _filed = locked.contents()
    approved_by_department = locked.approved_matter_ids or frozenset()
    known = {matter.pk for matter in matters}
    errors = {f"results.{key}": _("该事项不属于本办件") for key in results if key not in known}
    for pk in sorted(known):
        result = results.get(pk)
        if result is None:
            errors[f"results.{pk}"] = _("请对该事项作出决定")
        elif result not in DECISION_RESULTS:
            errors[f"results.{pk}"] = _("决定只能是准予许可(approved)或不予许可(rejected)")
        elif result == CaseMatter.Result.APPROVED and pk not in approved_by_department:
            errors[f"results.{pk}"] = _("审查部门未同意该事项，不能准予许可")
    return errors


@transaction.atomic
def case_decide(*, actor: User, case: Case, results: Mapping[int, str], note: str = "") -> Case:
    """The lead department's joint decision (联合决定) on a bundle case: a result for every matter."""
    locked = case_lock(case.pk, actor=actor, contents=True)
    case = locked.case
    lead = require_lead(actor, case, DECISION_ROLES, _("只有牵头部门的协调人或负责人可以作出联合决定"))
    next_case_status(CaseStatus(case.status), CaseAction.DECIDE)
    errors = _decision_errors(locked, results)
    if errors:
        raise InvalidFields(_("联合决定有误，请逐项核对"), errors=errors, code="case_decision_invalid")
    approved = [pk for pk, r in results.items() if r == CaseMatter.Result.APPROVED]
    deferral.require_decision_deferrals_met(locked, approved)
    case.completed_at = clock.now()
    case.decision_note = (note or "").strip()[:MAX_TEXT]
    for result in DECISION_RESULTS:
        if pks := sorted(pk for pk, r in results.items() if r == result):
            CaseMatter.objects.filter(pk__in=pks).update(result=result)
    case_move(
        locked=locked,
        action=CaseAction.DECIDE,
        actor=actor,
        update_fields=("completed_at", "decision_note"),
        organisation=lead,
        note=case.decision_note or _("牵头部门作出联合决定，办件办结"),
        changes={"results": {str(pk): str(result) for pk, result in results.items()}},
    )
    return case
