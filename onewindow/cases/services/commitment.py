"""告知承诺 with consequences: what follows an approval on the applicant's signed commitment.

- The post-check (承诺核查) finds 符合 (closed) or 不符合 with its finding: the applicant is ordered to
  rectify within the matter version's deadline (整改期限, working days) and a re-check task (整改复查)
  opens for the department.
- The applicant (or a clerk of the region) reports the rectification done. The re-check comes after
  that report or after the deadline: 符合 closes it; 不符合 revokes the approval.
- A false commitment (虚假承诺), found at the post-check or the re-check, revokes the approval at once
  and enters the applicant's credit record.
- A revocation (撤销) moves the case to `revoked` with its reason, legal basis and the remedies
  (行政复议 within 60 days, 行政诉讼 within 6 months), turns the matters' results to `revoked`
  and cancels the case's other open checks.

Each use case: `task_lock` (the case, then the task), who may act, the rules, then the moves
(`task_move` / `case_move` write the timeline rows and audit events); the applicant is told after
commit (`notify_send`) and on the case page (public timeline rows, `selectors.commitment`).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from onewindow import clock
from onewindow.cases import domain
from onewindow.cases.domain import OPEN_TASK_STATUSES, CaseAction, CaseStatus, TaskAction
from onewindow.cases.models import Case, CaseMatter, CreditRecord, Revocation, Task, TimelineEntry
from onewindow.cases.selectors.commitment import REPORT_ACTION
from onewindow.cases.services.intake.files import store_numbered_files
from onewindow.cases.services.locking import LockedCase, task_lock
from onewindow.cases.services.review.checks import (
    MAX_TEXT,
    require_allowed,
    require_open,
    require_reviewer,
    take,
    task_refusal,
)
from onewindow.cases.services.transitions import case_move, case_record, task_move, task_open_records
from onewindow.cases.sources import case_source
from onewindow.errors import Conflict, InvalidFields
from onewindow.notify.services import notify_send
from onewindow.orgs.domain import Role
from onewindow.orgs.models import User
from onewindow.orgs.selectors import holds_role_over

CHECK_KINDS = frozenset({Task.Kind.POST_CHECK, Task.Kind.RECHECK})
NOTIFY_TOPIC = "cases.commitment"


# --- checks ---------------------------------------------------------------------------------------


def _require_check(task: Task, kinds: frozenset[str] = CHECK_KINDS) -> None:
    if task.kind not in kinds:
        message = _("该任务不是整改复查任务") if kinds == {Task.Kind.RECHECK} else _("该任务不是承诺核查任务")
        raise Conflict(message, code="task_not_check")


def _require_revocable(case: Case) -> None:
    domain.next_case_status(CaseStatus(case.status), CaseAction.REVOKE)  # TransitionNotAllowed otherwise


def _is_reported(task: Task) -> bool:
    return TimelineEntry.objects.filter(task=task, action=REPORT_ACTION).exists()


def _require_recheck_due(task: Task) -> None:
    today = clock.today()
    if not domain.may_recheck(today=today, due_on=task.due_on, reported=_is_reported(task)):
        raise Conflict(
            _("整改期限至 %(due)s，申请人报告整改完成或期限届满后方可复查") % {"due": f"{task.due_on:%Y-%m-%d}"},
            code="recheck_not_due",
        )


def _required_texts(**texts: tuple[str, str]) -> dict[str, str]:
    """{field: stripped text} for `field=(value, message if blank)`; every blank or too long one at once."""
    errors: dict[str, str] = {}
    cleaned: dict[str, str] = {}
    for name, (value, message) in texts.items():
        cleaned[name] = (value or "").strip()
        if not cleaned[name]:
            errors[name] = message
        elif len(cleaned[name]) > MAX_TEXT:
            errors[name] = _("不能超过 %(n)s 个字") % {"n": MAX_TEXT}
    if errors:
        raise InvalidFields(next(iter(errors.values())), errors=errors, code="text_required")
    return cleaned


def _tell_applicant(case: Case, *, subject: str, body: str, key: str) -> None:
    """An SMS to the applicant's account after commit (an applicant filed for at the window may have no
    account: the case page, and the clerk, tell them)."""
    recipient = case.applicant.user
    if recipient is not None:
        transaction.on_commit(
            lambda: notify_send(recipient=recipient, subject=subject, body=body, topic=NOTIFY_TOPIC, dedupe_key=key)
        )


# --- the post-check and the re-check ----------------------------------------------------------------


@transaction.atomic
def task_check_conform(*, actor: User, task: Task, note: str = "") -> Task:
    """符合: the commitment holds (a re-check: the rectification is done); the check is closed."""
    locked = task_lock(task.pk, actor=actor)
    task = locked.locked_task
    require_reviewer(actor, task)
    _require_check(task)
    require_allowed(task, TaskAction.CONFORM)
    if task.kind == Task.Kind.RECHECK:
        _require_recheck_due(task)
    take(actor, task)
    text = (note or "").strip()[:MAX_TEXT]
    task.opinion, task.decided_at = text, clock.now()
    done = _("整改复查符合，整改完成") if task.kind == Task.Kind.RECHECK else _("核查符合承诺")
    task_move(
        locked=locked,
        action=TaskAction.CONFORM,
        actor=actor,
        update_fields=("assignee", "opinion", "decided_at"),
        note=f"{done}。{text}" if text else done,
        is_public=True,
    )
    return task


@transaction.atomic
def task_check_not_conform(*, actor: User, task: Task, finding: str, legal_basis: str = "") -> Task:
    """不符合, with the finding: a post-check orders rectification; a re-check revokes the approval."""
    locked = task_lock(task.pk, actor=actor)
    task = locked.locked_task
    require_reviewer(actor, task)
    _require_check(task)
    require_allowed(task, TaskAction.NOT_CONFORM)
    if task.kind == Task.Kind.POST_CHECK:
        text = _required_texts(finding=(finding, _("请写明核查发现的不符合承诺之处")))
        take(actor, task)
        return _order_rectification(locked, actor=actor, finding=text["finding"])
    _require_recheck_due(task)
    _require_revocable(task.case)
    texts = _required_texts(
        finding=(finding, _("请写明复查发现的问题")), legal_basis=(legal_basis, _("请填写撤销许可的法律依据"))
    )
    take(actor, task)
    reason = _("逾期未整改或者整改后仍不符合承诺的条件：%(finding)s") % {"finding": texts["finding"]}
    return _revoke(locked, actor=actor, action=TaskAction.NOT_CONFORM, reason=reason, legal_basis=texts["legal_basis"])


def _rectification_days(task: Task) -> int:
    """The deadline of the matter version the case was filed under."""
    version_id = CaseMatter.objects.filter(pk=task.case_matter_id).values_list("matter_version_id", flat=True).get()
    return case_source(task.case).matter_version(version_id).rectification_days


def _order_rectification(locked: LockedCase, *, actor: User, finding: str) -> Task:
    case, task, today = locked.case, locked.locked_task, clock.today()
    days = _rectification_days(task)
    due_on = domain.rectification_due_on(today, days, locked.calendar)
    task.opinion, task.decided_at = finding, clock.now()
    note = _(
        "核查不符合承诺：%(finding)s。责令于 %(due)s 前整改（整改期限 %(days)s 个工作日）；"
        "整改完成后请报告，部门将复查，逾期未整改或者整改后仍不符合的，依法撤销许可。"
    ) % {"finding": finding, "due": f"{due_on:%Y-%m-%d}", "days": days}
    task_move(
        locked=locked,
        action=TaskAction.NOT_CONFORM,
        actor=actor,
        update_fields=("assignee", "opinion", "decided_at"),
        note=note,
        is_public=True,
        changes={"rectification_due_on": due_on.isoformat(), "rectification_days": days},
    )
    recheck = Task.objects.create(
        case=case,
        case_matter_id=task.case_matter_id,
        department=task.department,
        kind=Task.Kind.RECHECK,
        stage=task.stage,
        started_on=today,
        limit_days=days,
        due_on=due_on,
        is_green_channel=case.is_green_channel,
    )
    task_open_records(
        locked=locked,
        tasks=[recheck],
        actor=actor,
        notes=[_("整改复查：整改期限至 %(due)s") % {"due": f"{due_on:%Y-%m-%d}"}],
        changes=[{"kind": Task.Kind.RECHECK.value, "due_on": due_on.isoformat()}],
    )
    subject = _("告知承诺核查不符合，请限期整改")
    _tell_applicant(case, subject=subject, body=f"【{case.number}】{note}", key=f"{NOTIFY_TOPIC}:rectify:{task.pk}")
    return task


# --- a false commitment and the revocation ----------------------------------------------------------


@transaction.atomic
def task_find_false_commitment(*, actor: User, task: Task, finding: str, legal_basis: str) -> Task:
    """虚假承诺: the approval is revoked at once and the applicant's credit record notes it."""
    locked = task_lock(task.pk, actor=actor)
    task = locked.locked_task
    require_reviewer(actor, task)
    _require_check(task)
    require_allowed(task, TaskAction.FIND_FALSE_COMMITMENT)
    _require_revocable(task.case)
    texts = _required_texts(
        finding=(finding, _("请写明承诺不实的事实")), legal_basis=(legal_basis, _("请填写撤销许可的法律依据"))
    )
    take(actor, task)
    reason = _("申请人作出虚假承诺：%(finding)s") % {"finding": texts["finding"]}
    return _revoke(
        locked,
        actor=actor,
        action=TaskAction.FIND_FALSE_COMMITMENT,
        reason=reason,
        legal_basis=texts["legal_basis"],
        false_commitment=texts["finding"],
    )


