"""The rules of a case (办件), from intake to the joint decision: pure, no Django, no clock.

行政许可法 (Administrative Licensing Law) articles behind the rules:
- Art. 32: materials incomplete → the applicant is told ALL corrections at once within 5 working
  days; told nothing in time, the application counts as accepted from the day the materials arrived.
- Art. 42: decision within 20 working days (extendable once by 10 with approval); joint handling by
  several departments 45 working days (extendable by 15). The centre may promise shorter limits.
- Art. 45: hearings, testing, expert review, public notice and the like stop the clock, and the
  applicant is told in writing; the platform also stops it while it waits for the applicant.
- Art. 82: limits are counted in working days (see onewindow.workdays.domain).
- 容缺受理 (local rules, not an article of this law): a material deferred at acceptance is owed until
  handed in; the applicant is reminded before its due date, and an approval waits for an overdue one
  unless the matter version says otherwise (`MatterVersion.deferral_blocks_decision`).
- Art. 69: an approval obtained by deception (a false commitment, 虚假承诺) is revoked; so is one whose
  holder does not meet the conditions they committed to and does not rectify in time (告知承诺制, State
  Council policy). A revocation states its reason, its legal basis and the remedies (行政复议 within 60
  days, 行政诉讼 within 6 months).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from onewindow.errors import Conflict
from onewindow.workdays.domain import (
    Suspension,
    WorkCalendar,
    add_working_days,
    subtract_working_days,
    working_days_between,
)

INTAKE_LIMIT_DAYS = 5  # Art. 32
SINGLE_LIMIT_DAYS, SINGLE_EXTENSION_DAYS = 20, 10  # Art. 42 (1)
JOINT_LIMIT_DAYS, JOINT_EXTENSION_DAYS = 45, 15  # Art. 42 (2)
TASK_EXTENSION_DAYS = 10
YELLOW_SHARE = 0.2  # yellow when at most this share of the limit is left
GREEN_CHANNEL_SHARE = 0.5  # key projects run on this share of the promised limit


class CaseStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"  # 待受理: the intake clock runs
    CORRECTION = "correction"  # 待补正: the one-time notice went out; waiting for the applicant
    IN_REVIEW = "in_review"  # 审查中: accepted, stages running
    AWAITING_DECISION = "awaiting_decision"  # 待决定: every task decided; the lead department decides
    COMPLETED = "completed"  # 办结
    REFUSED = "refused"  # 不予受理
    WITHDRAWN = "withdrawn"  # 已撤回
    REVOKED = "revoked"  # 已撤销: an approval on commitment revoked after its check


class CaseAction(StrEnum):
    SUBMIT = "submit"
    REQUEST_CORRECTION = "request_correction"
    RESUBMIT = "resubmit"
    ACCEPT = "accept"
    ACCEPT_DEEMED = "accept_deemed"
    ACCEPT_WITH_DEFERRAL = "accept_with_deferral"
    APPROVE_ON_COMMITMENT = "approve_on_commitment"
    REFUSE = "refuse"
    SEND_BACK = "send_back"
    FINISH_REVIEW = "finish_review"
    DECIDE = "decide"
    WITHDRAW = "withdraw"
    REVOKE = "revoke"


OPEN_CASE_STATUSES = frozenset(
    {CaseStatus.SUBMITTED, CaseStatus.CORRECTION, CaseStatus.IN_REVIEW, CaseStatus.AWAITING_DECISION}
)

CASE_TRANSITIONS: dict[tuple[CaseStatus, CaseAction], CaseStatus] = {
    (CaseStatus.DRAFT, CaseAction.SUBMIT): CaseStatus.SUBMITTED,
    (CaseStatus.SUBMITTED, CaseAction.REQUEST_CORRECTION): CaseStatus.CORRECTION,
    (CaseStatus.CORRECTION, CaseAction.RESUBMIT): CaseStatus.SUBMITTED,
    (CaseStatus.SUBMITTED, CaseAction.ACCEPT): CaseStatus.IN_REVIEW,
    (CaseStatus.SUBMITTED, CaseAction.ACCEPT_DEEMED): CaseStatus.IN_REVIEW,
    (CaseStatus.SUBMITTED, CaseAction.ACCEPT_WITH_DEFERRAL): CaseStatus.IN_REVIEW,
    (CaseStatus.SUBMITTED, CaseAction.APPROVE_ON_COMMITMENT): CaseStatus.COMPLETED,
    (CaseStatus.SUBMITTED, CaseAction.REFUSE): CaseStatus.REFUSED,
    (CaseStatus.IN_REVIEW, CaseAction.SEND_BACK): CaseStatus.SUBMITTED,
    (CaseStatus.IN_REVIEW, CaseAction.FINISH_REVIEW): CaseStatus.AWAITING_DECISION,
    (CaseStatus.AWAITING_DECISION, CaseAction.DECIDE): CaseStatus.COMPLETED,
    **{(status, CaseAction.WITHDRAW): CaseStatus.WITHDRAWN for status in OPEN_CASE_STATUSES},
    (CaseStatus.COMPLETED, CaseAction.REVOKE): CaseStatus.REVOKED,
}


class TaskStatus(StrEnum):
    OPEN = "open"  # 待办
    SUSPENDED = "suspended"  # clock stopped: supplement or special procedure
    APPROVED = "approved"
    REJECTED = "rejected"
    SENT_BACK = "sent_back"
    CANCELLED = "cancelled"


class TaskAction(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"
    REQUEST_SUPPLEMENT = "request_supplement"
    START_SPECIAL_PROCEDURE = "start_special_procedure"
    RESUME = "resume"
    SEND_BACK = "send_back"
    CANCEL = "cancel"
    # A post-check or re-check of a commitment (告知承诺) records a finding, not an opinion.
    CONFORM = "conform"
    NOT_CONFORM = "not_conform"
    FIND_FALSE_COMMITMENT = "find_false_commitment"


DECIDED_TASK_STATUSES = frozenset({TaskStatus.APPROVED, TaskStatus.REJECTED})
OPEN_TASK_STATUSES = frozenset({TaskStatus.OPEN, TaskStatus.SUSPENDED})

TASK_TRANSITIONS: dict[tuple[TaskStatus, TaskAction], TaskStatus] = {
    (TaskStatus.OPEN, TaskAction.APPROVE): TaskStatus.APPROVED,
    (TaskStatus.OPEN, TaskAction.REJECT): TaskStatus.REJECTED,
    (TaskStatus.OPEN, TaskAction.REQUEST_SUPPLEMENT): TaskStatus.SUSPENDED,
    (TaskStatus.OPEN, TaskAction.START_SPECIAL_PROCEDURE): TaskStatus.SUSPENDED,
    (TaskStatus.SUSPENDED, TaskAction.RESUME): TaskStatus.OPEN,
    (TaskStatus.OPEN, TaskAction.SEND_BACK): TaskStatus.SENT_BACK,
    **{(status, TaskAction.CANCEL): TaskStatus.CANCELLED for status in OPEN_TASK_STATUSES},
    (TaskStatus.OPEN, TaskAction.CONFORM): TaskStatus.APPROVED,
    (TaskStatus.OPEN, TaskAction.NOT_CONFORM): TaskStatus.REJECTED,
    (TaskStatus.OPEN, TaskAction.FIND_FALSE_COMMITMENT): TaskStatus.REJECTED,
}

CASE_STATUS_LABELS = {
    CaseStatus.DRAFT: "草稿",
    CaseStatus.SUBMITTED: "待受理",
    CaseStatus.CORRECTION: "待补正",
    CaseStatus.IN_REVIEW: "审查中",
    CaseStatus.AWAITING_DECISION: "待决定",
    CaseStatus.COMPLETED: "已办结",
    CaseStatus.REFUSED: "不予受理",
    CaseStatus.WITHDRAWN: "已撤回",
    CaseStatus.REVOKED: "已撤销",
}
TASK_STATUS_LABELS = {
    TaskStatus.OPEN: "待办",
    TaskStatus.SUSPENDED: "中止计时",
    TaskStatus.APPROVED: "同意",
    TaskStatus.REJECTED: "不同意",
    TaskStatus.SENT_BACK: "已驳回",
    TaskStatus.CANCELLED: "已取消",
}
# A check speaks of findings: 符合 / 不符合, never 同意 / 不同意.
CHECK_STATUS_LABELS = {TaskStatus.APPROVED: "符合", TaskStatus.REJECTED: "不符合"}


def task_status_label(status: TaskStatus, *, is_check: bool) -> str:
    return CHECK_STATUS_LABELS.get(status, TASK_STATUS_LABELS[status]) if is_check else TASK_STATUS_LABELS[status]


class TransitionNotAllowed(Conflict):
    code = "transition_not_allowed"


def next_case_status(status: CaseStatus, action: CaseAction) -> CaseStatus:
    try:
        return CASE_TRANSITIONS[(status, action)]
    except KeyError:
        raise TransitionNotAllowed(
            f"办件当前状态为“{CASE_STATUS_LABELS[status]}”，不能执行该操作，请刷新后查看最新状态"
        ) from None


def next_task_status(status: TaskStatus, action: TaskAction) -> TaskStatus:
    try:
        return TASK_TRANSITIONS[(status, action)]
    except KeyError:
        raise TransitionNotAllowed(
            f"该审查任务当前状态为“{TASK_STATUS_LABELS[status]}”，不能执行该操作，可能已被他人处理"
        ) from None


class StageOutcome(StrEnum):
    PENDING = "pending"
    ALL_APPROVED = "all_approved"
    SOME_REJECTED = "some_rejected"


def review_outcome(statuses: Iterable[TaskStatus]) -> StageOutcome:
    """The parallel join: a stage is done when every task in it is decided."""
    live = [s for s in statuses if s not in {TaskStatus.CANCELLED, TaskStatus.SENT_BACK}]
    if not live or any(s not in DECIDED_TASK_STATUSES for s in live):
        return StageOutcome.PENDING
    return StageOutcome.ALL_APPROVED if all(s == TaskStatus.APPROVED for s in live) else StageOutcome.SOME_REJECTED


class WarningLevel(StrEnum):
    NORMAL = "normal"
    YELLOW = "yellow"
    RED = "red"


WARNING_LABELS = {WarningLevel.NORMAL: "正常", WarningLevel.YELLOW: "黄灯预警", WarningLevel.RED: "红灯超期"}


def warning_level(remaining_days: int, limit_days: int, *, yellow_share: float = YELLOW_SHARE) -> WarningLevel:
    """Red when overdue; yellow when at most `yellow_share` of the limit is left (the last day included)."""
    if remaining_days < 0:
        return WarningLevel.RED
    if remaining_days <= limit_days * yellow_share:
        return WarningLevel.YELLOW
    return WarningLevel.NORMAL


def remaining_working_days(
    today: dt.date, due_on: dt.date, calendar: WorkCalendar, suspensions: Iterable[Suspension] = ()
) -> int:
    """Working days left until the end of `due_on`; negative once overdue. Suspended days never count."""
    if today <= due_on:
        return working_days_between(today, due_on, calendar, suspensions).working_days
    return -working_days_between(due_on, today, calendar, suspensions).working_days


def green_channel_limit(limit_days: int, *, share: float = GREEN_CHANNEL_SHARE) -> int:
    """A key project's shorter limit: a share of the promised limit, at least one day (0 stays 0)."""
    return 0 if limit_days == 0 else max(1, math.ceil(limit_days * share))


