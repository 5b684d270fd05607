"""Paying a bill: the payer starts a payment through a provider; the provider's signed callbacks say how
it went. Streams: `fee_bill:<id>`.

A callback is verified first (a bad signature is recorded and refused), then recorded once by its event id
(a repeat answers the earlier outcome and changes nothing). Everything a callback changes happens under the
bill's row lock, then the case's (lock order: bill, then case): the payment succeeds and the bill is paid
exactly once, whatever arrives twice, late or at the same time; the partial unique constraint
`fee_payment_one_success_per_bill` backs it. On payment: the receipts, the audit event, the case's public
timeline row, and the stage held by the unpaid bill goes on.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction

from onewindow import clock
from onewindow.cases.services.locking import case_lock
from onewindow.cases.services.review import stage_release
from onewindow.cases.services.transitions import case_record
from onewindow.errors import Conflict, DomainError, PermissionDenied
from onewindow.fees import payments
from onewindow.fees.models import Bill, BillStatus, Payment, PaymentCallback, PaymentStatus, Receipt
from onewindow.fees.payments import Notification, Outcome, ProviderOrder, SignatureInvalid
from onewindow.fees.selectors.payments import may_pay, payment_bill_get
from onewindow.fees.services.opening import bill_audit
from onewindow.fees.services.receipts import receipts_issue
from onewindow.orgs.models import User

PAID_STATUSES = (BillStatus.PAID, BillStatus.REFUNDED)


class CallbackSignatureInvalid(DomainError):
    code = "fees_callback_signature_invalid"
    status = 400


@dataclass(frozen=True)
class PaymentStarted:
    payment: Payment
    order: ProviderOrder


@dataclass(frozen=True)
class CallbackResult:
    outcome: Outcome
    repeated: bool  # the event was recorded before: nothing changed now
    callback: PaymentCallback
    answer: dict[str, object]  # what the provider expects back

    @property
    def refused(self) -> bool:
        return self.outcome in payments.REFUSED


def payment_start(*, actor: User, bill_id: int, provider: str = "simulated") -> PaymentStarted:
    """The payer (or an agent representing the case) starts paying an issued bill: a pending payment with a
    unique order number at the provider."""
    payment_bill_get(actor, bill_id)  # 404 for a bill one may not see
    chosen = payments.provider_get(provider)
    with transaction.atomic():
        bill = Bill.objects.select_for_update().select_related("region").get(pk=bill_id)
        if not may_pay(actor, bill):
            raise PermissionDenied("只有缴款人或其代办员可以缴款", code="fees_payment_not_payer")
        if bill.status in PAID_STATUSES:
            raise Conflict("该缴款通知书已缴款", code="fees_bill_paid")
        if bill.status != BillStatus.ISSUED:
            raise Conflict("该缴款通知书尚未出具或已作废，不能缴款", code="fees_bill_not_payable")
        if bill.due_total <= 0:
            raise Conflict("该缴款通知书应缴金额为零，无需缴款", code="fees_bill_nothing_due")
        order_number = f"{bill.number}-{uuid.uuid4().hex[:10].upper()}"[-64:]
        payment = Payment.objects.create(bill=bill, provider=provider, order_number=order_number, amount=bill.due_total)
        order = chosen.order_create(bill, order_number, Decimal(bill.due_total))
        started = payment_started(payment)
        bill_audit(bill, "fees.payment_started", actor=actor, organisation=bill.region, changes=started)
    return PaymentStarted(payment=payment, order=order)


def payment_callback(*, provider: str, body: bytes, headers: Mapping[str, str]) -> CallbackResult:
    """Act once on a provider's callback. A bad signature: recorded, then `fees_callback_signature_invalid`."""
    chosen = payments.provider_get(provider)
    try:
        note = chosen.callback_parse(body, headers)
    except SignatureInvalid:
        _invalid_record(provider, body)
        raise CallbackSignatureInvalid("支付通知验签失败，已记录", code="fees_callback_signature_invalid") from None
    with transaction.atomic():
        payment = Payment.objects.filter(provider=provider, order_number=note.order_number).first()
        if payment is None:
            return _recorded(chosen, provider, note, body, None, Outcome.UNKNOWN_ORDER)
        bill = Bill.objects.select_for_update().select_related("region", "case", "payer").get(pk=payment.bill_id)
        earlier = PaymentCallback.objects.filter(provider=provider, event_id=note.event_id).first()
        if earlier is not None:  # checked under the bill's lock: a concurrent twin committed first
            return CallbackResult(Outcome(earlier.outcome), True, earlier, chosen.callback_answer(earlier.outcome))
        payment = Payment.objects.get(pk=payment.pk)
        outcome = payments.callback_outcome(
            note=note,
            payment_amount=Decimal(payment.amount),
            payment_status=payment.status,
            bill_payable=bill.status == BillStatus.ISSUED,
            bill_paid=bill.status in PAID_STATUSES,
        )
        result = _recorded(chosen, provider, note, body, payment, outcome)
        if not result.repeated:
            _apply(bill, payment, note, outcome)
    return result


