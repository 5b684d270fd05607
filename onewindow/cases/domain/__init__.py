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

- states.py:      the states of a case and a task, their transitions and labels, the stage join
- limits.py:      time limits in working days, the clock and its suspensions, remaining days, warnings
- intake.py:      the intake limit and acceptance in law (Art. 32), the case number
- deferral.py:    容缺受理's follow-through: owed materials, reminders, the approval that waits
- countersign.py: 会签 and 加签: when a countersigned task is decided
- commitment.py:  告知承诺: rectification, re-check, the remedies of a revocation

Every rule is imported here: `from onewindow.cases.domain import X` and `domain.X` work for each.
"""

from onewindow.cases.domain.commitment import REVOCATION_REMEDIES, may_recheck, rectification_due_on
from onewindow.cases.domain.countersign import CountersignOutcome, countersign_outcome, signoffs_remaining
from onewindow.cases.domain.deferral import (
    DEFERRED_REMINDER_DAYS,
    OWING_STATUSES,
    REMINDER_HORIZON_DAYS,
    DeferredMaterialOverdue,
    OwedMaterial,
    deferred_reminder_on,
    require_no_overdue_deferral,
)
from onewindow.cases.domain.intake import (
    ACCEPTANCES,
    IntakeLimitPassed,
    case_number,
    deemed_acceptance_note,
    deemed_accepted_on,
    intake_action_after_limit,
    intake_due_on,
    is_deemed_accepted,
)
from onewindow.cases.domain.limits import (
    GREEN_CHANNEL_SHARE,
    INTAKE_LIMIT_DAYS,
    JOINT_EXTENSION_DAYS,
    JOINT_LIMIT_DAYS,
    SINGLE_EXTENSION_DAYS,
    SINGLE_LIMIT_DAYS,
    TASK_EXTENSION_DAYS,
    WARNING_LABELS,
    YELLOW_SHARE,
    Clock,
    WarningLevel,
    case_extension_days,
    case_limit_days,
    frozen_remaining_days,
    green_channel_limit,
    remaining_working_days,
    warning_level,
)
from onewindow.cases.domain.states import (
    CASE_STATUS_LABELS,
    CASE_TRANSITIONS,
    CHECK_STATUS_LABELS,
    DECIDED_TASK_STATUSES,
    OPEN_CASE_STATUSES,
    OPEN_TASK_STATUSES,
    TASK_STATUS_LABELS,
    TASK_TRANSITIONS,
    CaseAction,
    CaseStatus,
    StageOutcome,
    TaskAction,
    TaskStatus,
    TransitionNotAllowed,
    next_case_status,
    next_task_status,
    review_outcome,
    task_status_label,
)

__all__ = [
    "ACCEPTANCES",
    "CASE_STATUS_LABELS",
    "CASE_TRANSITIONS",
    "CHECK_STATUS_LABELS",
    "DECIDED_TASK_STATUSES",
    "DEFERRED_REMINDER_DAYS",
    "GREEN_CHANNEL_SHARE",
    "INTAKE_LIMIT_DAYS",
    "JOINT_EXTENSION_DAYS",
    "JOINT_LIMIT_DAYS",
    "OPEN_CASE_STATUSES",
    "OPEN_TASK_STATUSES",
    "OWING_STATUSES",
    "REMINDER_HORIZON_DAYS",
    "REVOCATION_REMEDIES",
    "SINGLE_EXTENSION_DAYS",
    "SINGLE_LIMIT_DAYS",
    "TASK_EXTENSION_DAYS",
    "TASK_STATUS_LABELS",
    "TASK_TRANSITIONS",
    "WARNING_LABELS",
    "YELLOW_SHARE",
    "CaseAction",
    "CaseStatus",
    "Clock",
    "CountersignOutcome",
    "DeferredMaterialOverdue",
    "IntakeLimitPassed",
    "OwedMaterial",
    "StageOutcome",
    "TaskAction",
    "TaskStatus",
    "TransitionNotAllowed",
    "WarningLevel",
    "case_extension_days",
    "case_limit_days",
    "case_number",
    "countersign_outcome",
    "deemed_acceptance_note",
    "deemed_accepted_on",
    "deferred_reminder_on",
    "frozen_remaining_days",
    "green_channel_limit",
    "intake_action_after_limit",
    "intake_due_on",
    "is_deemed_accepted",
    "may_recheck",
    "next_case_status",
    "next_task_status",
    "rectification_due_on",
    "remaining_working_days",
    "require_no_overdue_deferral",
    "review_outcome",
    "signoffs_remaining",
    "task_status_label",
    "warning_level",
]