def _revoke(
    locked: LockedCase, *, actor: User, action: TaskAction, reason: str, legal_basis: str, false_commitment: str = ""
) -> Task:
    """The check's finding closes it; the case is revoked, its matters' results with it, its other
    checks cancelled; a false commitment enters the credit record."""
    case, task, now = locked.case, locked.locked_task, clock.now()
    task.opinion, task.decided_at = reason, now
    revocation = Revocation.objects.create(
        case=case,
        task=task,
        is_false_commitment=bool(false_commitment),
        reason=reason,
        legal_basis=legal_basis,
        remedies=domain.REVOCATION_REMEDIES,
        decided_by=actor,
        decided_at=now,
    )
    case.matters.update(result=CaseMatter.Result.REVOKED)
    credit = _credit_record(case, actor, false_commitment) if false_commitment else None
    note = _("撤销许可。理由：%(reason)s；法律依据：%(basis)s。%(remedies)s") % {
        "reason": reason,
        "basis": legal_basis,
        "remedies": revocation.remedies,
    }
    task_move(
        locked=locked,
        action=action,
        actor=actor,
        update_fields=("assignee", "opinion", "decided_at"),
        note=reason,
        is_public=True,
    )
    _cancel_other_checks(locked, actor)
    case_move(
        locked=locked,
        action=CaseAction.REVOKE,
        actor=actor,
        organisation=task.department,
        note=note,
        changes={
            "revocation_id": revocation.pk,
            "task_id": task.pk,
            "false_commitment": revocation.is_false_commitment,
            **({"credit_record_id": credit.pk} if credit else {}),
        },
    )
    body = f"【{case.number}】{note}"
    _tell_applicant(case, subject=_("撤销行政许可决定"), body=body, key=f"{NOTIFY_TOPIC}:revoke:{case.pk}")
    return task


