"""Scoped reads of a bill's money: who sees a bill, who pays it, who refunds a line; its payments,
receipts (with the check of their signatures) and refunds.

Who sees a bill: its payer's online account, an agent representing the case today (`onewindow.agency`),
and staff whose organisations include the case's region or one of the bill's collecting departments.
Anyone else: 404, like a missing bill. (`selectors/bills.py`: `bills_visible_to`.)
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum

from onewindow.audit.signing import verify_signature
from onewindow.certificates.document import keys
from onewindow.certificates.domain import canonical_json
from onewindow.errors import NotFound
from onewindow.fees.models import Bill, BillLine, Payment, Receipt, Refund
from onewindow.fees.selectors.bills import BILL_RELATED, bill_not_found, bills_visible_to, payer_condition
from onewindow.orgs.domain import Role
from onewindow.orgs.models import User
from onewindow.orgs.selectors import organisations_visible_to

REFUND_ROLES = frozenset({Role.DEPARTMENT_HEAD, Role.LEAD_COORDINATOR})


def payment_bill_get(user: User, bill_id: int) -> Bill:
    """The bill if `user` may see it, else the NotFound of a missing one."""
    bill = bills_visible_to(user).select_related(*BILL_RELATED).filter(pk=bill_id).first()
    if bill is None:
        raise bill_not_found()
    return bill


def may_pay(user: User, bill: Bill) -> bool:
    """The payer's account, an agent representing the case today, or a window clerk of the case's region
    (or above it) taking the payment at the window (窗口现场缴款, on the counter's POS terminal)."""
    if not (user.is_authenticated and user.is_active):
        return False
    at_window = Q(region__in=organisations_visible_to(user, roles={Role.CLERK}).values("id"))
    return Bill.objects.filter(payer_condition(user) | at_window, pk=bill.pk).exists()


def may_refund(user: User, department_id: int) -> bool:
    """A department head or lead coordinator of the collecting department (or above it)."""
    if not (user.is_authenticated and user.is_active):
        return False
    return organisations_visible_to(user, roles=set(REFUND_ROLES)).filter(pk=department_id).exists()


def refund_departments(user: User, bill: Bill) -> set[int]:
    """The collecting departments of `bill` whose lines `user` may refund."""
    if not (user.is_authenticated and user.is_active):
        return set()
    ids = bill.checks.values_list("department_id", flat=True)
    return set(organisations_visible_to(user, roles=set(REFUND_ROLES)).filter(pk__in=ids).values_list("id", flat=True))


def payment_line_get(user: User, line_id: int) -> BillLine:
    """A line of a bill `user` may see, else NotFound."""
    line = (
        BillLine.objects.select_related("bill", "fee_check__department")
        .filter(pk=line_id, bill__in=bills_visible_to(user).values("id"))
        .first()
    )
    if line is None:
        raise NotFound("未找到该缴款明细", code="fees_line_not_found")
    return line


def line_refunded(line_id: int) -> Decimal:
    total = Refund.objects.filter(line_id=line_id).aggregate(total=Sum("amount"))["total"]
    return Decimal(total or 0)


@dataclass(frozen=True)
class RefundableLine:
    line: BillLine
    refunded: Decimal
    may_refund: bool

    @property
    def refundable(self) -> Decimal:
        return Decimal(self.line.due_amount) - self.refunded


def refundable_lines(user: User, bill: Bill) -> list[RefundableLine]:
    allowed = refund_departments(user, bill)
    totals = dict(
        Refund.objects.filter(bill=bill).values("line_id").annotate(total=Sum("amount")).values_list("line_id", "total")
    )
    lines = bill.lines.select_related("fee_check__department").order_by("fee_check__department__code", "item_code")
    return [
        RefundableLine(
            line=line, refunded=Decimal(totals.get(line.pk) or 0), may_refund=line.fee_check.department_id in allowed
        )
        for line in lines
    ]


def bill_payments(bill: Bill) -> QuerySet[Payment]:
    return bill.payments.order_by("created_at", "pk")


def bill_refunds(bill: Bill) -> QuerySet[Refund]:
    return bill.refunds.select_related("line", "refunded_by").order_by("refunded_at", "pk")


def bill_receipts(bill: Bill) -> list[Receipt]:
    return list(bill.receipts.select_related("department").order_by("department__code", "account_number"))


def receipt_payload(receipt: Receipt) -> dict[str, object]:
    """What the receipt's SM2 signature covers: its stored data (canonical JSON of it)."""
    return dict(receipt.data)


def receipt_signature_ok(receipt: Receipt) -> bool:
    """The SM2 signature over the receipt's data verifies with the data signer's key, and the data says the
    receipt's own number and amount."""
    data = receipt.data or {}
    if not receipt.signature or data.get("number") != receipt.number or data.get("amount") != f"{receipt.amount:.2f}":
        return False
    key = keys.data_signer().public_key_pem()
    return verify_signature("sm2", key, canonical_json(receipt_payload(receipt)), receipt.signature)


def receipt_signature_key() -> str:
    return keys.data_signer().public_key_pem()


def payment_order_get(user: User, order_number: str) -> Payment:
    """A payment order that `user` may pay (the bill's payer or their agent), else NotFound."""
    payment = Payment.objects.select_related("bill").filter(order_number=order_number).first()
    if payment is None or not may_pay(user, payment.bill):
        raise NotFound("未找到该支付订单", code="fees_order_not_found")
    return payment
