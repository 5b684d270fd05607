"""An issued bill to pay, for the payment tests: a case accepted, each collecting department's reviewer
seals its check through the services, the last seal issues the bill."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from onewindow.cases.models import Case
from onewindow.cases.tests.factories import accepted_case, form_values
from onewindow.fees.models import Bill, BillStatus, FeeCheckStatus, Payment
from onewindow.fees.payments import simulated
from onewindow.fees.services import fee_check_seal, payment_callback, payment_start
from onewindow.fees.tests.bills import FEE_FORM, BillWorld, bill_world, case_with_bill
from onewindow.orgs.domain import Role
from onewindow.orgs.models import Applicant, User
from onewindow.orgs.tests.factories import staff


@dataclass
class Issued:
    world: BillWorld
    case: Case
    bill: Bill

    @property
    def payer(self) -> User:
        user = self.case.applicant.user
        assert user is not None
        return user


def bill_issue(bill: Bill) -> Bill:
    """Every collecting department's reviewer seals its check: the last seal issues the bill."""
    for check in bill.checks.filter(status=FeeCheckStatus.OPEN).select_related("department"):
        fee_check_seal(actor=staff(Role.REVIEWER, check.department), check_id=check.pk)
    bill.refresh_from_db()
    assert bill.status == BillStatus.ISSUED
    return bill


def issued_bill(world: BillWorld | None = None, *, applicant: Applicant | None = None, **form: Any) -> Issued:
    """A case of the world accepted (for `applicant`, else a new one) and its bill issued."""
    world = world or bill_world()
    if applicant is None:
        case, bill = case_with_bill(world, **form)
    else:
        data = form_values(**{**FEE_FORM, **form})
        case = accepted_case(bundle_version=world.bundle_version, form_data=data, applicant=applicant)
        bill = Bill.objects.get(case=case)
    return Issued(world=world, case=case, bill=bill_issue(bill))


def pay(issued: Issued) -> Payment:
    """Start a payment as the payer and deliver its signed success callback."""
    started = payment_start(actor=issued.payer, bill_id=issued.bill.pk)
    signed = simulated.callback_sign(order_number=started.payment.order_number, amount=started.payment.amount)
    payment_callback(provider="simulated", body=signed.body, headers=signed.headers)
    started.payment.refresh_from_db()
    return started.payment


def amount_of(payment: Payment) -> Decimal:
    return Decimal(payment.amount)
