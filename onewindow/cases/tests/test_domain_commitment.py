"""会签 and the consequences of a commitment, without a database: the transition table, the labels
of a check, the countersign rule, the rectification deadline (行政许可法 Art. 69, 82)."""

import datetime as dt

import pytest

from onewindow.cases import domain
from onewindow.cases.domain import CaseAction, CaseStatus, CountersignOutcome, TaskAction, TaskStatus
from onewindow.cases.tests.test_domain import CAL


def test_only_a_completed_case_can_be_revoked():
    assert domain.next_case_status(CaseStatus.COMPLETED, CaseAction.REVOKE) == CaseStatus.REVOKED
    for status in CaseStatus:
        if status != CaseStatus.COMPLETED:
            with pytest.raises(domain.TransitionNotAllowed):
                domain.next_case_status(status, CaseAction.REVOKE)


def test_a_revoked_case_is_final():
    for action in CaseAction:
        with pytest.raises(domain.TransitionNotAllowed):
            domain.next_case_status(CaseStatus.REVOKED, action)


@pytest.mark.parametrize(
    ("action", "status"),
    [
        (TaskAction.CONFORM, TaskStatus.APPROVED),
        (TaskAction.NOT_CONFORM, TaskStatus.REJECTED),
        (TaskAction.FIND_FALSE_COMMITMENT, TaskStatus.REJECTED),
    ],
)
def test_a_check_is_found_only_while_it_is_open(action, status):
    assert domain.next_task_status(TaskStatus.OPEN, action) == status
    for other in set(TaskStatus) - {TaskStatus.OPEN}:
        with pytest.raises(domain.TransitionNotAllowed):
            domain.next_task_status(other, action)


def test_a_check_speaks_of_findings_and_a_review_of_opinions():
    assert domain.task_status_label(TaskStatus.APPROVED, is_check=True) == "符合"
    assert domain.task_status_label(TaskStatus.REJECTED, is_check=True) == "不符合"
    assert domain.task_status_label(TaskStatus.OPEN, is_check=True) == "待办"
    assert domain.task_status_label(TaskStatus.APPROVED, is_check=False) == "同意"
    assert domain.task_status_label(TaskStatus.REJECTED, is_check=False) == "不同意"
    assert domain.CASE_STATUS_LABELS[CaseStatus.REVOKED] == "已撤销"


def test_a_countersign_is_approved_once_enough_reviewers_agreed():
    outcome = domain.countersign_outcome
    assert outcome(required=2, named=[], opinions={1: True}) is CountersignOutcome.PENDING
    assert outcome(required=2, named=[], opinions={1: True, 2: True}) is CountersignOutcome.APPROVED


def test_any_disagreement_rejects_a_countersign():
    outcome = domain.countersign_outcome(required=3, named=[], opinions={1: True, 2: False})
    assert outcome is CountersignOutcome.REJECTED


def test_a_named_signer_must_sign_whoever_else_has():
    # 加签 of reviewer 9 raised the requirement from 1 to 2: two others agreeing is not enough.
    outcome = domain.countersign_outcome
    assert outcome(required=2, named=[9], opinions={1: True, 2: True}) is CountersignOutcome.PENDING
    assert outcome(required=2, named=[9], opinions={1: True, 9: True}) is CountersignOutcome.APPROVED
    assert outcome(required=2, named=[9], opinions={9: False}) is CountersignOutcome.REJECTED


def test_the_remaining_signoffs_count_the_named_signers_who_have_not_signed():
    remaining = domain.signoffs_remaining
    assert remaining(required=2, named=[9], opinions={}) == 2
    assert remaining(required=2, named=[9], opinions={1: True}) == 1
    assert remaining(required=2, named=[9], opinions={1: True, 2: True}) == 1  # still waiting for 9
    assert remaining(required=3, named=[9], opinions={1: True, 9: True, 2: True}) == 0


def test_the_rectification_deadline_counts_working_days_across_national_day():
    # Ordered Mon 28 Sep 2026: 29, 30 Sep, then 8, 9, 10 (make-up Saturday), 12, 13, 14 Oct.
    assert domain.rectification_due_on(dt.date(2026, 9, 28), 8, CAL) == dt.date(2026, 10, 14)


def test_a_recheck_comes_after_the_report_or_after_the_deadline():
    due = dt.date(2026, 10, 14)
    assert not domain.may_recheck(today=due, due_on=due, reported=False)
    assert domain.may_recheck(today=due + dt.timedelta(days=1), due_on=due, reported=False)
    assert domain.may_recheck(today=dt.date(2026, 10, 1), due_on=due, reported=True)