def case_limit_days(*, matter_count: int, statutory_days: Iterable[int]) -> int:
    """A case's own limit: the joint limit when several departments handle it (Art. 42)."""
    if matter_count > 1:
        return JOINT_LIMIT_DAYS
    return max(statutory_days, default=SINGLE_LIMIT_DAYS) or SINGLE_LIMIT_DAYS


def case_extension_days(*, matter_count: int) -> int:
    return JOINT_EXTENSION_DAYS if matter_count > 1 else SINGLE_EXTENSION_DAYS


@dataclass(frozen=True)
class Clock:
    """A limit counted from a start, pushed later by every suspension (Art. 45)."""

    started_on: dt.date
    limit_days: int
    suspensions: tuple[Suspension, ...] = ()

    def due_on(self, calendar: WorkCalendar) -> dt.date:
        return add_working_days(self.started_on, self.limit_days, calendar, self.suspensions).on


def intake_due_on(received_on: dt.date, calendar: WorkCalendar) -> dt.date:
    """The last day to accept, refuse or send the one-time correction notice (Art. 32)."""
    return add_working_days(received_on, INTAKE_LIMIT_DAYS, calendar).on


def is_deemed_accepted(received_on: dt.date, today: dt.date, calendar: WorkCalendar) -> bool:
    """No notice within 5 working days: the case counts as accepted from the day materials arrived."""
    return today > intake_due_on(received_on, calendar)


