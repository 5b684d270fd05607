"""Paying a bill through the simulated provider: signed, repeated and out-of-order callbacks, bad signatures
and wrong amounts; one receipt per collecting department and account, each with a valid SM2 signature."""

from __future__ import annotations

from decimal import Decimal

import pytest

from onewindow.audit.models import Event
from onewindow.cases.models import TimelineEntry
from onewindow.errors import Conflict, NotFound, PermissionDenied
from onewindow.fees.models import Bill, BillStatus, Payment, PaymentCallback, PaymentStatus, Receipt
from onewindow.fees.payments import Outcome, simulated
from onewindow.fees.selectors.payments import bill_receipts, receipt_signature_ok
from onewindow.fees.services import CallbackSignatureInvalid, payment_callback, payment_start
from onewindow.fees.tests.bills import bill_world, case_with_bill
from onewindow.fees.tests.paying import issued_bill, pay
from onewindow.orgs.domain import Role
from onewindow.orgs.tests.factories import UserFactory, staff

pytestmark = pytest.mark.django_db


def deliver(signed: simulated.SignedCallback):
    return payment_callback(provider="simulated", body=signed.body, headers=signed.headers)


def test_a_signed_success_pays_the_bill_once_with_receipts_per_department_and_account() -> None:
    issued = issued_bill()
    started = payment_start(actor=issued.payer, bill_id=issued.bill.pk)
    assert started.payment.status == PaymentStatus.PENDING
    assert started.order.pay_url == f"/fees/pay/simulated/{started.payment.order_number}/"

    result = deliver(simulated.callback_sign(order_number=started.payment.order_number, amount=started.payment.amount))

    bill = Bill.objects.get(pk=issued.bill.pk)
    assert result.outcome is Outcome.PAID and bill.status == BillStatus.PAID and bill.paid_at is not None
    charged = {(line.fee_check.department_id, line.account_number) for line in bill.lines.all() if line.due_amount > 0}
    receipts = bill_receipts(bill)
    assert {(r.department_id, r.account_number) for r in receipts} == charged
    assert sum(r.amount for r in receipts) == bill.due_total
    assert all(receipt_signature_ok(r) and len(r.check_code) == 6 for r in receipts)
    assert Event.objects.filter(stream=f"fee_bill:{bill.pk}", action="fees.bill_paid").count() == 1
    assert TimelineEntry.objects.filter(case=issued.case, action="fee_bill_paid", is_public=True).count() == 1


def test_a_receipt_changed_by_hand_no_longer_verifies() -> None:
    issued = issued_bill()
    pay(issued)
    receipt = Receipt.objects.filter(bill=issued.bill).first()
    receipt.data = {**receipt.data, "account_number": "6222000000000000"}
    assert not receipt_signature_ok(receipt)


def test_a_repeated_callback_answers_the_earlier_outcome_and_changes_nothing() -> None:
    issued = issued_bill()
    started = payment_start(actor=issued.payer, bill_id=issued.bill.pk)
    first, again, third = simulated.callbacks_for(started.payment.order_number, started.payment.amount, repeats=3)

    results = [deliver(first), deliver(again), deliver(third)]

    assert [r.outcome for r in results] == [Outcome.PAID] * 3 and [r.repeated for r in results] == [False, True, True]
    assert PaymentCallback.objects.filter(payment=started.payment).count() == 1
    assert Receipt.objects.filter(bill=issued.bill).count() == len(bill_receipts(issued.bill))
    assert Event.objects.filter(stream=f"fee_bill:{issued.bill.pk}", action="fees.bill_paid").count() == 1


def test_a_failure_after_the_success_changes_nothing() -> None:
    issued = issued_bill()
    started = payment_start(actor=issued.payer, bill_id=issued.bill.pk)
    success, failure = simulated.callbacks_for(started.payment.order_number, started.payment.amount, late_failure=True)

    deliver(success)
    late = deliver(failure)

    started.payment.refresh_from_db()
    assert late.outcome is Outcome.OUT_OF_ORDER and started.payment.status == PaymentStatus.SUCCEEDED
    assert Bill.objects.get(pk=issued.bill.pk).status == BillStatus.PAID


