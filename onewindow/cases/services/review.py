"""Parallel review (推送相关、同步审核): claims, decisions, 会签, clock stops, extensions, the join, the decision.

Every function here is one use case: keyword-only, one transaction, `task_lock` / `case_lock` first
(the case row, then the task), the permission check, then the transition through `task_move` /
`case_move`, which write the timeline row and the audit event. A step that changes no status (a claim,
a 会签 opinion, an extension) writes its timeline row and audit event through `case_record`.

Clock rules (Art. 45), one place for all of them:
- A stop (supplement or special procedure) begins on the day it is asked for: `first_on = today`.
- When it ends, the day the material arrives (or the procedure ends) counts again, the days before it
  do not: `last_on = today - 1`. A stop that begins and ends on the same day covers that one day
  (`last_on = first_on`), since a stop of no days cannot be written down.
- The task's due date is then recomputed from its start with its own closed stops; the case's due
  date from its acceptance with every closed stop of its tasks (merged), since the applicant's case
  is not handled while any of its departments waits.

The join: after every decision the tasks of the current stage are read under the case lock (every
writer of a case holds that lock), so two departments deciding the last two tasks at the same time
open the next stage exactly once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import PurePath

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onewindow.agency.domain import AgencyAction
from onewindow.agency.models import Authorisation
from onewindow.agency.selectors import acting_record, agency_permit
from onewindow.cases import domain
from onewindow.cases.domain import (
    OPEN_TASK_STATUSES,
    TASK_STATUS_LABELS,
    CaseAction,
    CaseStatus,
    Clock,
    StageOutcome,
    TaskAction,
    TaskStatus,
    TransitionNotAllowed,
    next_case_status,
    next_task_status,
)
from onewindow.cases.models import Case, CaseMaterial, CaseMatter, ClockStop, Signoff, Task
from onewindow.cases.selectors import task_not_found
from onewindow.cases.services import deferral
from onewindow.cases.services.access import refusal
from onewindow.cases.services.stages import stage_open
from onewindow.cases.services.transitions import (
    case_calendar,
    case_contents,
    case_lock,
    case_move,
    case_record,
    records_together,
    step_write,
    task_lock,
    task_move,
    update_statement,
)
from onewindow.cases.sources import case_source
from onewindow.errors import Conflict, DomainError, InvalidFields, PermissionDenied
from onewindow.orgs.domain import Role
from onewindow.orgs.models import Organisation, User
from onewindow.orgs.selectors import holds_role_over
from onewindow.uploads import document_problem, upload_sha256
from onewindow.workdays.domain import Suspension, WorkCalendar

REVIEW_ROLES = frozenset({Role.REVIEWER, Role.DEPARTMENT_HEAD})
DECISION_ROLES = frozenset({Role.LEAD_COORDINATOR, Role.DEPARTMENT_HEAD})
SPECIAL_PROCEDURES = frozenset(
    {
        ClockStop.Reason.HEARING,
        ClockStop.Reason.TESTING,
        ClockStop.Reason.EXPERT_REVIEW,
        ClockStop.Reason.PUBLIC_NOTICE,
    }
)
DECISION_RESULTS = frozenset({CaseMatter.Result.APPROVED, CaseMatter.Result.REJECTED})
MAX_TEXT = 2000
MAX_ITEM = 200


# --- checks ---------------------------------------------------------------------------------------


def _task_refusal(actor: User, task: Task, message: str, code: str) -> DomainError:
    """403 with the reason for whoever may see the task's case, the 404 of a missing task for anyone else."""
    return refusal(actor, task.case, PermissionDenied(message, code=code), missing=task_not_found())


def _require_reviewer(actor: User, task: Task) -> None:
    if not holds_role_over(actor, task.department, REVIEW_ROLES):
        raise _task_refusal(actor, task, _("只有该审查部门的审核人员可以办理此任务"), "task_not_reviewer")


def _require_head(actor: User, task: Task) -> None:
    if not holds_role_over(actor, task.department, frozenset({Role.DEPARTMENT_HEAD})):
        raise _task_refusal(actor, task, _("只有该部门的负责人可以执行此操作"), "task_not_department_head")