def _recorded(
    chosen: payments.PaymentProvider,
    provider: str,
    note: Notification,
    body: bytes,
    payment: Payment | None,
    outcome: Outcome,
) -> CallbackResult:
    """The callback's row, once per event: an event recorded meanwhile answers its earlier outcome."""
    text = body.decode("utf-8", errors="replace")
    try:
        with transaction.atomic():
            row = PaymentCallback.objects.create(
                provider=provider,
                event_id=note.event_id,
                payment=payment,
                body=text,
                signature_valid=True,
                outcome=outcome,
            )
    except IntegrityError:
        row = PaymentCallback.objects.get(provider=provider, event_id=note.event_id)
        return CallbackResult(Outcome(row.outcome), True, row, chosen.callback_answer(row.outcome))
    return CallbackResult(outcome, False, row, chosen.callback_answer(outcome))


def _invalid_record(provider: str, body: bytes) -> None:
    digest = hashlib.sha256(body).hexdigest()[:40]
    with transaction.atomic():
        PaymentCallback.objects.get_or_create(
            provider=provider,
            event_id=f"invalid:{digest}",
            defaults={
                "body": body.decode("utf-8", errors="replace")[:20000],
                "signature_valid": False,
                "outcome": Outcome.SIGNATURE_INVALID,
            },
        )


def _apply(bill: Bill, payment: Payment, note: Notification, outcome: Outcome) -> None:
    if outcome is Outcome.FAILED:
        payment.status = PaymentStatus.FAILED
        payment.provider_reference = note.provider_reference
        payment.save(update_fields=["status", "provider_reference"])
        _audit(bill, "fees.payment_failed", payment, note)
    elif outcome is Outcome.PAID:
        _pay(bill, payment, note)
    elif outcome in payments.TO_REFUND:
        payment.provider_reference = note.provider_reference
        payment.save(update_fields=["provider_reference"])
        _audit(bill, f"fees.{outcome.value}", payment, note)
    elif outcome is Outcome.AMOUNT_MISMATCH:
        _audit(bill, "fees.callback_amount_mismatch", payment, note)


def _audit(bill: Bill, action: str, payment: Payment, note: Notification, **extra: object) -> None:
    changes = payment_notified(payment, note, **extra)
    bill_audit(bill, action, actor=None, organisation=bill.region, changes=changes)  # the provider's notification


def payment_started(payment: Payment) -> dict[str, object]:
    """The changes of `fees.payment_started`."""
    return {"order_number": payment.order_number, "provider": payment.provider, "amount": str(payment.amount)}


def payment_notified(payment: Payment, note: Notification, **extra: object) -> dict[str, object]:
    """The changes of the events a provider's callback writes (`fees.bill_paid` with its receipts)."""
    return {
        "order_number": payment.order_number,
        "event_id": note.event_id,
        "provider_reference": note.provider_reference,
        "amount": str(note.amount),
        **extra,
    }


def _pay(bill: Bill, payment: Payment, note: Notification) -> None:
    at = clock.now()
    payment.status = PaymentStatus.SUCCEEDED
    payment.provider_reference = note.provider_reference
    payment.paid_at = note.at
    payment.save(update_fields=["status", "provider_reference", "paid_at"])
    bill.status, bill.paid_at = BillStatus.PAID, at
    bill.save(update_fields=["status", "paid_at"])
    receipts = receipts_issue(bill=bill, payment=payment, at=at)
    _audit(bill, "fees.bill_paid", payment, note, receipts=[receipt.number for receipt in receipts])
    locked = case_lock(bill.case_id)
    case_record(locked=locked, action="fee_bill_paid", actor=None, note=bill_paid_note(bill, receipts))
    if bill.waits_for_payment:
        stage_release(case=locked.case, actor=None)


def bill_paid_note(bill: Bill, receipts: list[Receipt]) -> str:
    return f"缴款通知书{bill.number}已缴款{bill.due_total}元，开具电子票据{len(receipts)}张"