class IntakeLimitPassed(Conflict):
    code = "intake_limit_passed"


def deemed_accepted_on(
    status: CaseStatus, received_on: dt.date | None, today: dt.date, calendar: WorkCalendar
) -> dt.date | None:
    """Art. 32 whenever anyone acts or looks: a submitted case whose 5 working days passed without a
    decision is accepted in law from the day its materials arrived. That day, or None while the
    clerk still has time (or the case is not waiting for the intake decision)."""
    if status != CaseStatus.SUBMITTED or received_on is None:
        return None
    return received_on if is_deemed_accepted(received_on, today, calendar) else None


# What an intake step becomes once the limit has passed: any acceptance is recorded as deemed.
ACCEPTANCES = frozenset({CaseAction.ACCEPT, CaseAction.ACCEPT_WITH_DEFERRAL, CaseAction.ACCEPT_DEEMED})


def intake_action_after_limit(action: CaseAction, *, received_on: dt.date, calendar: WorkCalendar) -> CaseAction:
    """Past the limit the clerk can only accept, and the acceptance is the deemed one (Art. 32); a
    correction notice, a refusal or an approval on commitment can no longer be given."""
    if action in ACCEPTANCES:
        return CaseAction.ACCEPT_DEEMED
    raise IntakeLimitPassed(
        f"受理期限（{intake_due_on(received_on, calendar):%Y-%m-%d}）已过：依《行政许可法》第三十二条，"
        f"本件自收到申请材料之日（{received_on:%Y-%m-%d}）起即为受理，"
        "不能再一次性告知补正、不予受理或告知承诺，只能办理受理"
    )


