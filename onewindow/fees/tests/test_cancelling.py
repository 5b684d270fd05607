"""A case withdrawn or refused voids its unpaid bills; a paid bill stays paid (refunds give the money back)."""

from __future__ import annotations

import pytest

from onewindow.audit.models import Event
from onewindow.cases.services.intake import case_withdraw
from onewindow.errors import Conflict
from onewindow.fees.models import BillStatus
from onewindow.fees.services import payment_start
from onewindow.fees.tests.bills import bill_world, case_with_bill
from onewindow.fees.tests.paying import issued_bill, pay

pytestmark = pytest.mark.django_db


def test_withdrawing_the_case_voids_its_issued_bill_and_it_can_no_longer_be_paid() -> None:
    issued = issued_bill()
    case_withdraw(actor=issued.payer, case=issued.case, reason="项目调整，暂不建设")

    issued.bill.refresh_from_db()
    assert issued.bill.status == BillStatus.CANCELLED
    assert Event.objects.filter(stream=f"fee_bill:{issued.bill.pk}", action="fees.bill_cancelled").count() == 1
    with pytest.raises(Conflict) as refused:
        payment_start(actor=issued.payer, bill_id=issued.bill.pk)
    assert refused.value.code == "fees_bill_not_payable"


def test_a_bill_still_being_checked_is_voided_and_a_paid_one_stays_paid() -> None:
    world = bill_world()
    case, checking = case_with_bill(world)
    case_withdraw(actor=case.applicant.user, case=case, reason="申请有误，重新申报")
    checking.refresh_from_db()
    assert checking.status == BillStatus.CANCELLED

    paid = issued_bill(world)
    pay(paid)
    case_withdraw(actor=paid.payer, case=paid.case, reason="项目取消")
    paid.bill.refresh_from_db()
    assert paid.bill.status == BillStatus.PAID
