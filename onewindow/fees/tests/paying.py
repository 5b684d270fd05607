"""An issued bill to pay, for the payment tests.

It stands in for the fee checks' services (each department's seal, then the bill's issue) until they land:
the lines are marked sealed and the bill ISSUED with a payment code through the ORM.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from onewindow import clock
from onewindow.cases.models import Case
from onewindow.cases.tests.factories import accepted_case, form_values
from onewindow.fees.models import Bill, BillStatus, FeeCheckStatus, Payment
from onewindow.fees.payments import simulated
from onewindow.fees.services import payment_callback, payment_start
from onewindow.fees.tests.bills import FEE_FORM, BillWorld, bill_world, case_with_bill
from onewindow.orgs.models import Applicant, User


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
    """Seal every line and issue the bill (what the checks' services will do)."""
    now = clock.now()
    bill.lines.update(sealed_at=now, seal_signature="stand-in")
    bill.checks.update(status=FeeCheckStatus.SEALED, sealed_at=now)
    bill.status, bill.issued_at = BillStatus.ISSUED, now
    bill.payment_code = f"PC{bill.pk:010d}"
    bill.save(update_fields=["status", "issued_at", "payment_code"])
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
