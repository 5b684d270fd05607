"""Refunds (退款): a department head (or lead coordinator) of a line's collecting department gives back all
or part of a paid line, with a reason, through the provider the bill was paid with. Never more than the
line's paid amount minus what was refunded on it; the bill's `refunded_total` follows, and the bill is
REFUNDED once everything is given back. Under the bill's row lock; stream `fee_bill:<id>`."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Sum

from onewindow import clock
from onewindow.errors import Conflict, InvalidFields, PermissionDenied
from onewindow.fees import payments
from onewindow.fees.models import Bill, BillLine, BillStatus, Payment, PaymentStatus, Refund
from onewindow.fees.selectors.payments import may_refund, payment_line_get
from onewindow.fees.services.opening import bill_audit
from onewindow.orgs.models import User

MAX_REASON = 500
FEN = Decimal("0.01")


def _amount(value: Decimal | str | int) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        amount = Decimal(-1)
    if not amount.is_finite() or amount <= 0 or amount != amount.quantize(FEN):
        raise InvalidFields(
            "请填写正确的退款金额", errors={"amount": "退款金额须大于零，精确到分"}, code="fees_refund_invalid"
        )
    return amount


def refund_create(*, actor: User, line_id: int, amount: Decimal | str | int, reason: str) -> Refund:
    line = payment_line_get(actor, line_id)  # 404 for a line of a bill one may not see
    if not may_refund(actor, line.fee_check.department_id):
        raise PermissionDenied("只有执收部门负责人可以办理退款", code="fees_refund_not_allowed")
    value = _amount(amount)
    reason = (reason or "").strip()
    if not reason or len(reason) > MAX_REASON:
        raise InvalidFields(
            "请填写退款理由", errors={"reason": f"请填写退款理由（{MAX_REASON}字以内）"}, code="fees_refund_invalid"
        )
    with transaction.atomic():
        bill = Bill.objects.select_for_update().select_related("region").get(pk=line.bill_id)
        if bill.status not in (BillStatus.PAID, BillStatus.REFUNDED):
            raise Conflict("该缴款通知书尚未缴款，不能退款", code="fees_bill_not_paid")
        line = BillLine.objects.get(pk=line_id)
        payment = Payment.objects.get(bill=bill, status=PaymentStatus.SUCCEEDED)
        refunded = Decimal(Refund.objects.filter(line=line).aggregate(total=Sum("amount"))["total"] or 0)
        left = Decimal(line.due_amount) - refunded
        if value > left:
            raise InvalidFields(
                f"退款金额超过可退金额（{left}元）",
                errors={"amount": f"本项最多还可退{left}元"},
                code="fees_refund_too_much",
            )
        reference = payments.provider_get(payment.provider).refund(payment.order_number, value, reason)
        number = f"TK{bill.pk:08d}{Refund.objects.filter(bill=bill).count() + 1:03d}"
        refund = Refund.objects.create(
            bill=bill, line=line, payment=payment, number=number, amount=value, reason=reason, refunded_by=actor
        )
        bill.refunded_total = Decimal(bill.refunded_total) + value
        fields = ["refunded_total"]
        if bill.refunded_total >= bill.due_total:
            bill.status = BillStatus.REFUNDED
            fields.append("status")
        bill.save(update_fields=fields)
        bill_audit(
            bill,
            "fees.refunded",
            actor=actor,
            organisation=line.fee_check.department,
            changes={
                "number": number,
                "line": line.item_code,
                "amount": str(value),
                "reason": reason,
                "provider_reference": reference,
                "refunded_total": str(bill.refunded_total),
                "at": clock.now().isoformat(),
            },
        )
    return refund
