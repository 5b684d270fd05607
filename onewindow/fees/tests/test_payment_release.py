"""A stage that waits for payment: its tasks approved, the case waits on the unpaid bill; paid, stage 2 opens."""

from __future__ import annotations

import pytest

from onewindow.cases.models import Case, Task
from onewindow.cases.services import review
from onewindow.cases.tests.factories import reviewer_for
from onewindow.fees.tests.bills import bill_world
from onewindow.fees.tests.paying import issued_bill, pay

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
