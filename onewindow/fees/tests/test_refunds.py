"""Refunds of a paid bill's lines: partial, full (the bill is then REFUNDED), never more than paid minus
refunded, only by the collecting department's head (or lead coordinator)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from onewindow.audit.models import Event
from onewindow.errors import Conflict, InvalidFields, NotFound, PermissionDenied
from onewindow.fees.models import Bill, BillStatus, Refund
from onewindow.fees.services import refund_create
from onewindow.fees.tests.paying import issued_bill, pay
from onewindow.orgs.domain import Role
from onewindow.orgs.tests.factories import RegionFactory, staff

pytestmark = pytest.mark.django_db


def charged_line(bill: Bill):
    return bill.lines.filter(due_amount__gt=0).select_related("fee_check__department").order_by("item_code").first()


def test_a_partial_then_the_rest_of_a_line_then_too_much() -> None:
    issued = issued_bill()
    pay(issued)
    line = charged_line(issued.bill)
    head = staff(Role.DEPARTMENT_HEAD, line.fee_check.department)
    half = (line.due_amount / 2).quantize(Decimal("0.01"))

    refund_create(actor=head, line_id=line.pk, amount=half, reason="多缴部分退还")
    with pytest.raises(InvalidFields) as too_much:
        refund_create(actor=head, line_id=line.pk, amount=line.due_amount - half + Decimal("0.01"), reason="再退")
    refund_create(actor=head, line_id=line.pk, amount=line.due_amount - half, reason="项目取消")

    bill = Bill.objects.get(pk=issued.bill.pk)
    assert too_much.value.code == "fees_refund_too_much" and too_much.value.status == 422
    assert bill.refunded_total == line.due_amount and bill.status == BillStatus.PAID
    assert Refund.objects.filter(line=line).count() == 2
    assert Event.objects.filter(stream=f"fee_bill:{bill.pk}", action="fees.refunded").count() == 2


def test_refunding_every_line_makes_the_bill_refunded() -> None:
    issued = issued_bill()
    pay(issued)
    for line in issued.bill.lines.filter(due_amount__gt=0).select_related("fee_check__department"):
        head = staff(Role.LEAD_COORDINATOR, line.fee_check.department)
        refund_create(actor=head, line_id=line.pk, amount=line.due_amount, reason="全额退款")
    bill = Bill.objects.get(pk=issued.bill.pk)
    assert bill.status == BillStatus.REFUNDED and bill.refunded_total == bill.due_total


def test_only_the_collecting_departments_head_refunds_a_paid_bill() -> None:
    issued = issued_bill()
    line = charged_line(issued.bill)
    head = staff(Role.DEPARTMENT_HEAD, line.fee_check.department)
    with pytest.raises(Conflict) as unpaid:
        refund_create(actor=head, line_id=line.pk, amount="1.00", reason="未缴款")
    assert unpaid.value.code == "fees_bill_not_paid"
    pay(issued)

    other = next(d for d in issued.world.departments.values() if d.pk != line.fee_check.department_id)
    with pytest.raises(PermissionDenied):
        refund_create(actor=staff(Role.DEPARTMENT_HEAD, other), line_id=line.pk, amount="1.00", reason="别的部门")
    with pytest.raises(PermissionDenied):
        refund_create(actor=staff(Role.REVIEWER, line.fee_check.department), line_id=line.pk, amount="1", reason="x")
    with pytest.raises(NotFound):
        refund_create(actor=staff(Role.DEPARTMENT_HEAD, RegionFactory()), line_id=line.pk, amount="1", reason="x")
    with pytest.raises(InvalidFields):
        refund_create(actor=head, line_id=line.pk, amount="0.001", reason="x")
    with pytest.raises(InvalidFields):
        refund_create(actor=head, line_id=line.pk, amount="1", reason=" ")
    assert not Refund.objects.exists()
