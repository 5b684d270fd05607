"""Intake (一口受理): submit, drafts, the one-time correction notice, acceptance, 容缺受理, refusal,
deemed acceptance (行政许可法 Art. 32), approval on commitment (告知承诺) and withdrawal.

Every service: keyword-only, one transaction, the case locked first (`locking.case_lock`), then who
may act (`checks`), then the rules, then the move through `transitions.case_move` (timeline row +
audit event).

- submission.py:             drafts, submission, the region and the case number; the valid files of a
                             refused submission kept in a draft (`case_keep_valid_files`)
- window.py:                 窗口代为申报: the applicant registered and the case submitted together
- correction.py:             the one-time correction notice and the resubmission
- acceptance.py:             acceptance, 容缺受理, refusal, deemed acceptance (the job and the clerk's)
- approval_on_commitment.py: 告知承诺 at intake, with its post-check tasks
- withdrawal.py:             撤回
- checks.py, files.py:       who may act and the intake limit; uploaded files
"""

from onewindow.cases.services.intake.acceptance import (
    case_accept,
    case_accept_deemed_overdue,
    case_accept_with_deferral,
    case_refuse,
)
from onewindow.cases.services.intake.approval_on_commitment import POST_CHECK_DAYS, case_approve_on_commitment
from onewindow.cases.services.intake.correction import case_request_correction, case_resubmit
from onewindow.cases.services.intake.submission import (
    DRAFT_NUMBER_PREFIX,
    case_keep_valid_files,
    case_region_for,
    case_save_draft,
    case_submit,
)
from onewindow.cases.services.intake.window import WindowApplicant, case_submit_at_window
from onewindow.cases.services.intake.withdrawal import case_withdraw

__all__ = [
    "DRAFT_NUMBER_PREFIX",
    "POST_CHECK_DAYS",
    "WindowApplicant",
    "case_accept",
    "case_accept_deemed_overdue",
    "case_accept_with_deferral",
    "case_approve_on_commitment",
    "case_keep_valid_files",
    "case_refuse",
    "case_region_for",
    "case_request_correction",
    "case_resubmit",
    "case_save_draft",
    "case_submit",
    "case_submit_at_window",
    "case_withdraw",
]