def _require_applicant_or_clerk(actor: User, task: Task) -> Authorisation | None:
    """The applicant, a clerk of the region, or an agent within a valid authorisation (returned)."""
    case = task.case
    if case.applicant.user_id == actor.pk or holds_role_over(actor, case.region, frozenset({Role.CLERK})):
        return None
    permit = agency_permit(actor, applicant=case.applicant, action=AgencyAction.SUPPLEMENT, case=case)
    if permit.authorisation is not None:
        return permit.authorisation
    if permit.refused is not None:
        raise refusal(actor, case, permit.refused, missing=task_not_found())
    raise _task_refusal(actor, task, _("只有申请人或受理地窗口人员可以登记补充材料"), "task_not_applicant_or_clerk")


def _require_lead(actor: User, case: Case, roles: frozenset[Role], message: str) -> Organisation:
    """The case's lead department (the one that decides), where the actor holds one of `roles`."""
    lead = lead_department(case)
    if lead is None or not holds_role_over(actor, lead, roles):
        raise refusal(actor, case, PermissionDenied(message, code="case_not_lead_department"), lead=lead)
    return lead


def _require_open(task: Task) -> None:
    if task.status not in OPEN_TASK_STATUSES:
        label = TASK_STATUS_LABELS[TaskStatus(task.status)]
        raise TransitionNotAllowed(
            _("该审查任务当前状态为“%(status)s”，不能执行该操作，可能已被他人处理") % {"status": label}
        )


def _require_allowed(task: Task, action: TaskAction) -> None:
    next_task_status(TaskStatus(task.status), action)  # raises TransitionNotAllowed with the current status


def _holder_conflict(task: Task) -> Conflict:
    return Conflict(_("该审查任务已由%(name)s办理") % {"name": task.assignee}, code="task_held_by_other")


def _take(actor: User, task: Task) -> None:
    """The actor works on the task: theirs already, or unassigned and now theirs."""
    if task.assignee_id is None:
        task.assignee = actor
    elif task.assignee_id != actor.pk:
        raise _holder_conflict(task)


def _text(value: str, *, field: str, message: str) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidFields(message, errors={field: message}, code=f"{field}_required")
    if len(text) > MAX_TEXT:
        too_long = _("不能超过 %(n)s 个字") % {"n": MAX_TEXT}
        raise InvalidFields(too_long, errors={field: too_long}, code=f"{field}_too_long")
    return text


def _reviewer_of_department(user: User, task: Task, field: str) -> None:
    if not (user.is_active and holds_role_over(user, task.department, REVIEW_ROLES)):
        message = _("只能交给本部门的审核人员")
        raise InvalidFields(message, errors={field: message}, code="task_assignee_not_reviewer")


# --- clocks ---------------------------------------------------------------------------------------


def _closed(stops: Sequence[tuple[dt.date, dt.date | None]]) -> tuple[Suspension, ...]:
    return tuple(Suspension(first, last) for first, last in stops if last is not None)


def _task_due_on(task: Task, calendar: WorkCalendar) -> dt.date:
    stops = ClockStop.objects.filter(task=task).values_list("first_on", "last_on")
    clock = Clock(task.started_on, task.limit_days + task.extension_days, _closed(list(stops)))
    return clock.due_on(calendar)


def _case_due_on(case: Case, calendar: WorkCalendar) -> dt.date | None:
    if case.accepted_on is None:
        return case.due_on
    stops = ClockStop.objects.filter(case=case, task__isnull=False).values_list("first_on", "last_on")
    clock = Clock(case.accepted_on, case.limit_days + case.extension_days, _closed(list(stops)))
    return clock.due_on(calendar)


def _stop_ends_on(first_on: dt.date, today: dt.date) -> dt.date:
    """The last stopped day: the day before today (today counts again), never before the first day."""
    return max(first_on, today - dt.timedelta(days=1))


def _open_stop(task: Task, reasons: frozenset[str], message: str, code: str) -> ClockStop:
    stop = ClockStop.objects.filter(task=task, last_on__isnull=True, reason__in=reasons).order_by("-pk").first()
    if stop is None:
        raise Conflict(message, code=code)
    return stop


