"""A stage that waits for payment: its tasks approved, the case waits on the unpaid bill; paid, stage 2 opens."""

from __future__ import annotations

import pytest

from onewindow.cases.models import Case, Task
from onewindow.cases.services import review
from onewindow.cases.tests.factories import reviewer_for
from onewindow.errors import Conflict
from onewindow.fees.services import fee_line_correct, payment_start
from onewindow.fees.tests.bills import bill_world, case_with_bill
from onewindow.fees.tests.paying import bill_issue, issued_bill, pay

pytestmark = pytest.mark.django_db


def test_the_stage_held_by_an_unpaid_bill_goes_on_once_paid() -> None:
    issued = issued_bill(bill_world(waits_for_payment=True))
    case = issued.case
    for task in Task.objects.filter(case=case, kind=Task.Kind.REVIEW, stage=1).select_related("department"):
        review.task_approve(actor=reviewer_for(task.department), task=task, opinion="同意")

    held = Case.objects.get(pk=case.pk)
    assert held.current_stage == 1
    assert not Task.objects.filter(case=case, stage=2).exists()

    pay(issued)

    going = Case.objects.get(pk=case.pk)
    assert going.current_stage == 2
    assert Task.objects.filter(case=case, kind=Task.Kind.REVIEW, stage=2).exists()


def test_a_bill_with_nothing_to_pay_holds_no_stage() -> None:
    """Every line relieved in full (全额减免): the bill is issued with nothing due, nobody can pay it, and the
    stage it held goes on at once."""
    case, bill = case_with_bill(bill_world(waits_for_payment=True))
    for task in Task.objects.filter(case=case, kind=Task.Kind.REVIEW, stage=1).select_related("department"):
        review.task_approve(actor=reviewer_for(task.department), task=task, opinion="同意")
    assert Case.objects.get(pk=case.pk).current_stage == 1
    for line in bill.lines.filter(due_amount__gt=0).select_related("fee_check__department"):
        department = line.fee_check.department
        fee_line_correct(actor=reviewer_for(department), line_id=line.pk, due_amount="0", reason="依政策全额减免")

    issued = bill_issue(bill)

    assert issued.due_total == 0
    assert Case.objects.get(pk=case.pk).current_stage == 2
    assert Task.objects.filter(case=case, kind=Task.Kind.REVIEW, stage=2).exists()
    with pytest.raises(Conflict) as refused:
        payment_start(actor=case.applicant.user, bill_id=bill.pk)
    assert refused.value.code == "fees_bill_nothing_due"
