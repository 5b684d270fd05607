"""Parallel review (推送相关、同步审核): claims, decisions, 会签, clock stops, extensions, the join, the decision.

Every service is one use case: keyword-only, one transaction, `locking.task_lock` / `case_lock` first
(the case row, then the task), the permission check (`checks`), then the transition through
`transitions.task_move` / `case_move`, which write the timeline row and the audit event. A step that
changes no status (a claim, a 会签 opinion, an extension) writes them through `case_record`.

- assignment.py: 领办, 分办, 转办
- decisions.py:  同意 / 不同意 with 会签, the stage join, the joint decision
- clocks.py:     supplements and special procedures (the clock stops, Art. 45) and the due dates
- send_back.py:  驳回 to intake
- extensions.py: 延期 of a task and of the case
"""

from onewindow.cases.services.review.assignment import task_assign, task_claim, task_transfer
from onewindow.cases.services.review.checks import DECISION_ROLES, MAX_TEXT, REVIEW_ROLES
from onewindow.cases.services.review.clocks import (
    SPECIAL_PROCEDURES,
    task_end_special_procedure,
    task_request_supplement,
    task_start_special_procedure,
    task_supplement_received,
)
from onewindow.cases.services.review.decisions import (
    DECISION_RESULTS,
    case_decide,
    stage_release,
    task_approve,
    task_reject,
)
from onewindow.cases.services.review.extensions import (
    case_extension_approve,
    task_extension_approve,
    task_extension_request,
)
from onewindow.cases.services.review.send_back import task_send_back

__all__ = [
    "DECISION_RESULTS",
    "DECISION_ROLES",
    "MAX_TEXT",
    "REVIEW_ROLES",
    "SPECIAL_PROCEDURES",
    "case_decide",
    "case_extension_approve",
    "stage_release",
    "task_approve",
    "task_assign",
    "task_claim",
    "task_end_special_procedure",
    "task_extension_approve",
    "task_extension_request",
    "task_reject",
    "task_request_supplement",
    "task_send_back",
    "task_start_special_procedure",
    "task_supplement_received",
    "task_transfer",
]