def _cancel_other_checks(locked: LockedCase, actor: User) -> None:
    """Other departments' open checks of the revoked case end with it."""
    task = locked.locked_task
    open_checks = Task.objects.filter(case=task.case, status__in=OPEN_TASK_STATUSES).exclude(pk=task.pk)
    others = open_checks.select_for_update(of=("self",))
    for other in others.select_related("department__parent"):
        other.case = task.case
        note = _("许可已撤销，本核查任务取消")
        task_move(locked=locked, task=other, action=TaskAction.CANCEL, actor=actor, note=note)


def _credit_record(case: Case, actor: User, finding: str) -> CreditRecord:
    return CreditRecord.objects.create(
        applicant_id=case.applicant_id,
        case=case,
        recorded_on=clock.today(),
        kind=CreditRecord.Kind.FALSE_COMMITMENT,
        note=finding,
        recorded_by=actor,
    )


# --- the applicant reports the rectification done ---------------------------------------------------


def _require_applicant_or_clerk(actor: User, task: Task) -> None:
    case = task.case
    if case.applicant.user_id == actor.pk or holds_role_over(actor, case.region, frozenset({Role.CLERK})):
        return
    message = _("只有申请人本人或受理地窗口人员可以报告整改情况")
    raise task_refusal(actor, task, message, "task_not_applicant_or_clerk")


@transaction.atomic
def task_report_rectification(*, actor: User, task: Task, note: str, files: Sequence[UploadedFile] = ()) -> Task:
    """The applicant (online, or through a clerk at the window) reports the rectification done: the
    department may re-check before the deadline. Files (evidence) are optional and kept with the case."""
    locked = task_lock(task.pk, actor=actor)
    task = locked.locked_task
    _require_applicant_or_clerk(actor, task)
    _require_check(task, frozenset({Task.Kind.RECHECK}))
    require_open(task)
    if _is_reported(task):
        raise Conflict(_("已报告整改完成，请等待部门复查"), code="rectification_already_reported")
    text = _required_texts(note=(note, _("请说明整改情况")))["note"]
    _store_files(task, files)
    case_record(
        locked=locked,
        action=REPORT_ACTION,
        actor=actor,
        organisation=task.department,
        from_status=task.status,
        task=task,
        note=_("报告整改完成：%(note)s") % {"note": text},
        is_public=True,
        changes={"file_count": len(files)},
    )
    return task


def _store_files(task: Task, files: Sequence[UploadedFile]) -> None:
    refusal = (_("整改材料文件有误"), "rectification_files_invalid")
    store_numbered_files(task.case, files, name=_("整改材料"), key_prefix=f"rectification-{task.pk}", refusal=refusal)
