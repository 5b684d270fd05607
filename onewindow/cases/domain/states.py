"""The states of a case and of a task, the transitions between them, their labels, and the stage join."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from onewindow.errors import Conflict


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