def test_a_failure_then_a_success_pays() -> None:
    issued = issued_bill()
    started = payment_start(actor=issued.payer, bill_id=issued.bill.pk)
    number, amount = started.payment.order_number, started.payment.amount

    assert (
        deliver(simulated.callback_sign(order_number=number, amount=amount, succeeded=False)).outcome is Outcome.FAILED
    )
    assert Payment.objects.get(pk=started.payment.pk).status == PaymentStatus.FAILED
    assert deliver(simulated.callback_sign(order_number=number, amount=amount)).outcome is Outcome.PAID
    assert Bill.objects.get(pk=issued.bill.pk).status == BillStatus.PAID


def test_two_payments_of_one_bill_never_pay_twice_the_second_is_flagged_for_refund() -> None:
    issued = issued_bill()
    one = payment_start(actor=issued.payer, bill_id=issued.bill.pk).payment
    two = payment_start(actor=issued.payer, bill_id=issued.bill.pk).payment

    assert deliver(simulated.callback_sign(order_number=one.order_number, amount=one.amount)).outcome is Outcome.PAID
    second = deliver(simulated.callback_sign(order_number=two.order_number, amount=two.amount))

    assert second.outcome is Outcome.DUPLICATE_PAYMENT
    assert Payment.objects.filter(bill=issued.bill, status=PaymentStatus.SUCCEEDED).count() == 1
    assert Event.objects.filter(stream=f"fee_bill:{issued.bill.pk}", action="fees.duplicate_payment").count() == 1
    assert len(bill_receipts(issued.bill)) == Receipt.objects.filter(bill=issued.bill).count()


def test_a_bad_signature_is_recorded_and_refused() -> None:
    issued = issued_bill()
    started = payment_start(actor=issued.payer, bill_id=issued.bill.pk)
    signed = simulated.callback_sign(order_number=started.payment.order_number, amount=started.payment.amount)

    with pytest.raises(CallbackSignatureInvalid) as refused:
        payment_callback(provider="simulated", body=signed.body, headers={simulated.SIGNATURE_HEADER: "0" * 64})
    forged = signed.body.replace(b'"succeeded"', b'"succeeded" ')
    with pytest.raises(CallbackSignatureInvalid):
        payment_callback(provider="simulated", body=forged, headers=signed.headers)

    assert refused.value.code == "fees_callback_signature_invalid" and refused.value.status == 400
    assert PaymentCallback.objects.filter(signature_valid=False).count() == 2
    assert Bill.objects.get(pk=issued.bill.pk).status == BillStatus.ISSUED


def test_a_wrong_amount_is_recorded_and_refused() -> None:
    issued = issued_bill()
    started = payment_start(actor=issued.payer, bill_id=issued.bill.pk)
    wrong = started.payment.amount - Decimal("0.01")

    result = deliver(simulated.callback_sign(order_number=started.payment.order_number, amount=wrong))

    assert result.outcome is Outcome.AMOUNT_MISMATCH and result.refused
    assert PaymentCallback.objects.get(pk=result.callback.pk).outcome == "amount_mismatch"
    assert Bill.objects.get(pk=issued.bill.pk).status == BillStatus.ISSUED


def test_a_callback_for_an_unknown_order_is_recorded_and_refused() -> None:
    result = deliver(simulated.callback_sign(order_number="NO-SUCH-ORDER", amount="1.00"))
    assert result.outcome is Outcome.UNKNOWN_ORDER and result.refused


def test_only_an_issued_unpaid_bill_can_be_paid_by_its_payer_or_at_a_window_of_its_region() -> None:
    world = bill_world()
    case, checking = case_with_bill(world)
    with pytest.raises(Conflict) as not_issued:
        payment_start(actor=case.applicant.user, bill_id=checking.pk)
    assert not_issued.value.code == "fees_bill_not_payable"

    issued = issued_bill(world)
    with pytest.raises(NotFound):
        payment_start(actor=UserFactory(), bill_id=issued.bill.pk)
    head = staff(Role.DEPARTMENT_HEAD, issued.case.region)  # sees the bill, does not take payments
    with pytest.raises(PermissionDenied):
        payment_start(actor=head, bill_id=issued.bill.pk)
    at_window = payment_start(actor=staff(Role.CLERK, issued.case.region), bill_id=issued.bill.pk)
    assert at_window.payment.bill_id == issued.bill.pk
    pay(issued)
    with pytest.raises(Conflict) as paid:
        payment_start(actor=issued.payer, bill_id=issued.bill.pk)
    assert paid.value.code == "fees_bill_paid"