def _resume(
    *, actor: User, task: Task, stop: ClockStop, note: str, today: dt.date, changes: Mapping[str, int] | None = None
) -> Task:
    stop.last_on = _stop_ends_on(stop.first_on, today)
    stop.save(update_fields=["last_on"])
    calendar = case_calendar(task.case)
    task.due_on = _task_due_on(task, calendar)
    case = task.case
    case_due_on = _case_due_on(case, calendar)
    if case_due_on != case.due_on:
        case.due_on = case_due_on
        case.save(update_fields=["due_on"])
    task_move(
        task=task,
        action=TaskAction.RESUME,
        actor=actor,
        update_fields=("due_on",),
        note=note,
        is_public=True,
        changes={"clock_stop_id": stop.pk, "due_on": task.due_on.isoformat(), **(changes or {})},
    )
    return task


# --- claim, assign, transfer ----------------------------------------------------------------------


def _record_assignee(*, task: Task, actor: User, action: str, note: str = "") -> None:
    task.save(update_fields=["assignee"])
    case_record(
        case=task.case,
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
    task = task_lock(task.pk, actor=actor)
    _require_reviewer(actor, task)
    _require_open(task)
    if task.assignee_id == actor.pk:
        return task
    if task.assignee_id is not None:
        raise _holder_conflict(task)
    task.assignee = actor
    _record_assignee(task=task, actor=actor, action="task_claim")
    return task


@transaction.atomic
def task_assign(*, actor: User, task: Task, assignee: User) -> Task:
    """The department head gives the task to one of the department's reviewers (分办)."""
    task = task_lock(task.pk, actor=actor)
    _require_head(actor, task)
    _require_open(task)
    _reviewer_of_department(assignee, task, "assignee")
    task.assignee = assignee
    _record_assignee(task=task, actor=actor, action="task_assign")
    return task


@transaction.atomic
def task_transfer(*, actor: User, task: Task, to_user: User, reason: str) -> Task:
    """转办: the assignee, or the department head, hands the task to another reviewer of the department."""
    task = task_lock(task.pk, actor=actor)
    _require_reviewer(actor, task)
    if task.assignee_id != actor.pk:
        _require_head(actor, task)
    _require_open(task)
    reason = _text(reason, field="reason", message=_("请填写转办理由"))
    _reviewer_of_department(to_user, task, "to_user")
    if to_user.pk == task.assignee_id:
        message = _("该任务已由此人办理，请选择其他审核人员")
        raise InvalidFields(message, errors={"to_user": message}, code="task_transfer_to_same")
    task.assignee = to_user
    _record_assignee(task=task, actor=actor, action="task_transfer", note=reason)
    return task


# --- decisions, 会签 and the join -----------------------------------------------------------------


@transaction.atomic
def task_approve(*, actor: User, task: Task, opinion: str = "") -> Task:
    """The department agrees (同意); with 会签, once enough reviewers agree."""
    return _decide_or_sign(actor=actor, task=task, approve=True, text=(opinion or "").strip()[:MAX_TEXT])


@transaction.atomic
def task_reject(*, actor: User, task: Task, reason: str) -> Task:
    """The department disagrees (不同意), with its reason; with 会签 any disagreement rejects."""
    text = _text(reason, field="reason", message=_("请填写不同意的理由"))
    return _decide_or_sign(actor=actor, task=task, approve=False, text=text)


def _decide_or_sign(*, actor: User, task: Task, approve: bool, text: str) -> Task:
    task = task_lock(task.pk, actor=actor)
    _require_reviewer(actor, task)
    if task.is_check:
        message = _("承诺核查任务请登记核查结果（符合或不符合），而不是同意或不同意")
        raise Conflict(message, code="task_is_check")
    action = TaskAction.APPROVE if approve else TaskAction.REJECT
    _require_allowed(task, action)
    if task.required_signoffs > 1:  # 会签 from the catalogue, or a signer added (加签)
        return _sign(actor=actor, task=task, approve=approve, text=text)
    _take(actor, task)
    return _decide(actor=actor, task=task, action=action, opinion=text)


def _sign(*, actor: User, task: Task, approve: bool, text: str) -> Task:
    if Signoff.objects.filter(task=task, reviewer=actor).exists():
        raise Conflict(_("您已对该任务签署过意见，不能重复会签"), code="signoff_already_signed")
    Signoff.objects.create(task=task, reviewer=actor, approve=approve, opinion=text)
    signoffs = list(task.signoffs.select_related("reviewer").order_by("signed_at", "pk"))
    named = list(task.signers.values_list("signer_id", flat=True))
    opinions = {s.reviewer_id: s.approve for s in signoffs}
    outcome = domain.countersign_outcome(required=task.required_signoffs, named=named, opinions=opinions)
    if outcome is domain.CountersignOutcome.REJECTED:
        reasons = "；".join(f"{s.reviewer}：{s.opinion}" for s in signoffs if not s.approve)
        return _decide(actor=actor, task=task, action=TaskAction.REJECT, opinion=reasons)
    if outcome is domain.CountersignOutcome.APPROVED:
        agreed = "；".join(f"{s.reviewer}：{s.opinion or _('同意')}" for s in signoffs)
        return _decide(actor=actor, task=task, action=TaskAction.APPROVE, opinion=agreed)
    case_record(
        case=task.case,
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


def _decide(*, actor: User, task: Task, action: TaskAction, opinion: str) -> Task:
    task.opinion = opinion
    task.decided_at = timezone.now()
    with records_together(task.case):
        task_move(
            task=task,
            action=action,
            actor=actor,
            update_fields=("assignee", "opinion", "decided_at"),
            note=opinion,
            is_public=True,
        )
        _stage_join(actor=actor, task=task, today=timezone.localdate())
    return task


def _stage_statuses(task: Task) -> list[TaskStatus]:
    """The statuses of the review tasks of the case's current stage (read with the task under the lock)."""
    if task.stage_tasks is None:
        raise RuntimeError("lock the task with task_lock to read its stage's tasks")
    return [TaskStatus(row.status) for row in task.stage_tasks]


def _stage_join(*, actor: User, task: Task, today: dt.date) -> None:
    """When every task of the stage is decided: the next stage opens, or the case awaits the decision."""
    case = task.case
    outcome = domain.review_outcome(_stage_statuses(task))
    if outcome is StageOutcome.PENDING:
        return
    next_stage = case.current_stage + 1
    if outcome is StageOutcome.ALL_APPROVED and any(stage == next_stage for _, stage in case_source(case).matters):
        stage_open(case, next_stage, today, actor=actor)  # sets case.current_stage
        case.save(update_fields=["current_stage"])
        return
    case_move(
        case=case,
        action=CaseAction.FINISH_REVIEW,
        actor=actor,
        organisation=task.department,
        note=_("各部门审查完毕，待作出决定"),
    )
    if case.matter_version_id is not None:
        _single_matter_complete(actor=actor, task=task)


def _single_matter_complete(*, actor: User, task: Task) -> None:
    """A single-matter case is decided by its department's decision on its one task."""
    case = task.case
    result = CaseMatter.Result.APPROVED if task.status == TaskStatus.APPROVED else CaseMatter.Result.REJECTED
    if result == CaseMatter.Result.APPROVED and case.matter_version_id is not None:
        deferral.require_deferrals_met(case, approved_version_ids=[case.matter_version_id], owed=deferral.owed_of(case))
    CaseMatter.objects.filter(pk=task.case_matter_id).update(result=result)
    case.completed_at = timezone.now()
    case.decision_note = task.opinion
    case_move(
        case=case,
        action=CaseAction.DECIDE,
        actor=actor,
        update_fields=("completed_at", "decision_note"),
        organisation=task.department,
        note=_("办结：%(result)s") % {"result": result.label},
        changes={"results": {str(task.case_matter_id): result.value}},
    )


# --- the joint decision ---------------------------------------------------------------------------


def lead_department(case: Case) -> Organisation | None:
    """The department that decides: the lead of the bundle's last stage, or the single matter's own."""
    if case.bundle_version_id is not None:
        return case_source(case).deciding_department
    matter = CaseMatter.objects.filter(case=case).select_related("department").first()
    return matter.department if matter else None


def _decision_errors(case: Case, results: Mapping[int, str]) -> dict[str, str]:
    matters = {row.pk: row.review_approved for row in case_contents(case)[0]}
    approved_by_department = {pk for pk, is_approved in matters.items() if is_approved}
    errors = {f"results.{key}": _("该事项不属于本办件") for key in results if key not in matters}
    for pk in matters:
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
    case = case_lock(case.pk, actor=actor, contents=True)
    lead = _require_lead(actor, case, DECISION_ROLES, _("只有牵头部门的协调人或负责人可以作出联合决定"))
    next_case_status(CaseStatus(case.status), CaseAction.DECIDE)
    errors = _decision_errors(case, results)
    if errors:
        raise InvalidFields(_("联合决定有误，请逐项核对"), errors=errors, code="case_decision_invalid")
    deferral.require_decision_deferrals_met(case, [pk for pk, r in results.items() if r == CaseMatter.Result.APPROVED])
    case.completed_at = timezone.now()
    case.decision_note = (note or "").strip()[:MAX_TEXT]
    with records_together(case):
        for result in DECISION_RESULTS:
            if pks := sorted(pk for pk, r in results.items() if r == result):
                step_write(case, update_statement(CaseMatter, {"result": result}, pks))
        case_move(
            case=case,
            action=CaseAction.DECIDE,
            actor=actor,
            update_fields=("completed_at", "decision_note"),
            organisation=lead,
            note=case.decision_note or _("牵头部门作出联合决定，办件办结"),
            changes={"results": {str(pk): str(result) for pk, result in results.items()}},
        )
    return case


# --- supplements and special procedures (the clock stops) -----------------------------------------


@transaction.atomic
def task_request_supplement(*, actor: User, task: Task, items: Sequence[str], note: str = "") -> Task:
    """Ask the applicant for more material: the task's clock stops until it arrives."""
    task = task_lock(task.pk, actor=actor)
    _require_reviewer(actor, task)
    _require_allowed(task, TaskAction.REQUEST_SUPPLEMENT)
    _take(actor, task)
    wanted = [item.strip()[:MAX_ITEM] for item in items if item and item.strip()]
    if not wanted:
        message = _("请列出需要补充的材料")
        raise InvalidFields(message, errors={"items": message}, code="items_required")
    listing = "；".join(f"{n}. {item}" for n, item in enumerate(wanted, start=1))
    text = _("请补充以下材料：%(items)s。补充期间中止计时。") % {"items": listing}
    if note.strip():
        text = f"{text}{note.strip()}"
    stop = ClockStop.objects.create(
        case=task.case, task=task, reason=ClockStop.Reason.SUPPLEMENT, note=text, first_on=timezone.localdate()
    )
    task_move(
        task=task,
        action=TaskAction.REQUEST_SUPPLEMENT,
        actor=actor,
        update_fields=("assignee",),
        note=text,
        is_public=True,
        changes={"clock_stop_id": stop.pk, "item_count": len(wanted)},
    )
    return task


@transaction.atomic
def task_supplement_received(*, actor: User, task: Task, note: str = "", files: Sequence[UploadedFile] = ()) -> Task:
    """The material arrived (the applicant online, or a clerk at the window): the clock runs again.

    Files are optional (paper material handed in at the window); uploaded ones are kept with the case.
    """
    task = task_lock(task.pk, actor=actor)
    acting = _require_applicant_or_clerk(actor, task)
    _require_allowed(task, TaskAction.RESUME)
    stop = _open_stop(
        task,
        frozenset({ClockStop.Reason.SUPPLEMENT}),
        _("该审查任务没有在等待补充材料"),
        "task_not_awaiting_supplement",
    )
    _store_supplement_files(task.case, stop, files)
    acting_note, acting_changes = acting_record(acting, actor, AgencyAction.SUPPLEMENT)
    if acting is not None and task.case.agent_id != actor.pk:  # the case records the agent who acts
        task.case.agent = actor
        task.case.save(update_fields=["agent"])
    text = _("补充材料已收到，恢复计时。") + (note or "").strip()[:MAX_TEXT] + acting_note
    return _resume(actor=actor, task=task, stop=stop, note=text, today=timezone.localdate(), changes=acting_changes)


def _store_supplement_files(case: Case, stop: ClockStop, files: Sequence[UploadedFile]) -> None:
    name = _("补充材料")
    problems = {f"files.{n}": p for n, f in enumerate(files) if (p := document_problem(f"{name}{n + 1}", f))}
    if problems:
        raise InvalidFields(_("补充材料文件有误"), errors=problems, code="supplement_files_invalid")
    for n, upload in enumerate(files, start=1):
        row = CaseMaterial(
            case=case,
            key=f"supplement-{stop.pk}-{n}",
            name=f"{name}{n}：{PurePath(upload.name or '').name}"[:200],
            sha256=upload_sha256(upload),
            size=upload.size or 0,
            content_type=upload.content_type or "",
            uploaded_at=timezone.now(),
        )
        row.file.save(PurePath(upload.name or row.key).name, upload, save=False)
        row.save()


def _check_procedure(kind: str, expected_end_on: dt.date | None, today: dt.date) -> dict[str, str]:
    errors: dict[str, str] = {}
    if kind not in SPECIAL_PROCEDURES:
        errors["kind"] = _("特别程序只能是听证、检验检测、专家评审或公示")
    if expected_end_on is None:
        errors["expected_end_on"] = _("请填写预计结束日期")
    elif expected_end_on < today:
        errors["expected_end_on"] = _("预计结束日期不能早于今天")
    return errors


@transaction.atomic
def task_start_special_procedure(
    *, actor: User, task: Task, kind: str, reason: str, expected_end_on: dt.date | None
) -> Task:
    """Hearing, testing, expert review or public notice: the clock stops; the applicant is told in writing."""
    task = task_lock(task.pk, actor=actor)
    _require_reviewer(actor, task)
    _require_allowed(task, TaskAction.START_SPECIAL_PROCEDURE)
    _take(actor, task)
    today = timezone.localdate()
    errors = _check_procedure(kind, expected_end_on, today)
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = _("请填写启动特别程序的理由")
    if errors:
        raise InvalidFields(_("特别程序信息不完整"), errors=errors, code="special_procedure_invalid")
    assert expected_end_on is not None  # checked above
    label = ClockStop.Reason(kind).label
    text = _("因%(kind)s中止计时：%(reason)s。预计%(end)s结束，其间不计入办理时限。") % {
        "kind": label,
        "reason": reason[:MAX_TEXT],
        "end": f"{expected_end_on:%Y年%m月%d日}",
    }
    stop = ClockStop.objects.create(
        case=task.case, task=task, reason=kind, note=text, first_on=today, expected_end_on=expected_end_on
    )
    task_move(
        task=task,
        action=TaskAction.START_SPECIAL_PROCEDURE,
        actor=actor,
        update_fields=("assignee",),
        note=text,
        is_public=True,
        changes={"clock_stop_id": stop.pk, "kind": kind, "expected_end_on": expected_end_on.isoformat()},
    )
    return task


@transaction.atomic
def task_end_special_procedure(*, actor: User, task: Task, note: str = "") -> Task:
    """The special procedure is over: the clock runs again and the due date moves by the stopped days."""
    task = task_lock(task.pk, actor=actor)
    _require_reviewer(actor, task)
    _require_allowed(task, TaskAction.RESUME)
    _take(actor, task)
    stop = _open_stop(task, SPECIAL_PROCEDURES, _("该审查任务没有进行中的特别程序"), "task_no_special_procedure")
    text = _("%(kind)s结束，恢复计时。") % {"kind": stop.get_reason_display()} + (note or "").strip()[:MAX_TEXT]
    return _resume(actor=actor, task=task, stop=stop, note=text, today=timezone.localdate())


# --- send back to intake (驳回) --------------------------------------------------------------------


@transaction.atomic
def task_send_back(*, actor: User, task: Task, reason: str) -> Task:
    """驳回: the case returns to intake; every other open task is cancelled; the intake clock restarts."""
    task = task_lock(task.pk, actor=actor)
    _require_reviewer(actor, task)
    _require_allowed(task, TaskAction.SEND_BACK)
    _take(actor, task)
    reason = _text(reason, field="reason", message=_("请填写驳回理由"))
    today = timezone.localdate()
    task.opinion = reason
    task.decided_at = timezone.now()
    with records_together(task.case):
        task_move(
            task=task,
            action=TaskAction.SEND_BACK,
            actor=actor,
            update_fields=("assignee", "opinion", "decided_at"),
            note=reason,
        )
        _cancel_open_tasks(actor=actor, case=task.case, today=today)
        _case_back_to_intake(actor=actor, task=task, reason=reason, today=today)
    return task


def _cancel_open_tasks(*, actor: User, case: Case, today: dt.date) -> None:
    for other in Task.objects.select_for_update().filter(case=case, status__in=OPEN_TASK_STATUSES):
        other.case = case
        task_move(task=other, action=TaskAction.CANCEL, actor=actor, note=_("办件已驳回至受理环节，本任务取消"))
    for stop in ClockStop.objects.filter(case=case, task__isnull=False, last_on__isnull=True):
        stop.last_on = _stop_ends_on(stop.first_on, today)
        stop.save(update_fields=["last_on"])


def _case_back_to_intake(*, actor: User, task: Task, reason: str, today: dt.date) -> None:
    case = task.case
    case.received_on = today
    case.intake_due_on = domain.intake_due_on(today, case_calendar(case))
    case.current_stage = 0
    case.due_on = None
    case.warning_level = domain.WarningLevel.NORMAL
    case_move(
        case=case,
        action=CaseAction.SEND_BACK,
        actor=actor,
        update_fields=("received_on", "intake_due_on", "current_stage", "due_on", "warning_level"),
        organisation=task.department,
        note=_("审查部门驳回至受理环节：%(reason)s") % {"reason": reason},
        changes={"task_id": task.pk},
    )


# --- extensions (延期) -----------------------------------------------------------------------------


@transaction.atomic
def task_extension_request(*, actor: User, task: Task, days: int = domain.TASK_EXTENSION_DAYS, reason: str) -> Task:
    """The assignee asks for more time; the department head approves (once per task)."""
    task = task_lock(task.pk, actor=actor)
    _require_reviewer(actor, task)
    _require_open(task)
    _take(actor, task)
    reason = _text(reason, field="reason", message=_("请填写延期理由"))
    if not 1 <= days <= domain.TASK_EXTENSION_DAYS:
        message = _("延期天数应在 1 至 %(n)s 个工作日之间") % {"n": domain.TASK_EXTENSION_DAYS}
        raise InvalidFields(message, errors={"days": message}, code="task_extension_days_invalid")
    _require_no_extension(task)
    task.extension_requested_days = days
    task.save(update_fields=["assignee", "extension_requested_days"])
    case_record(
        case=task.case,
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
    task = task_lock(task.pk, actor=actor)
    _require_head(actor, task)
    _require_open(task)
    if task.extension_days:
        raise Conflict(_("每项审查任务只能延期一次，该任务已延期"), code="task_extension_once")
    if not task.extension_requested_days:
        raise Conflict(_("该任务没有待审批的延期申请"), code="task_extension_not_requested")
    task.extension_days, task.extension_requested_days = task.extension_requested_days, 0
    task.due_on = _task_due_on(task, case_calendar(task.case))
    task.save(update_fields=["extension_days", "extension_requested_days", "due_on"])
    case_record(
        case=task.case,
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
    case = case_lock(case.pk, actor=actor)
    lead = _require_lead(actor, case, frozenset({Role.DEPARTMENT_HEAD}), _("只有牵头部门的负责人可以批准办件延期"))
    if case.status not in {CaseStatus.IN_REVIEW, CaseStatus.AWAITING_DECISION}:
        label = domain.CASE_STATUS_LABELS[CaseStatus(case.status)]
        raise TransitionNotAllowed(_("办件当前状态为“%(status)s”，不能延期") % {"status": label})
    reason = _text(reason, field="reason", message=_("请填写延期理由"))
    if case.extension_days:
        raise Conflict(_("办件只能延期一次，该办件已延期"), code="case_extension_once")
    case.extension_days = domain.case_extension_days(matter_count=CaseMatter.objects.filter(case=case).count())
    case.due_on = _case_due_on(case, case_calendar(case))
    case.save(update_fields=["extension_days", "due_on"])
    case_record(
        case=case,
        action="case_extension_approve",
        actor=actor,
        organisation=lead,
        from_status=case.status,
        note=_("办理期限延长 %(n)s 个工作日：%(reason)s") % {"n": case.extension_days, "reason": reason},
        changes={"days": case.extension_days, "due_on": case.due_on.isoformat() if case.due_on else None},
    )
    return case