def deemed_acceptance_note(received_on: dt.date, calendar: WorkCalendar) -> str:
    return (
        f"受理期限 {intake_due_on(received_on, calendar):%Y-%m-%d} 届满未作处理，依《行政许可法》第三十二条，"
        f"视为自收到申请材料之日（{received_on:%Y-%m-%d}）起受理"
    )


# --- 容缺受理 follow-through (local rules, not an article of the law) ---------------------------------

# A deferred material may still be handed in, and is still owed, while the case is open or once decided.
OWING_STATUSES = frozenset(OPEN_CASE_STATUSES | {CaseStatus.COMPLETED})
DEFERRED_REMINDER_DAYS = (3, 1)  # the applicant is reminded this many working days before the due date
REMINDER_HORIZON_DAYS = 31  # no reminder day lies further ahead (the longest holidays last about nine days)


@dataclass(frozen=True)
class OwedMaterial:
    """A material deferred at acceptance (容缺) and not handed in yet."""

    key: str
    name: str
    due_on: dt.date

    def is_overdue(self, today: dt.date) -> bool:
        """Due by the end of its due day."""
        return today > self.due_on


class DeferredMaterialOverdue(Conflict):
    code = "deferred_material_overdue"


def deferred_reminder_on(due_on: dt.date, today: dt.date, calendar: WorkCalendar) -> dt.date | None:
    """The reminder day whose reminder is due today: the latest reminder day on or before today, up to
    the due date itself, so that a reminder missed while the job was down still goes out in time."""
    if today > due_on or (due_on - today).days > REMINDER_HORIZON_DAYS:
        return None
    days = [subtract_working_days(due_on, n, calendar).on for n in DEFERRED_REMINDER_DAYS]
    return max((day for day in days if day <= today), default=None)


