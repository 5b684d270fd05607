"""The tables of fees, by sub-domain: the catalogue (items, policies, where items attach), the bill (its
fee checks and lines) and the money (payments, callbacks, refunds, receipts)."""

from onewindow.fees.models.bills import Bill, BillLine, BillStatus, FeeCheck, FeeCheckStatus, StageFeeRule
from onewindow.fees.models.catalogue import (
    FeeAttachment,
    FeeItem,
    FeeKind,
    FeePolicy,
    FormulaKind,
    PayerClass,
    PolicyKind,
    ProjectCategory,
)
from onewindow.fees.models.payments import Payment, PaymentCallback, PaymentStatus, Receipt, Refund

__all__ = [
    "Bill",
    "BillLine",
    "BillStatus",
    "FeeAttachment",
    "FeeCheck",
    "FeeCheckStatus",
    "FeeItem",
    "FeeKind",
    "FeePolicy",
    "FormulaKind",
    "PayerClass",
    "Payment",
    "PaymentCallback",
    "PaymentStatus",
    "PolicyKind",
    "ProjectCategory",
    "Receipt",
    "Refund",
    "StageFeeRule",
]