def require_no_overdue_deferral(owed: Iterable[OwedMaterial], today: dt.date) -> None:
    """An approval waits for every deferred material it depends on that is overdue (`owed`: those)."""
    overdue = sorted((m for m in owed if m.is_overdue(today)), key=lambda m: (m.due_on, m.key))
    if overdue:
        listed = "、".join(f"“{m.name}”（补交期限 {m.due_on:%Y-%m-%d}）" for m in overdue)
        raise DeferredMaterialOverdue(
            f"容缺材料{listed}逾期未补交，不能作出准予许可的决定：请待申请人补交后再决定，或作出不予许可的决定"
        )


def case_number(region_code: str, on: dt.date, sequence: int) -> str:
    """Readable and unique: region code, date, and the day's sequence in that region."""
    return f"{region_code}-{on:%Y%m%d}-{sequence:05d}"


def frozen_remaining_days(
    today: dt.date,
    due_on: dt.date,
    calendar: WorkCalendar,
    suspensions: Iterable[Suspension] = (),
    stopped_since: dt.date | None = None,
) -> int:
    """Remaining working days; while a clock stop is open they stay as they were on its first day (Art. 45)."""
    as_of = today if stopped_since is None else min(today, stopped_since)
    return remaining_working_days(as_of, due_on, calendar, suspensions)


# --- 会签 (countersigning) ---------------------------------------------------------------------------


class CountersignOutcome(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


def countersign_outcome(*, required: int, named: Iterable[int], opinions: Mapping[int, bool]) -> CountersignOutcome:
    """A countersigned task: any disagreement rejects it; it is approved once `required` reviewers
    agreed, every named signer (加签) among them. `opinions`: reviewer → agreed."""
    if not all(opinions.values()):
        return CountersignOutcome.REJECTED
    if len(opinions) >= required and set(named) <= set(opinions):
        return CountersignOutcome.APPROVED
    return CountersignOutcome.PENDING


def signoffs_remaining(*, required: int, named: Iterable[int], opinions: Mapping[int, bool]) -> int:
    """How many more sign-offs the task waits for (the named signers who have not signed among them)."""
    unsigned_named = len(set(named) - set(opinions))
    return max(required - len(opinions), unsigned_named)


# --- 告知承诺: checks, rectification, revocation -------------------------------------------------------

REVOCATION_REMEDIES = "如不服本决定，可以自收到本决定之日起六十日内依法申请行政复议，或者六个月内依法提起行政诉讼。"


def rectification_due_on(ordered_on: dt.date, days: int, calendar: WorkCalendar) -> dt.date:
    """The last day to rectify after a failed post-check: `days` working days after the order."""
    return add_working_days(ordered_on, days, calendar).on


def may_recheck(*, today: dt.date, due_on: dt.date, reported: bool) -> bool:
    """A re-check comes after the applicant reports the rectification done, or after the deadline."""
    return reported or today > due_on
